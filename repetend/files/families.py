"""Families of files made to the same shape: LSH groups, wherever their files sit.

Files whose sketches meet in the LSH index (similar structure) are grouped;
each group is split by suffix and by whether the files share one name
(`README.md` in each unit folder) or vary their stems. The folder levels that
vary become the family's glob and its path variables (`*/*.yml`,
`keps/**/*/README.md`, see `path_shapes`). Path evidence then joins what the
sketches alone miss: groups at one glob, and files that fit a family's glob
and are loosely alike. A family needs `min_examples` members.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import pairwise

from repetend.files.index import IndexedFile, folder_of, suffix_of
from repetend.files.similarity import SimilarityIndex, Sketch, similarity
from repetend.templates.path_shapes import family_glob, fits

PLACE_THRESHOLD = 0.15  # loosely alike: enough where the place says they belong together
FAMILY_JOIN = 0.35  # typically alike: enough for families in different places to join


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
            found.extend(split_by_shape(paths, min_examples))
    sketch_of = {path: signature for signature, paths in by_sketch.items() for path in paths}
    for _ in range(3):  # a family that grew may now be near one it passed over
        joined = _joined(found, sketch_of)
        if len(joined) == len(found):
            break
        found = joined
    return _distinct_keys(_with_neighbours(found, sketch_of))


def split_by_shape(paths: list[str], min_examples: int) -> list[Family]:
    """Split a group of alike files by suffix and name, then by the levels they share.

    Files with one name (`README.md` in each unit folder) go apart from files
    whose stems vary; files at different depths stay together when each has
    the levels that vary (`keps/**/*/README.md`), else they part by depth.
    """
    by_kind: dict[tuple[str, str], list[str]] = defaultdict(list)
    names = Counter(path.rsplit("/", 1)[-1] for path in paths)
    for path in paths:
        name = path.rsplit("/", 1)[-1]
        by_kind[suffix_of(path), name if names[name] >= min_examples else ""].append(path)
    families = []
    for group in by_kind.values():
        for part in _by_depth_if_needed(sorted(group)):
            glob = family_glob(part)
            if glob is not None and len(part) >= min_examples:
                families.append(Family(glob, tuple(part)))
    return families


def _by_depth_if_needed(paths: list[str]) -> list[list[str]]:
    if family_glob(paths) is not None:
        return [paths]
    by_depth: dict[int, list[str]] = defaultdict(list)
    for path in paths:
        by_depth[path.count("/")].append(path)
    return list(by_depth.values())


def _joined(families: list[Family], sketch_of: dict[str, Sketch]) -> list[Family]:
    """Families of one suffix that are alike join, the smaller into the larger.

    The LSH groups are cut at about 0.5 similarity; a reader sees more. Two
    groups at one glob (`keps/prod-readiness/*/*.yaml`, files naming different
    stages), or a group whose files all fit another's glob (one without `**`),
    join when any two members are loosely alike (`PLACE_THRESHOLD`: the place
    is the evidence). Groups in different places join when their
    members are typically alike (`FAMILY_JOIN`: each one's nearest member in the
    other family) and the union still has a shape (its varying levels are in
    every member): workflows of `ci/` and `deployments/` make `*/*.yml`.
    """
    ordered = sorted(families, key=lambda f: (-len(f.paths), f.key, f.paths))
    kept: list[Family] = []
    sketches: list[list[Sketch]] = []
    loose = SimilarityIndex(rows=2)  # which kept families any of a family's sketches meets
    for family in ordered:
        own = _sample({sketch_of[p] for p in family.paths}, 30)
        near = sorted({int(n) for s in own for n in loose.near(s)})
        target = next((n for n in near if _joins_family(family, own, kept[n], sketches[n])), None)
        if target is None:
            number = len(kept)
            kept.append(family)
            sketches.append(_sample({sketch_of[p] for p in family.paths}, 100))
            for signature in sketches[-1]:
                loose.add(str(number), signature)
            continue
        paths = sorted(kept[target].paths + family.paths)
        kept[target] = Family(family_glob(paths) or kept[target].key, tuple(paths))
        added = set(_sample({sketch_of[p] for p in paths}, 100)) - set(sketches[target])
        sketches[target] = _sample({sketch_of[p] for p in paths}, 100)
        for signature in added:
            loose.add(str(target), signature)
    return kept


def _joins_family(family: Family, own: list[Sketch], other: Family, theirs: list[Sketch]) -> bool:
    if suffix_of(family.key) != suffix_of(other.key):
        return False
    if "**" not in other.key and all(fits(other.key, path) for path in family.paths):
        return max(similarity(s, o) for s in own for o in theirs) >= PLACE_THRESHOLD
    if family_glob([*family.paths, *other.paths]) is None:
        return False
    nearest = [max(similarity(s, o) for o in theirs) for s in own]
    return sum(nearest) / len(nearest) >= FAMILY_JOIN


def _sample(sketches: set[Sketch], size: int) -> list[Sketch]:
    """Up to `size` of a family's distinct sketches, the same ones on every run."""
    return sorted(sketches)[:size]


def _with_neighbours(families: list[Family], sketch_of: dict[str, Sketch]) -> list[Family]:
    """Add files that sit where a family's files sit and are at least loosely alike.

    LSH finds pairs above about 0.5 similarity; a file that fits a family's
    glob needs only `PLACE_THRESHOLD` to its closest member.
    """
    placed = {path for family in families for path in family.paths}
    by_ending: dict[str, list[int]] = defaultdict(list)
    for number, family in enumerate(families):
        by_ending[_ending(family.key)].append(number)
    member_sketches = [{sketch_of[path] for path in family.paths} for family in families]
    extra: dict[int, list[str]] = defaultdict(list)
    joins: dict[tuple[Sketch, tuple[int, ...]], int | None] = {}
    for path, signature in sketch_of.items():
        if path in placed:
            continue
        name = path.rsplit("/", 1)[-1]
        near = by_ending.get(name, []) + by_ending.get(suffix_of(path), [])
        numbers = tuple(n for n in near if fits(families[n].key, path))
        if not numbers:
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


def _ending(glob: str) -> str:
    """What a glob's file name is indexed by: the fixed name, or the stem's last suffix."""
    name = glob.rsplit("/", 1)[-1]
    return suffix_of(name) if "*" in name else name


def _joins(signature: Sketch, numbers: tuple[int, ...], members: list[set[Sketch]]) -> int | None:
    """The family (of those the file fits) the file joins: the closest, if close enough."""
    if len(numbers) == 1:  # only whether any member is close enough: the first one decides
        near = any(similarity(signature, other) >= PLACE_THRESHOLD for other in members[numbers[0]])
        return numbers[0] if near else None
    best, number = max((_nearest(signature, members[n]), n) for n in numbers)
    return number if best >= PLACE_THRESHOLD else None


def _nearest(signature: Sketch, members: set[Sketch]) -> float:
    return max(similarity(signature, other) for other in members)


def _distinct_keys(families: list[Family]) -> list[Family]:
    """The largest family at a glob keeps the glob as its key; others add their first member."""
    families = sorted(families, key=lambda f: (f.key, -len(f.paths), f.paths))
    distinct: list[Family] = []
    for family in families:
        if distinct and distinct[-1].key.split("~")[0] == family.key:
            family = Family(f"{family.key}~{family.paths[0]}", family.paths)
        distinct.append(family)
    return distinct


def folder_key(path: str) -> str:
    """`folder/*suffix`: files side by side with one suffix."""
    folder = folder_of(path)
    return f"{folder}/*{suffix_of(path)}" if folder else f"*{suffix_of(path)}"


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
