#!/usr/bin/env bash
# The launcher's probes (issue 24), one case per argument: ./launcher-probes.sh CASE [CASE...].
# Run by LauncherProbeTest (so by `mvn verify` and `./dsw test`); each case builds a small fake world in a temp
# folder (fake JDKs, a fake source tree, a stub python), sources the real `dsw`, `.ci/dsw-jupyter.sh` or `.ci/run`
# (sourced, they only define their functions) and checks an exit code and the first line of a message.
# Exit 0: every case passed; 1: a case failed (its reason printed); 77: skipped (what is missing is printed).
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../../.." && pwd)"
WORK="$(mktemp -d "${TMPDIR:-/tmp}/dsw-probe.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

fail() { echo "FAIL: $*"; exit 1; }
expect_eq() { [ "$1" = "$2" ] || fail "$3: expected [$2], got [$1]"; }

# A fake JDK home of major version $2 at $1: a release file and a java/javac that print what they are.
fake_jdk() {
  mkdir -p "$1/bin"
  echo "JAVA_VERSION=\"$2.0.1\"" > "$1/release"
  printf '#!/bin/sh\necho "fake java %s"\n' "$2" > "$1/bin/java"
  cp "$1/bin/java" "$1/bin/javac"
  chmod +x "$1/bin/java" "$1/bin/javac"
}

# The launcher's functions, with its paths moved to the fake workbench $1.
source_dsw() {
  # shellcheck source=../../../../dsw
  source "$REPO/dsw" || fail "cannot source $REPO/dsw"
  set +e
  ROOT="$1"
  JAR="$ROOT/benchmarks/target/benchmarks.jar"
  KERNEL_JAR="$ROOT/benchmarks/target/kernel/rapaio-jupyter-kernel.jar"
  LISTING="$ROOT/benchmarks/target/dsw-sources.cksum"
  BUILD_LOCK="$ROOT/target/dsw-build.lock"
}

# A fake source tree with a built jar and the listing a ./dsw build leaves.
fake_built_tree() {
  local r="$1"
  mkdir -p "$r/algorithms/src/main/java/x" "$r/scenarios/src/main/java/x" "$r/benchmarks/src/main/java/x" "$r/benchmarks/target"
  echo '<project/>' > "$r/pom.xml"; cp "$r/pom.xml" "$r/benchmarks/pom.xml"
  echo 'class A {}' > "$r/algorithms/src/main/java/x/A.java"
  echo 'class B {}' > "$r/algorithms/src/main/java/x/B.java"
  echo 'class C {}' > "$r/benchmarks/src/main/java/x/C.java"
  find "$r" -type f -exec touch -d '10 minutes ago' {} +
  touch -d '5 minutes ago' "$r/benchmarks/target/benchmarks.jar"
  source_listing > "$LISTING"
}

case_jdk_explicit_java_home_wins() {
  fake_jdk "$WORK/jdk21" 21
  fake_jdk "$WORK/jdk22" 22
  mkdir -p "$WORK/path"; ln -s "$WORK/jdk22/bin/java" "$WORK/path/java"
  (
    source_dsw "$WORK"
    unset DSW_JAVA_HOME
    JAVA_HOME="$WORK/jdk21" PATH="$WORK/path:$PATH" find_jdk
    expect_eq "$DSW_JAVA_HOME" "$WORK/jdk21" "JAVA_HOME (JDK 21) must win over a newer JDK 22 on PATH"
  ) || exit 1
}

case_jdk_old_java_home_is_passed_over() {
  fake_jdk "$WORK/jdk17" 17
  fake_jdk "$WORK/jdk22" 22
  mkdir -p "$WORK/path"; ln -s "$WORK/jdk22/bin/java" "$WORK/path/java"
  (
    source_dsw "$WORK"
    unset DSW_JAVA_HOME
    JAVA_HOME="$WORK/jdk17" PATH="$WORK/path:$PATH" find_jdk
    # the newest JDK >= 21 found: the fake 22 on PATH unless the machine has a newer one installed
    v=$(jdk_major "$DSW_JAVA_HOME")
    [ "$v" -ge 22 ] || fail "JAVA_HOME of JDK 17 must be passed over, got $DSW_JAVA_HOME (JDK $v)"
  ) || exit 1
}

