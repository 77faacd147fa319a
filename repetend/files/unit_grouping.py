"""Which families make multi-file units: files that go together, found in the tree.

Two kinds of unit:

- **folder units**: families with one file per folder under one folder pattern
  (`keps/**/*/README.md` and `keps/**/*/kep.yaml`) whose files co-occur in at
  least `min_examples` folders. Families are taken greedily, largest first; a
  family joins a unit when it is in most of the unit's folders, so a family
  present in a few of them (an `OWNERS` in 12 of 218 KEPs) stays a family of
  its own instead of emptying the unit.
- **stem pairs**: two families whose files are named by one stem in different
  places, one name saying its role (`pre_commit_hooks/X.py` and
  `tests/X_test.py`, `ci/X.yml` and `ci/properties/X.properties.json`), for
  at least `min_examples` stems.

Kept apart from `units` (which learns the unit's templates) so that the git
hooks find units without importing the learner.
"""

from __future__ import annotations

from collections import defaultdict

from repetend.files.families import Family
from repetend.files.index import folder_of
from repetend.templates.path_shapes import STEM, path_shape

CO_OCCURRENCE = 0.5  # a family joins a unit when it is in at least half of the unit's folders


def find_units(families: list[Family], min_examples: int) -> list[Family]:
    """The families, with those that go together joined into units."""
    units = folder_units(families, min_examples)
    joined = {family.key for unit in units for family in unit.files}
    rest = [family for family in families if family.key not in joined]
    pairs = stem_pairs(rest, min_examples)
    joined |= {family.key for unit in pairs for family in unit.files}
    return [f for f in families if f.key not in joined] + units + pairs


def folder_units(families: list[Family], min_examples: int) -> list[Family]:
    """Families of one file per folder, under one folder pattern, that co-occur."""
    by_pattern: dict[str, list[Family]] = defaultdict(list)
    for family in families:
        folders = {folder_of(path) for path in family.paths}
        pattern = _folder_pattern(family)
        if pattern is not None and len(folders) == len(family.paths):
            by_pattern[pattern].append(family)
    units: list[Family] = []
    for pattern, group in sorted(by_pattern.items()):
        units.extend(_greedy_units(pattern, group, min_examples))
    return units


def _folder_pattern(family: Family) -> str | None:
    """`keps/**/*` for `keps/**/*/README.md`: where a fixed-name family's files sit."""
    key = family.key.split("~", 1)[0]
    folder, _, name = key.rpartition("/")
    return folder if "*" in folder and "*" not in name else None


def _greedy_units(pattern: str, group: list[Family], min_examples: int) -> list[Family]:
    """Units grown from the largest family: each next family joins if it is in most folders."""
    remaining = sorted(group, key=lambda f: (-len(f.paths), f.key))
    units = []
    while len(remaining) >= 2:
        seed, *others = remaining
        folders = {folder_of(path) for path in seed.paths}
        members, left = [seed], []
        for family in others:
            shared = folders & {folder_of(path) for path in family.paths}
            if len(shared) >= max(min_examples, CO_OCCURRENCE * len(folders)):
                members.append(family)
            else:
                left.append(family)
        if len(members) >= 2:
            paths = tuple(sorted(p for family in members for p in family.paths))
            units.append(Family(f"{pattern}/", paths, tuple(members)))
        remaining = left
    return units


def stem_pairs(families: list[Family], min_examples: int) -> list[Family]:
    """Pairs of families named by one stem, each family in one pair (largest overlap first).

    One of the two names must say its role beside the stem (`X_test.py` for
    `X.py`, `X.properties.json` for `X.yml`): that file is there for the other.
    Two families of bare stems (`sensors/X.py`, `manifests/X.json`) are
    parallel families, companions in their specs rather than one unit.
    """
    stems = {f.key: _stems(f) for f in families}
    roles = {f.key: _role(f.key) for f in families}
    scored = []
    for index, first in enumerate(families):
        for second in families[index + 1 :]:
            if roles[first.key] == roles[second.key]:
                continue
            shared = set(stems[first.key]) & set(stems[second.key])
            smaller = min(len(stems[first.key]), len(stems[second.key])) or 1
            if len(shared) >= min_examples and len(shared) >= CO_OCCURRENCE * smaller:
                scored.append((-len(shared), first.key, second.key, first, second))
    paired: set[str] = set()
    units = []
    for _, _, _, first, second in sorted(scored, key=lambda item: item[:3]):
        if first.key in paired or second.key in paired:
            continue
        paired |= {first.key, second.key}
        paths = tuple(sorted((*first.paths, *second.paths)))
        units.append(Family(f"{first.key}+{second.key}", paths, (first, second)))
    return units


def _role(glob: str) -> str:
    """What a family's names add to their stem, without the last suffix: `_test`, `.properties`."""
    name = glob.split("~", 1)[0].rsplit("/", 1)[-1]
    lead, _, ending = name.partition("*")
    dot = ending.rfind(".")
    return lead + (ending[:dot] if dot >= 0 else ending)


def _stems(family: Family) -> dict[str, str]:
    """Each member's stem (the varying part of its file name) by path; empty when fixed."""
    levels = path_shape(list(family.paths))
    if levels is None or levels[-1].kind != STEM:
        return {}
    return dict(zip(levels[-1].values, family.paths, strict=True))
