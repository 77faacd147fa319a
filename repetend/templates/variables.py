"""Variables of a learned template: names from context, and slots that hold lists.

Each slot is named after what precedes it on its line (the JSON or YAML key,
the assignment target, the `Key:` label), the heading it follows or the block
it opens, never `var1`. Ties between variables are in `variable_ties`.
"""

from __future__ import annotations

import keyword
import re
from collections import Counter
from collections.abc import Iterable, Sequence

from repetend.templates.parts import Fixed, Optional, Part, Slot, fixed_texts

# `key: `, `"key": "`, `key = [` and `key = ghp_` (a value's fixed prefix) all name the slot
_KEY = re.compile(
    r"""["']?([A-Za-z_][\w-]*)["']?\s*[:=](?!//)\s*["'\[]*[^\s"'\[\]{}(),:=]{0,12}$"""
)
_LINE_LABEL = re.compile(
    r"^\s*(?:[-*+]\s+)?([A-Za-z][\w -]{0,30}?)\s*:(?!//)\s*\W{0,3}$"
)  # `- Start Date: `
_LABEL = re.compile(r"([A-Za-z][\w ]{0,30}?)\s*[:=](?!//)\s*\W*$")
_HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*$", re.MULTILINE)
_WORD = re.compile(r"[A-Za-z_]\w*")
_TRAILING_WORD = re.compile(r"[A-Za-z0-9_]+$")
_OPENING = re.compile(r"""["']?([A-Za-z_]\w*)["']?\s*[:=]\s*[\[{(]\s*\n[^\n]*\Z""")
_QUOTED_LIST = re.compile(r"""(["'])(,\s*)\1""")
_BLOCK_ITEM_PREFIX = re.compile(r"(?:^|\n)([ \t]*- )$")  # fixed text ending a `- ` item's lead
_BLOCK_OPENING = re.compile(r"(?:^|\n)[ \t]*([A-Za-z_][\w-]*):[ \t]*\r?\n[ \t]*[-*] $")
_OPENS_BLOCK = re.compile(
    r"[ \t]*(?:- )?[\"']?([A-Za-z_][\w.-]*)[\"']?[ \t]*:[ \t]*(?:[|>][-+]?)?[ \t]*"
)
# The first key (`  branches: …`, `"name": …`) or definition (`def setup`, `function run`) of a text
_FIRST_KEY = re.compile(
    r"\A\s*(?:#[^\n]*\n\s*)*(?:(?:- )?[\"']?([A-Za-z_][\w-]*)[\"']?[ \t]*:(?:[ \t]|\r?$)"
    r"|(?:async\s+)?(?:def|class|function|const|let|var|fn|func)\s+([A-Za-z_]\w*))",
    re.MULTILINE,
)
RESERVED = {"loop", "item", "true", "false", "none", "range", "self", "super", "varargs", "kwargs"}
# a loop item is a dict: `{{ change.items }}` would be its method, not a field
RESERVED |= {"items", "keys", "values", "get", "update", "pop", "copy", "clear", "setdefault"}


def name_slots(
    parts: list[Part],
    texts: Sequence[dict[int, str]],
    taken: set[str],
    *,
    markdown: bool = False,
    heading: str = "",
    scope: list[str] | None = None,
) -> str:
    """Give every slot and optional section a name from its context (unique in `taken`).

    In Markdown a slot with no key or label before it is named after the
    heading it sits under. Returns the last heading seen, for the text after.
    In code, text nothing else names is named after the definition it is in
    (`main_body` in `def main`), kept in `scope` across sections.
    """
    scope = [""] if scope is None else scope
    previous = tail = ""
    for index, part in enumerate(parts):
        if isinstance(part, Fixed):
            previous = tail = part.text
            heading = _last_heading(part.text, markdown) or heading
            scope[0] = _last_definition(part.text) or scope[0]
        elif isinstance(part, Optional):
            part.original = part.original or part.flag
            if not part.named:
                named = section_name(part, tail, heading) or _in_scope(scope[0], "block")
                part.flag = unique(f"has_{named or 'section'}", taken)
            heading = _title_opening(part) or heading  # `Motivation` opens what follows
            for body in (part.body, part.otherwise):
                heading = name_slots(
                    body, texts, taken, markdown=markdown, heading=heading, scope=scope
                )
            previous = ""
        elif not part.name:
            tail = ""  # the text before a section after this slot varies: no word to join
            values = [t[part.id] for t in texts if part.id in t]
            following = parts[index + 1] if index + 1 < len(parts) else None
            name, part.keyed = _slot_name(previous, following, values, heading)
            if name in ("body", "text") or name.startswith("before_"):
                name = _in_scope(scope[0], "body") or name
            if part.items is not None:  # a loop: named after the key that opens its list
                name, part.keyed = _list_key(previous) or name, True
            part.name = unique(name, taken)
    return heading


