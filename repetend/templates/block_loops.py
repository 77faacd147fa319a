"""Loops over repeated multi-line sections: the items of a YAML block list such as `steps:`.

The lines of block lists whose items are mappings or span several lines are
kept out of the line anchors (see `block_lists`), so a whole list falls into
one slot. If, in every member that has that slot, the slot is blank lines,
then the items of one list, then any other text, the items of all members
are aligned as a family of their own (their keys anchor it, so a key some
items have becomes a conditional) and the slot becomes a loop over a list of
per-item values, followed by a slot for the rest. The loop is kept only if
every item renders back exactly from the values read out of it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count

from repetend.templates.block_lists import (
    ITEM_LINE,
    MAPPING_ITEM,
    first_item,
    list_end,
    split_items,
)
from repetend.templates.direct_render import INDENT, render_parts
from repetend.templates.parts import Fixed, Optional, Part, Slot, Values
from repetend.templates.parts import slots as all_slots
from repetend.templates.reading import read_slots

Aligner = Callable[[list[str]], list[Part]]  # items -> the named parts of one item


@dataclass
class BlockLoop:
    """A slot split into fixed blank lines, a loop, and the text after the list."""

    lead: str
    loop: Slot
    items: list[str]  # each member's loop text
    rest: list[str]  # each member's text after the list


def block_loop(values: list[str], new_id: int, aligner: Aligner) -> BlockLoop | None:
    """The slot texts `values` as a loop over their block-list items, or None."""
    lead = _lead(values)
    if lead is None:
        return None
    ends = [list_end(value, len(lead)) for value in values]
    split = [split_items(value[len(lead) : end]) for value, end in zip(values, ends, strict=True)]
    if sum(map(len, split)) <= sum(1 for items in split if items):
        return None  # one item each is a plain value, not a list
    every = [item for items in split for item in items]
    parts = _item_template(every, aligner)
    if parts is None:
        return None
    return BlockLoop(
        lead,
        Slot(new_id, items=parts),
        [value[len(lead) : end] for value, end in zip(values, ends, strict=True)],
        [value[end:] for value, end in zip(values, ends, strict=True)],
    )


def _item_template(every: list[str], aligner: Aligner) -> list[Part] | None:
    """The parts of one item, if every item comes back exactly from the values read from it."""
    if not any(_structured(item) for item in every):
        return None  # one-line scalar items: the list variable of `loop_slots` fits them
    dedented = [dedent(item)[0] for item in every]
    texts = [text for text in dedented if text is not None]
    if len(texts) < len(dedented):
        return None  # a line outside the item's indent, or a line end the filter would change
    parts = aligner(texts)
    if any(render_parts(parts, item_values(parts, text)) != text for text in texts):
        return None
    return parts


def _structured(item: str) -> bool:
    """Whether an item is a mapping or spans several lines (not a lone scalar)."""
    lines = [line for line in item.splitlines() if line.strip()]
    return len(lines) > 1 or re.match(MAPPING_ITEM, item) is not None


def _lead(values: list[str]) -> str | None:
    """The blank lines before the first item, the same in every value that has items."""
    leads = {value[:start] for value in values for start in [first_item(value)] if start >= 0}
    if len(leads) != 1:
        return None
    lead = leads.pop()
    return lead if all(value.startswith(lead) for value in values) else None


def item_values(parts: list[Part], text: str) -> Values:
    """One item's values: each slot's text (by name) and each section's flag."""
    reading = read_slots(parts, text)
    values: Values = {}
    for slot in all_slots(parts):
        values.setdefault(slot.name, reading.texts.get(slot.id, ""))
    values.update(reading.flags)
    return values


def loop_values(slot: Slot, text: str) -> list[Values]:
    """The per-item values of a loop slot's text (with each item's indent)."""
    found: list[Values] = []
    for item in split_items(text):
        dedented, indent = dedent(item)
        values = item_values(slot.items or [], dedented if dedented is not None else item)
        found.append({**values, INDENT: indent if dedented is not None else ""})
    return found


def dedent(item: str) -> tuple[str | None, str]:
    """The item without its list's indent, and the indent; None if it would not come back.

    The template puts the indent back with Jinja2's `indent` filter (the
    first line gets it from the loop), so the item must be what that filter
    turns the dedented text into.
    """
    from jinja2.filters import do_indent  # the filter the template puts the indent back with

    found = re.match(ITEM_LINE, item)
    indent = found.group(1) if found else ""
    lines = item.split("\n")
    text = "\n".join(line[len(indent) :] if line.startswith(indent) else line for line in lines)
    return (text if indent + do_indent(text, indent) == item else None), indent


def line_end_split(slot: Slot, holders: list[dict[int, str]], ids: count[int]) -> Part:
    """An item's slot with the line end every text ends with taken out as fixed text."""
    if not all(texts[slot.id].endswith("\n") for texts in holders):
        return slot
    ending = "\r\n" if all(texts[slot.id].endswith("\r\n") for texts in holders) else "\n"
    value = Slot(next(ids))
    for texts in holders:
        texts[value.id] = texts.pop(slot.id)[: -len(ending)]
    return Optional("", [value, Fixed(ending)])
