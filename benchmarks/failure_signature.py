"""What the failure signature adds to a failed `repetend run` (target: ≤ 5 ms).

A real git repository and a command that fails with a Python traceback on
stderr. Alternated in one run: `repetend run -- CMD` with the signature (stderr
copied through, its end kept, the signature made and stored) and the same
failed command with `failure_evidence: false` (stderr untouched, no signature).
Prints the medians, the added milliseconds and the ratio; then the signature's
own cost in process (copying the stderr tail and making the signature).
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


def in_process() -> float:
    from repetend.failures.evidence import command_failure

    tail = (b"x" * 100 + b"\n") * 60 + FAILING.encode()
    rounds = 2000
    started = time.perf_counter()
    for _ in range(rounds):
        command_failure(tail, "python app.py", 1, context={"branch": "main"})
    return (time.perf_counter() - started) / rounds


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
    print(f"the signature itself, in process: {in_process() * 1e6:.0f} µs per failed command")
    print(f"load average: {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
