"""`repetend mine` on a 10,000-file tree built from renamed copies of both corpora.

Targets: first run at most 15 s, a re-run after changing 10 files at most 1 s,
peak memory at most 500 MB. Baseline, measured in the same run: reading every
file's bytes once. Also prints the held-out exact-match rate per family of
the original corpora (learn from 5 members, render the others).
"""

from __future__ import annotations

import os
import random
import sys
import tempfile
from pathlib import Path

from _common import CORPORA, cpu_timed, miner_for, peak_rss_mb

TARGET_FILES = 10_000


def build_tree(root: Path) -> int:
    """Copy the corpora again and again, each copy's files renamed, until 10,000 files."""
    sources = [p for corpus in ("starter-workflows", "rust-rfcs") for p in _files(CORPORA / corpus)]
    written, copy = 0, 0
    while written < TARGET_FILES:
        for source in sources:
            if written == TARGET_FILES:
                break
            relative = source.relative_to(CORPORA)
            stem, dot, suffix = relative.name.partition(".")
            target = root / f"copy{copy}" / relative.parent / f"{stem}-v{copy}{dot}{suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(source.read_bytes())
            written += 1
        copy += 1
    return written


def _files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.is_file())


def read_everything(root: Path) -> int:
    return sum(
        len(p.read_bytes()) for p in root.rglob("*") if p.is_file() and ".repetend" not in p.parts
    )


def change_files(root: Path, count: int) -> list[Path]:
    """Append a line to `count` text files chosen at random (seeded)."""
    chosen = random.Random(7).sample(
        sorted(root.rglob("*.md")) + sorted(root.rglob("*.yml")), count
    )
    for path in chosen:
        path.write_text(path.read_text() + "\n# changed\n")
    return chosen


def held_out_rates() -> list[tuple[str, int, float, float]]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from repetend.templates.held_out import held_out
    from tests.templates.conftest import corpus_families

    rows = []
    for corpus in ("starter-workflows", "rust-rfcs"):
        for key, (members, _) in corpus_families(CORPORA / corpus).items():
            if len(members) > 5:
                result = held_out(members)
                rows.append(
                    (f"{corpus}/{key}", result.tested, result.exact_rate, result.mean_similarity)
                )
    return rows


def main() -> int:
    os.environ.setdefault("REPETEND_PLUGINS", "")
    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "tree"
        files = build_tree(root)
        _, baseline, _ = cpu_timed(lambda: read_everything(root))
        with miner_for(root) as mine:
            (report, _), first, first_cpu = cpu_timed(mine)  # type: ignore[misc]
            memory = peak_rss_mb()
            change_files(root, 10)
            (again, proposals), rerun, rerun_cpu = cpu_timed(mine)  # type: ignore[misc]
        show("files in tree", f"{files}")
        show("files mined", f"{report.files} ({len(report.families)} families)")
        show("baseline (read all bytes)", f"{baseline:.2f} s")
        show("load average (1 min)", f"{os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
        show(
            "first run",
            f"{first:.2f} s wall ({first / baseline:.0f}x baseline; target <= 15 s),"
            f" {first_cpu:.2f} s CPU",
        )
        show(
            "re-run after changing 10 files",
            f"{rerun:.2f} s wall ({rerun / baseline:.1f}x baseline; target <= 1 s),"
            f" {rerun_cpu:.2f} s CPU",
        )
        show(
            "  of which",
            f"{again.signed} files re-read, {len(proposals)} families updated"
            f" ({again.refitted} refitted, {len(proposals) - again.refitted} realigned)",
        )
        show("peak memory (RSS)", f"{memory:.0f} MB (target <= 500 MB)")
    print("\nheld-out: learn from 5 members, render the rest from values read out of them")
    print(f"  {'family':70} {'tested':>6}  {'exact':>6}  similarity of the misses")
    for key, tested, rate, similarity in held_out_rates():
        print(f"  {key:70} {tested:6}  {rate:6.1%}  {similarity:.3f}")
    return 0


def show(label: str, value: str) -> None:
    print(f"{label + ':':32} {value}")


if __name__ == "__main__":
    sys.exit(main())
