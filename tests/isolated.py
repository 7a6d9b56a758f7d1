"""Run a test function in a fresh Python process (its own taichi, environment and limits)."""
import os
import subprocess
import sys

TESTS = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(TESTS)


def run_isolated(target, *args, timeout=600, env=None, check=True):
    """Call ``module:function(*args)`` (a module under tests/ or demos/) in a new interpreter.

    args must be literals (repr round-trips). Returns the CompletedProcess; with check, asserts
    that it exited 0, showing its output if not.
    """
    module, function = target.split(":")
    code = f"from {module} import {function}; {function}(*{args!r})"
    environment = dict(os.environ, **(env or {}))
    environment["PYTHONPATH"] = os.pathsep.join(
        [TESTS, os.path.join(ROOT, "demos"), environment.get("PYTHONPATH", "")])
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=timeout, env=environment, cwd=ROOT)
    if check:
        assert proc.returncode == 0, f"{target}{args} exited {proc.returncode}:\n" \
            f"{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc
