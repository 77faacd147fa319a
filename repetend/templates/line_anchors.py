"""Line anchors: the lines (or key prefixes) that tie a family's members together.

An anchor is a line that occurs once in each member that has it, in at least
`ANCHOR_SHARE` of the members, or the key of a JSON/YAML key line that occurs
once in each of at least two members. Anchors are put in the order they take
on average; each member keeps the longest run of its anchors in that order.
"""

from __future__ import annotations

import bisect
import functools
import re
from collections import Counter
from collections.abc import Container, Iterable

ANCHOR_SHARE = 0.2
TITLE_SHARE = 0.03  # of the members a page's heading needs to anchor (two at least)
KEY_SHARE = 0.3  # key lines are anchors by their key in families where this share of lines are
# A one-line item of a block list (`  - main`, not `- uses: x` which is a mapping): an item
# only some members have would open an optional section per item; the items are left to the
# slot, which becomes a loop over a list variable.
_SCALAR_ITEM = re.compile(r"[ \t]*[-*] (?!.*:(?:\s|$))\S.*")
# A quoted key with a value on its line: `  "creator": "Ann",`. A key only some members
# have opens an optional section at its prefix (the value goes to the slot after it), instead
# of being absorbed into the text of a neighbouring variable. Bare YAML keys (`name: x`) are
# left to the line and token alignment: as anchors they measured worse on held-out workflows
# (code-scanning/*.yml: 29.5% exact to 0%), since a workflow's keys repeat at many levels.
_KEY_LINE = re.compile(r"""([ \t]*"[^"\n]+"[ \t]*:[ \t]*["']?)\S""")


def anchors_of(
    lines: list[list[str]],
    bare_key: str = "",
    *,
    quoted: bool = True,
    titles: frozenset[str] = frozenset(),
    key_spans: list[int] | None = None,
) -> tuple[list[str], list[list[tuple[int, str]]]]:
    """The anchors (whole lines and key prefixes) in average order, and each member's.

    Each member's anchors are its (line index, anchor) pairs in line order,
    found once here for both the order and `kept_anchors`. `bare_key` is a
    pattern for unquoted YAML keys that anchor too (group 1 is the prefix). `titles`
    (a page's headings) need only `TITLE_SHARE` of the members: a section few pages have
    is still one of the outline's. `key_spans`: keys are looked for only in each member's
    first lines (a page's header fields), else in every line.
    """
    support = _support(Counter(member) for member in lines)
    needed = max(2, int(len(lines) * ANCHOR_SHARE + 0.999))
    title_needed = max(2, int(len(lines) * TITLE_SHARE + 0.999))
    everyone = len(lines)
    chosen = {
        line
        for line, n in support.items()
        if (n >= needed or (n >= title_needed and line in titles))
        and line.strip()
        and (n == everyone or not _SCALAR_ITEM.fullmatch(line))
    }
    structured = _structured(lines)
    quoted = quoted or structured  # JSON keys anchor in prose only where key lines abound
    keyed = bool(bare_key) or structured
    spans = key_spans or [len(member) for member in lines]
    if keyed:
        keys = _support(
            Counter(key_prefix(line, bare_key, quoted) for line in member[:span] if ":" in line)
            for member, span in zip(lines, spans, strict=True)
        )
        chosen_keys = {key for key, n in keys.items() if n >= 2 and key}  # two members have it
        # a line whose key is an anchor is that key (one anchor, not one per value)
        chosen = {
            line for line in chosen if key_prefix(line, bare_key, quoted) not in chosen_keys
        } | chosen_keys
    found = [
        _member_anchors(member, chosen, keyed, bare_key, quoted, span)
        for member, span in zip(lines, spans, strict=True)
    ]
    places: dict[str, list[float]] = {line: [] for line in chosen}
    for present in found:
        for index, (_, anchor) in enumerate(present):
            places[anchor].append(index / max(1, len(present)))
    order = sorted(chosen, key=lambda line: (sum(places[line]) / len(places[line]), line))
    return order, found


def _member_anchors(
    member: list[str],
    chosen: set[str],
    keyed: bool,
    bare_key: str = "",
    quoted: bool = True,
    span: int | None = None,
) -> list[tuple[int, str]]:
    span = len(member) if span is None or not keyed else span
    pairs = ((i, anchor_of(line, chosen, bare_key, quoted)) for i, line in enumerate(member[:span]))
    found = [(i, anchor) for i, anchor in pairs if anchor]
    # past the keys: whole lines only, a set lookup per line
    return found + [(i, line) for i, line in enumerate(member[span:], span) if line in chosen]


def _structured(lines: list[list[str]]) -> bool:
    """Whether key lines are at least `KEY_SHARE` of the lines: a manifest, not prose.

    In prose, `Note: …` and struct fields in code blocks look like keys; as
    anchors they would only cut the text into noise (and cost time).
    """
    sample = [line for member in lines[:50] for line in member if line.strip()]
    keyed = sum(1 for line in sample if ":" in line and key_prefix(line))
    return keyed >= KEY_SHARE * len(sample)


def _support(counted: Iterable[Counter[str]]) -> Counter[str]:
    """In how many members each line (or key) occurs exactly once."""
    support: Counter[str] = Counter()
    for counts in counted:
        support.update(found for found, n in counts.items() if n == 1)
    return support


@functools.lru_cache(maxsize=8192)
def key_prefix(line: str, bare_key: str = "", quoted: bool = True) -> str:
    """`"creator": "` of a JSON key line with a value on it (or a `bare_key` match), else ''."""
    # Remembered: members share most of their lines, and each line is asked about twice.
    found = (_KEY_LINE.match(line) if quoted else None) or (
        re.match(bare_key, line) if bare_key else None
    )
    return found.group(1).lstrip(" \t") if found else ""  # the indent is the slot's before it


def anchor_of(line: str, anchors: Container[str], bare_key: str = "", quoted: bool = True) -> str:
    """The anchor a line is: its key prefix (a key anchor), the whole line, or ''."""
    if ":" in line:  # most lines of prose have none: no regex to run
        prefix = key_prefix(line, bare_key, quoted)
        if prefix and prefix in anchors:
            return prefix
    return line if line in anchors else ""


def kept_anchors(present: list[tuple[int, str]], anchors: list[str]) -> dict[int, int]:
    """Anchor rank -> line index, for the longest in-order run of a member's anchors."""
    rank = {line: index for index, line in enumerate(anchors)}
    return {r: i for i, r in _longest_increasing([(i, rank[a]) for i, a in present])}


def _longest_increasing(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    tails: list[int] = []
    tail_index: list[int] = []
    previous = [-1] * len(pairs)
    for index, (_, value) in enumerate(pairs):
        place = bisect.bisect_left(tails, value)
        if place > 0:
            previous[index] = tail_index[place - 1]
        if place == len(tails):
            tails.append(value)
            tail_index.append(index)
        else:
            tails[place], tail_index[place] = value, index
    chain: list[tuple[int, int]] = []
    at = tail_index[-1] if tail_index else -1
    while at >= 0:
        chain.append(pairs[at])
        at = previous[at]
    return chain[::-1]
