#!/usr/bin/env python3
"""Executes notebooks headless with the workbench's Java kernel and fails on any cell error.

Usage: execute_notebooks.py [--out DIR] [--expect-failure] [--timeout-total S] NOTEBOOK...

Each notebook runs in its own folder (so `../datasets/...` paths work), with nbclient, the kernel named
in its metadata (the workbench's is `dsw-java`), start-up attempts of 20, 20, 30, 60 and three of 120 s (a
safety net, see STARTUP_TIMEOUTS_S; and the very first JVM start on a cold machine can
exceed nbclient's default 60 s) and 600 s per cell. A notebook passes when every cell
ran and no output is an error. The executed copy is written to --out (git-ignored) under the notebook's
path relative to the folder all the given notebooks share (so a/x.ipynb and b/x.ipynb do not overwrite each
other), never over the source, so committed notebooks stay free of outputs.

Each failure has a kind: 'cell' (a cell raised or printed an error), 'kernel' (the kernel could not be
started, never answered, or died), 'timeout' (a cell ran out of time, or --timeout-total was reached),
'corrupt' (the file is not a readable notebook), 'other'. A failing notebook never stops the others.

--expect-failure inverts the verdict for a notebook that fails with a cell error, and only for that: used by
the test command on a fixture that raises on purpose, to prove that a failing cell really fails the check.
A kernel that never starts or dies is a failure of the check itself, not the expected one.

--timeout-total S bounds the whole run: no cell runs past S seconds from the start, and notebooks not
started by then fail as 'timeout'.

The last line printed is 'notebooks: N passed, M failed'; the exit code is 0 only when M is 0.
"""
import argparse
import atexit
import os
import re
import sys
import time

try:
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError
except ImportError as e:  # the launcher installs these; say what is missing if run by hand
    sys.exit(f"execute_notebooks: {e.name} is not installed; run ./dsw setup")

# A safety net, not a work-around: rapaio-jupyter-kernel 3.0.1 used to hang at start about one time in four on
# this 2-core machine (its shell loop thread could exit before its first iteration, or die of an exception
# thrown by a request that arrived before the handlers existed). The kernel spec now puts a fixed LoopThread
# ahead of the kernel jar (benchmarks/src/main/java/org/rapaio/jupyter/kernel/channels/LoopThread.java), and
# `./dsw test` checks 20 starts under load before any notebook runs (notebooks/tools/kernel_soak.py; 100 in
# the soak). What a retry still covers is slowness: on a 2-core machine at load ~20 (many builds at once) a
# healthy start took 20-27 s (kernel_soak.py, 2026-12-02), longer than the first attempt's 20 s; the later
# attempts wait longer. Every retry is printed with its kernel log: a log that ends before "Handling message:
# kernel_info_request" is a hang again, and a bug to report, not to retry.
STARTUP_TIMEOUTS_S = (20, 20, 30, 60, 120, 120, 120)
CELL_TIMEOUT_S = 600


def errors_in(nb):
    """(cell index, ename, evalue) of every error output of an executed notebook."""
    found = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                found.append((i, out.get("ename", "?"), out.get("evalue", "")))
    return found


class Failure(Exception):
    """A notebook that did not pass: kind (see the module doc) and a one-paragraph reason."""

    def __init__(self, kind, reason):
        super().__init__(reason)
        self.kind = kind
        self.reason = reason


class KernelNeverReady(Exception):
    pass


def run_one(path, out_path, log_base, deadline):
    """Executes one notebook; returns None when it passed, else a Failure.

    A kernel that never answers its first kernel_info request (see STARTUP_TIMEOUTS_S) has run no cell,
    so the notebook is simply started again with a fresh kernel."""
    try:
        nb_source = nbformat.read(path, as_version=4)
    except Exception as e:  # not JSON, not a notebook, unreadable: one line, and the other notebooks still run
        first = (str(e).strip().splitlines() or [""])[0][:200]
        return Failure("corrupt", f"not a readable notebook: {type(e).__name__}: {first}")
    for attempt, timeout in enumerate(STARTUP_TIMEOUTS_S, start=1):
        left = remaining(deadline)
        if left <= 0:
            return Failure("timeout", "the overall timeout (--timeout-total) was reached before the kernel started")
        try:
            return run_once(path, nbformat.from_dict(nb_source), out_path, log_base, min(timeout, left), attempt, deadline)
        except KernelNeverReady as e:
            print(f"  {path}: the kernel did not answer within {min(timeout, left):.0f} s "
                  f"(attempt {attempt} of {len(STARTUP_TIMEOUTS_S)}; kernel log: {e})", flush=True)
    return Failure("kernel", f"the kernel never became ready in {len(STARTUP_TIMEOUTS_S)} attempts")


def remaining(deadline):
    return float("inf") if deadline is None else deadline - time.monotonic()


