"""Pages of prose: the `Key: value` header fields a page opens with, its titles, paragraphs.

A PEP opens with `PEP: 8` / `Title: …` / `Author: …` up to its first blank
line; an RFC with `- Feature Name: …` / `- Start Date: …`. Those lines are
fields, not prose: each member has some of them, with its own value. As
anchors by their key (not their whole line) a field some members have is an
optional line of the template, its value a variable named after the key,
instead of a run of header lines held in one slot.

Only the block before the first blank line counts (after a `---` or `+++`
front-matter line): `Note: …` in the prose below is not a field.
"""

from __future__ import annotations

import re
from collections import Counter

# `Key:`, `Two Words:`, `- Key:`; the value (if any) after a space. No `http:` (a scheme).
_FIELD = re.compile(r"((?:[-*] )?[A-Za-z][\w-]*(?: [\w-]+){0,3}:)(?:[ \t]+\S|[ \t]*$)(?!//)")
_CONTINUATION = re.compile(r"[ \t]+\S")
FIELD_SHARE = 0.6  # of a header's lines that are fields (the others continue a value)
MIN_FIELDS = 2  # a header has at least this many fields


def header_keys(lines: list[list[str]]) -> list[str]:
    """The keys (with their colon) of header fields found in at least two members."""
    counted: Counter[str] = Counter()
    for member in lines:
        counted.update(set(_member_keys(member)))
    return sorted(key for key, n in counted.items() if n >= 2)


def header_span(member: list[str]) -> int:
    """How many lines the header fields take at the start of a member (0 if it has none)."""
    start = 1 if member and member[0].strip() in ("---", "+++") else 0
    end = start
    while end < len(member) and member[end].strip() and member[end].strip() not in ("---", "+++"):
        end += 1
    header = member[start:end]
    keys = sum(1 for line in header if _FIELD.match(line))
    continued = sum(1 for line in header if _CONTINUATION.match(line))
    if keys < MIN_FIELDS or keys + continued < len(header) or keys < FIELD_SHARE * len(header):
        return 0
    return end


def _member_keys(member: list[str]) -> list[str]:
    return [
        found.group(1) for line in member[: header_span(member)] if (found := _FIELD.match(line))
    ]


def header_pattern(keys: list[str]) -> str:
    """A pattern for `line_anchors`' bare keys: one of `keys` and the spaces after it."""
    if not keys:
        return ""
    choices = "|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True))
    return rf"((?:{choices})[ \t]*)(?:\S|$)"


PROSE_WORDS = 4  # a line of a paragraph has at least this many words
WORDY_SAMPLE = 24  # texts looked at (spread over the members): a family reaches 1,000


def wordy(values: list[str]) -> bool:
    """Whether most of the lines of these texts are sentences (not keys, code or lists).

    A paragraph shares tokens with another by chance (`the`, `.`, a line end):
    as fixed text they would end a slot at the first full stop of a new page.
    """
    sample = values[:: max(1, len(values) // WORDY_SAMPLE)]
    lines = [line for value in sample for line in value[:4000].splitlines() if line.strip()]
    sentences = sum(1 for line in lines if _sentence(line))
    return sentences * 2 > len(lines)


def _sentence(line: str) -> bool:
    """Whether a line reads as part of a paragraph (a heading, table or tag does not)."""
    first = line.lstrip()[:1]
    return first not in _MARKUP and len(line.split()) >= PROSE_WORDS and bool(_LETTER.search(line))


_MARKUP = set("#|<=`~")


_LETTER = re.compile(r"[^\W\d_]{2}")


def page_titles(texts: list[str]) -> frozenset[str]:
    """The heading lines of pages: Markdown `#` headings, reST titles over their adornment.

    The adornments are found first (a line starting with `=` or `-` is rare), then
    the line above each.
    """
    found: set[str] = set()
    for text in texts:
        found.update(_MARKDOWN_HEADING.findall(text))
        for adornment in _ADORNMENT.finditer(text):
            end = adornment.start() - 1  # the line end before the adornment
            end -= 1 if text[end - 1 : end] == "\r" else 0
            title = text[text.rfind("\n", 0, max(0, end)) + 1 : max(0, end)]
            width = len(adornment.group().rstrip())
            if end > 0 and title.strip() and width >= len(title.rstrip()) and _LETTER.search(title):
                found.add(title)
    return frozenset(found)


_MARKDOWN_HEADING = re.compile(r"^#{1,6} [^\r\n]*", re.MULTILINE)
_ADORNMENT = re.compile(r"^([=\-~^*+#`'\"])\1{2,}[ \t]*(?=\r?$)", re.MULTILINE)
