"""The built-in reStructuredText signature plugin: field lists, sections, directives.

A PEP, a Sphinx page or a changelog entry written to one template shares its
header fields (`PEP:`, `Status:`), the adornment of each section level and the
section titles the template asks for, and the directives it uses; its prose
is its own. The document title (the first section) is left out for the same
reason.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from repetend.plugins import hookimpl
from repetend.plugins.types import FileSignature

SUFFIXES = (".rst", ".rest")
MAX_FEATURES = 400
_FIELD = re.compile(r"^:?([A-Za-z][\w-]*(?: [\w-]+)?):(?:[ \t]|$)")
_ADORNMENT = re.compile(r"^([=\-~^*+#`'\"_.:])\1+[ \t]*$")
_DIRECTIVE = re.compile(r"^[ \t]*\.\. ([\w:-]+)::")
_TARGET = re.compile(r"^\.\. _[^:]*:")
_DIGITS = re.compile(r"\d+")


@hookimpl
def repetend_file_signature(path: str, text: str) -> FileSignature | None:
    """The signature of a `.rst` file (None for other files, or one with no structure)."""
    if not path.lower().endswith(SUFFIXES):
        return None
    features: set[str] = set()
    for feature in rst_features(text):
        features.add(feature)
        if len(features) >= MAX_FEATURES:
            break
    return FileSignature("rst", frozenset(features)) if features else None


def rst_features(text: str) -> Iterator[str]:
    """Header fields, section levels by adornment, section titles, directives and targets."""
    lines = text.splitlines()
    yield from _header_fields(lines)
    levels: list[str] = []
    previous = "start"
    for number, line in enumerate(lines[:-1]):
        adornment = _ADORNMENT.match(lines[number + 1])
        if adornment and line.strip() and not _ADORNMENT.match(line):
            level = _level(levels, adornment.group(1), _overlined(lines, number))
            yield f"section:{level}"
            yield f"seq:{previous}>{level}"
            previous = level
            if len(levels) > 1 or level != "1":  # the document's title is its own
                yield f"title:{_DIGITS.sub('9', line.strip().lower())}"
        directive = _DIRECTIVE.match(line)
        if directive:
            yield f"directive:{directive.group(1)}"
        elif _TARGET.match(line):
            yield "target"


def _header_fields(lines: list[str]) -> Iterator[str]:
    """`field:Name` for each `Name: value` line of the header (before the first blank line)."""
    for line in lines:
        if not line.strip():
            return
        field = _FIELD.match(line)
        if field:
            yield f"field:{field.group(1)}"


def _overlined(lines: list[str], number: int) -> bool:
    return number > 0 and bool(_ADORNMENT.match(lines[number - 1]))


def _level(levels: list[str], character: str, overlined: bool) -> str:
    """The section level an adornment stands for: levels are numbered as they first appear."""
    style = f"{character}{'^' if overlined else ''}"
    if style not in levels:
        levels.append(style)
    return str(levels.index(style) + 1)
