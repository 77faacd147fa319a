"""What the failure signature adds to a failed `repetend run` (target: ≤ 5 ms).

A real git repository and a command that fails with a Python traceback on
stderr. Alternated in one run: `repetend run -- CMD` with the signature (stderr
copied through, its end kept, the signature made and stored) and the same
failed command with `failure_evidence: false` (stderr untouched, no signature).
Prints the medians, the added milliseconds and the ratio. A whole `repetend run`
starts an interpreter, so on a busy machine its noise is larger than the cost;
the second figure is measured in one process: the failed command run bare
against the same through the stderr copy, plus making the signature.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROUNDS = int(os.environ.get("ROUNDS", "40"))
FAILING = (
    "import sys\n"
    "sys.stderr.write('Traceback (most recent call last):\\n'"
    " '  File \"/home/me/project/app.py\", line 3, in <module>\\n    import yaml\\n'"
    " \"ModuleNotFoundError: No module named 'yaml'\\n\")\n"
    "sys.exit(1)\n"
)


def one(root: Path, evidence: bool) -> float:
    env = {
        **os.environ,
        "REPETEND_FAILURE_EVIDENCE": "true" if evidence else "false",
        "REPETEND_LEARN_IN_BACKGROUND": "false",
    }
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "repetend", "run", "--", sys.executable, "-c", FAILING],
        cwd=root,
        env=env,
        capture_output=True,
        check=False,
    )
    return time.perf_counter() - started


def in_process() -> tuple[float, float, float]:
    """Medians in one process: the failed command run bare, run through the stderr copy,
    and the signature made from what the copy kept (no interpreter start in the figures)."""
    from repetend.capture.commands import run_command
    from repetend.failures.evidence import command_failure

    argv = [sys.executable, "-S", "-c", FAILING]
    quiet, saved = os.open(os.devnull, os.O_WRONLY), os.dup(2)
    os.dup2(quiet, 2)  # the copy writes to our stderr: keep the terminal clean
    bare, copied, signed = [], [], []
    try:
        for _ in range(ROUNDS * 2):
            started = time.perf_counter()
            run_command(argv, Path.cwd(), None, keep_stderr=False)
            bare.append(time.perf_counter() - started)
            started = time.perf_counter()
            done = run_command(argv, Path.cwd(), None, keep_stderr=True)
            copied.append(time.perf_counter() - started)
            started = time.perf_counter()
            command_failure(done.stderr_tail, "python app.py", 1, context={"branch": "main"})
            signed.append(time.perf_counter() - started)
    finally:
        os.dup2(saved, 2)
    return statistics.median(bare), statistics.median(copied), statistics.median(signed)


def passing() -> tuple[float, float]:
    """Medians in one process for a command that passes: bare, and through the stderr copy."""
    from repetend.capture.commands import run_command

    argv = [sys.executable, "-S", "-c", "pass"]
    bare, copied = [], []
    for _ in range(ROUNDS * 2):
        started = time.perf_counter()
        run_command(argv, Path.cwd(), None, keep_stderr=False)
        bare.append(time.perf_counter() - started)
        started = time.perf_counter()
        run_command(argv, Path.cwd(), None, keep_stderr=True)
        copied.append(time.perf_counter() - started)
    return statistics.median(bare), statistics.median(copied)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / ".repetend").mkdir()
        one(root, True)  # the store is made once, outside the measure
        without, with_ = [], []
        for _ in range(ROUNDS):
            without.append(one(root, False))
            with_.append(one(root, True))
    bare, signed = statistics.median(without), statistics.median(with_)
    print(f"failed `repetend run` without the signature: {bare * 1000:.1f} ms (median of {ROUNDS})")
    print(f"failed `repetend run` with the signature:    {signed * 1000:.1f} ms")
    print(f"added: {(signed - bare) * 1000:+.1f} ms, ratio {signed / bare:.3f} (target: ≤ 5 ms)")
    bare_run, copied_run, signature = in_process()
    added = copied_run - bare_run + signature
    print(
        f"in one process: the failed command {bare_run * 1000:.2f} ms bare,"
        f" {copied_run * 1000:.2f} ms through the stderr copy, signature {signature * 1000:.2f} ms:"
        f" added {added * 1000:.2f} ms, ratio {(bare_run + added) / bare_run:.3f}"
    )
    ok_bare, ok_copied = passing()
    print(
        f"a passing command, in one process: {ok_bare * 1000:.2f} ms bare,"
        f" {ok_copied * 1000:.2f} ms through the stderr copy"
        f" (+{(ok_copied - ok_bare) * 1000:.2f} ms: the copy is all a passing command pays)"
    )
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