case_jdk_dsw_java_home_too_old_is_an_error() {
  fake_jdk "$WORK/jdk17" 17
  local out rc
  out=$( (source_dsw "$WORK"; DSW_JAVA_HOME="$WORK/jdk17" find_jdk) 2>&1 ); rc=$?
  expect_eq "$rc" 2 "exit code"
  expect_eq "$(head -n 1 <<<"$out")" "dsw: DSW_JAVA_HOME=$WORK/jdk17 is not a JDK 21 or newer (it is JDK 17); point it at one, or unset it to let ./dsw choose." "first line"
}

case_stale_notices_a_deleted_source() {
  (
    source_dsw "$WORK/tree"
    fake_built_tree "$WORK/tree"
    if stale; then fail "a fresh build must not be stale"; fi
    rm "$WORK/tree/algorithms/src/main/java/x/B.java"
    stale || fail "deleting a source must make the build stale (nothing is newer than the jar)"
  ) || exit 1
}

case_stale_notices_an_old_file_added() {
  (
    source_dsw "$WORK/tree"
    fake_built_tree "$WORK/tree"
    echo 'class D {}' > "$WORK/tree/benchmarks/src/main/java/x/D.java"
    touch -d '1 hour ago' "$WORK/tree/benchmarks/src/main/java/x/D.java" # e.g. restored by git with an old time
    stale || fail "a new source older than the jar must make the build stale"
  ) || exit 1
}

case_build_lock_makes_concurrent_commands_build_once() {
  (
    source_dsw "$WORK/tree"
    mkdir -p "$WORK/tree/benchmarks/src" "$WORK/tree/algorithms" "$WORK/tree/scenarios"
    echo '<project/>' > "$WORK/tree/pom.xml"
    # a stand-in for Maven: slow, counts its runs, leaves a fresh jar and listing as the real build does
    build() { echo run >> "$WORK/builds"; sleep 2; mkdir -p "$(dirname "$JAR")"; touch "$JAR"; source_listing > "$LISTING"; }
    ensure_built 2> "$WORK/first.err" &
    ensure_built 2> "$WORK/second.err" &
    wait
    expect_eq "$(wc -l < "$WORK/builds" | tr -d ' ')" 1 "builds run by two concurrent commands"
    grep -q "dsw: another ./dsw is building the workbench; waiting for it to finish..." "$WORK/first.err" "$WORK/second.err" \
      || fail "the waiting command says so"
  ) || exit 1
}

case_kernel_json_is_escaped() {
  local py
  py="$(command -v python3)" || { echo "SKIP: no python3"; exit 77; }
  (
    source_dsw "$WORK"
    source "$REPO/.ci/dsw-jupyter.sh"
    ROOT="$WORK/a \"quoted\" \\ path"
    JAR="$ROOT/benchmarks/target/benchmarks.jar"
    KERNEL_JAR="$ROOT/benchmarks/target/kernel/k.jar"
    DSW_JAVA_HOME="$WORK/j\"dk\\"
    PYTHON="$py"
    mkdir -p "$(dirname "$KERNEL_JAR")" && : > "$(dirname "$KERNEL_JAR")/x-kernel-patch.jar" # the kernel patch, first on -cp
    write_kernel_spec "$WORK/specs" || fail "write_kernel_spec failed"
    "$py" - "$WORK/specs/kernels/dsw-java/kernel.json" "$DSW_JAVA_HOME/bin/java" "$ROOT" "$JAR" "$KERNEL_JAR" <<'PY' || exit 1
import json, os, sys
spec = json.load(open(sys.argv[1]))
assert spec["argv"][0] == sys.argv[2], spec["argv"][0]
assert spec["argv"][2] == "-Ddsw.root=" + sys.argv[3], spec["argv"][2]
patch = os.path.join(os.path.dirname(sys.argv[5]), "x-kernel-patch.jar")
assert spec["argv"][3:5] == ["-cp", patch + ":" + sys.argv[5]], spec["argv"]
assert spec["env"]["RJK_CLASSPATH"] == sys.argv[4], spec["env"]
PY
  ) || fail "kernel.json is not valid JSON with the exact paths"
}

