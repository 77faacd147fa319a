"""N-way alignment of a family's members into fixed text and slots.

Two levels. Lines first: *anchors* (see `line_anchors`) are lines, or the keys
of key lines, that tie the members together; each member keeps the longest run
of its anchors in their average order (a member that has them out of order
keeps the rest as slot text). Anchors every member keeps are fixed; the others
open optional sections. A key anchor is fixed text between two slots of its
line: the indent before it and the value after it. Then tokens: each small
slot is aligned token by token across its members (a common subsequence
refined until every member contains it), and the shared tokens become fixed
text too.

By construction each member is its slots' texts interleaved with the fixed
text, so rendering reproduces it exactly.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import accumulate, count

from repetend.templates.block_lists import masked_lines
from repetend.templates.block_loops import block_loop, line_end_split
from repetend.templates.header_fields import (
    header_keys,
    header_pattern,
    header_span,
    page_titles,
    wordy,
)
from repetend.templates.line_anchors import anchors_of, kept_anchors
from repetend.templates.parts import Fixed, Optional, Part, Slot
from repetend.templates.slot_edges import edged
from repetend.templates.token_alignment import token_pieces

# An anchor every member keeps is required text only in a family of this many: from fewer,
# a new member may well lack it (the rule of three: 5 of 5 leaves up to 60% likely to).
# Below it the anchor opens a usual section, on unless a file lacks it; the commit check
# still names its lines when a new file lacks them.
REQUIRED_MEMBERS = 10
# A value with words that every member having its section shares is fixed text only when at
# least this many members have it (or every member does): two KEPs of 150 with a `beta:`
# section and the same approver do not make the approver the template's.
SAME_VALUE_MEMBERS = 3
MAX_REFINED_CHARS = 1000  # longer slot texts are prose: token alignment would only find noise
# Unquoted YAML keys anchor the items of a loop at any indent (`  uses: …`) and a whole YAML
# file at its top level only (`run-name: …`): a key some members have is then a conditional.
# Deeper keys are left to the lines: a workflow's keys repeat at many levels. Top-level keys
# kept every held-out exact rate and lowered the similarity of some misses (deployments'
# alibabacloud family: 0.91 to 0.78).
TOP_KEY = r"([A-Za-z_][\w-]*:[ \t]+)\S"
ITEM_KEY = r"([ \t]*(?:- )?[A-Za-z_][\w.-]*:[ \t]+)\S"


@dataclass
class Alignment:
    """The parts of a template and, per member, each slot's text and each section's flag."""

    parts: list[Part]
    texts: list[dict[int, str]]
    flags: list[dict[str, bool]] = field(default_factory=list)
    loops: bool = False  # whether block lists may become loops (YAML files, not their items)
    items: bool = False  # the items of a loop: values stay whole (a few items over-fit tokens)
    whole: set[int] = field(default_factory=set)  # slots kept whole: header fields' values
    value_slots: list[Slot] = field(default_factory=list)  # the values of key anchors
    after_fields: Slot | None = None  # the slot after the last key anchor
    keep: set[int] = field(default_factory=set)  # slots kept though empty in every member
    prose: bool = False  # a page of prose: text over several lines is not cut in tokens


def align(
    members: list[str],
    *,
    yaml: bool = False,
    items: bool = False,
    lists: bool = False,
    prose: bool = False,
) -> Alignment:
    """Align the members' texts (n-way) into fixed text, slots and optional sections.

    In a YAML file (`yaml`) the lines of block lists are not anchors, so each
    list falls into one slot that may become a loop; `items` aligns the items
    of such a loop, anchored by their keys. In `prose` (Markdown, reST, text)
    a slot over several lines keeps only its shared first and last lines.
    """
    ids = count()
    lines = [text.splitlines() for text in members]  # contents; the line ends go to the slots
    fields = "" if yaml or items else header_pattern(header_keys(lines))
    if yaml or lists:  # in Markdown (`lists`) a `#` line is a heading, not a comment
        lines = [_masked(member, yaml, bool(fields)) for member in lines]
    bare_key = ITEM_KEY if items else TOP_KEY if yaml else fields
    titles = page_titles(members) if prose else frozenset()
    spans = [header_span(member) for member in lines] if fields else None  # keys only there
    anchors, present = anchors_of(
        lines, bare_key, quoted=yaml or items or not fields, titles=titles, key_spans=spans
    )
    kept = [kept_anchors(member, anchors) for member in present]
    alignment = _by_anchors(members, lines, anchors, kept, ids, leads=prose)
    alignment.loops, alignment.items, alignment.prose = yaml or lists, items, prose
    if fields:  # a field's value is one value (`Pending`, a date, a link), never cut in tokens
        alignment.whole = {s.id for s in alignment.value_slots}
        if alignment.after_fields is not None:  # fields no member had go here
            alignment.after_fields.name = "other_fields"
            alignment.keep = {alignment.after_fields.id}
    refined = [_refined(part, alignment, ids) for part in alignment.parts]
    alignment.parts = _tidy(_spliced(refined), alignment.texts, alignment.keep)
    return alignment


def _masked(member: list[str], yaml: bool, fields: bool) -> list[str]:
    """The lines with block lists blanked, but not the header fields (`- Start Date: …`)."""
    masked = masked_lines(member, comments=yaml)
    span = header_span(member) if fields else 0
    return member[:span] + masked[span:]


def item_parts(items: list[str]) -> list[Part]:
    """The named parts of one item of a loop, aligned from every member's items."""
    from repetend.templates.variables import name_slots

    alignment = align(items, items=True)
    parts = alignment.parts
    if parts and not isinstance(parts[-1], Slot):
        parts.append(
            Slot(-1, "more")
        )  # what follows the last fixed text in an item not learned from
    name_slots(parts, alignment.texts, {"list_indent"})
    return parts