_DEFINED = re.compile(r"^[ \t]*(?:async\s+)?(?:def|class|function|fn|func)\s+([A-Za-z_]\w*)", re.M)


def _last_definition(text: str) -> str:
    """The name of the last function or class defined in `text` (`main`), or ''."""
    found = _DEFINED.findall(text)
    return snake(found[-1]) if found else ""


def _in_scope(definition: str, what: str) -> str:
    return f"{definition}_{what}" if definition else ""


def section_name(section: Optional, before: str, heading: str = "") -> str:
    """A section's name from its first line in whole words, the title it is under, or its words.

    The first line is read with the word the fixed text before it ends in
    (`C` + `ommands:` is `commands`, never `ommands`). A section whose first
    line has no words (an underline) is `<title>_body` under a title.
    """
    opening = section.body[0].text if section.body and isinstance(section.body[0], Fixed) else ""
    lead = _TRAILING_WORD.search(before) if opening[:1].isalnum() else None
    named = _section_name((lead.group() if lead else "") + opening)
    if named or heading:
        return named or f"{heading}_body"
    worded = (t for t in fixed_texts(section.body) if _WORD.search(t))
    return _section_name(next((_worded_line(t) for t in worded), ""))


def _worded_line(text: str) -> str:
    return next((line for line in text.splitlines() if _WORD.search(line)), "")


def _section_name(opening: str) -> str:
    """A short name for an optional section from its first line: a heading, a key, or words."""
    line = opening.strip().splitlines()[0] if opening.strip() else ""
    key = None if line.startswith("#") else _KEY.search(line) or _LINE_LABEL.search(line)
    if key:
        return snake(key.group(1))
    words = dict.fromkeys(word.lower() for word in _WORD.findall(line))  # `[summary]: #summary`
    return snake("_".join([w for w in words if w not in _STOPWORDS][:4]))


# A reStructuredText title: a line of words over an adornment line at least as long
_RST_HEADING = re.compile(r"^([^\n]*[A-Za-z][^\n]*)\n([=\-~^*#+])\2{2,}[ \t]*$", re.MULTILINE)


def _last_heading(text: str, markdown: bool) -> str:
    """The last Markdown heading (in Markdown) or reStructuredText title in `text`."""
    found = [(m.start(), m.group(1)) for m in _HEADING.finditer(text)] if markdown else []
    found += [
        (m.start(), m.group(1).strip())
        for m in _RST_HEADING.finditer(text)
        if len(m.group(0).split("\n")[1].rstrip()) >= len(m.group(1).rstrip())
    ]
    return snake(max(found)[1]) if found else ""


def _slot_name(
    previous: str, following: Part | None, values: list[str], heading: str = ""
) -> tuple[str, bool]:
    if values and all(not v.strip() for v in values):
        return ("line_end" if any("\n" in v or "\r" in v for v in values) else "indent"), False
    if re.fullmatch(r"#{1,6} ", previous.rsplit("\n", 1)[-1]):
        return "title", True  # `# {{ title }}`: the heading is the slot
    found = _keyed_name(previous) or heading
    if found:
        return found, True
    opening = _BLOCK_OPENING.search(previous)  # the first item of `tags:\n  - a\n  - b`
    if opening:
        return snake(opening.group(1)), True
    line = previous.rsplit("\n", 1)[-1]
    if isinstance(following, Fixed) and following.text.startswith("(") and _callees(values):
        return "function", False  # `{{ function }}(handle.read())`: what is called varies
    if re.fullmatch(r"\s*(?:import|from)\s+", line) and _callees(values):
        return "module", False
    words = [w for w in _WORD.findall(_URL.sub(_url_words, line)) if not keyword.iskeyword(w)]
    after = _WORD.findall(following.text.split("\n", 1)[0]) if isinstance(following, Fixed) else []
    if words and words[-1].lower() in _STOPWORDS and after:
        return snake(after[0]), False  # `Check that {{ files }} parse`: the word after
    if words:
        return snake(words[-1]), False
    opened = _OPENING.search(previous)
    if opened:
        return opened.group(1), True
    found = _parent_key(previous) or _first_key(values) or _shape_name(values)
    found = "" if keyword.iskeyword(found) else found  # `try:` opens a block, names nothing
    found = found or _definition_body(previous) or _title_above(previous)
    if found:
        return found, False
    if isinstance(following, Fixed):
        next_word = _WORD.search(following.text)
        return (f"before_{snake(next_word.group())}" if next_word else "text"), False
    return ("body" if previous else "header"), False


