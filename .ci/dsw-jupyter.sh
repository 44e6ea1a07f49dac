# Sourced by ./dsw: the `setup` and `test` sub-commands (they drive Maven, apt/pip and Jupyter, so they
# live in shell rather than in the Java CLI). Expects ROOT, JAR, KERNEL_JAR, KERNEL_NAME, DSW_JAVA_HOME and
# the functions die, ensure_built from ./dsw.

KERNEL_SPECS="$ROOT/benchmarks/target/jupyter"   # this clone's private kernel spec (JUPYTER_PATH)

is_root_with_apt() { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }

VENV="$ROOT/benchmarks/target/venv"   # Jupyter's Python packages when pip may not install them for the user

# Prints a python3 that can import nbclient and nbformat, or nothing.
find_python() {
  local p
  for p in /usr/bin/python3 python3 "$VENV/bin/python3"; do
    if command -v "$p" >/dev/null 2>&1 && "$p" -c 'import nbclient, nbformat, jupyter_client' 2>/dev/null; then
      command -v "$p"; return 0
    fi
  done
}

APT_UPDATED=""
apt_install() {
  if [ -z "$APT_UPDATED" ]; then
    echo "dsw setup: apt-get update" >&2
    apt-get update -qq >&2 || die "apt-get update failed; install $* by hand."
    APT_UPDATED=1
  fi
  echo "dsw setup: apt-get install $*" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2 || die "apt-get install $* failed."
}

ensure_jupyter() {
  PYTHON="$(find_python)"
  [ -n "$PYTHON" ] && return 0
  if is_root_with_apt; then
    apt_install jupyter-nbconvert python3-nbclient
  elif command -v python3 >/dev/null 2>&1; then
    pip_install_jupyter python3 \
      || die "could not install Jupyter's nbclient; install 'jupyter-nbconvert python3-nbclient' (Debian) or 'pip install nbclient nbconvert'."
  else
    die "Python 3 is needed to execute the notebooks; install python3 and run ./dsw setup again."
  fi
  PYTHON="$(find_python)"
  [ -n "$PYTHON" ] || die "nbclient is still not importable after installing it; check your Python installation."
}

# Installs Jupyter's packages with pip for the Python $1. First `pip install --user`; a Python marked
# externally managed (PEP 668: Debian 12, Ubuntu 23.04+, Homebrew) refuses that, so then a virtual environment
# of this clone's own in $VENV (find_python looks there; `mvn clean` removes it, the next setup recreates it).
# Only when no virtual environment can be made (Debian without python3-venv) does it fall back to
# `--user --break-system-packages`: that still writes only under ~/.local, never into the distribution's
# site-packages; the risk PEP 668 guards against, packages in ~/.local shadowing the distribution's for this
# user's other Python programs, is taken only when there is no other way.
pip_install_jupyter() {
  local py="$1" pkgs=(nbclient nbformat jupyter_client nbconvert)
  echo "dsw setup: pip install --user ${pkgs[*]}" >&2
  "$py" -m pip install --user -q "${pkgs[@]}" >&2 && return 0
  echo "dsw setup: pip refused --user (externally managed Python?); using a virtual environment in $VENV" >&2
  if "$py" -m venv "$VENV" >&2 && "$VENV/bin/python3" -m pip install -q "${pkgs[@]}" >&2; then
    return 0
  fi
  echo "dsw setup: no virtual environment either (python3-venv missing?); last resort: pip install --user --break-system-packages" >&2
  "$py" -m pip install --user --break-system-packages -q "${pkgs[@]}" >&2
}

# XChart renders with AWT: headless AWT needs fontconfig and at least one font, or it crashes in
# sun.awt.FontConfiguration (knowm/XChart #648).
ensure_fonts() {
  if command -v fc-list >/dev/null 2>&1 && [ -n "$(fc-list 2>/dev/null | head -n 1)" ]; then
    return 0
  fi
  if is_root_with_apt; then
    apt_install fontconfig fonts-dejavu-core
  else
    echo "dsw setup: warning: no fonts found (fc-list); charts may fail: install fontconfig and a font package." >&2
  fi
}

