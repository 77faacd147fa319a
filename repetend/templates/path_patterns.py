"""The path pattern of a family: fixed levels, and variable folders and file stem.

`ci/properties/ada.properties.json` and its siblings share
`ci/properties/{{ slug }}.properties.json`; `components/hue/manifest.json` and
its siblings `components/{{ component }}/manifest.json`; workflows in several
folders `{{ folder }}/{{ slug }}.yml`; and units at two depths
`keps/{{ kep }}/{{ unit }}/README.md`, where `kep` may hold several levels
(`sig-cluster-lifecycle/kubeadm`). The levels come from `path_shapes`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from repetend.templates.path_shapes import FIXED, MANY, STEM, Level, path_shape
from repetend.templates.variables import snake, unique


@dataclass
class PathPattern:
    """A path with variable components, `ci/properties/{{ slug }}.properties.json`."""

    source: str
    regex: str
    names: list[str]

    def values_of(self, path: str) -> dict[str, str] | None:
        """The path variables of `path`, or None when it does not fit the pattern."""
        found = re.fullmatch(self.regex, path)
        return found.groupdict() if found else None


def path_pattern(paths: list[str]) -> PathPattern:
    """The pattern the members' paths share: fixed levels, variable folders and stem."""
    levels = path_shape(paths)
    if levels is None:
        return _literal_alternatives(paths)
    pieces: list[tuple[str, str]] = []  # (jinja, regex) per level
    names: list[str] = []
    for index, level in enumerate(levels):
        parent = levels[index - 1] if index else None
        pieces.append(_component(level, parent, names))
    return PathPattern("/".join(p[0] for p in pieces), "/".join(p[1] for p in pieces), names)


def _component(level: Level, parent: Level | None, names: list[str]) -> tuple[str, str]:
    if level.kind == FIXED:
        return _escape_path(level.text), re.escape(level.text)
    suffix = level.text if level.kind == STEM else ""
    name = unique(_name_for(level, parent), set(names))
    names.append(name)
    shape = {STEM: "[^/]+?", MANY: ".+"}.get(level.kind, "[^/]+")
    jinja = _escape_path(level.lead) + "{{ " + name + " }}" + _escape_path(suffix)
    return jinja, re.escape(level.lead) + f"(?P<{name}>{shape})" + re.escape(suffix)


def _name_for(level: Level, parent: Level | None) -> str:
    """`slug` for a stem; a folder by its values' shared prefix (`sig-`) or its parent's name."""
    if level.kind == STEM:
        return "slug"
    shared = re.match(r"[A-Za-z]+(?=[-_])", _common_start(level.values))
    if shared:
        return snake(shared.group(0))
    if parent is not None and parent.kind == FIXED:
        return _singular(snake(parent.text)) or "unit"
    return "folder" if parent is None else "unit"


def _common_start(values: tuple[str, ...]) -> str:
    first, last = min(values), max(values)
    end = next((i for i, (a, b) in enumerate(zip(first, last, strict=False)) if a != b), None)
    return first[:end] if end is not None else first


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") and len(word) > 3 else word


def _escape_path(text: str) -> str:
    return text.replace("{", "{{ '{' }}")


def _literal_alternatives(paths: list[str]) -> PathPattern:
    regex = "|".join(re.escape(path) for path in paths)
    return PathPattern("{{ path }}", f"(?P<path>{regex})", ["path"])
