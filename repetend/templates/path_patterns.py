"""The path pattern of a family: fixed components, and a variable folder or file stem.

`ci/properties/ada.properties.json` and its siblings share
`ci/properties/{{ slug }}.properties.json`; `components/hue/manifest.json` and
its siblings `components/{{ component }}/manifest.json`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

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
    """The pattern the members' paths share: fixed components, a variable folder or stem."""
    split = [path.split("/") for path in paths]
    if len({len(parts) for parts in split}) != 1:
        return _literal_alternatives(paths)
    pieces: list[tuple[str, str]] = []  # (jinja, regex) per component
    names: list[str] = []
    for index, components in enumerate(zip(*split, strict=True)):
        last = index == len(split[0]) - 1
        parent = split[0][index - 1] if index else "unit"
        pieces.append(_component(list(components), last, parent, names))
    return PathPattern("/".join(p[0] for p in pieces), "/".join(p[1] for p in pieces), names)


def _component(values: list[str], last: bool, parent: str, names: list[str]) -> tuple[str, str]:
    if len(set(values)) == 1:
        return _escape_path(values[0]), re.escape(values[0])
    suffix = _common_suffix(values) if last else ""
    taken = set(names)
    name = unique("slug" if last else _singular(snake(parent)) or "unit", taken)
    names.append(name)
    group = f"(?P<{name}>[^/]+?)" if last else f"(?P<{name}>[^/]+)"
    return "{{ " + name + " }}" + _escape_path(suffix), group + re.escape(suffix)


def _common_suffix(values: list[str]) -> str:
    shortest = min(values, key=len)
    dot = shortest.find(".", 1)
    suffix = shortest[dot:] if dot > 0 else ""
    return suffix if all(v.endswith(suffix) and len(v) > len(suffix) for v in values) else ""


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and len(word) > 3 else word


def _escape_path(text: str) -> str:
    return text.replace("{", "{{ '{' }}")


def _literal_alternatives(paths: list[str]) -> PathPattern:
    regex = "|".join(re.escape(path) for path in paths)
    return PathPattern("{{ path }}", f"(?P<path>{regex})", ["path"])
