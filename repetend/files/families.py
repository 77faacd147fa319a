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
from operator import itemgetter

from repetend.files.index import IndexedFile, folder_of, suffix_of
from repetend.files.similarity import SimilarityIndex, Sketch, similarity
from repetend.templates.path_shapes import family_glob, fits

PLACE_THRESHOLD = 0.15  # loosely alike: enough where the place says they belong together
FAMILY_JOIN = 0.35  # typically alike: enough for families in different places to join
NEIGHBOUR_SAMPLE = 64  # sketches of a family a file that fits its glob is compared with
JOIN_SAMPLE = 64  # sketches of a family another is compared with to join it
PLACE_SAMPLE = 256  # the same where the place is the evidence (any two loosely alike will do)


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
    stages), or a group whose files all fit another's glob (one that names a
    place, see `is_place`),
    join when any two members are loosely alike (`PLACE_THRESHOLD`: the place
    is the evidence). Groups in different places join when their
    members are typically alike (`FAMILY_JOIN`: each one's nearest member in the
    other family) and the union still has a shape (its varying levels are in
    every member): workflows of `ci/` and `deployments/` make `*/*.yml`.
    """
    ordered = sorted(families, key=lambda f: (-len(f.paths), f.key, f.paths))
    kept: list[Family] = []
    sketches: list[list[Sketch]] = []
    shown: list[list[str]] = []  # each kept family's witnesses (see `witnesses`)
    at_glob: dict[str, list[int]] = defaultdict(list)  # kept families by the glob they had
    loose = SimilarityIndex(rows=2)  # which kept families any of a family's sketches meets
    for family in ordered:
        own = _sample({sketch_of[p] for p in family.paths}, 16)
        # families at one glob are compared whatever the loose index says: it meets pairs
        # above about 0.2, the place asks for 0.15
        near = sorted({int(n) for s in own for n in loose.near(s)} | set(at_glob[family.key]))
        mine = witnesses(family.paths)
        target = next(
            (n for n in near if _joins_family(family, own, mine, kept[n], sketches[n], shown[n])),
            None,
        )
        if target is None:
            number = len(kept)
            kept.append(family)
            shown.append(mine)
            at_glob[family.key].append(number)
            sketches.append(_sample({sketch_of[p] for p in family.paths}, PLACE_SAMPLE))
            for signature in sketches[-1][:JOIN_SAMPLE]:
                loose.add(str(number), signature)
            continue
        paths = sorted(kept[target].paths + family.paths)
        shown[target] = witnesses([*shown[target], *mine])
        kept[target] = Family(family_glob(shown[target]) or kept[target].key, tuple(paths))
        # the least sketches of the union are the least of both samples: no re-sort
        merged = _sample(
            {*sketches[target], *_sample({sketch_of[p] for p in family.paths}, PLACE_SAMPLE)},
            PLACE_SAMPLE,
        )
        added = set(merged[:JOIN_SAMPLE]) - set(sketches[target][:JOIN_SAMPLE])
        sketches[target] = merged
        for signature in added:
            loose.add(str(target), signature)
    return kept


def _joins_family(
    family: Family,
    own: list[Sketch],
    mine: list[str],
    other: Family,
    theirs: list[Sketch],
    shown: list[str],
) -> bool:
    if suffix_of(family.key) != suffix_of(other.key):
        return False
    if is_place(other.key) and all(fits(other.key, path) for path in family.paths):
        # (any two members will do: compared with more of the other's, up to PLACE_SAMPLE)
        return any(similarity(s, o) >= PLACE_THRESHOLD for s in own for o in theirs)
    nearest = [max(similarity(s, o) for o in theirs[:JOIN_SAMPLE]) for s in own]
    if sum(nearest) / len(nearest) < FAMILY_JOIN:
        return False  # (the similarity first: it is cheap, the shape of the union is not)
    return family_glob([*mine, *shown]) is not None


def witnesses(paths: Iterable[str]) -> list[str]:
    """The few paths that decide the paths' glob: `family_glob` of them is the glob of all.

    A glob is made of what all paths share: the folder levels every path has
    alike, the depths, the name's common start and ending and the shortest name.
    Each is decided by extremes: per depth, the least and greatest name at each
    level; the least and greatest name and reversed name; the shortest name.
    The witnesses of a union are the witnesses of its parts' witnesses, so
    families that grow by thousands of files find their glob in a few dozen.
    """
    chosen: set[str] = set()
    by_depth: dict[int, list[list[str]]] = defaultdict(list)
    names: list[tuple[str, str]] = []
    for path in paths:
        parts = path.split("/")
        by_depth[len(parts)].append(parts)
        names.append((parts[-1], path))
    for group in by_depth.values():
        for level in range(len(group[0]) - 1):
            least: list[str] = min(group, key=itemgetter(level))
            most: list[str] = max(group, key=itemgetter(level))
            chosen.update(("/".join(least), "/".join(most)))
        chosen.add("/".join(group[0]))
    chosen.add(min(names)[1])
    chosen.add(max(names)[1])
    chosen.add(min(names, key=lambda item: item[0][::-1])[1])
    chosen.add(max(names, key=lambda item: item[0][::-1])[1])
    chosen.add(min(names, key=lambda item: (len(item[0]), item))[1])
    return sorted(chosen)


def _sample(sketches: set[Sketch], size: int) -> list[Sketch]:
    """Up to `size` of a family's distinct sketches, the same ones on every run."""
    return sorted(sketches)[:size]


