"""Reading a file's values out of a template's parts: what each variable and section is in it.

`read_values` reads a text the template's parts were learned from (or an item of
a loop); `values_from` adds what a reading of any file found to the values known
already (the path's, for a file the template was not learned from).
"""

from __future__ import annotations

import re

from repetend.templates.block_loops import loop_values
from repetend.templates.parts import Part, Slot, Values, separated, slots
from repetend.templates.reading import Reading, read_slots


def slot_value(slot: Slot, text: str, spacing: str | None = None) -> str | list[str] | list[Values]:
    """A slot's variable value: its text, or for a loop the list of its items (or their values).

    `spacing` is the separator of a loop whose members separate items
    differently; in a file the template was not learned from, it is read from
    between the file's first two items.
    """
    if slot.items is not None and separated(slot):  # JSON objects, each read like a file
        from repetend.templates.json.layout import array_items

        return [read_values(slot.items, item) for item in array_items(text)]
    if slot.items is not None:
        return loop_values(slot, text)
    if slot.spacing is not None:
        return text.split(spacing or guessed_spacing(text))
    return text.split(slot.separator) if slot.separator is not None else text


def guessed_spacing(text: str) -> str:
    """The text between the first two quoted items of a list (`", "`, `",\n  "`)."""
    found = re.search(r'"[ \t\r\n]*,[ \t\r\n]*"', text)
    return found.group() if found else '", "'


def read_values(parts: list[Part], text: str) -> Values:
    """The values a text gives the slots and sections of `parts` (one item of a loop)."""
    return values_from(parts, read_slots(parts, text), {})


def values_from(parts: list[Part], reading: Reading, values: Values) -> Values:
    """`values` with what `reading` found for the slots and sections of `parts`."""
    for slot in _slots_of(parts):
        repeated = slot.tied and not slot.form and slot.name not in values  # (in another branch)
        if slot.id in reading.texts and (not slot.tied or repeated):
            values[slot.name] = slot_value(slot, reading.texts[slot.id])
            if slot.spacing is not None:
                values[slot.spacing.name] = guessed_spacing(reading.texts[slot.id])
    usual = {section.flag for section, _on, _at in reading.decided if section.usual}
    values.update((f, on) for f, on in reading.flags.items() if not (on and f in usual))
    return values  # (a usual section that is there needs no value: it is on by default)


_SLOTS: dict[int, tuple[list[Part], list[Slot]]] = {}  # id -> (the parts, their slots)


def _slots_of(parts: list[Part]) -> list[Slot]:
    """`slots(parts)`, walked once per parts list: a file's read asks it for every member.

    Kept by identity (the list itself is held, so its id is not reused) for the few
    templates of one run; parts are not restructured once they are read with.
    """
    found = _SLOTS.get(id(parts))
    if found is not None and found[0] is parts:
        return found[1]
    if len(_SLOTS) > 64:
        _SLOTS.clear()
    listed = slots(parts)
    _SLOTS[id(parts)] = (parts, listed)
    return listed
