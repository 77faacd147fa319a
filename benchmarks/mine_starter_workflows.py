"""`repetend mine` on a copy of starter-workflows (target: at most 1 s).

Baseline, measured in the same run: reading every file's bytes once (what any
tool that looks at the whole repository must at least do).
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from _common import CORPORA, copy_tree, cpu_timed, miner_for


def read_everything(root: Path) -> int:
    total = 0
    for folder, folders, files in os.walk(root):
        folders[:] = [f for f in folders if f != ".repetend"]
        for name in files:
            total += len((Path(folder) / name).read_bytes())
    return total


def main() -> int:
    os.environ.setdefault("REPETEND_PLUGINS", "")
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "starter-workflows"
        copy_tree(CORPORA / "starter-workflows", root)
        _, baseline, _ = cpu_timed(lambda: read_everything(root))
        with miner_for(root) as mine:
            (report, _), first, first_cpu = cpu_timed(mine)  # type: ignore[misc]
            _, again, again_cpu = cpu_timed(mine)
        print(f"files mined:               {report.files}")
        print(f"families:                  {len(report.families)}")
        print(f"load average (1 min):      {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        print(f"baseline (read all bytes): {baseline:.3f} s")
        print(
            f"mine, first run:           {first:.3f} s wall ({first / baseline:.0f}x baseline),"
            f" {first_cpu:.3f} s CPU"
        )
        print(
            f"mine, unchanged re-run:    {again:.3f} s wall ({again / baseline:.1f}x baseline),"
            f" {again_cpu:.3f} s CPU"
        )
        print(f"target first run <= 1 s:   {'met' if first <= 1 else 'NOT met'} (wall)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
