"""The few paths that decide a family's glob: the glob of thousands of files from a few dozen."""

from __future__ import annotations

import random

from repetend.files.families import witnesses
from repetend.templates.path_shapes import family_glob

FOLDERS = ["ci", "deploy", "keps", "sig-a", "sig-b", "tests", "snippets", "a", "ab"]
STEMS = ["x", "test_x", "test_yy", "x_test", "android", "a-b", "abc", "ab"]
ENDINGS = [".py", ".yml", ".properties.json", "_test.py", "", ".md"]


def random_paths(draw: random.Random) -> list[str]:
    depth_choices = draw.sample([0, 1, 2, 3], draw.randint(1, 2))
    prefix = draw.sample(FOLDERS, draw.randint(0, 2))
    paths = set()
    for _ in range(draw.randint(1, 30)):
        depth = draw.choice(depth_choices)
        folders = [*prefix, *(draw.choice(FOLDERS[: draw.randint(1, 9)]) for _ in range(depth))]
        name = draw.choice(STEMS[: draw.randint(1, 8)]) + draw.choice(ENDINGS[: draw.randint(1, 6)])
        paths.add("/".join([*folders, name]))
    return sorted(paths)


def test_the_witnesses_of_paths_have_their_glob_and_so_do_those_of_a_union() -> None:
    draw = random.Random(17)
    for _ in range(3000):
        first, second = random_paths(draw), random_paths(draw)
        assert family_glob(witnesses(first)) == family_glob(first), first
        union = witnesses([*witnesses(first), *witnesses(second)])
        assert family_glob(union) == family_glob([*first, *second]), (first, second)
        assert set(union) <= {*first, *second}