def _worded(text: str) -> bool:
    return any(c.isalnum() for c in text)


def _usual(part: Part) -> bool:
    return isinstance(part, Optional) and part.usual and not part.line


def _one_block(first: Part, second: Part) -> bool:
    """Whether two usual sections are lines of one block (no slot, no blank line between)."""
    if not (_usual(first) and _usual(second)):
        return False
    end, start = first.body[-1], second.body[0]  # type: ignore[union-attr]
    if not (isinstance(end, Fixed) and isinstance(start, Fixed)):
        return False
    meeting = end.text[-3:] + start.text[:3]
    return "\n\n" not in meeting and "\n\r\n" not in meeting


def _spliced(parts: list[Part]) -> list[Part]:
    flat: list[Part] = []
    for part in parts:
        flat.extend(part.body if _is_group(part) else [part])  # type: ignore[union-attr]
    return flat


def _tidy(parts: list[Part], texts: list[dict[int, str]], keep: set[int]) -> list[Part]:
    """Drop slots that are empty in every member and join fixed texts that meet."""
    tidy: list[Part] = []
    for part in parts:
        if isinstance(part, Optional):
            part = Optional(
                part.flag, _tidy(part.body, texts, keep), usual=part.usual, line=part.line
            )
        elif (
            isinstance(part, Slot)
            and part.id not in keep
            and not any(t.get(part.id) for t in texts)
        ):
            for member in texts:
                member.pop(part.id, None)
            continue
        elif isinstance(part, Fixed) and not part.text:
            continue  # an empty fixed text would end the slot before it where it starts
        if isinstance(part, Fixed) and tidy and isinstance(tidy[-1], Fixed):
            tidy[-1] = Fixed(tidy[-1].text + part.text)
        elif tidy and _one_block(tidy[-1], part):  # every member has both: one section
            body = tidy[-1].body + part.body  # type: ignore[union-attr]
            tidy[-1] = Optional(tidy[-1].flag, _tidy(body, texts, keep), usual=True)  # type: ignore[union-attr]
        else:
            tidy.append(part)
    return tidy


