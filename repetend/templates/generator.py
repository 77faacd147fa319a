"""Learn a Jinja2 template from the members of a family, and check that it reproduces them.

`generate(members)` aligns the members, names the variables, ties case forms
and path components, and renders every member back from its own values. The
richer structure (ties) is kept only when every member still comes back byte
for byte; otherwise the plain slots are used, which reproduce by construction.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass, field

from repetend.templates.alignment import Alignment, align
from repetend.templates.direct_render import render_parts
from repetend.templates.exact_reading import read_exact
from repetend.templates.parts import (
    Optional,
    Part,
    Slot,
    Values,
    jinja_source,
    optionals,
    render,
    slots,
)
from repetend.templates.path_patterns import PathPattern, path_pattern
from repetend.templates.reading import Reading
from repetend.templates.values import slot_value, values_from
from repetend.templates.variable_ties import tie_slots
from repetend.templates.variables import Taken, loop_slots, name_slots

PROSE = (".rst", ".adoc", ".asciidoc", ".textile")  # and Markdown: pages of paragraphs


@dataclass(frozen=True)
class Member:
    """One file of a family: its path relative to the root and its text."""

    path: str
    text: str


@dataclass
class LearnedTemplate:
    """A template with the values that reproduce each of its members."""

    parts: list[Part]
    path: PathPattern
    members: list[Member]
    values: list[Values]
    source: str = ""
    round_trips: list[bool] = field(default_factory=list)
    read_backs: list[bool] = field(default_factory=list)

    def render(self, values: Values) -> str:
        """The file text for `values`."""
        return render(self.source, values)

    def render_path(self, values: Values) -> str:
        """The file path for `values`."""
        return render(self.path.source, values)


def generate(members: list[Member]) -> LearnedTemplate:
    """Learn a template from `members` (all of one family) and verify it on each of them."""
    path = path_pattern([member.path for member in members])
    path_values = [path.values_of(member.path) or {} for member in members]
    alignment = _aligned(members, set(path.names))
    taken = Taken(path.names)
    taken |= {slot.name for slot in slots(alignment.parts) if slot.name}
    taken |= {section.flag for section in optionals(alignment.parts) if section.named}
    markdown = members[0].path.lower().endswith((".md", ".markdown"))
    name_slots(alignment.parts, alignment.texts, taken, markdown=markdown)
    every = slots(alignment.parts)
    plain_slots = [(slot, slot.name, slot.form, slot.tied, slot.separator) for slot in every]
    tie_slots(every, alignment.texts, path_values)
    loop_slots(alignment.parts, alignment.texts)
    rich = LearnedTemplate(
        alignment.parts, path, members, _all_values(alignment.parts, alignment, path_values)
    )
    if verify(rich, read_back=False):
        return _read_back(rich)
    for slot, name, form, tied, separator in plain_slots:  # what ties and loops changed
        slot.name, slot.form, slot.tied, slot.separator = name, form, tied, separator
    plain = LearnedTemplate(
        alignment.parts, path, members, _all_values(alignment.parts, alignment, path_values)
    )
    verify(plain)
    return plain


def _read_back(template: LearnedTemplate) -> LearnedTemplate:
    template.read_backs = _read_backs(template)
    return template


def _aligned(members: list[Member], path_names: set[str]) -> Alignment:
    """The members aligned by their JSON structure where they allow it, else by their lines."""
    texts = [member.text for member in members]
    if all(member.path.lower().endswith(".json") for member in members):
        from repetend.templates.json.alignment import align_json

        found = align_json(texts, path_names)
        if found is not None:
            return found
    path = members[0].path.lower()
    markdown = path.endswith((".md", ".markdown"))
    prose = markdown or path.endswith(PROSE)
    return align(texts, yaml=path.endswith((".yml", ".yaml")), lists=markdown, prose=prose)


def _all_values(
    parts: list[Part], alignment: Alignment, path_values: list[dict[str, str]]
) -> list[Values]:
    own = [slot for slot in slots(parts) if not slot.tied]
    sections = optionals(parts)
    return [
        _values(own, sections, texts, flags, path)
        for texts, flags, path in zip(alignment.texts, alignment.flags, path_values, strict=True)
    ]


def verify(template: LearnedTemplate, *, read_back: bool = True) -> bool:
    """Record which members come back exactly; True if every one renders from its values.

    `round_trips`: the member renders from the values learned for it.
    `read_backs`: it does, and the values read out of it with the parts of the
    template's Jinja2 source (what the spec stores, and what the hooks,
    `apply --like` and refits read with) render it again. A template that
    cannot read a member back does not count it (the spec's round trip rate).
    """
    template.source = jinja_source(template.parts)
    pairs = zip(template.members, template.values, strict=True)
    template.round_trips = [
        _renders(template.parts, values, member.text)
        and template.render_path(values) == member.path
        for member, values in pairs
    ]
    template.read_backs = _read_backs(template) if read_back else []
    return all(template.round_trips)


def _read_backs(template: LearnedTemplate) -> list[bool]:
    from repetend.templates.source import parts_from_source  # imports Jinja2

    stored = parts_from_source(template.source, set(template.path.names))
    return [
        exact and _reads_back(stored, template.path, member)
        for member, exact in zip(template.members, template.round_trips, strict=True)
    ]


def _reads_back(stored: list[Part], path: PathPattern, member: Member) -> bool:
    """Whether the values `stored` reads out of the member render it byte for byte."""
    values, _reading = read_exact(
        stored, member.text, _values_reader(stored, path.values_of(member.path) or {})
    )
    return _renders(stored, values, member.text)


def _values_reader(parts: list[Part], path_values: Values) -> Callable[[Reading], Values]:
    return lambda reading: values_from(parts, reading, dict(path_values))


def _renders(parts: list[Part], values: Values, text: str) -> bool:
    """Whether the parts render `text` from `values` (rendered directly, no compile)."""
    try:
        return render_parts(parts, values) == text
    except (KeyError, TypeError):  # a value the template needs is missing or not a list
        return False


def _values(
    own: list[Slot],
    sections: list[Optional],
    texts: dict[int, str],
    flags: dict[str, bool],
    path: dict[str, str],
) -> Values:
    values: Values = dict(path)
    for slot in own:
        if slot.id in texts:
            spacing = texts.get(slot.spacing.id) if slot.spacing else None
            values[slot.name] = slot_value(slot, texts[slot.id], spacing)
    for part in sections:
        values[part.flag] = flags.get(_original_flag(part), False)
    return values


def _original_flag(part: Optional) -> str:
    return part.original or part.flag


def infer_values(template: LearnedTemplate, path: str, text: str) -> tuple[Values, list[str]]:
    """Values for a file the template was not learned from, and the fixed parts it lacks."""
    path_values: Values = dict(template.path.values_of(path) or {})
    values, reading = read_exact(template.parts, text, _values_reader(template.parts, path_values))
    return values, reading.missing


def similarity(first: str, second: str) -> float:
    """How alike two texts are, from 0 to 1: difflib's ratio over their lines.

    Lines, not characters: a character-level ratio of two 20 KB documents takes
    seconds, and a template either gets a line right or not.
    """
    if first == second:
        return 1.0
    lines = first.splitlines(keepends=True), second.splitlines(keepends=True)
    return difflib.SequenceMatcher(None, *lines).ratio()
