"""Block lists in text: the runs of `- ` items (with their more-indented lines) of YAML files.

Pure text functions shared by the alignment (which keeps list lines out of
the anchors), the loop builder and the reader of slot texts.
"""

from __future__ import annotations

import re

# Pattern texts, not compiled here: `re` caches them, and importing this module stays cheap.
ITEM_LINE = r"([ \t]*)- \S"
FIRST_ITEM = r"^[ \t]*- \S"
MAPPING_ITEM = r"[ \t]*- [\w.-]+:(?:[ \t]|\r?$)"


def region_lines(lines: list[str], comments: bool = True) -> set[int]:
    """Indexes of the lines inside loop regions (mapping or multi-line block-list items)."""
    inside: set[int] = set()
    index = 0
    while index < len(lines):
        found = re.match(ITEM_LINE, lines[index])
        if found is None:
            index += 1
            continue
        end = _region_end(lines, index, found.group(1), comments)
        if end - index > 1 or re.match(MAPPING_ITEM, lines[index]):
            inside.update(i for i in range(index, end) if lines[i].strip())
        index = end
    return inside


def masked_lines(member: list[str], comments: bool = True) -> list[str]:
    """The lines with those of loop regions blanked (a blank line is never an anchor)."""
    inside = region_lines(member, comments)
    return [("" if index in inside else line) for index, line in enumerate(member)]


def _region_end(lines: list[str], start: int, indent: str, comments: bool = True) -> int:
    end = start + 1
    while end < len(lines) and continues(lines[end], indent, comments):
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1  # blank lines after the last item are not the region's
    return end


def continues(line: str, indent: str, comments: bool = True) -> bool:
    """Whether `line` belongs to a list whose items start with `indent- `.

    With `comments` (YAML) a `#` line at the items' indent is among them; in
    Markdown it is a heading, which ends the list.
    """
    if not line.strip() or line.startswith(indent + "- "):
        return True
    own = len(line) - len(line.lstrip(" \t"))
    if comments and line.lstrip(" \t").startswith("#"):
        return own >= len(indent) and line.startswith(indent)
    return own > len(indent) and line.startswith(indent)


def list_end(text: str, start: int = 0) -> int:
    """Where the block list starting at `start` ends (trailing blank lines not included)."""
    found = re.match(ITEM_LINE, text[start:])
    if found is None:
        return start
    lines = text[start:].splitlines(keepends=True)
    end = _region_end([line.rstrip("\r\n") for line in lines], 0, found.group(1))
    return start + sum(map(len, lines[:end]))


def first_item(text: str) -> int:
    """Where the first item starts, if only blank lines come before it; else -1."""
    found = re.search(FIRST_ITEM, text, re.MULTILINE)
    if found is None or text[: found.start()].strip():
        return -1
    return found.start()


def split_items(text: str) -> list[str]:
    """The items of a block list (each from its `- ` line up to the next item's)."""
    found = re.match(ITEM_LINE, text)
    if found is None:
        return [text] if text else []
    lead = found.group(1) + "- "
    items: list[str] = []
    for line in text.splitlines(keepends=True):
        if line.startswith(lead) or not items:
            items.append(line)
        else:
            items[-1] += line
    return items