def _by_anchors(
    members: list[str],
    lines: list[list[str]],
    anchors: list[str],
    kept: list[dict[int, int]],
    ids: count[int],
    *,
    leads: bool = False,
) -> Alignment:
    first = Slot(next(ids))
    parts: list[Part] = [first]
    slot_of_rank: dict[int, Slot] = {}
    value_of_rank: dict[int, Slot] = {}  # a key anchor's value: the rest of its line
    indent_of_rank: dict[int, Slot] = {}  # a key's indent, where it differs between members
    lead_of_rank: dict[int, str] = {}  # the line end before a whole-line anchor, if shared
    # in prose (`leads`) a whole-line anchor takes the line end before it: a heading starts a
    # line of the source. Not in code: a file may start with the line (no docstring above).
    starts = [[0, *accumulate(map(len, t.splitlines(keepends=True)))] for t in members] * leads
    by_line = [{line: rank for rank, line in held.items()} for held in kept] * leads
    flags: list[dict[str, bool]] = [{} for _ in lines]
    for rank, anchor in enumerate(anchors):
        holders = [rank in member for member in kept]
        if not any(holders):
            continue
        slot = slot_of_rank[rank] = Slot(next(ids))
        indents = _key_indents(anchor, lines, kept, rank)
        if (
            leads
            and not indents
            and (lead := _lead(members, starts, kept, by_line, rank, value_of_rank))
        ):
            lead_of_rank[rank] = lead
        body: list[Part] = [Fixed(lead_of_rank.get(rank, "") + anchor)]
        if indents:  # a key anchor: its line's indent, the key, its value
            value_of_rank[rank] = Slot(next(ids))
            if len(indents) == 1:  # fixed, so an optional key's section opens with text
                body = [Fixed(indents.pop() + anchor)]
            else:
                body.insert(0, indent_of_rank.setdefault(rank, Slot(next(ids))))
            body.append(value_of_rank[rank])
        if all(holders) and len(holders) >= REQUIRED_MEMBERS:
            parts.extend([*body, slot])
            continue
        flag, usual = f"section_{rank}", all(holders)  # the flag is renamed once named
        if rank in value_of_rank:  # an optional key is its own line: the text after it is not
            parts.extend([Optional(flag, body, usual=usual, line=True), slot])
        else:
            parts.append(Optional(flag, [*body, slot], usual=usual))
        for member_flags, held in zip(flags, holders, strict=True):
            member_flags[flag] = held
    texts = [
        _slot_texts(
            text, anchors, k, first, (slot_of_rank, value_of_rank, indent_of_rank), lead_of_rank
        )
        for text, k in zip(members, kept, strict=True)
    ]
    alignment = Alignment(parts, texts, flags)
    alignment.value_slots = list(value_of_rank.values())
    if value_of_rank:  # the text after the last key's line
        alignment.after_fields = slot_of_rank[max(value_of_rank)]
    return alignment


def _lead(
    members: list[str],
    starts: list[list[int]],
    kept: list[dict[int, int]],
    by_line: list[dict[int, int]],
    rank: int,
    keys: dict[int, Slot],
) -> str:
    """The line end before an anchor's line in every member that keeps it, or ''.

    `keys`: the key anchors so far (a key's value slot ends with its line end).
    """
    at_line = [held.get(rank) for held in kept]
    after_key = {n for n, i in enumerate(at_line) if i and by_line[n].get(i - 1, -1) in keys}
    return _line_end_before(members, starts, at_line, after_key)


def _line_end_before(
    members: list[str], starts: list[list[int]], kept: list[int | None], after_key: set[int]
) -> str:
    """The line end every member that keeps an anchor has just before its line, or ''.

    `after_key`: the members whose line before the anchor's is a key anchor's
    (its value slot ends with that line end): none may, or it is read twice.
    """
    found = set()
    for number, (text, offsets, line) in enumerate(zip(members, starts, kept, strict=True)):
        if line is None:
            continue
        if line == 0 or number in after_key:
            return ""
        start = offsets[line]
        found.add("\r\n" if text.startswith("\r\n", start - 2) else text[start - 1 : start])
    lead = found.pop() if len(found) == 1 else ""
    return lead if lead in ("\n", "\r\n") else ""


def _key_indents(
    anchor: str, lines: list[list[str]], kept: list[dict[int, int]], rank: int
) -> set[str]:
    """The indents of a key anchor's lines (empty for a whole-line anchor)."""
    found = [member[held[rank]] for member, held in zip(lines, kept, strict=True) if rank in held]
    if found and found[0] == anchor:
        return set()
    return {line[: len(line) - len(line.lstrip(" \t"))] for line in found}


