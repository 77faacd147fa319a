"""Ties between variables: a slot rendered from a path variable or an earlier slot.

A slot whose text is, in every member, a case form of a path variable or of
an earlier slot renders from it through a filter (`{{ slug | pascal }}`);
whitespace slots that are alike in every member are one layout variable.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

from repetend.templates.case_forms import canonical, form_of
from repetend.templates.parts import Slot


def tie_slots(
    all_slots: list[Slot], texts: Sequence[dict[int, str]], path_values: Sequence[dict[str, str]]
) -> None:
    """Render a slot from a path variable or an earlier slot when it is a case form of it."""
    sources: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
    for name in path_values[0] if path_values else {}:
        values = [member[name] for member in path_values]
        sources[_key(values)].append((name, values))
    layouts: dict[tuple[str, ...], str] = {}  # whitespace values per member -> first slot's name
    for slot in all_slots:
        if slot.items is not None or slot.separator is not None or slot.tied:
            continue  # a loop, or a slot already rendered from another
        if any(slot.id not in member for member in texts):
            continue  # a slot of an optional section (no value in some members)
        values = [member[slot.id] for member in texts]
        if len(set(values)) < 2:
            continue
        if not any(v.strip() for v in values):  # a layout: an indent or line end, per member
            _tie_layout(slot, tuple(values), layouts)
            continue
        if not all(re.search(r"[A-Za-z]", v) for v in values):
            continue
        alike = sources.setdefault(_key(values), [])
        if not _tie(slot, values, alike, all_slots):
            alike.append((slot.name, values))


def _tie_layout(slot: Slot, values: tuple[str, ...], layouts: dict[tuple[str, ...], str]) -> None:
    """One variable for the indents (or line ends) that are alike in every member.

    A file indented by two spaces is so on every line; a CRLF file ends every
    line so. Case forms never apply to whitespace: only the same values tie.
    """
    if values in layouts:
        slot.name, slot.tied = layouts[values], True
    else:
        layouts[values] = slot.name


def _key(values: list[str]) -> str:
    return "\0".join(canonical(value) for value in values)


def _tie(
    slot: Slot, values: list[str], sources: list[tuple[str, list[str]]], every: list[Slot]
) -> bool:
    for number, (name, source_values) in enumerate(sources):
        forms = {form_of(s, v) for s, v in zip(source_values, values, strict=True)}
        if len(forms) == 1 and None not in forms:
            if slot.keyed and _renamable(name, every):
                _rename(every, name, slot.name)  # `name = "…"` names it better than a nearby word
                sources[number] = (slot.name, source_values)
            slot.name, slot.form, slot.tied = sources[number][0], forms.pop() or "", True
            return True
    return False


def _renamable(name: str, every: list[Slot]) -> bool:
    owners = [s for s in every if s.name == name and not s.tied]
    return bool(owners) and not any(s.keyed for s in owners)


def _rename(every: list[Slot], old: str, new: str) -> None:
    for slot in every:
        if slot.name == old:
            slot.name = new
