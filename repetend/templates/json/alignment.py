"""The alignment of a family of JSON files by their structure, not their lines.

Every member is a JSON object (see `json_layout`), so the template is built
from the keys: a key every member has is fixed text with its value after it,
a key some members have is a conditional (`has_creator`), a value that
differs is a variable named after its key, a list of strings of any length
is a loop over a list variable, and a list of objects a loop over items whose
fields are aligned the same way. Where members lay a list out differently (on
one line, or one item per line) the gaps around and between its items are
layout variables, so the list is still one variable. Whitespace is a variable
only where the members differ in it (`json_whitespace`).

Anything else (values of mixed types, a list whose items do not read back) is
kept whole as the value's text, so every member still comes back byte for byte.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from itertools import count

from repetend.templates.alignment import Alignment
from repetend.templates.direct_render import render_parts
from repetend.templates.json.keys import merged_order
from repetend.templates.json.layout import (
    Entry,
    Node,
    Style,
    document,
    list_style,
    strings_only,
    usual_separators,
)
from repetend.templates.json.whitespace import settled, tie_layouts
from repetend.templates.parts import Fixed, Optional, Part, Slot, joined
from repetend.templates.values import read_values
from repetend.templates.variables import name_slots, snake, unique

Holders = list[tuple[int, Node]]  # (member index, its value here) for the members that have it


def align_json(members: list[str], taken: set[str]) -> Alignment | None:
    """The structural alignment of JSON members, or None if one is not a regular JSON object."""
    documents = [document(text) for text in members]
    if any(found is None for found in documents):
        return None
    found = [document for document in documents if document is not None]
    builder = _Builder(len(found), set(taken))
    parts = builder.object_parts(list(enumerate(d.root for d in found)), ())
    if parts is None:
        return None
    ending = builder.piece([(index, d.trailing) for index, d in enumerate(found)])
    for slot in ending:
        if isinstance(slot, Slot):
            slot.name = unique("final_newline", builder.names)
    parts += ending
    tie_layouts(builder.layouts, builder.texts, builder.names)
    return Alignment(
        joined(settled(parts, builder.layouts, builder.texts)), builder.texts, builder.flags
    )


@dataclass
class _Builder:
    size: int  # how many members (or items of a loop) are aligned
    names: set[str]
    ids: count[int] = field(default_factory=count)
    texts: list[dict[int, str]] = field(default_factory=list)
    flags: list[dict[str, bool]] = field(default_factory=list)
    layouts: list[Slot] = field(default_factory=list)
    variables: dict[tuple[str, ...], str] = field(default_factory=dict)  # key path -> name

    def __post_init__(self) -> None:
        self.texts = [{} for _ in range(self.size)]
        self.flags = [{} for _ in range(self.size)]

    def piece(
        self, holders: list[tuple[int, str]], *, layout: bool = False, always: bool = False
    ) -> list[Part]:
        """Fixed text where the holders agree, else a slot with each one's text.

        A layout piece is always a slot at first: it is fixed once the layouts
        are tied, if the whole family writes it one way (`settled`).
        """
        if len({text for _, text in holders}) == 1 and not (always or layout):
            return [Fixed(holders[0][1])] if holders[0][1] else []
        slot = Slot(next(self.ids))
        for index, text in holders:
            self.texts[index][slot.id] = text
        if layout:
            self.layouts.append(slot)
        return [slot]

    def gap(self, holders: list[tuple[int, str]]) -> list[Part]:
        """Whitespace around a key or value: its line end and indent apart when it has both.

        `\r\n    ` in one member and `\n  ` in another is a line end variable,
        a fixed line break and an indent variable, so the template keeps its
        lines and each layout is one variable.
        """
        if not all("\n" in text for _, text in holders):
            return self.piece(holders, layout=True)
        split = [(index, *text.rpartition("\n")) for index, text in holders]
        return [
            *self.piece([(index, end) for index, end, _, _ in split], layout=True),
            Fixed("\n"),
            *self.piece([(index, indent) for index, _, _, indent in split], layout=True),
        ]

    def object_parts(self, holders: Holders, path: tuple[str, ...]) -> list[Part] | None:
        """An object's entries, a conditional for each key not every holder has."""
        if any(not node.entries for _, node in holders):
            return None if any(node.entries for _, node in holders) else self.whole(holders)
        merged = merged_order([[entry.key for entry in node.entries] for _, node in holders])
        if merged is None:
            return None
        order, places = merged
        required = {p for p in range(len(order)) if all(p in held for held in places)}
        if not required:
            return None  # no entry every holder has: where the commas go would differ
        pivot = min(required)  # entries before it end with a comma, entries after open with one
        parts: list[Part] = [Fixed("{")]
        for place, key in enumerate(order):
            having = [
                (i, node.entries[held[place]])
                for (i, node), held in zip(holders, places, strict=True)
                if place in held
            ]
            body: list[Part] = [Fixed(",")] if place > pivot else []
            body += [*self.gap([(i, e.lead) for i, e in having]), Fixed(key)]
            body += self.gap([(i, e.colon) for i, e in having])
            body += self.value_parts((*path, key), [(i, e.value) for i, e in having])
            body += [Fixed(",")] if place < pivot else []
            parts += body if place in required else [self.optional(key, holders, having, body)]
        closing = self.gap([(i, node.gaps[0]) for i, node in holders])
        return [*parts, *closing, Fixed("}")]

    def whole(self, holders: Holders) -> list[Part]:
        """A value kept as each holder writes it."""
        return self.piece([(index, node.text) for index, node in holders])

    def optional(
        self, key: str, holders: Holders, having: list[tuple[int, Entry]], body: list[Part]
    ) -> Optional:
        flag = unique(f"has_{snake(key[1:-1]) or 'key'}", self.names)
        present = {index for index, _ in having}
        for index, _ in holders:
            self.flags[index][flag] = index in present
        return Optional(flag, body, named=True)

    def value_parts(self, path: tuple[str, ...], holders: Holders) -> list[Part]:
        """A value's parts: a string variable, an object's entries, a loop, or its whole text."""
        kinds = {node.kind for _, node in holders}
        if kinds == {"string"}:
            always = path in self.variables or len(holders) < self.size
            found = self.piece([(i, n.text[1:-1]) for i, n in holders], always=always)
            for slot in found:
                if isinstance(slot, Slot):
                    slot.name, slot.keyed = self.variable(path), True
            return [Fixed('"'), *found, Fixed('"')]
        if kinds == {"object"}:
            parts = self.object_parts(holders, path)
            if parts is not None:
                return parts
        if any(strings_only(node) for _, node in holders):
            return self.list_parts(path, holders)
        looped = self.object_list_parts(path, holders) if kinds == {"array"} else None
        return looped if looped is not None else self.whole(holders)

    def object_list_parts(self, path: tuple[str, ...], holders: Holders) -> list[Part] | None:
        """A loop over a list of objects: the items of every member aligned as a family.

        Kept only if every item comes back exactly from the values read out of it.
        """
        styles = usual_separators({index: list_style(node, "object") for index, node in holders})
        if any(style is None for style in styles.values()):
            return None
        items = [item for _, node in holders for item in node.items]
        aligned = _Builder(len(items), set())
        parts = aligned.object_parts(list(enumerate(items)), ())
        if parts is None:
            return None
        tie_layouts(aligned.layouts, aligned.texts, aligned.names)
        parts = joined(settled(parts, aligned.layouts, aligned.texts))
        name_slots(parts, aligned.texts, aligned.names)
        if not _items_fit(parts, [item.text for item in items]):
            return None
        return self.loop_parts(self.variable(path), holders, styles, quote="", items=parts)

    def variable(self, path: tuple[str, ...]) -> str:
        """The variable of a key (the same key in two places of a family is one variable)."""
        if path not in self.variables:
            key = path[-1][1:-1]
            name = key if re.fullmatch(r"[A-Za-z_]\w*", key) else snake(key)
            self.variables[path] = unique(name or "value", self.names)
        return self.variables[path]

    def list_parts(self, path: tuple[str, ...], holders: Holders) -> list[Part]:
        """A loop over the strings of a list, however each member lays it out.

        The text before the first item, between two items and after the last
        are variables where the members differ (a list on one line, or one
        item per line). A member whose separators differ among themselves
        (`"a","b", "c"`) keeps its list as written, behind a flag.
        """
        name = self.variable(path)
        styles = usual_separators({index: list_style(node) for index, node in holders})
        regular = [(i, node) for i, node in holders if styles[i] is not None]
        irregular = [(i, node) for i, node in holders if styles[i] is None]
        parts = self.loop_parts(name, regular, styles) if regular else []
        if not irregular:
            return parts
        kept = self.named(f"{name}_text", [(i, node.text) for i, node in irregular], always=True)
        if not regular:
            return kept
        flag = unique(f"{name}_as_written", self.names)
        for index, _ in holders:
            self.flags[index][flag] = styles[index] is None
        return [Optional(flag, kept, otherwise=parts, named=True)]

    def loop_parts(
        self,
        name: str,
        holders: Holders,
        styles: dict[int, Style],
        *,
        quote: str = '"',
        items: list[Part] | None = None,
    ) -> list[Part]:
        """`[`, the opening gap, the (quoted) items with their separator, the closing gap, `]`."""
        laid = [(i, node, style) for i, node in holders if (style := styles[i]) is not None]
        opening = self.named(f"{name}_opening", [(i, style[0]) for i, _, style in laid])
        closing = self.named(f"{name}_closing", [(i, style[2]) for i, _, style in laid])
        separators = {f"{quote}{style[1]}{quote}" for _, _, style in laid}
        loop = Slot(next(self.ids), name, keyed=True, items=items)
        if len(separators) == 1:
            loop.separator = separators.pop()
        else:
            loop.spacing = Slot(next(self.ids), unique(f"{name}_separator", self.names))
        around = len(quote) + 1  # the bracket and the quote
        for index, node, style in laid:
            inner = node.text[len(style[0]) + around : len(node.text) - len(style[2]) - around]
            self.texts[index][loop.id] = inner
            if loop.spacing is not None:
                self.texts[index][loop.spacing.id] = f"{quote}{style[1]}{quote}"
        return [Fixed("["), *opening, Fixed(quote), loop, Fixed(quote), *closing, Fixed("]")]

    def named(
        self, name: str, holders: list[tuple[int, str]], *, always: bool = False
    ) -> list[Part]:
        """A piece that is a variable called `name` where the holders differ."""
        found = self.piece(holders, always=always)
        for slot in found:
            if isinstance(slot, Slot):
                slot.name, slot.keyed = unique(name, self.names), True
        return found


def _items_fit(parts: list[Part], items: list[str]) -> bool:
    """Whether every item renders back exactly from the values read out of it."""
    try:
        return all(render_parts(parts, read_values(parts, item)) == item for item in items)
    except (KeyError, TypeError):  # a value an item needs was not read out of it
        return False