_STOPWORDS = {"a", "an", "the", "that", "this", "of", "to", "in", "for", "and", "or", "is", "are"}
_STOPWORDS |= {"with", "on", "by", "as", "at", "from", "be", "it", "we", "you"}
_CALLEE = re.compile(r"[A-Za-z_][\w.]*")


def _callees(values: list[str]) -> bool:
    return bool(values) and all(_CALLEE.fullmatch(v) for v in values)


_URL = re.compile(r"[a-z][a-z0-9+.-]*://[^\s\"'<>()]*")
_TLD = {"com", "org", "net", "io", "dev", "www", "http", "https", "html", "htm", "md"}


def _url_words(found: re.Match[str]) -> str:
    """A URL as the words that name what is in it: its path's words, not its scheme or host."""
    path = found.group().split("://", 1)[1].split("/", 1)[1:]
    words = _WORD.findall(path[0]) if path else []
    return " ".join(w for w in words if w.lower() not in _TLD)


# What most of a slot's texts open with (their first line that is not blank), and its name
_SHAPES = (
    (re.compile(r'\s*(?:[rRbBuU]?"""|\'\'\')'), "docstring"),
    (re.compile(r"\s*(?:import|from)\s+\w"), "imports"),
    (re.compile(r"\s*@\w"), "decorators"),
    (re.compile(r"\s*(?:#|//|<!--)"), "comment"),
    (re.compile(r"\s*(?:async\s+)?def\s"), "functions"),
    (re.compile(r"\s*class\s"), "classes"),
)
_DEFINITION = re.compile(r"^\s*(?:async\s+)?(?:def|class)\s+([A-Za-z_]\w*)[^\n]*:\s*$")


def _shape_name(values: list[str]) -> str:
    """`imports`, `docstring`, `comment`, `items`…: what most of the texts open with."""
    texts = [v for v in values if v.strip()]
    for pattern, name in _SHAPES:
        if texts and sum(1 for v in texts if pattern.match(v)) * 2 > len(texts):
            return name
    return ""


_TITLE = re.compile(r"[A-Z][A-Za-z0-9 '/-]{0,40}")  # `Backwards Compatibility`, not code


def _title_above(previous: str) -> str:
    """`abstract` for the text under a line `Abstract` (a short line of words: a title)."""
    lines = [line.strip() for line in previous.splitlines() if line.strip()]
    if not lines or not previous.endswith("\n") or not _TITLE.fullmatch(lines[-1]):
        return ""
    return snake(lines[-1]) if len(lines[-1].split()) <= 5 else ""


def _title_opening(section: Optional) -> str:
    """The title a section opens with (its first line is a short line of words), or ""."""
    first = section.body[0] if section.body else None
    if not isinstance(first, Fixed) or not first.text.strip():
        return ""
    return _title_above(first.text.lstrip("\n").split("\n", 1)[0] + "\n")


def _definition_body(previous: str) -> str:
    """`main_body` for the text under `def main(argv):` (the line before the slot)."""
    lines = [line for line in previous.splitlines() if line.strip()]
    found = _DEFINITION.match(lines[-1]) if lines and previous.endswith("\n") else None
    return f"{snake(found.group(1))}_body" if found else ""


def _parent_key(previous: str) -> str:
    """`on` for a slot that starts the line after `on:` (the block it opens)."""
    if not previous.rstrip(" \t").endswith("\n"):
        return ""
    lines = [line for line in previous.splitlines() if line.strip()]
    found = _OPENS_BLOCK.fullmatch(lines[-1]) if lines else None
    return snake(found.group(1)) if found else ""


def _first_key(values: list[str]) -> str:
    """The key or definition most of the slot's texts begin with (`branches`, `setup`)."""
    firsts = [
        found.group(1) or found.group(2)
        for v in values
        if v.strip() and (found := _FIRST_KEY.search(v))
    ]
    common = Counter(firsts).most_common(1)
    texts = sum(1 for v in values if v.strip())
    if not common or common[0][1] * 2 < texts:
        return ""
    return snake(common[0][0])


