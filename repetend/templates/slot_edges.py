"""The whole lines every member starts and ends a long slot with, as fixed text.

Prose under a heading is not aligned token by token (see `alignment`), but
its edges are the template's: the end of the heading's line, a
reStructuredText adornment, a closing line every member shares.
"""

from __future__ import annotations

from itertools import count

from repetend.templates.exact_reading import common_prefix
from repetend.templates.parts import Fixed, Optional, Part, Slot


def edged(slot: Slot, holders: list[dict[int, str]], ids: count[int]) -> Part:
    """A long slot with the whole lines every member starts and ends it with as fixed text.

    Prose under a heading is not aligned token by token, but the end of the
    heading's line, a reStructuredText adornment or a closing line every member
    shares are the template's: they become fixed text, so each heading starts a
    line of the template's source. Blank lines next to the prose stay in the
    slot (members differ in them).
    """
    values = [texts[slot.id] for texts in holders]
    head, tail = line_edges(values)
    if not head and not tail:
        return slot
    inner = Slot(next(ids))
    for texts in holders:
        value = texts.pop(slot.id)
        texts[inner.id] = value[len(head) : len(value) - len(tail)]
    return Optional("", [Fixed(head), inner, Fixed(tail)])


def line_edges(values: list[str]) -> tuple[str, str]:
    """The whole lines all `values` start with and end with (not the blank lines beside them).

    The head ends with a line end and the tail starts with one, so the text
    left between them is whole lines of each value; they never overlap.
    """
    head = _shared_start(values)
    head = head[: head.rfind("\n") + 1]
    while head.endswith(("\n\n", "\n\r\n")):
        head = head[: head.rfind("\n", 0, len(head) - 1) + 1]
    shortest = min(map(len, values)) - len(head)
    common = _shared_start([value[::-1] for value in values])[::-1]
    tail = common[max(0, len(common) - shortest) :] if shortest > 0 else ""
    at = tail.find("\n")
    at -= 1 if at > 0 and tail[at - 1] == "\r" else 0
    tail = tail[at:] if at >= 0 else ""
    while _line_end(tail) and _line_end(tail[len(_line_end(tail)) :]):
        tail = tail[len(_line_end(tail)) :]  # a blank line before the last: the prose's
    if not any(c.isalnum() for c in tail):
        return head, ""  # line ends alone would be found anywhere in the prose: no anchor
    return head, tail


def _shared_start(values: list[str]) -> str:
    """The text every value starts with (that of the first and last in sorted order)."""
    first, last = min(values), max(values)
    return first[: common_prefix(first, last)]


def _line_end(text: str) -> str:
    return "\r\n" if text.startswith("\r\n") else "\n" if text.startswith("\n") else ""
