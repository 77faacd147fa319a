"""Grouping sketches into families: structure first, then what the place says."""

from __future__ import annotations

from repetend.files.families import find_families
from repetend.files.index import IndexedFile
from repetend.files.similarity import sketch
from repetend.files.unit_grouping import find_units

SHARED = [f"shared:{n}" for n in range(60)]


def row(path: str, features: list[str]) -> IndexedFile:
    return IndexedFile(path, 0, 0, path, "python", sketch(features))


def own(path: str, count: int) -> list[str]:
    return [f"{path}:{n}" for n in range(count)]


def keys(rows: list[IndexedFile]) -> dict[str, list[str]]:
    families = find_units(find_families(rows, 3, 0.5), 3)
    return {family.key: sorted(family.paths) for family in families}


def test_a_loosely_alike_file_that_fits_the_glob_joins_and_one_elsewhere_does_not() -> None:
    members = [row(f"tests/test_{n}.py", SHARED) for n in "abcd"]
    loose = SHARED[:20] + own("loose", 40)  # about 0.25 alike: below what LSH finds
    rows = [*members, row("tests/test_loose.py", loose), row("docs/test_far.py", loose)]
    assert keys(rows) == {
        "tests/test_*.py": sorted([*(r.path for r in members), "tests/test_loose.py"])
    }


def test_families_in_sibling_folders_join_when_typically_alike_but_not_when_barely() -> None:
    close = SHARED[:45] + own("close", 15)  # about 0.6 of the features: typically alike
    far = SHARED[:12] + own("far", 48)  # about 0.1: another shape
    rows = [row(f"ci/{n}.yml", SHARED + own(n, 3)) for n in "abcd"]
    rows += [row(f"deploy/{n}.yml", close + own(n, 3)) for n in "efgh"]
    rows += [row(f"scan/{n}.yml", far + own(n, 3)) for n in "ijkl"]
    found = keys(rows)
    assert sorted(found) == ["*/*.yml", "scan/*.yml"]
    assert len(found["*/*.yml"]) == 8


def test_files_at_two_depths_are_one_family_when_the_varying_levels_are_in_each() -> None:
    paths = ["keps/sig-a/1-x/kep.yaml", "keps/sig-b/2-y/kep.yaml", "keps/sig-c/sub/3-z/kep.yaml"]
    assert keys([row(path, SHARED) for path in paths]) == {"keps/**/*/kep.yaml": sorted(paths)}


def test_a_group_at_a_familys_glob_joins_when_alike_to_any_member_not_only_a_sample() -> None:
    # a documentation tree's `copyright` files: licence prose makes them only loosely alike
    members = {f"pkg{n:03d}/copyright": SHARED + own(f"m{n}", 20) for n in range(100)}
    rows = [row(path, features) for path, features in members.items()]
    last = max(rows, key=lambda r: r.sketch)  # past the 64 sketches a family is sampled by
    like_last = members[last.path][60:] + own("copies", 2)  # about 0.24 alike to it alone
    copies = [row(f"lib{n}/copyright", like_last) for n in range(4)]  # one text, four packages
    found = keys([*rows, *copies])
    assert list(found) == ["*/copyright"]
    assert len(found["*/copyright"]) == 104