# A stub python: pip refuses --user as an externally managed Python does; `-m venv` works unless NO_VENV is set.
stub_python() {
  cat > "$WORK/python3" <<STUB
#!/usr/bin/env bash
echo "\$*" >> "$WORK/python.log"
if [ "\$1 \$2" = "-m venv" ]; then
  [ -z "\${NO_VENV:-}" ] || { echo "Error: ensurepip is not available" >&2; exit 1; }
  mkdir -p "\$3/bin"; printf '#!/bin/sh\necho "venv \$*" >> "$WORK/python.log"\n' > "\$3/bin/python3"; chmod +x "\$3/bin/python3"; exit 0
fi
case "\$*" in
  *--break-system-packages*) exit 0 ;;
  *"pip install --user"*) echo "error: externally-managed-environment" >&2; exit 1 ;;
esac
exit 1
STUB
  chmod +x "$WORK/python3"
}

case_pip_falls_back_to_a_venv_when_python_is_externally_managed() {
  stub_python
  (
    source_dsw "$WORK"
    source "$REPO/.ci/dsw-jupyter.sh"
    VENV="$WORK/venv"
    pip_install_jupyter "$WORK/python3" 2> "$WORK/pip.err" || fail "the install must succeed through a venv: $(cat "$WORK/pip.err")"
    grep -q "^venv -m pip install" "$WORK/python.log" || fail "the venv's pip must install the packages: $(cat "$WORK/python.log")"
    ! grep -q -- "--break-system-packages" "$WORK/python.log" || fail "--break-system-packages only as a last resort"
  ) || exit 1
}

case_pip_breaks_system_packages_only_without_a_venv() {
  stub_python
  (
    source_dsw "$WORK"
    source "$REPO/.ci/dsw-jupyter.sh"
    VENV="$WORK/venv"
    NO_VENV=1 pip_install_jupyter "$WORK/python3" 2> "$WORK/pip.err" || fail "the last resort must be tried"
    grep -q -- "--user --break-system-packages" "$WORK/python.log" || fail "no last resort: $(cat "$WORK/python.log")"
  ) || exit 1
}

case_ci_run_fails_clearly_when_the_jdk_install_fails() {
  mkdir -p "$WORK/ci/.ci" "$WORK/bin"
  cp "$REPO/.ci/run" "$WORK/ci/.ci/run"
  printf '#!/bin/sh\necho "dsw test ran"\n' > "$WORK/ci/dsw"; chmod +x "$WORK/ci/dsw"
  printf '#!/bin/sh\nexit 0\n' > "$WORK/bin/mvn"; chmod +x "$WORK/bin/mvn"
  local out rc
  out=$( (
    PATH="$WORK/bin:$PATH"
    source "$WORK/ci/.ci/run"
    has_jdk21() { return 1; }
    as_root_apt() { return 0; }
    apt-get() { return 100; }
    main
  ) 2>&1 ); rc=$?
  expect_eq "$rc" 2 "exit code"
  expect_eq "$(head -n 1 <<<"$out")" "ci: apt-get could not install a JDK >= 21 (tried openjdk-21-jdk-headless and openjdk-25-jdk-headless); install one and set JAVA_HOME" "first line"
}

# --- the notebook executor (needs Jupyter's nbclient; no kernel needs to start) ---

executor_python() {
  local p
  for p in /usr/bin/python3 python3 "$REPO/benchmarks/target/venv/bin/python3"; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import nbclient, nbformat, jupyter_client' 2>/dev/null; then
      command -v "$p"; return 0
    fi
  done
  if [ "${CI:-}" = true ]; then fail "nbclient is not importable under CI=true; ./dsw setup installs it"; fi
  echo "SKIP: Jupyter's nbclient is not installed (./dsw setup installs it)"; exit 77
}