# The jar of replacement kernel classes (benchmarks/src/main/java/org/rapaio/...: LoopThread, which fixes
# rapaio-jupyter-kernel 3.0.1's start-up race; see its Javadoc and KernelPatchTest), built beside the kernel jar.
kernel_patch_jar() {
  local jars=("$(dirname "$KERNEL_JAR")"/*-kernel-patch.jar)
  [ -f "${jars[0]}" ] || die "the kernel patch jar is missing in $(dirname "$KERNEL_JAR"); run the build (mvn package)"
  echo "${jars[0]}"
}

# The headless browser the report's browser test drives (ReportBrowserTest): Debian's chromium and
# chromium-driver. Outside root/apt it only warns: the test then skips, or fails under CI=true.
# Jupyter Notebook (the server ./dsw notebook runs; its browser test runs in ./dsw test). Returns 1 if missing.
ensure_notebook_server() {
  command -v jupyter-notebook >/dev/null 2>&1 && return 0
  if is_root_with_apt; then
    apt_install jupyter-notebook
  else
    echo "dsw setup: warning: no Jupyter Notebook server; ./dsw notebook and its browser test need 'apt-get install jupyter-notebook' (or pip install notebook)." >&2
    return 1
  fi
}

ensure_browser() {
  if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    return 0
  fi
  if is_root_with_apt; then
    apt_install chromium chromium-driver
  else
    echo "dsw setup: warning: no headless browser; the HTML report's browser test needs 'apt-get install chromium chromium-driver'." >&2
  fi
}

# Writes the dsw-java kernel spec: rapaio-jupyter-kernel on the selected JDK, with the whole workbench
# (the benchmarks uber-jar: algorithms, report helpers, XChart, HdrHistogram) on its class path. The kernel
# runs from -cp, not -jar, so that the patch jar comes first and its LoopThread wins over the jar's.
write_kernel_spec() {
  local dir="$1" patch
  patch="$(kernel_patch_jar)" || exit 2
  mkdir -p "$dir/kernels/$KERNEL_NAME"
  # Written by Python's json module: a path with a quote or a backslash stays one valid JSON string.
  "$PYTHON" - "$dir/kernels/$KERNEL_NAME/kernel.json" "$DSW_JAVA_HOME/bin/java" "$ROOT" "$patch:$KERNEL_JAR" "$JAR" <<'PY'
import json, sys
out, java, root, kernel_cp, jar = sys.argv[1:]
spec = {
    "argv": [java, "-Djava.awt.headless=true", "-Ddsw.root=" + root, "-cp", kernel_cp, "org.rapaio.jupyter.kernel.MainApp", "{connection_file}"],
    "display_name": "Java (DS Workbench)",
    "language": "java",
    "interrupt_mode": "message",
    "env": {"RJK_CLASSPATH": jar, "RJK_COMPILER_OPTIONS": "", "RJK_INIT_SCRIPT": "", "RJK_TIMEOUT_MILLIS": "-1"},
}
with open(out, "w", encoding="utf-8") as f:
    json.dump(spec, f, indent=2)
    f.write("\n")
PY
}

# Chapter 3 compares its balancers with the real nginx and HAProxy (./dsw lb-compare and a test in mvn verify);
# they run in the foreground on 127.0.0.1 only, started and stopped by the Java code. apt's post-install does not
# start the system services where policy-rc.d forbids it (containers); nothing here enables them.
ensure_balancers() {
  local missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)
  command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || missing+=(haproxy)
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root_with_apt; then
    apt_install "${missing[@]}"
  else
    echo "dsw setup: warning: ${missing[*]} missing; chapter 3's lb-compare needs them: sudo apt-get install ${missing[*]}" >&2
  fi
}

# Chapter 9 runs its lock experiments against the real Redis and etcd (./dsw lock-bench and tests in mvn verify);
# like the balancers they run in the foreground on 127.0.0.1 only, started and stopped by the Java code
# (io.github.dsw.reallocks). ZooKeeper needs no package: it runs in the JVM (curator-test from Maven Central).
ensure_lock_servers() {
  local missing=()
  command -v redis-server >/dev/null 2>&1 || [ -x /usr/bin/redis-server ] || missing+=(redis-server)
  command -v etcd >/dev/null 2>&1 || [ -x /usr/bin/etcd ] || missing+=(etcd-server)
  [ ${#missing[@]} -eq 0 ] && return 0
  if is_root_with_apt; then
    apt_install "${missing[@]}"
  else
    echo "dsw setup: warning: ${missing[*]} missing; chapter 9's real locks need them: sudo apt-get install ${missing[*]}" >&2
  fi
}

dsw_setup() {
  local user_spec=1
  while [ $# -gt 0 ]; do
    case "$1" in
      --help|-h)
        cat <<'USAGE'
usage: ./dsw setup [--no-user-kernel]

Installs what a fresh machine lacks, then builds the workbench:
  - Jupyter's nbclient/nbconvert (Debian packages jupyter-nbconvert python3-nbclient when run as root
    with apt, otherwise pip install --user, or into a virtual environment in benchmarks/target/venv when
    Python is externally managed), fontconfig and a font for headless charts, and the headless
    browser of the HTML report's test (chromium, chromium-driver);
  - nginx-light and haproxy (Debian, as root with apt) for chapter 3's comparison with real balancers;
  - redis-server and etcd-server (Debian, as root with apt) for chapter 9's real locks;
  - the uber-jar benchmarks/target/benchmarks.jar and the kernel jar (rapaio-jupyter-kernel, Maven Central);
  - the kernel spec 'dsw-java' (JVM: the JDK >= 21 found by ./dsw) in benchmarks/target/jupyter (what
    ./dsw test uses) and in your Jupyter user folder, so `jupyter notebook notebooks/` shows it.
options:
  --no-user-kernel   do not install the kernel spec into the Jupyter user folder
USAGE
        return 0 ;;
      --no-user-kernel) user_spec="" ;;
      *) die "setup: unknown option $1 (see ./dsw setup --help)" ;;
    esac
    shift
  done
  ensure_jupyter
  ensure_fonts
  ensure_balancers
  ensure_lock_servers
  ensure_browser
  ensure_notebook_server || true
  ensure_built
  [ -f "$KERNEL_JAR" ] && compgen -G "$(dirname "$KERNEL_JAR")/*-kernel-patch.jar" >/dev/null || with_build_lock build
  write_kernel_spec "$KERNEL_SPECS"
  if [ -n "$user_spec" ]; then
    local user_dir
    user_dir="$("$PYTHON" -c 'import jupyter_core.paths as p; print(p.jupyter_data_dir())')"
    write_kernel_spec "$user_dir"
    echo "dsw setup: kernel '$KERNEL_NAME' installed in $user_dir/kernels/$KERNEL_NAME (JDK $DSW_JAVA_HOME)" >&2
  fi
  echo "dsw setup: ready (python $PYTHON, JDK $DSW_JAVA_HOME)" >&2
}

# notebooks/tools/kernel_soak.py with this clone's kernel spec; logs in benchmarks/target/kernel-soak/.
kernel_soak() {
  JUPYTER_PATH="$KERNEL_SPECS" "$PYTHON" "$ROOT/notebooks/tools/kernel_soak.py" --load 2 \
    --log-dir "$ROOT/benchmarks/target/kernel-soak" "$@"
}

run_notebooks() {
  JUPYTER_PATH="$KERNEL_SPECS" "$PYTHON" "$ROOT/notebooks/tools/execute_notebooks.py" "$@"
}

dsw_test() {
  local notebooks=() maven=1 soak=""
  while [ $# -gt 0 ]; do
    case "$1" in
      --help|-h)
        cat <<'USAGE'
usage: ./dsw test [--notebook FILE]... [--notebooks-only] [--kernel-soak [N]]

Runs every test, in this order, and stops at the first stage that fails:
  1. setup (as ./dsw setup --no-user-kernel): Jupyter, fonts, the build, the kernel spec;
  2. mvn verify: every unit test, the CLI tests, and a smoke run of every JMH benchmark (one short
     iteration in-process, no warm-up; timings are never asserted);
  3. the notebook check on a fixture that raises on purpose: it must fail, or the check is broken; and
     on fixtures whose kernel never starts or dies: these must not pass for the expected cell error;
  4. the kernel start check: 20 starts of the dsw-java kernel under two busy loops, each must answer
     kernel_info, interrupt and shutdown (notebooks/tools/kernel_soak.py; a hang or a dead control
     channel fails, a start slower than 10 s on a loaded machine is reported);
  5. every notebooks/NN-*.ipynb executed headless with the dsw-java kernel; any cell error fails.
Executed copies go to benchmarks/target/executed-notebooks/ (the sources stay without outputs).
options:
  --notebook FILE    execute only this notebook (repeatable): stages 1 and 5 only
  --notebooks-only   execute every notebook; skips stage 2
  --kernel-soak [N]  only the kernel soak: N starts (default 100) under two busy loops, then stop
USAGE
        return 0 ;;
      --notebook)
        [ $# -ge 2 ] || die "test: option --notebook needs a file"
        local nb
        nb="$(realpath -e -- "$2" 2>/dev/null)" || die "test: no such notebook: $2"
        notebooks+=("$nb")
        maven=""; shift ;;
      --notebooks-only) maven="" ;;
      --kernel-soak)   # only the soak: no Maven, no notebooks
        soak=100; maven=""
        if [ $# -ge 2 ] && [[ "$2" =~ ^[0-9]+$ ]]; then soak="$2"; shift; fi ;;
      *) die "test: unknown option $1 (see ./dsw test --help)" ;;
    esac
    shift
  done
  local start=$SECONDS
  echo "== dsw test: setup" >&2
  dsw_setup --no-user-kernel
  ensure_balancers
  ensure_lock_servers
  ensure_browser   # (dsw_setup installs it too; said here because CI runs only ./dsw test)
  if [ -n "$maven" ]; then
    echo "== dsw test: mvn verify (unit tests, CLI tests, benchmark smoke run)"
    (cd "$ROOT" && with_build_lock mvn -B -ntp verify) || { echo "dsw test: mvn verify failed" >&2; exit 1; }
  fi
  if [ -n "$soak" ]; then
    echo "== dsw test: kernel soak, $soak starts"
    kernel_soak --starts "$soak"
    return
  fi
  if [ ${#notebooks[@]} -gt 0 ]; then   # --notebook FILE...: just those notebooks, none of the checks below
    echo "== dsw test: executing ${#notebooks[@]} notebook(s)"
    run_notebooks --out "$ROOT/benchmarks/target/executed-notebooks" "${notebooks[@]}" \
      || { echo "dsw test: a notebook failed (see above)" >&2; exit 1; }
    echo "dsw test: the notebook(s) passed in $((SECONDS - start)) s"
    return 0
  fi
  echo "== dsw test: the kernel must start every time (20 starts under load)"
  kernel_soak --starts 20 || { echo "dsw test: the notebook kernel failed to start (see above)" >&2; exit 1; }
  echo "== dsw test: the notebook check must fail on a notebook that raises, and only a cell error counts"
  if run_notebooks --expect-failure --out "$ROOT/benchmarks/target/executed-notebooks/fixtures" \
      "$ROOT/notebooks/tools/fixtures/raises.ipynb"; then :; else
    echo "dsw test: the notebook check did not fail on a raising notebook: it cannot be trusted" >&2
    exit 1
  fi
  local fixture
  for fixture in never-starts dies; do # a kernel that never starts, or dies, must not pass for a cell error
    if run_notebooks --expect-failure --out "$ROOT/benchmarks/target/executed-notebooks/fixtures" \
        "$ROOT/notebooks/tools/fixtures/$fixture.ipynb"; then
      echo "dsw test: the notebook check took fixtures/$fixture.ipynb (no cell error) for the expected failure: it cannot be trusted" >&2
      exit 1
    fi
  done
  mapfile -t notebooks < <(ls "$ROOT"/notebooks/[0-9][0-9]-*.ipynb 2>/dev/null)
  [ ${#notebooks[@]} -gt 0 ] || die "test: no notebooks found under notebooks/"
  echo "== dsw test: executing ${#notebooks[@]} notebook(s)"
  run_notebooks --out "$ROOT/benchmarks/target/executed-notebooks" "${notebooks[@]}" \
    || { echo "dsw test: a notebook failed (see above)" >&2; exit 1; }
  echo "dsw test: all stages passed in $((SECONDS - start)) s"
}

# ./dsw notebook: Jupyter Notebook (Debian's jupyter-notebook) on notebooks/ with the dsw-java kernel, bound to
# 127.0.0.1 on a free port with a random token; prints the URL and runs in the foreground (Ctrl-C stops it).
dsw_notebook() {
  case "${1:-}" in
    --help|-h)
      echo "usage: ./dsw notebook"
      echo
      echo "Starts Jupyter Notebook on notebooks/ with the workbench's Java kernel (dsw-java), on 127.0.0.1"
      echo "only, on a free port, with a random token; prints the URL to open. Ctrl-C stops it."
      return 0 ;;
    "") ;;
    *) die "notebook: unknown argument $1 (see ./dsw notebook --help)" ;;
  esac
  ensure_jupyter
  ensure_fonts
  ensure_notebook_server || die "notebook: Jupyter Notebook is missing; install it (Debian: apt-get install jupyter-notebook, or pip install notebook)"
  ensure_built
  if ! { [ -f "$KERNEL_JAR" ] && compgen -G "$(dirname "$KERNEL_JAR")/*-kernel-patch.jar" >/dev/null; }; then
    [ "${DSW_NO_BUILD:-}" = 1 ] && die "notebook: DSW_NO_BUILD=1 but the kernel jars are missing: run ./dsw setup"
    build
  fi
  write_kernel_spec "$KERNEL_SPECS"
  local port token
  port="$("$PYTHON" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  token="$("$PYTHON" -c 'import secrets; print(secrets.token_hex(24))')"
  echo "dsw notebook: open http://127.0.0.1:$port/tree?token=$token" >&2
  local extra=()
  [ "$(id -u)" = 0 ] && extra+=(--allow-root)   # CI containers run as root; still bound to 127.0.0.1 only
  JUPYTER_PATH="$KERNEL_SPECS" exec jupyter-notebook --no-browser --ip=127.0.0.1 --port="$port" \
    --NotebookApp.token="$token" --NotebookApp.port_retries=0 --notebook-dir="$ROOT/notebooks" "${extra[@]}"
}
