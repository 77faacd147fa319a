"""JSON documents as trees that keep every byte of their source: values and the gaps between.

The structural JSON aligner builds a template from these trees: keys and
punctuation are fixed text, values and the whitespace around them are what
members may differ in. Keeping each gap (the indent before a key, the `: `
after it, the line break before a closing brace) lets a family mix files
indented by two and four spaces, or a list written on one line and one
item per line, and still have every member come back byte for byte.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field

_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|[{}\[\],:]|[^\s{}\[\],:"]+')
Style = tuple[str, str | None, str] | None  # a list's (opening, separator, closing); None: as is
MAX_KEYS = 200  # more keys than a hand-written manifest has: the structure is data, not a form


@dataclass
class Entry:
    """A key of an object: the gap before it, the key (quoted), `: ` and its value."""

    lead: str
    key: str
    colon: str
    value: Node


@dataclass
class Node:
    """A JSON value: its source text and, for an object or array, its parts and the gaps.

    An object's `gaps` is the text before its closing brace; an array's is the
    text before its first item, between each two (the comma included) and after
    the last.
    """

    kind: str  # "object", "array", "string" or "scalar" (a number, true, false, null)
    text: str
    entries: list[Entry] = field(default_factory=list)
    items: list[Node] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)


@dataclass
class Document:
    """A JSON file: its top-level object and the text after it (a final line break)."""

    root: Node
    trailing: str


class _Irregular(ValueError):
    """Whitespace before a comma: a layout no template writes."""


def document(text: str) -> Document | None:
    """The file as a tree, if it is one JSON object (with no text before it)."""
    try:
        if not isinstance(json.loads(text), dict) or not text.startswith("{"):
            return None
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        root, _ = _Parser(text, tokens).value(0)
    except ValueError:
        return None
    if len(root.entries) > MAX_KEYS:
        return None
    return Document(root, text[len(root.text) :])


def array_items(inside: str) -> list[str]:
    """The texts of the items of a JSON array from its inside (`{…},\n  {…}`); [] if not one."""
    text = f"[{inside}]"
    try:
        json.loads(text)
        tokens = [(m.group(), m.start(), m.end()) for m in _TOKEN.finditer(text)]
        node, _ = _Parser(text, tokens).value(0)
    except (ValueError, IndexError):
        return []
    return [item.text for item in node.items]


def items_end(text: str, start: int) -> int:
    """Where the last item of the array whose items start at `start` ends (before `]`)."""
    depth, end = 0, start
    for token in _TOKEN.finditer(text, start):
        if token.group() in "]}" and depth == 0:
            return end
        depth += {"[": 1, "{": 1, "]": -1, "}": -1}.get(token.group(), 0)
        end = token.end()
    return end


@dataclass
class _Parser:
    text: str
    tokens: list[tuple[str, int, int]]

    def value(self, at: int) -> tuple[Node, int]:
        token = self.tokens[at][0]
        if token == "{":
            return self.object(at)
        if token == "[":
            return self.array(at)
        return Node("string" if token.startswith('"') else "scalar", token), at + 1

    def gap(self, before: int, after: int) -> str:
        """The text between the end of token `before` and the start of token `after`."""
        return self.text[self.tokens[before][2] : self.tokens[after][1]]

    def object(self, at: int) -> tuple[Node, int]:
        node, start, previous = Node("object", ""), at, at
        at += 1
        while self.tokens[at][0] != "}":
            key = at
            value, after = self.value(at + 2)  # past the key and its colon
            colon = self.gap(key, at + 2)
            node.entries.append(Entry(self.gap(previous, key), self.tokens[key][0], colon, value))
            at, previous = self._comma(after)
        node.gaps = [self.gap(at - 1, at)]  # after the last value (or the brace) to the brace
        return self._closed(node, start, at)

    def array(self, at: int) -> tuple[Node, int]:
        node, start = Node("array", ""), at
        ended = at  # the last token before the next gap: the bracket, then each item's last
        at += 1
        while self.tokens[at][0] != "]":
            item, after = self.value(at)
            node.gaps.append(self.text[self.tokens[ended][2] : self.tokens[at][1]])
            node.items.append(item)
            ended = after - 1
            at = after + 1 if self.tokens[after][0] == "," else after
        node.gaps.append(self.text[self.tokens[ended][2] : self.tokens[at][1]])
        return self._closed(node, start, at)

    def _comma(self, after: int) -> tuple[int, int]:
        """The token after a value's comma (and the comma), or the closing brace (and the value)."""
        if self.tokens[after][0] == ",":
            if self.gap(after - 1, after):
                raise _Irregular
            return after + 1, after
        return after, after - 1

    def _closed(self, node: Node, start: int, end: int) -> tuple[Node, int]:
        node.text = self.text[self.tokens[start][1] : self.tokens[end][2]]
        return node, end + 1


def strings_only(node: Node) -> bool:
    """Whether a node is a non-empty array of strings."""
    return bool(node.items) and all(item.kind == "string" for item in node.items)


def list_style(node: Node, kind: str = "string") -> Style:
    """A list's opening gap, separator (the comma with its spaces) and closing gap.

    None unless every item is of `kind` (a string, an object).
    """
    if not node.items or any(item.kind != kind for item in node.items):
        return None
    between = set(node.gaps[1:-1])
    if len(between) > 1 or any(gap.strip() != "," for gap in between):
        return None  # `"a","b", "c"`: no one separator writes it
    return node.gaps[0], (between.pop() if between else None), node.gaps[-1]


def usual_separators(styles: dict[int, Style]) -> dict[int, Style]:
    """A one-item list (no separator of its own) takes the one most lists of the family use."""
    counted = Counter(s[1] for s in styles.values() if s is not None and s[1] is not None)
    usual = counted.most_common(1)[0][0] if counted else ", "
    return {i: (s[0], usual, s[2]) if s and s[1] is None else s for i, s in styles.items()}
