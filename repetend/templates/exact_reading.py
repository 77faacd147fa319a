"""Reading a file's values so that they render the file again, deciding sections by trial.

`read_slots` decides each optional section by looking ahead for its opening
text. Where that guess is wrong (an empty JSON list `[]` is the layout kept as
written, not a loop whose first quote is far below), the values read render
another text. Here the reading is checked by rendering it; when it does not
come back, each section decided on the way is tried the other way, keeping a
change that lets more of the file come back, until the file comes back whole
or nothing helps.
"""

from __future__ import annotations

from collections.abc import Callable

from repetend.templates.direct_render import render_parts
from repetend.templates.parts import Part, Values
from repetend.templates.reading import Reading, read_slots

ROUNDS = 4  # sections changed at most, one per round
TRIALS = 80  # sections tried per round (the first ones read: a mismatch starts early)


def read_exact(
    parts: list[Part], text: str, values_of: Callable[[Reading], Values]
) -> tuple[Values, Reading]:
    """The values (and reading) that render `text`, or the best found when none do."""
    forced: dict[int, bool] = {}
    reading = read_slots(parts, text)
    values = values_of(reading)
    score = _agreement(parts, values, text)
    for _ in range(ROUNDS if score < len(text) + 1 else 0):
        found = _better(parts, text, values_of, forced, reading, score)
        if found is None:
            break
        forced, reading, values, score = found
        if score > len(text):
            break
    return values, reading


def _better(
    parts: list[Part],
    text: str,
    values_of: Callable[[Reading], Values],
    forced: dict[int, bool],
    reading: Reading,
    score: int,
) -> tuple[dict[int, bool], Reading, Values, int] | None:
    """The first change of one section's decision that lets more of the file come back."""
    for section, present in reading.decided[:TRIALS]:
        if id(section) in forced:
            continue
        trial = {**forced, id(section): not present}
        tried = read_slots(parts, text, forced=trial)
        values = values_of(tried)
        agreed = _agreement(parts, values, text)
        if agreed > score:
            return trial, tried, values, agreed
    return None


def _agreement(parts: list[Part], values: Values, text: str) -> int:
    """How much of `text` the values render before they differ (len + 1 when all of it)."""
    try:
        rendered = render_parts(parts, values)
    except (KeyError, TypeError, AttributeError):
        return -1
    if rendered == text:
        return len(text) + 1
    return next(
        (i for i, (a, b) in enumerate(zip(rendered, text, strict=False)) if a != b),
        min(len(rendered), len(text)),
    )
