"""Re-mining a real tree: the cost of a re-run, the size of `.repetend/`, and stable specs.

A source tree (any folder: a package's sources, a documentation tree) is copied
into a temporary git repository and mined as a user does (`python -m repetend
mine . --json`, measured from outside, see `common.measured`). Then:

- 10 members of the families (picked at random, seeded) are edited, and `mine` runs
  again: its CPU time as a share of the first run's (target: at most 10%). Twice:
  a word in each file changed (`word`: what the file says changes, its shape does
  not), then a line appended to each (`append`: its shape changes);
- each time the 10 files are restored and `mine` runs once more: every spec (the
  YAML under `.repetend/patterns/`, timestamps left out) must be what the first run wrote
  (an approved template's archived copy under `history/`, kept when a relearned version
  was proposed, is listed apart);
- `.repetend/` against the mined tree (`.git` left out): at most a quarter of it;
  and the longest `companions` list any spec has.

Usage: python benchmarks/mine_rerun.py [TREE] (default: the interpreter's own test suite,
`Lib/test`: test modules and golden data files; for the issue's ~7,000-file figure, a tree
such as the Cloud SDK's `lib/surface`, 8,448 files)
"""

from __future__ import annotations

import argparse
import difflib
import json
import random
import re
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import REPETEND, git_tree, measured

CHANGED = 10
EDITS = {"word": "a word in each changed", "append": "a line appended to each"}
_STAMPS = re.compile(r"^(\s*)(created_at|updated_at|approved_at): .*$", re.MULTILINE)


def size_of(folder: Path, skip: tuple[str, ...] = ()) -> int:
    """Bytes of the files under `folder`, leaving out the top-level folders named in `skip`."""
    total = 0
    for path in folder.rglob("*"):
        parts = path.relative_to(folder).parts
        if parts and parts[0] in skip:
            continue
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
    return total


def specs(root: Path) -> dict[str, str]:
    """Every spec's text, timestamps left out, by path."""
    found = {}
    for path in sorted((root / ".repetend" / "patterns").rglob("*.yaml")):
        found[path.relative_to(root).as_posix()] = _STAMPS.sub(r"\1\2: x", path.read_text())
    return found


def members_to_change(root: Path, count: int) -> list[str]:
    """`count` members of the mined families, picked at random (seeded): files people edit."""
    members = set()
    for path in (root / ".repetend" / "patterns").glob("*/*.yaml"):
        members.update(yaml.safe_load(path.read_text()).get("members") or [])
    return random.Random(7).sample(sorted(members), min(count, len(members)))


_WORD = re.compile(rb"[A-Za-z]{4,}")


def edited(data: bytes, how: str) -> bytes:
    """The file with a line appended (`append`), or one word in its last third changed (`word`)."""
    if how == "append":
        return data + b"\n# changed\n"
    words = list(_WORD.finditer(data, len(data) * 2 // 3)) or list(_WORD.finditer(data))
    if not words:
        return data + b"\n# changed\n"
    found = words[len(words) // 2]
    return data[: found.start()] + b"edited" + data[found.end() :]


def run(tree: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix="repetend-rerun-") as scratch:
        root = Path(scratch) / "tree"
        files = git_tree(tree, root)
        mined_bytes = size_of(root, skip=(".git",))
        first = measured(root, *REPETEND, "mine", ".", "--json")
        before = specs(root)
        footprint = size_of(root / ".repetend")
        longest = max(
            (len(yaml.safe_load(text).get("companions") or []) for text in before.values()),
            default=0,
        )
        chosen = members_to_change(root, CHANGED)
        saved = {path: (root / path).read_bytes() for path in chosen}
        result: dict[str, Any] = {
            "tree": str(tree),
            "files": files,
            "families": sum(1 for path in before if "/history/" not in path),
            "first_cpu_s": round(first["cpu"], 2),
            "first_wall_s": round(first["wall"], 2),
            "changed": len(chosen),
            "tree_mb": round(mined_bytes / 1e6, 1),
            "repetend_mb": round(footprint / 1e6, 1),
            "footprint_ratio": round(footprint / mined_bytes, 3),
            "longest_companions": longest,
        }
        for how in EDITS:
            for path in chosen:
                (root / path).write_bytes(edited(saved[path], how))
            again = measured(root, *REPETEND, "mine", ".", "--json")
            for path, data in saved.items():
                (root / path).write_bytes(data)
            measured(root, *REPETEND, "mine", ".", "--json")
            after = specs(root)
            differing = sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )
            shown = [
                line
                for k in differing[:2]
                for line in difflib.unified_diff(
                    before.get(k, "").splitlines(), after.get(k, "").splitlines(), k, k, n=0
                )
            ][:30]
            archives = [k for k in differing if "/history/" in k]
            result[how] = {
                "rerun_cpu_s": round(again["cpu"], 2),
                "rerun_ratio": round(again["cpu"] / first["cpu"], 3),
                "same_specs": len(differing) == len(archives),
                "new_archives": archives,
                "differing_specs": differing[:10],
                "first_differences": shown,
            }
        return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "tree", nargs="?", default=str(Path(sysconfig.get_paths()["stdlib"]) / "test")
    )
    tree = Path(parser.parse_args().tree).resolve()
    result = run(tree)
    print(json.dumps(result, indent=1))
    ok = result["footprint_ratio"] <= 0.25
    for how in EDITS:
        figures = result[how]
        ok = ok and figures["rerun_ratio"] <= 0.10 and figures["same_specs"]
        print(
            f"re-run after {result['changed']} files changed ({EDITS[how]}):"
            f" {figures['rerun_ratio']:.1%} of the first run ({figures['rerun_cpu_s']} s vs"
            f" {result['first_cpu_s']} s CPU; target <= 10%); same specs after restoring them:"
            f" {'yes' if figures['same_specs'] else 'NO'}"
        )
    print(
        f".repetend/ {result['repetend_mb']} MB = {result['footprint_ratio']:.1%} of the"
        f" {result['tree_mb']} MB tree (target <= 25%); {result['files']} files,"
        f" {result['families']} specs, longest companions list {result['longest_companions']}"
        f" ({tree})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
