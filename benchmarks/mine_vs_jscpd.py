"""`repetend mine .` as a user runs it, beside jscpd on the same trees, which nobody here wrote.

Each tree is a committed git repository made in a temporary folder: the `.py` and
`.pyi` files of this interpreter's site-packages (real code from the registry), and
every corpus in ../shared/corpora. On each, the first `repetend mine .` (a new
`.repetend/` every time) and `jscpd --reporters silent .` alternate, each run in a
fresh interpreter that measures its child from outside: wall time, CPU time and
peak memory. Target (issue 12): the first mine within 2x jscpd's time on real
code, and its memory below jscpd's.

    python benchmarks/mine_vs_jscpd.py [--runs 3] [--jscpd PATH] [--only NAME]

jscpd 5.3.3 comes from the npm registry: `npm i -E jscpd@5.3.3` in a folder of
your choice, then pass `--jscpd FOLDER/node_modules/.bin/jscpd` (or put it on PATH).
"""

from __future__ import annotations

import argparse
import os
import shutil
import site
import statistics
import sys
import tempfile
from pathlib import Path

from common import git_tree, measured, sh

# The console script, as a user runs it. `python -m repetend` would put the tree first on
# sys.path, and site-packages' copy holds pure-Python twins of PyYAML, click, MarkupSafe…
# without their C parts (10 s of the 48 s CPU a first mine took, measured so).
REPETEND = [str(Path(sys.executable).with_name("repetend"))]

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def trees(folder: Path, only: str | None) -> list[tuple[str, Path, int]]:
    """The trees to measure: real code from site-packages, then each corpus."""
    found = []
    packages = Path(site.getsitepackages()[0])
    if only in (None, "site-packages"):
        root = folder / "site-packages"
        found.append(("site-packages", root, git_tree(packages, root, (".py", ".pyi"))))
    for corpus in sorted(CORPORA.iterdir()) if CORPORA.is_dir() else []:
        if corpus.is_dir() and only in (None, corpus.name):
            found.append(
                (corpus.name, folder / corpus.name, git_tree(corpus, folder / corpus.name))
            )
    return found


def first_mine(root: Path, code: str | None = None) -> dict[str, float]:
    """One first `repetend mine .` on `root`: its store and specs are removed before.

    `code` is a checkout whose `repetend` package runs instead of the installed one.
    """
    shutil.rmtree(root / ".repetend", ignore_errors=True)
    before = os.environ.get("PYTHONPATH")
    if code:
        os.environ["PYTHONPATH"] = code
    try:
        return measured(root, *REPETEND, "mine", ".")
    finally:
        if code:
            os.environ.pop("PYTHONPATH")
            if before is not None:
                os.environ["PYTHONPATH"] = before


def main() -> None:
    """Build the trees, alternate the two tools on each, print medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--jscpd", default=shutil.which("jscpd"))
    parser.add_argument("--only", help="one tree: site-packages or a corpus name")
    parser.add_argument(
        "--compare",
        metavar="FOLDER",
        help="also time the mine of another checkout's code (put first on PYTHONPATH), "
        "alternated with the rest: a before/after in the same run",
    )
    options = parser.parse_args()
    if not options.jscpd or not os.access(options.jscpd, os.X_OK):
        raise SystemExit("jscpd not found: `npm i -E jscpd@5.3.3`, then --jscpd PATH")
    version = sh(Path.cwd(), options.jscpd, "--version").strip()
    print(
        f"{version}; python {sys.version.split()[0]}; load {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores; medians of {options.runs} alternated runs"
    )
    print(
        f"{'tree':<18}{'files':>7}{'mine s':>9}{'jscpd s':>9}{'ratio':>7}"
        f"{'mine CPU':>10}{'jscpd CPU':>10}{'mine MB':>9}{'jscpd MB':>9}"
    )
    with tempfile.TemporaryDirectory() as folder:
        for name, root, files in trees(Path(folder), options.only):
            mine, jscpd, other = [], [], []
            for _ in range(options.runs):
                if options.compare:
                    other.append(first_mine(root, options.compare))
                mine.append(first_mine(root))
                jscpd.append(measured(root, options.jscpd, "--reporters", "silent", "."))
            j = _medians(jscpd)
            for label, runs in (("", mine), (" (compared)", other)):
                if not runs:
                    continue
                m = _medians(runs)
                print(
                    f"{name + label:<18}{files:>7}{m['wall']:>9.2f}{j['wall']:>9.2f}"
                    f"{m['wall'] / j['wall']:>7.2f}{m['cpu']:>10.2f}{j['cpu']:>10.2f}"
                    f"{m['peak_mb']:>9.0f}{j['peak_mb']:>9.0f}"
                    f"   wall [{_spread(runs, 'wall')}] jscpd [{_spread(jscpd, 'wall')}]"
                )


def _medians(runs: list[dict[str, float]]) -> dict[str, float]:
    return {k: statistics.median(run[k] for run in runs) for k in ("wall", "cpu", "peak_mb")}


def _spread(runs: list[dict[str, float]], key: str) -> str:
    values = sorted(run[key] for run in runs)
    return f"{values[0]:.1f}-{values[-1]:.1f}"


if __name__ == "__main__":
    main()
