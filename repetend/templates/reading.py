"""Reading a file's slot texts out of a template's parts, by finding the fixed parts in order.

This is how values are read from a file the template was not learned from
(the held-out rate, the refit of changed members, the pre-commit check of a
new file): a search for the fixed text, not a parse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import islice
from typing import Any

from repetend.templates.block_lists import list_end
from repetend.templates.parts import Fixed, Optional, Part, Slot, separated


@dataclass
class Reading:
    """What `read_slots` found in a file: slot texts, flags, and fixed parts it lacks."""

    texts: dict[int, str] = field(default_factory=dict)
    flags: dict[str, bool] = field(default_factory=dict)
    missing: list[str] = field(default_factory=list)
    position: int = 0
    pending: Slot | None = None
    resync: bool = False  # after a missing fixed text, read on from the next one with words
    lost: bool = False  # (with `resync`) a fixed text was missing and no words found since
    forced: dict[int, bool] = field(default_factory=dict)  # section (by id) -> present or not
    decided: list[tuple[Optional, bool, int]] = field(default_factory=list)  # and where
    # the first fixed texts of (parts list, from index, required only): the parts do not
    # change while they are read, and trials of one file (see `exact_reading`) share these
    openings: dict[tuple[int, int, bool], list[Any]] = field(default_factory=dict)


def read_slots(
    parts: list[Part],
    text: str,
    *,
    resync: bool = False,
    forced: dict[int, bool] | None = None,
    openings: dict[tuple[int, int, bool], list[str]] | None = None,
) -> Reading:
    """Read each slot's text out of `text` by finding the fixed parts in order.

    A fixed part that is not found is listed in `missing` and skipped, so a
    file that lacks a section still yields the rest of its values. With
    `resync` (to say what a file lacks, not to read its values), reading goes
    on from the next fixed text with words in it, so the punctuation after a
    missing key is not reported missing too. `forced` decides some sections
    (by the `id` of their part) instead of looking for them.
    """
    reading = Reading(resync=resync, forced=dict(forced or {}))
    if openings is not None:
        reading.openings = openings
    _read(parts, text, reading)
    if reading.pending is not None:
        reading.texts[reading.pending.id] = text[reading.position :]
    elif reading.position != len(text):
        reading.missing.append("(end of file)")
    return reading


def _read(parts: list[Part], text: str, reading: Reading) -> None:
    for index, part in enumerate(parts):
        if isinstance(part, Slot):
            if reading.lost:  # the first slot takes the text up to where reading goes on
                reading.pending = reading.pending or part
                continue
            if reading.pending is not None and reading.pending.items is not None:
                _close_loop(text, reading)  # a loop followed by a slot ends where its list does
            elif reading.pending is not None and part.tied:
                continue  # its value is another's: the text is the pending slot's
            elif reading.pending is not None and part.items and isinstance(part.items[0], Fixed):
                _close_before(part.items[0].text, text, reading)  # where the first item opens
            if reading.pending is not None:  # two slots meet (a section between is off):
                reading.texts.setdefault(reading.pending.id, "")  # the later one takes the text
            reading.pending = part
        elif isinstance(part, Fixed):
            _read_fixed(part.text, text, reading)
        else:
            present = reading.forced.get(id(part))
            if present is None:
                present = _section_present(part, parts, index + 1, text, reading)
            reading.flags[part.flag] = present
            reading.decided.append((part, present, reading.position))
            if part.usual and not present and reading.resync:  # what the file lacks
                reading.missing.extend(t for t in _fixed(part.body, False) if _marker([t]))
            _read(part.body if present else part.otherwise, text, reading)


def _close_before(fixed: str, text: str, reading: Reading) -> None:
    """End the pending slot where `fixed` is next found (the slot after it starts there)."""
    assert reading.pending is not None
    found = text.find(fixed, reading.position)
    if found >= 0:
        reading.texts[reading.pending.id] = text[reading.position : found]
        reading.position, reading.pending = found, None


def _close_loop(text: str, reading: Reading) -> None:
    assert reading.pending is not None
    if separated(reading.pending):  # JSON objects: up to the end of the last one
        from repetend.templates.json.layout import items_end

        end = items_end(text, reading.position)
    else:
        end = list_end(text, reading.position)
    reading.texts[reading.pending.id] = text[reading.position : end]
    reading.position, reading.pending = end, None


def _read_fixed(fixed: str, text: str, reading: Reading) -> None:
    if reading.lost:
        _resync(fixed, text, reading)
        return
    if reading.pending is None:
        found = reading.position if text.startswith(fixed, reading.position) else -1
    elif reading.pending.separator is not None or reading.pending.spacing is not None:
        found = _loop_end(reading.pending, fixed, text, reading.position)
    else:
        found = find_word(text, fixed, reading.position)
    if found < 0:
        reading.missing.append(fixed)
        if reading.resync:
            reading.lost, reading.pending = True, None
        return
    if reading.pending is not None:
        reading.texts[reading.pending.id] = text[reading.position : found]
        reading.pending = None
    reading.position = found + len(fixed)


def _resync(fixed: str, text: str, reading: Reading) -> None:
    """After a missing fixed text: skip punctuation, read on from the next words found.

    The slot after a missing key (`"iconName": "`) has no start, and the `",`
    that would end it is found in the next line's value; reading on from the
    next key (`"categories": `) keeps the rest of the file's values.
    """
    if not _has_word(fixed):
        return
    found = text.find(fixed, reading.position)
    if found < 0:
        reading.missing.append(fixed)
        return
    if reading.pending is not None:
        reading.texts[reading.pending.id] = text[reading.position : found]
    reading.position, reading.lost, reading.pending = found + len(fixed), False, None


def _loop_end(loop: Slot, fixed: str, text: str, start: int) -> int:
    """Where the fixed text after a loop's items is: not where a separator starts another."""
    found = text.find(fixed, start)
    while found >= 0:
        if loop.separator:
            skip = len(loop.separator) if text.startswith(loop.separator, found) else 0
        else:  # the separator is a variable: a comma between two quoted items
            spacing = re.compile(r'"[ \t\r\n]*,[ \t\r\n]*"').match(text, found)
            skip = spacing.end() - found if spacing else 0
        if not skip:
            return found
        found = text.find(fixed, found + skip)
    return found


