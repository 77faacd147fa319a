"""What every command's start costs: `repetend --help` and `repetend CMD --help` for each command.

Each start is timed as a user meets it (the console script in a subprocess),
alternated with `python -c pass`, the anchor, so both see the same machine load.
Target (issue 12): every start within 2x `python -c pass`.

    python benchmarks/startup.py [--runs 15]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from common import median, timed

from repetend.cli import BUILTIN_COMMANDS


def main() -> None:
    """Time each start against the anchor, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    runs = parser.parse_args().runs
    script = shutil.which("repetend", path=str(Path(sys.executable).parent)) or "repetend"
    here = Path.cwd()
    starts = [("--help",), *((name, "--help") for name in sorted(BUILTIN_COMMANDS))]
    print(f"medians of {runs} alternated runs; load {os.getloadavg()[0]:.1f} on {os.cpu_count()}")
    print(f"{'start':<28}{'ms':>8}{'anchor ms':>11}{'ratio':>7}")
    worst = 0.0
    for argv in starts:
        anchor, start = [], []
        for _ in range(runs):
            anchor.append(timed(here, sys.executable, "-c", "pass"))
            start.append(timed(here, script, *argv))
        ratio = median(start) / median(anchor)
        worst = max(worst, ratio)
        print(f"{' '.join(argv):<28}{median(start):>8.1f}{median(anchor):>11.1f}{ratio:>7.2f}")
    print(f"worst ratio: {worst:.2f} (target <= 2)")


if __name__ == "__main__":
    main()
