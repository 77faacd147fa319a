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

ROUNDS = 3  # sections changed at most, one per round
TRIALS = 6  # sections tried per round: those decided last before the text differs


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
    """The first change of one section's decision that lets more of the file come back.

    The sections tried are those decided last before where the rendered text
    starts to differ (a wrong decision shows after it is made).
    """
    before = [(s, p) for s, p, at in reading.decided if at <= score and id(s) not in forced]
    for section, present in reversed(before[-TRIALS:]):
        trial = {**forced, id(section): not present}
        tried = read_slots(parts, text, forced=trial, openings=reading.openings)
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
    return common_prefix(rendered, text)


def common_prefix(first: str, second: str) -> int:
    """The length of the longest common prefix (by halving: slices compare in C)."""
    low, high = 0, min(len(first), len(second))
    while low < high:
        middle = (low + high + 1) // 2
        if first[:middle] == second[:middle]:
            low = middle
        else:
            high = middle - 1
    return low