def _section_present(
    section: Optional, parts: list[Part], after: int, text: str, reading: Reading
) -> bool:
    """Whether the file has the section here: its text comes before what must follow it.

    Each side is found by its first fixed text with a word in it (`"creator": "`
    rather than the `,` and line break that open the section and much else).
    A section that is only a slot is there when its alternative is not.
    """
    opening = _leading(section.body, 0, False, reading)
    if not opening:
        other = _leading(section.otherwise, 0, False, reading)
        return bool(other) and not _opens(other, parts, after, text, reading)
    return _opens(opening, parts, after, text, reading)


def _opens(opening: list[str], parts: list[Part], after: int, text: str, reading: Reading) -> bool:
    if reading.pending is None:  # nothing open before it: the section starts right here or not
        at_position = text.startswith(opening[0], reading.position)
        found = reading.position if at_position else -1
    elif not _may_occur(opening[0], text, reading):
        return False
    else:
        found = find_word(text, opening[0], reading.position)
    if found < 0:
        return False
    where = text.find(_marker(opening) or opening[0], found)
    if where < 0:
        return False
    following = _leading(parts, after, True, reading)
    if not _marker(following):  # what follows is punctuation: the section must come first
        return not following or not _before(text, following[0], reading.position, found)
    return not _before(text, _marker(following), reading.position, where)


