"""Line shapes: the signature of any text, and a part of the others' (list items, titles).

A line's shape keeps its indentation and punctuation and reads every word as
`w` and every number as `9`: `  - name: x86_64` is `2:-w:w9`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

MAX_LINES = 400  # a huge file says no more about its shape than its first few hundred lines
SHAPE_CHARS = 40  # a line's shape is its first 40 symbols
# Each symbol of a shape comes from at least one character of the line, and the shape of the
# start of a line is the start of the line's shape (a word or number cut short is still one
# `w` or `9`). So a long line (an SVG path, minified data) is read only as far as it must be.
SHAPE_READ = 4 * SHAPE_CHARS

_SHAPE_WORD = re.compile(r"[A-Za-z_]\w*")
_SHAPE_NUMBER = re.compile(r"\d+")
_SHAPE_SPACE = re.compile(r"\s+")


def generic_features(text: str) -> Iterator[str]:
    """The shape of each line (indentation and token classes) and of each pair of lines."""
    previous = ""
    for line in text.splitlines()[:MAX_LINES]:
        shape = line_shape(line)
        yield f"line:{shape}"
        yield f"pair:{previous}|{shape}"
        previous = shape


def line_shape(line: str) -> str:
    """`w` for a word, `9` for a number, punctuation kept, indentation as its width."""
    body = line.strip()
    shape = _shape(body[:SHAPE_READ])
    if len(shape) < SHAPE_CHARS and len(body) > SHAPE_READ:
        shape = _shape(body)
    return f"{len(line) - len(line.lstrip())}:{shape[:SHAPE_CHARS]}"


def _shape(text: str) -> str:
    return _SHAPE_SPACE.sub("", _SHAPE_NUMBER.sub("9", _SHAPE_WORD.sub("w", text)))