# A valid notebook of one cell for a kernel that does not exist.
no_kernel_notebook() {
  mkdir -p "$(dirname "$1")"
  cat > "$1" <<'NB'
{"cells": [{"cell_type": "code", "execution_count": null, "id": "c1", "metadata": {}, "outputs": [], "source": ["1 + 1"]}],
 "metadata": {"kernelspec": {"display_name": "none", "language": "java", "name": "dsw-no-such-kernel"}},
 "nbformat": 4, "nbformat_minor": 5}
NB
}

case_executor_reports_a_corrupt_notebook_in_one_line_and_runs_the_rest() {
  local py out rc
  py="$(executor_python)" || exit $?
  mkdir -p "$WORK/a"; printf '{"cells": [ oops' > "$WORK/a/x.ipynb"
  no_kernel_notebook "$WORK/b/x.ipynb"
  out=$(cd "$WORK" && JUPYTER_PATH="$WORK/none" "$py" "$REPO/notebooks/tools/execute_notebooks.py" --out "$WORK/out" a/x.ipynb b/x.ipynb 2>&1); rc=$?
  expect_eq "$rc" 1 "exit code"
  grep -q "^  a/x.ipynb: FAILED (corrupt): not a readable notebook: " <<<"$out" || fail "corrupt notebook line missing:\n$out"
  grep -q "^  b/x.ipynb: FAILED (kernel): the kernel 'dsw-no-such-kernel' could not be started" <<<"$out" || fail "the next notebook still runs:\n$out"
  ! grep -q "Traceback" <<<"$out" || fail "no traceback:\n$out"
  expect_eq "$(tail -n 1 <<<"$out")" "notebooks: 0 passed, 2 failed" "last line"
}

case_executor_names_copies_by_relative_path() {
  local py
  py="$(executor_python)" || exit $?
  no_kernel_notebook "$WORK/a/x.ipynb"
  no_kernel_notebook "$WORK/b/x.ipynb"
  (cd "$WORK" && JUPYTER_PATH="$WORK/none" "$py" "$REPO/notebooks/tools/execute_notebooks.py" --out "$WORK/out" a/x.ipynb b/x.ipynb >/dev/null 2>&1)
  [ -f "$WORK/out/a/x.ipynb" ] && [ -f "$WORK/out/b/x.ipynb" ] || fail "two notebooks named x.ipynb need two copies: $(find "$WORK/out" -type f)"
}

case_executor_expect_failure_refuses_a_kernel_that_never_starts() {
  local py out rc
  py="$(executor_python)" || exit $?
  no_kernel_notebook "$WORK/b/x.ipynb"
  out=$(cd "$WORK" && JUPYTER_PATH="$WORK/none" "$py" "$REPO/notebooks/tools/execute_notebooks.py" --expect-failure b/x.ipynb 2>&1); rc=$?
  expect_eq "$rc" 1 "a kernel that never starts is not the expected failure: exit code"
  grep -q "^  b/x.ipynb: failed, but not with a cell error (kernel): " <<<"$out" || fail "message:\n$out"
}

case_executor_overall_timeout() {
  local py out rc
  py="$(executor_python)" || exit $?
  no_kernel_notebook "$WORK/b/x.ipynb"
  out=$(cd "$WORK" && "$py" "$REPO/notebooks/tools/execute_notebooks.py" --timeout-total 0 b/x.ipynb 2>&1); rc=$?
  expect_eq "$rc" 1 "exit code"
  grep -q "^  b/x.ipynb: FAILED (timeout): not started: the overall timeout of 0 s was reached" <<<"$out" || fail "message:\n$out"
}

[ $# -gt 0 ] || { echo "usage: $0 CASE..." >&2; exit 2; }
for c in "$@"; do
  declare -F "case_$c" >/dev/null || { echo "no such case: $c" >&2; exit 2; }
  ( "case_$c" ) || exit $?
  echo "ok $c"
done
