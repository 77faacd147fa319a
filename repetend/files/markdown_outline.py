"""The outline of a Markdown page: heading levels and the sequence of block kinds.

Pages written to one style guide share their shape, not their words: the same
heading levels in the same order, the same kinds of blocks under them (lists
of one item shape, quotes, fenced code of one language, tables), the same
front matter keys. A page's own title is left out (every page has its own);
the section headings below it are kept, since pages of a family share them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from repetend.files.text_shapes import line_shape

_FENCE = re.compile(r"^[ \t]*(```+|~~~+)[ \t]*([\w+-]*)")
_HEADING = re.compile(r"^(#{1,6})[ \t]+(.*?)[ \t#]*$")
_SETEXT = re.compile(r"^(=+|-+)[ \t]*$")
_ITEM = re.compile(r"^([ \t]*)(?:[-*+]|\d+[.)])[ \t]+")
_META = re.compile(r"^[-*] ([A-Z][\w ]{1,30}):")
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")
_DIGITS = re.compile(r"\d+")
ITEM_SHAPE = 6  # the first symbols of a list item's shape: `-**w**:` or `-[w](`


def markdown_features(text: str) -> Iterator[str]:
    """Front matter keys, heading levels and section headings, block kinds and their order."""
    lines = text.splitlines()
    if lines and lines[0] == "---" and "---" in lines[1:]:
        end = lines.index("---", 1)
        yield from (f"front:{key}" for key in front_matter_keys("\n".join(lines[1:end])))
        lines = lines[end + 1 :]
    previous = "start"
    titled = False
    for kind, detail in blocks(lines):
        if not kind:  # another item of the list before: its shape, and no new block
            yield detail
            continue
        yield f"block:{kind}"
        yield f"seq:{previous}>{kind}"
        previous = kind
        if kind.startswith("h"):
            if kind == "h1" and not titled:
                titled = True
                yield f"title:{line_shape(detail)[:10]}"  # `KEP-9:w`, not the words
            else:
                yield f"heading:{_normal(detail)}"
        elif detail:
            yield detail


def blocks(lines: list[str]) -> Iterator[tuple[str, str]]:
    """(kind, detail) per block: h1..h6 with the heading text, ul/ol, quote, code, table, p."""
    fence = ""
    kind = ""
    for number, line in enumerate(lines):
        if fence:
            fence = "" if line.strip().startswith(fence) else fence
            continue
        opening = _FENCE.match(line)
        if opening:
            fence = opening.group(1)
            kind = "code"
            yield "code", f"code:{opening.group(2).lower() or '-'}"
            continue
        found = _line_kind(line, lines[number + 1] if number + 1 < len(lines) else "")
        if found is None:
            kind = ""
            continue
        if found[0] != kind or found[0].startswith("h"):
            yield found
        elif found[1].startswith(("item:", "meta:")):
            yield "", found[1]  # another item of the same list: its shape, no new block
        kind = found[0]


def _line_kind(line: str, following: str) -> tuple[str, str] | None:
    """The block kind a line starts or continues (None for a blank line)."""
    if not line.strip():
        return None
    heading = _HEADING.match(line)
    if heading:
        return f"h{len(heading.group(1))}", heading.group(2)
    if _SETEXT.match(following) and not _ITEM.match(line):
        return ("h1" if following.startswith("=") else "h2"), line.strip()
    if _SETEXT.match(line) or _RULE.match(line):
        return "rule", ""
    item = _ITEM.match(line)
    if item:
        meta = _META.match(line)
        detail = (
            f"meta:{meta.group(1).lower()}" if meta else f"item:{line_shape(line)[:ITEM_SHAPE]}"
        )
        return ("ol" if line.strip()[0].isdigit() else "ul"), detail
    first = line.lstrip()[0]
    return {">": ("quote", ""), "|": ("table", ""), "<": ("html", "")}.get(first, ("p", ""))


def _normal(heading: str) -> str:
    """A heading's words: lower case, numbers as 9, code marks and links' targets left out."""
    words = re.sub(r"\]\([^)]*\)|[`*_\[\]]", "", heading).lower()
    return _DIGITS.sub("9", words).strip(" :.")


def front_matter_keys(front: str) -> list[str]:
    """The top-level keys of a YAML front matter block (ValueError when it does not parse)."""
    import yaml  # here, not at the top: every git hook loads this plugin, few read YAML

    try:
        loaded = yaml.safe_load(front)
    except yaml.YAMLError as error:
        raise ValueError(f"front matter: {error}") from error
    return [str(key) for key in loaded] if isinstance(loaded, dict) else []
