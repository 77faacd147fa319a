"""Where a family's files sit: the folder levels they share and the ones that vary.

`ci/a.yml`, `code-scanning/b.yml` and `pages/c.yml` sit at `*/*.yml`: a varying
folder and a varying stem. `keps/sig-node/1-x/README.md` and
`keps/sig-cluster-lifecycle/kubeadm/2-y/README.md` sit at `keps/**/*/README.md`:
the levels aligned from the file's end, and one `**` for the levels that only
some members have. The shape is both the family's key (a glob) and the plan of
its path pattern (see `path_patterns`).
"""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass

FIXED, ONE, MANY, STEM = "fixed", "one", "many", "stem"


@dataclass(frozen=True)
class Level:
    """One level of a path shape: a fixed name, one varying folder, several, or a stem."""

    kind: str
    text: str = ""  # the fixed name, or a stem's fixed ending (`.properties.json`)
    values: tuple[str, ...] = ()  # what the members have at a varying level
    lead: str = ""  # a stem's fixed start (`test_` of `test_x.py`)


def path_shape(paths: list[str]) -> list[Level] | None:
    """The shape the paths share, or None when some sit directly where others have folders.

    `docs/a.md` and `docs/api/b.md` have no shape in common: the levels that vary
    must be there in every member.
    """
    split = [path.split("/") for path in paths]
    folders = [parts[:-1] for parts in split]
    prefix = _common_prefix(folders)
    rests = [parts[len(prefix) :] for parts in folders]
    shortest = min(len(rest) for rest in rests)
    if len({len(rest) for rest in rests}) > 1 and shortest == 0:
        return None
    levels = [Level(FIXED, name) for name in prefix]
    if len({len(rest) for rest in rests}) == 1:
        levels += [_level(list(column)) for column in zip(*rests, strict=True)]
    else:
        tails = shortest - 1  # the last levels line up from the end; `**` takes the rest
        heads = tuple("/".join(rest[: len(rest) - tails]) for rest in rests)
        levels.append(Level(MANY, values=heads))
        levels += [_level([rest[len(rest) - tails + i] for rest in rests]) for i in range(tails)]
    return [*levels, _name_level([parts[-1] for parts in split])]


def _common_prefix(folders: list[list[str]]) -> list[str]:
    prefix: list[str] = []
    for column in zip(*folders, strict=False):
        if len(set(column)) != 1:
            break
        prefix.append(column[0])
    return prefix


def _level(values: list[str]) -> Level:
    return Level(FIXED, values[0]) if len(set(values)) == 1 else Level(ONE, values=tuple(values))


def _name_level(names: list[str]) -> Level:
    if len(set(names)) == 1:
        return Level(FIXED, names[0])
    ending = common_ending(names)
    stems = [name[: len(name) - len(ending)] for name in names]
    lead = common_lead(stems)
    return Level(STEM, ending, tuple(stem[len(lead) :] for stem in stems), lead)


def common_ending(names: list[str]) -> str:
    """What every name has after its stem: `.properties.json`, `_test.py`; '' when nothing.

    The longest ending the names share, from a `.`, `_` or `-` on, that leaves
    each name a stem.
    """
    reversed_names = [name[::-1] for name in names]
    shared = os.path.commonprefix(reversed_names)[::-1]  # noqa: RUF071 - characters, not paths
    for start, character in enumerate(shared):
        ending = shared[start:]
        if character in "._-" and all(len(name) > len(ending) for name in names):
            return ending
    return ""


def common_lead(stems: list[str]) -> str:
    """What every stem starts with, up to and with a `_` or `-` (`test_`), leaving a stem."""
    shared = os.path.commonprefix(stems)  # noqa: RUF071 - characters, not paths
    for end in range(len(shared), 0, -1):
        lead = shared[:end]
        if lead[-1] in "_-" and all(len(stem) > len(lead) for stem in stems):
            return lead
    return ""


def glob_of(levels: list[Level]) -> str:
    """The shape as a glob: `keps/**/*/README.md`, `*/properties/*.properties.json`."""
    parts = [{ONE: "*", MANY: "**"}.get(level.kind, level.text) for level in levels[:-1]]
    name = levels[-1]
    parts.append(name.text if name.kind == FIXED else f"{name.lead}*{name.text}")
    return "/".join(parts)


def family_glob(paths: list[str]) -> str | None:
    """The glob of the paths' shape (None when they share none, see `path_shape`)."""
    levels = path_shape(paths)
    return glob_of(levels) if levels is not None else None


@functools.lru_cache(maxsize=1024)
def glob_regex(glob: str) -> re.Pattern[str]:
    """A compiled regex for a family glob: `*` is one level (or a stem), `**` one or more."""
    parts = []
    for part in glob.split("/"):
        if part == "**":
            parts.append(".+")
        else:
            parts.append("[^/]+".join(re.escape(piece) for piece in part.split("*")))
    return re.compile("/".join(parts))


def fits(glob: str, path: str) -> bool:
    """Whether a path sits where a family's glob says its files sit."""
    return glob_regex(glob.split("~", 1)[0]).fullmatch(path) is not None
