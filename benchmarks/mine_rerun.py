"""Re-mining a real tree: the cost of a re-run, the size of `.repetend/`, and stable specs.

A source tree (any folder: a package's sources, a documentation tree) is copied
into a temporary git repository and mined as a user does (`python -m repetend
mine . --json`, measured from outside, see `common.measured`). Then:

- 10 members of the largest families get a line appended, and `mine` runs again:
  its CPU time as a share of the first run's (target: at most 10%);
- the 10 files are restored and `mine` runs once more: every spec (the YAML under
  `.repetend/patterns/`, timestamps left out) must be what the first run wrote;
- `.repetend/` against the mined tree (`.git` left out): at most a quarter of it;
  and the longest `companions` list any spec has.

Usage: python benchmarks/mine_rerun.py [TREE] (default: the interpreter's standard library)
"""

from __future__ import annotations

import argparse
import json
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
    """`count` members taken in turn from the largest families, as `mine --json` listed them."""
    by_size = []
    for path in (root / ".repetend" / "patterns").glob("*/*.yaml"):
        spec = yaml.safe_load(path.read_text())
        by_size.append((-len(spec.get("members") or []), path.name, spec.get("members") or []))
    chosen: list[str] = []
    lists = [members for _, _, members in sorted(by_size) if members]
    for turn in range(count):
        for members in lists:
            if len(chosen) == count:
                return chosen
            if turn < len(members) and members[turn] not in chosen:
                chosen.append(members[turn])
    return chosen


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
        for path in chosen:
            (root / path).write_bytes(saved[path] + b"\n# changed\n")
        again = measured(root, *REPETEND, "mine", ".", "--json")
        for path, data in saved.items():
            (root / path).write_bytes(data)
        measured(root, *REPETEND, "mine", ".", "--json")
        after = specs(root)
        families = sum(1 for path in before if "/history/" not in path)
        return {
            "tree": str(tree),
            "files": files,
            "families": families,
            "first_cpu_s": round(first["cpu"], 2),
            "first_wall_s": round(first["wall"], 2),
            "rerun_cpu_s": round(again["cpu"], 2),
            "rerun_ratio": round(again["cpu"] / first["cpu"], 3),
            "changed": len(chosen),
            "same_specs": before == after,
            "differing_specs": sorted(
                k for k in before.keys() | after.keys() if before.get(k) != after.get(k)
            )[:10],
            "tree_mb": round(mined_bytes / 1e6, 1),
            "repetend_mb": round(footprint / 1e6, 1),
            "footprint_ratio": round(footprint / mined_bytes, 3),
            "longest_companions": longest,
        }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("tree", nargs="?", default=sysconfig.get_paths()["stdlib"])
    result = run(Path(parseargs := parser.parse_args().tree).resolve())
    print(json.dumps(result, indent=1))
    ok = result["rerun_ratio"] <= 0.10 and result["same_specs"]
    ok = ok and result["footprint_ratio"] <= 0.25
    print(
        f"re-run after {result['changed']} changed files: {result['rerun_ratio']:.1%} of the first"
        f" run ({result['rerun_cpu_s']} s vs {result['first_cpu_s']} s CPU; target <= 10%);"
        f" .repetend/ {result['repetend_mb']} MB = {result['footprint_ratio']:.1%} of the"
        f" {result['tree_mb']} MB tree (target <= 25%); same specs after restoring:"
        f" {'yes' if result['same_specs'] else 'NO'}; longest companions list"
        f" {result['longest_companions']} ({parseargs})"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