def _list_key(previous: str) -> str:
    """`steps` for a list after `    steps:` (its last line that is not blank)."""
    lines = [line for line in previous.splitlines() if line.strip()]
    found = re.fullmatch(r"[ \t]*-?[ \t]*([A-Za-z_][\w-]*):[ \t]*", lines[-1]) if lines else None
    return snake(found.group(1)) if found else ""


def _context_name(previous: str) -> str:
    return _keyed_name(previous) or snake((_WORD.findall(previous) or [""])[-1])


def _keyed_name(previous: str) -> str:
    """The key, label or assignment target just before a slot, or the heading above it."""
    line = previous.rsplit("\n", 1)[-1]
    for pattern in (_LINE_LABEL, _KEY, _LABEL):
        found = pattern.search(line)
        if found:
            key = found.group(1)
            return key if re.fullmatch(r"[A-Za-z_]\w*", key) else snake(key)
    headings = _HEADING.findall(previous)
    return snake(headings[-1]) if headings else ""


def snake(text: str) -> str:
    """A Jinja-safe identifier from free text (`Start Date` → start_date)."""
    name = re.sub(r"[^0-9a-zA-Z]+", "_", text).strip("_").lower()
    name = re.sub(r"_+", "_", name)[:40].strip("_")
    if not name or name[0].isdigit():
        name = f"v_{name}" if name else ""
    return name


class Taken(set[str]):
    """Names in use, which only grow: `unique` goes on from the last number it gave a name.

    A family of a thousand `text` slots made each `unique` count up from `text_2` again.
    """

    def __init__(self, names: Iterable[str] = ()) -> None:
        super().__init__(names)
        self.numbers: dict[str, int] = {}


def unique(name: str, taken: set[str]) -> str:
    """`name`, or `name_2`, `name_3`, … when it is taken, reserved or a Python keyword."""
    base = name or "text"
    # Every number up to the one remembered was taken when it was given, and still is.
    numbers = taken.numbers if isinstance(taken, Taken) else None
    number = numbers.get(base, 1) if numbers is not None else 1
    candidate = base if number == 1 else f"{base}_{number}"
    while candidate in taken or candidate in RESERVED or keyword.iskeyword(candidate):
        number += 1
        candidate = f"{base}_{number}"
    taken.add(candidate)
    if numbers is not None:
        numbers[base] = number
    return candidate


def _block_separator(lead: str, slot_id: int, texts: Sequence[dict[int, str]]) -> str | None:
    """`\n  - ` when the slot holds the items of a YAML/Markdown block list, one per line.

    The fixed text before the slot ends with the first item's `  - ` and the
    text after starts the line after the last item, so the items are the slot
    text split at each new line of the same indentation.
    """
    values = [t[slot_id] for t in texts if slot_id in t]
    ending = "\r\n" if any("\r\n" in v for v in values) else "\n"
    separator = ending + lead
    if not any(separator in v for v in values):
        return None  # every member has one item: a plain value, not a list
    items = [item for v in values for item in v.split(separator)]
    return separator if all(item and "\n" not in item for item in items) else None


def loop_slots(parts: list[Part], texts: Sequence[dict[int, str]]) -> None:
    """A slot between quotes whose text is quoted items with one separator becomes a loop."""
    for index, part in enumerate(parts):
        if isinstance(part, Optional):
            loop_slots(part.body, texts)
        elif isinstance(part, Slot) and 0 < index < len(parts) - 1 and not part.tied:
            if part.items is not None or part.separator is not None or part.spacing is not None:
                continue  # already a loop (the JSON aligner makes its own)
            before, after = parts[index - 1], parts[index + 1]
            if isinstance(before, Fixed) and isinstance(after, Fixed):
                part.separator = _separator(before.text, after.text, part.id, texts)


def _separator(
    before: str, after: str, slot_id: int, texts: Sequence[dict[int, str]]
) -> str | None:
    block = _BLOCK_ITEM_PREFIX.search(before)
    if block is not None and after.startswith(("\n", "\r\n")):
        return _block_separator(block.group(1), slot_id, texts)
    quote = before[-1:]
    if quote not in {'"', "'"} or not after.startswith(quote):
        return None
    values = [t[slot_id] for t in texts if slot_id in t]
    found = {m.group(0) for v in values for m in _QUOTED_LIST.finditer(v)}
    if len(found) != 1:
        return None
    separator = found.pop()
    items = [item for v in values for item in v.split(separator)]
    return separator if all(quote not in item and "\n" not in item for item in items) else None