_LINE_BREAKS = re.compile(r"[\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _may_occur(fixed: str, text: str, reading: Reading) -> bool:
    """False when `fixed` opens with a whole line the text does not have (no search).

    A page's section opens with a line end and a whole line (`\n## Motivation\n`):
    when no line of the file is that line, searching the rest of the file for it
    from every absent section made reading a long page slow.
    """
    if not fixed.startswith("\n") or fixed.find("\n", 1) < 0:
        return True
    line = fixed[1 : fixed.find("\n", 1)]
    if _LINE_BREAKS.search(line):
        return True  # (splitlines would cut it elsewhere)
    key = (-1, -1, False)
    lines = reading.openings.get(key)
    if lines is None or lines[0] is not text:
        lines = reading.openings[key] = [text, set(text.splitlines())]
    return line in lines[1]


def find_word(text: str, fixed: str, start: int) -> int:
    """Where `fixed` next occurs from `start` without starting inside a word, or -1.

    A slot's text ends where a word may end: `on: ` is not found in `cron: `,
    but `Sensor` is after `AirQuality` (a case change starts a word, as the
    token alignment splits them).
    """
    found = text.find(fixed, start)
    if not fixed or not (fixed[0].islower() or fixed[0].isdigit()):
        return found
    while found > start and _continues(text[found - 1], fixed[0]):
        found = text.find(fixed, found + 1)
    return found


def _continues(before: str, first: str) -> bool:
    return (before.isalpha() and first.islower()) or (before.isdigit() and first.isdigit())


def _before(text: str, fixed: str, start: int, limit: int) -> bool:
    """Whether `fixed` occurs in `text` from `start` on, beginning before `limit`.

    The search stops at `limit`: searching to the end of a long file from every
    section made reading quadratic in the file's length.
    """
    return text.find(fixed, start, limit + len(fixed) - 1) >= 0


def _marker(fixed: list[str]) -> str:
    return next((text for text in fixed if _has_word(text)), "")


# A letter or digit: `[^\W_]` is exactly `str.isalnum` for each character (checked over all
# of Unicode), searched in C; asked of every fixed text before every section of every read.
_WORD = re.compile(r"[^\W_]")


def _has_word(text: str) -> bool:
    """Whether `text` has a letter or digit (`any(c.isalnum() for c in text)`)."""
    return _WORD.search(text) is not None


MARKER_REACH = 4  # fixed texts looked at for a marker: a file's read asks for every section


def _leading(parts: list[Part], start: int, required_only: bool, reading: Reading) -> list[str]:
    """The first few fixed texts of `parts[start:]` (`fixed_texts(…)[:MARKER_REACH]`), kept."""
    if required_only:  # asked after every section: one backward pass serves every start
        key = (id(parts), -1, True)
        table = reading.openings.get(key)
        if table is None:
            table = reading.openings[key] = _required_openings(parts)
        return table[start] if start < len(table) else []
    key = (id(parts), start, required_only)
    found = reading.openings.get(key)
    if found is None:
        found = list(islice(_fixed(parts, required_only, start), MARKER_REACH))
        reading.openings[key] = found
    return found


def _required_openings(parts: list[Part]) -> list[Any]:
    """For each index, the first fixed texts outside sections from there on (one list each).

    Walking forward from every section instead was quadratic in a template of many
    sections with few fixed texts between them (generated data tables: 8 s a file).
    """
    table: list[Any] = [[]] * (len(parts) + 1)
    for index in range(len(parts) - 1, -1, -1):
        part, after = parts[index], table[index + 1]
        table[index] = [part.text, *after[: MARKER_REACH - 1]] if isinstance(part, Fixed) else after
    return table


def _fixed(parts: list[Part], required_only: bool, start: int = 0) -> Iterator[str]:
    for part in islice(parts, start, None):
        if isinstance(part, Fixed):
            yield part.text
        elif isinstance(part, Optional) and not required_only:
            yield from _fixed(part.body, required_only)
            yield from _fixed(part.otherwise, required_only)
