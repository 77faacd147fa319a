"""The whitespace of a JSON family: one variable per layout, fixed where the family agrees.

The structural aligner makes every gap between tokens (an indent, a line
end, the spaces of a list) a slot at first. Here the slots that hold the
same text as a slot every member has become that one variable, and the ones
whose variable has one value in the whole family become fixed text.
"""

from __future__ import annotations

from repetend.templates.parts import Fixed, Optional, Part, Slot
from repetend.templates.variables import unique


def tie_layouts(layouts: list[Slot], texts: list[dict[int, str]], names: set[str]) -> None:
    """One variable per layout (an indent, a line end) from a slot every member has.

    A layout slot that no slot of every member agrees with is named by what
    it holds, and so is each owner: `line_end`, `indent` or `spacing`.
    """
    owners = [slot for slot in layouts if all(slot.id in member for member in texts)]
    for slot in layouts:
        owner = next((o for o in owners if _agrees(o, slot, texts)), slot)
        if not owner.name:
            owner.name = unique(_layout_name(owner, texts), names)
        if slot is not owner:
            slot.name, slot.tied = owner.name, True


def settled(parts: list[Part], layouts: list[Slot], texts: list[dict[int, str]]) -> list[Part]:
    """Layout slots as fixed text where their variable has one value in the whole family.

    An indent the family varies in stays a variable on every line, also on a
    line only some members have, so a new file is indented one way.
    """
    owners = {slot.name: slot for slot in layouts if not slot.tied}
    ids = {slot.id for slot in layouts}
    found: list[Part] = []
    for part in parts:
        if isinstance(part, Optional):
            part.body = settled(part.body, layouts, texts)
            part.otherwise = settled(part.otherwise, layouts, texts)
        elif isinstance(part, Slot) and part.id in ids:
            owner = owners.get(part.name, part)
            values = {member[s.id] for member in texts for s in (part, owner) if s.id in member}
            if len(values) == 1:
                for member in texts:
                    member.pop(part.id, None)
                part = Fixed(values.pop())
        found.append(part)
    return found


def _layout_name(slot: Slot, texts: list[dict[int, str]]) -> str:
    held = "".join(member.get(slot.id, "") for member in texts)
    if not held.strip("\r\n"):
        return "line_end"
    return "indent" if not held.strip(" \t") else "spacing"


def _agrees(owner: Slot, slot: Slot, texts: list[dict[int, str]]) -> bool:
    return all(member[owner.id] == member[slot.id] for member in texts if slot.id in member)