def run_once(path, nb, out_path, log_base, startup_timeout, attempt, deadline):
    kernel = nb.metadata.get("kernelspec", {}).get("name")
    if not kernel:
        return Failure("other", "no kernelspec in the notebook metadata (expected 'dsw-java')")
    folder = os.path.dirname(os.path.abspath(path))
    # Each cell gets CELL_TIMEOUT_S, or what is left of --timeout-total if that is less.
    client = NotebookClient(nb, kernel_name=kernel, timeout=CELL_TIMEOUT_S, startup_timeout=int(max(1, startup_timeout)),
                            timeout_func=lambda cell: int(max(1, min(CELL_TIMEOUT_S, remaining(deadline)))),
                            resources={"metadata": {"path": folder}})
    failure = None
    # The kernel logs every message it handles to stderr: keep that in a log file beside the executed
    # copy (read it when a kernel dies), not on the console.
    log_path = log_base + (".kernel.log" if attempt == 1 else f".kernel.{attempt}.log")
    os.makedirs(os.path.dirname(log_path), exist_ok=True)
    try:
        with open(log_path, "w") as log:
            client.execute(stderr=log)
    except CellExecutionError as e:
        # nbclient's message holds the cell source and the kernel's traceback: keep the first lines.
        text = re.sub(r"\x1b\[[0-9;]*m", "", str(e))  # the kernel colours its tracebacks
        lines = [l for l in text.splitlines() if l.strip()]
        failure = Failure("cell", "a cell raised:\n      " + "\n      ".join(lines[:12]))
    except CellTimeoutError as e:
        failure = Failure("timeout", f"{type(e).__name__}: {first_line(e)} (kernel log: {log_path})")
    except DeadKernelError as e:  # before RuntimeError: it is one
        failure = Failure("kernel", f"the kernel died: {first_line(e)} (kernel log: {log_path})")
    except RuntimeError as e:
        if "didn't respond" in str(e) and not any(c.get("outputs") or c.get("execution_count")
                                                   for c in nb.cells if c.cell_type == "code"):
            raise KernelNeverReady(log_path) from e
        failure = Failure("kernel", f"{type(e).__name__}: {first_line(e)} (kernel log: {log_path})")
    except TimeoutError as e:
        failure = Failure("timeout", f"{type(e).__name__}: {first_line(e)} (kernel log: {log_path})")
    except Exception as e:  # e.g. NoSuchKernel, or the kernel's program missing: the kernel never started
        failure = Failure("kernel", f"the kernel '{kernel}' could not be started: {type(e).__name__}: {first_line(e)}")
    finally:
        # execute() has shut the kernel down either way; nbclient's own exit hook would try again and,
        # for a kernel that never became ready, print a stray AssertionError traceback at exit.
        # (_cleanup_kernel is nbclient's private name: skip quietly where a version lacks it.)
        cleanup = getattr(client, "_cleanup_kernel", None)
        if cleanup is not None:
            atexit.unregister(cleanup)
    if failure is None:
        errs = errors_in(nb)
        if errs:
            failure = Failure("cell", "; ".join(f"cell {i}: {n}: {v}" for i, n, v in errs))
    if out_path:
        os.makedirs(os.path.dirname(out_path), exist_ok=True)
        nbformat.write(nb, out_path)
    return failure


def first_line(e):
    return (str(e).strip().splitlines() or [""])[0][:300]


def relative_names(paths):
    """Each notebook's path relative to the folder all of them share: unique names for the executed copies."""
    folders = [os.path.dirname(os.path.abspath(p)) for p in paths]
    base = os.path.commonpath(folders) if folders else ""
    return {p: os.path.relpath(os.path.abspath(p), base) for p in paths}


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", help="folder for the executed copies")
    ap.add_argument("--expect-failure", action="store_true",
                    help="pass only if every notebook fails with a cell error (the check's self-test)")
    ap.add_argument("--timeout-total", type=float, metavar="S", help="seconds for the whole run (default: no limit)")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()
    deadline = None if args.timeout_total is None else time.monotonic() + args.timeout_total
    names = relative_names(args.notebooks)
    logs = args.out or os.path.join(os.path.dirname(os.path.abspath(__file__)), ".logs")
    passed = failed = 0
    for path in args.notebooks:
        start = time.monotonic()
        if not os.path.isfile(path):
            failure = Failure("corrupt", "no such notebook file")
        elif remaining(deadline) <= 0:
            failure = Failure("timeout", f"not started: the overall timeout of {args.timeout_total:g} s was reached")
        else:
            print(f"  executing {path} ...", flush=True)
            try:
                failure = run_one(path, os.path.join(args.out, names[path]) if args.out else None,
                                  os.path.join(logs, names[path]), deadline)
            except Exception as e:  # a bug here must not hide the other notebooks' verdicts
                failure = Failure("other", f"the executor failed: {type(e).__name__}: {first_line(e)}")
        took = time.monotonic() - start
        if args.expect_failure:
            ok = failure is not None and failure.kind == "cell"
            if ok:
                verdict = "failed with a cell error, as expected"
            elif failure is None:
                verdict = "PASSED, but it must fail with a cell error"
            else:
                verdict = f"failed, but not with a cell error ({failure.kind}): {failure.reason}"
        else:
            ok = failure is None
            verdict = "ok" if ok else f"FAILED ({failure.kind}): {failure.reason}"
        print(f"  {path}: {verdict} ({took:.1f} s)", flush=True)
        passed += ok
        failed += not ok
    print(f"notebooks: {passed} passed, {failed} failed")
    return 0 if failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