def _with_neighbours(families: list[Family], sketch_of: dict[str, Sketch]) -> list[Family]:
    """Add files that sit where a family's files sit and are at least loosely alike.

    LSH finds pairs above about 0.5 similarity; a file that fits a family's
    glob needs only `PLACE_THRESHOLD` to its closest member where the glob
    names a place (see `is_place`), `FAMILY_JOIN` where it does not.
    """
    placed = {path for family in families for path in family.paths}
    by_ending: dict[str, list[int]] = defaultdict(list)
    for number, family in enumerate(families):
        by_ending[_ending(family.key)].append(number)
    # where the glob names no place, only the structure speaks: a file must be typically alike
    needed = [PLACE_THRESHOLD if is_place(f.key) else FAMILY_JOIN for f in families]
    # a sample of each family's distinct sketches (sorted hashes: a fixed, spread-out sample)
    # bounds the work per file, whatever the family's size
    bins = _BinIndex(
        [
            _sample({sketch_of[path] for path in family.paths}, NEIGHBOUR_SAMPLE)
            for family in families
        ]
    )
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
            joins[signature, numbers] = bins.closest(signature, numbers, needed)
        joined = joins[signature, numbers]
        if joined is not None:
            extra[joined].append(path)
    return [
        Family(f.key, tuple(sorted(f.paths + tuple(extra[n])))) if extra[n] else f
        for n, f in enumerate(families)
    ]


def is_place(glob: str) -> bool:
    """Whether a glob names a place, evidence enough for loosely alike files to join.

    `ci/*.yml`, `*/properties/*.properties.json`, `tests/test_*.py` and
    `keps/**/*/README.md` do (one folder, a fixed level, a fixed name, or fixed
    text in the name beside its suffix); `**/*.py` and `*/*.vim` say no more than the language
    does: a folder of syntax files and one of plugins are not one place.
    """
    levels = glob.split("~", 1)[0].split("/")
    *folders, name = levels
    if not folders or any("*" not in level for level in folders):
        return True  # files side by side in one folder (the root too), or a fixed level
    return name.lstrip("*") != suffix_of(name) or "*" not in name


def _ending(glob: str) -> str:
    """What a glob's file name is indexed by: the fixed name, or the stem's last suffix."""
    name = glob.rsplit("/", 1)[-1]
    return suffix_of(name) if "*" in name else name


class _BinIndex:
    """Families' sample sketches by (bin, value): a file's similarity to every member at once.

    Two sketches' similarity is the share of bins where they agree, so counting,
    for each bin of a file's sketch, the members holding the same value there
    gives every similarity while touching only members that agree somewhere.
    """

    def __init__(self, samples: list[list[Sketch]]) -> None:
        self.holders: dict[tuple[int, int], list[tuple[int, int]]] = defaultdict(list)
        for number, sample in enumerate(samples):
            for member, signature in enumerate(sample):
                for position, value in enumerate(signature):
                    self.holders[position, value].append((number, member))

    def closest(
        self, signature: Sketch, numbers: tuple[int, ...], needed: list[float]
    ) -> int | None:
        """The family (of `numbers`) with the nearest member, of those alike as each needs."""
        wanted = set(numbers)
        agreeing: Counter[tuple[int, int]] = Counter()
        for position, value in enumerate(signature):
            agreeing.update(h for h in self.holders.get((position, value), ()) if h[0] in wanted)
        best: dict[int, int] = {}
        for (number, _), count in agreeing.items():
            best[number] = max(best.get(number, 0), count)
        close = [(c, -n) for n, c in best.items() if c / len(signature) >= needed[n]]
        return -max(close)[1] if close else None


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


MAX_COMPANIONS = 8  # a spec names at most this many companion families, the closest first


def companions(families: list[Family]) -> dict[str, list[str]]:
    """For each family, the other families named by most of its members' names.

    `ci/android.yml` and `ci/properties/android.properties.json` are made together:
    a family of workflows and a family of their properties files are companions.
    A member is named by its stem, or, in a family of one file name (`*/copyright`,
    `components/*/manifest.json`), by its folder's name: thirty families of
    `copyright` files in different package folders are not each other's companions.
    At most `MAX_COMPANIONS`, those sharing the most names first.
    """
    names = {
        family.key: {member_name(path, family) for path in family.paths} for family in families
    }
    by_name: dict[str, set[str]] = defaultdict(set)
    for key, own in names.items():
        for name in own:
            by_name[name].add(key)
    found: dict[str, list[str]] = {}
    for key, own in names.items():
        shared: Counter[str] = Counter(other for name in own for other in by_name[name])
        close = [
            (-count, other)
            for other, count in shared.items()
            if other != key and count * 2 >= len(own)
        ]
        found[key] = [other for _, other in sorted(close)[:MAX_COMPANIONS]]
    return found


def member_name(path: str, family: Family) -> str:
    """A member's name: its stem, or its folder's name where the family's file name is fixed."""
    fixed = "*" not in family.key.split("~", 1)[0].rsplit("/", 1)[-1]
    if fixed and "/" in path:
        return folder_of(path).rsplit("/", 1)[-1]
    return stem_of(path)