def _slot_texts(
    text: str,
    anchors: list[str],
    kept: dict[int, int],
    first: Slot,
    slots_of_rank: tuple[dict[int, Slot], dict[int, Slot], dict[int, Slot]],
    lead_of_rank: dict[int, str],
) -> dict[int, str]:
    slot_of_rank, value_of_rank, indent_of_rank = slots_of_rank
    offsets = [0, *accumulate(map(len, text.splitlines(keepends=True)))]
    order = sorted(kept.items(), key=lambda item: item[1])
    texts: dict[int, str] = dict.fromkeys(
        (s.id for r, s in slot_of_rank.items() if r in value_of_rank), ""
    )  # the text after a key some members lack is empty in those members
    at, current = 0, first.id
    for rank, index in order:
        line = text[offsets[index] : offsets[index + 1]]
        indent = len(line) - len(line.lstrip(" \t")) if rank in value_of_rank else 0
        start = offsets[index] + indent
        if rank in value_of_rank:  # the indent is a slot of its own, or fixed with the key
            texts[current] = text[at : offsets[index]]
            if rank in indent_of_rank:
                texts[indent_of_rank[rank].id] = text[offsets[index] : start]
        else:
            start -= len(lead_of_rank.get(rank, ""))
            texts[current] = text[at:start]
        at = start + len(lead_of_rank.get(rank, "")) + len(anchors[rank])  # line or key prefix
        if rank in value_of_rank:
            texts[value_of_rank[rank].id] = text[at : offsets[index + 1]]
            at = offsets[index + 1]
        current = slot_of_rank[rank].id
    texts[current] = text[at:]
    return texts


def _refined(part: Part, alignment: Alignment, ids: count[int]) -> Part | Optional:
    if isinstance(part, Optional):
        body = [_refined(inner, alignment, ids) for inner in part.body]
        return Optional(part.flag, _spliced(body), usual=part.usual, line=part.line)
    if not isinstance(part, Slot):
        return part
    return _refine_slot(part, alignment, ids)


def _is_group(part: Part) -> bool:
    return isinstance(part, Optional) and part.flag == ""


def _loop(
    slot: Slot, alignment: Alignment, holders: list[dict[int, str]], ids: count[int]
) -> Part | None:
    """The slot as fixed blank lines, a loop over its items and the rest, if it holds a list."""
    found = block_loop([texts[slot.id] for texts in holders], next(ids), item_parts)
    if found is None:
        return None
    rest = Slot(next(ids))
    for member, items, after in zip(holders, found.items, found.rest, strict=True):
        del member[slot.id]
        member[found.loop.id], member[rest.id] = items, after
    body: list[Part] = [Fixed(found.lead), found.loop]
    if any(found.rest):
        body.extend(_spliced([_refine_slot(rest, alignment, ids)]))
    else:
        for member in holders:
            del member[rest.id]
    return Optional("", body)


def _refine_slot(slot: Slot, alignment: Alignment, ids: count[int]) -> Part:
    if slot.id in alignment.keep:
        return slot
    holders = [texts for texts in alignment.texts if slot.id in texts]
    values = [texts[slot.id] for texts in holders]
    if len(values) >= 2 and len(set(values)) == 1:
        if len(values) < SAME_VALUE_MEMBERS < len(alignment.texts) and _worded(values[0]):
            return slot  # two of many members agree on a word: a value, not the template's
        for texts in holders:
            del texts[slot.id]
        return Fixed(values[0])
    if alignment.items:
        return line_end_split(slot, holders, ids)
    if alignment.loops and len(values) >= 2 and slot.items is None:
        loop = _loop(slot, alignment, holders, ids)
        if loop is not None:
            return loop
    if slot.id in alignment.whole:
        return line_end_split(slot, holders, ids)
    if len(values) < 2:
        return slot
    if alignment.prose and any("\n" in value for value in values) and wordy(values):
        return edged(slot, holders, ids)  # paragraphs: tokens shared by chance, not by form
    if sorted(map(len, values))[len(values) // 2] > MAX_REFINED_CHARS:
        return edged(slot, holders, ids)  # (a few long texts among short ones are aligned)
    pieces = token_pieces(values)
    group: list[Part] = []
    for piece in pieces:
        if isinstance(piece, str):
            group.append(Fixed(piece))
            continue
        new = Slot(next(ids))
        group.append(new)
        for texts, text in zip(holders, piece, strict=True):
            texts[new.id] = text
    for texts in holders:
        del texts[slot.id]
    return Optional("", group)  # an unnamed group: spliced into its parent
