"""Families of files made to the same shape: LSH groups refined by path evidence.

Files whose sketches meet in the LSH index (similar structure) are grouped;
each group is then split by where the files live: the same folder and the
same suffix (`ci/properties/*.properties.json`), or, for files that are one
per unit folder, the same name in sibling folders
(`components/*/manifest.json`). A family needs `min_examples` members.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from repetend.files.index import IndexedFile, folder_of, suffix_of
from repetend.files.similarity import SimilarityIndex, Sketch, similarity

PLACE_THRESHOLD = 0.15


@dataclass(frozen=True)
class Family:
    """Files of one shape in one place: the key that names the place and the member paths."""

    key: str
    paths: tuple[str, ...]
    files: tuple[Family, ...] = ()  # for a multi-file unit: one family per file of the unit


def find_families(
    files: Iterable[IndexedFile], min_examples: int, threshold: float
) -> list[Family]:
    """Group indexed files into families of at least `min_examples` members."""
    # files with identical sketches (common: same keys, same outline) are indexed once
    by_sketch: dict[Sketch, list[str]] = defaultdict(list)
    for row in files:
        by_sketch[row.sketch].append(row.path)
    index = SimilarityIndex()
    for number, signature in enumerate(by_sketch):
        index.add(str(number), signature)
    shared = list(by_sketch.values())
    found: list[Family] = []
    for group in index.groups(threshold):
        paths = [path for number in group for path in shared[int(number)]]
        if len(paths) >= min_examples:
            found.extend(split_by_place(paths, min_examples))
    return _distinct_keys(_with_neighbours(found, by_sketch))


def _with_neighbours(families: list[Family], by_sketch: dict[Sketch, list[str]]) -> list[Family]:
    """Add files that live in a family's place and are at least loosely alike (path evidence).

    LSH finds pairs above about 0.5 similarity; a file beside the members, with
    the same suffix, needs only `PLACE_THRESHOLD` to its closest member.
    """
    placed = {path for family in families for path in family.paths}
    by_key: dict[str, list[int]] = defaultdict(list)
    for number, family in enumerate(families):
        by_key[family.key].append(number)
    sketch_of = {path: signature for signature, paths in by_sketch.items() for path in paths}
    member_sketches = [{sketch_of[path] for path in family.paths} for family in families]
    extra: dict[int, list[str]] = defaultdict(list)
    joins: dict[tuple[Sketch, tuple[int, ...]], int | None] = {}
    for path, signature in sketch_of.items():
        numbers = tuple(by_key.get(folder_key(path), []))
        if path in placed or not numbers:
            continue
        if (signature, numbers) not in joins:
            joins[signature, numbers] = _joins(signature, numbers, member_sketches)
        joined = joins[signature, numbers]
        if joined is not None:
            extra[joined].append(path)
    return [
        Family(f.key, tuple(sorted(f.paths + tuple(extra[n])))) if extra[n] else f
        for n, f in enumerate(families)
    ]


def _joins(signature: Sketch, numbers: tuple[int, ...], members: list[set[Sketch]]) -> int | None:
    """The family (of those in the file's place) the file joins: the closest, if close enough."""
    if len(numbers) == 1:  # only whether any member is close enough: the first one decides
        near = any(similarity(signature, other) >= PLACE_THRESHOLD for other in members[numbers[0]])
        return numbers[0] if near else None
    best, number = max((_closeness(signature, members[n]), n) for n in numbers)
    return number if best >= PLACE_THRESHOLD else None


def _closeness(signature: Sketch, members: set[Sketch]) -> float:
    return max(similarity(signature, other) for other in members)


def _distinct_keys(families: list[Family]) -> list[Family]:
    """The largest family in a place keeps the place as its key; others add their first member."""
    families = sorted(families, key=lambda f: (f.key, -len(f.paths), f.paths))
    distinct: list[Family] = []
    for family in families:
        if distinct and distinct[-1].key.split("~")[0] == family.key:
            family = Family(f"{family.key}~{family.paths[0]}", family.paths)
        distinct.append(family)
    return distinct


def split_by_place(paths: list[str], min_examples: int) -> list[Family]:
    """Split a similar group by folder and suffix, then leftovers by unit folder and name."""
    by_folder: dict[str, list[str]] = defaultdict(list)
    for path in paths:
        by_folder[folder_key(path)].append(path)
    families = [Family(k, tuple(sorted(v))) for k, v in by_folder.items() if len(v) >= min_examples]
    leftovers = [p for v in by_folder.values() if len(v) < min_examples for p in v]
    by_unit: dict[str, list[str]] = defaultdict(list)
    for path in leftovers:
        by_unit[unit_key(path)].append(path)
    families += [
        Family(k, tuple(sorted(v))) for k, v in by_unit.items() if k and len(v) >= min_examples
    ]
    return families


def folder_key(path: str) -> str:
    """`folder/*suffix`: files side by side with one suffix."""
    folder = folder_of(path)
    return f"{folder}/*{suffix_of(path)}" if folder else f"*{suffix_of(path)}"


def unit_key(path: str) -> str:
    """`parent/*/name`: one file of this name per unit folder ('' at the top)."""
    folder = folder_of(path)
    if not folder:
        return ""
    parent = folder_of(folder)
    name = path.rsplit("/", 1)[-1]
    return f"{parent}/*/{name}" if parent else f"*/{name}"


def structural_similarity(rows: list[IndexedFile]) -> float:
    """The mean estimated similarity of neighbouring members' sketches."""
    if len(rows) < 2:
        return 1.0
    pairs = list(pairwise(rows))[:200]
    return sum(similarity(a.sketch, b.sketch) for a, b in pairs) / len(pairs)


def stem_of(path: str) -> str:
    """A file's stem: its name up to the first dot (`android.properties.json` → android)."""
    name = path.rsplit("/", 1)[-1]
    return name.split(".", 1)[0] if not name.startswith(".") else name


def companions(families: list[Family]) -> dict[str, list[str]]:
    """For each family, the other families whose files share most of its file stems.

    `ci/android.yml` and `ci/properties/android.properties.json` are made together:
    a family of workflows and a family of their properties files are companions.
    """
    stems = {family.key: {stem_of(path) for path in family.paths} for family in families}
    found: dict[str, list[str]] = {}
    for key, own in stems.items():
        found[key] = [
            other
            for other, theirs in stems.items()
            if other != key and len(own & theirs) * 2 >= len(own)
        ]
    return found
