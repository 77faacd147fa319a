"""Token-level alignment of one slot's texts across the members that have it.

The tokens every member contains, in order, are found on a spread sample and
refined until every member contains them (a common subsequence, n-way). Each
member is then searched for the *runs* of that consensus (the stretches that
are contiguous in every member looked at so far): a member in which the runs
cannot be found in order splits them, and after a few such members the slot
falls back to matching token by token. Fixed bits too small to mean anything
(a lone space or comma between two slots) are folded back into the slots.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from functools import lru_cache

CONSENSUS_SAMPLE = 8  # members the token consensus is first built from
MAX_RUN_RETRIES = 8  # members whose runs are split before falling back to token by token
# Words split at case changes (`AirQualitySensor` is Air, Quality, Sensor) so a name's case
# forms can line up; the final `.` takes anything else, so the tokens always rebuild the text.
TOKEN = re.compile(
    r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+|_|[^\W\d_A-Za-z]+|\r|\n|[^\S\r\n]+|[^\w\s]|.",
    re.DOTALL,
)

Piece = str | list[str]  # fixed text, or one slot's text per member
# A slot that is, in every member, whole lines of one block list (`  - a` / `  * a`): the
# line end before the first item, then the items, each on its own line of the same lead.
BLOCK_LIST = re.compile(r"(\r?\n)([ \t]*[-*] )(?!.*:(?:\s|$))\S.*(?:\1\2(?!.*:(?:\s|$))\S.*)*\1")


def token_pieces(values: list[str]) -> list[Piece]:
    """Fixed texts and slots (one text per member) that rebuild each of `values` exactly."""
    pieces = _block_list_pieces(values) or _pieces_by_runs(values)
    if pieces is None:  # the members disagree too often for runs: align every token
        tokens = [TOKEN.findall(value) for value in values]
        pieces = _pieces(tokens, _common(tokens))
    return _without_weak_fixed(pieces)


def _block_list_pieces(values: list[str]) -> list[Piece] | None:
    """Lead, items, line end, when every value is one block list with the same lead.

    Token alignment would fix the first item's line end and leave the others to
    another slot; kept whole, the items become one loop over a list variable.
    """
    found = [BLOCK_LIST.fullmatch(value) for value in values]
    leads = {(m.group(1), m.group(2)) for m in found if m is not None}
    if None in found or len(leads) != 1:
        return None
    ending, lead = leads.pop()
    start, end = len(ending) + len(lead), -len(ending)
    return [ending + lead, [value[start:end] for value in values], ending]


def _sample(values: list[str]) -> list[list[str]]:
    """The tokens of a spread of the shorter half of the members (long ones are the outliers)."""
    shorter_half = sorted(values, key=len)[: max(2, (len(values) + 1) // 2)]
    return [
        TOKEN.findall(v) for v in shorter_half[:: max(1, len(shorter_half) // CONSENSUS_SAMPLE)]
    ]


def _common(tokens: list[list[str]]) -> list[str]:
    """Tokens every one of `tokens` contains in this order (refined until that holds)."""
    consensus = min(tokens, key=len)
    for member in tokens:
        consensus = _matched(consensus, member)
    changed = True
    while changed and consensus:
        changed = False
        for member in tokens:
            if _is_subsequence(consensus, member):
                continue
            matched = _matched(consensus, member)
            if len(matched) < len(consensus):
                consensus, changed = matched, True
    return consensus


def _is_subsequence(short: list[str], long: list[str]) -> bool:
    remaining = iter(long)
    return all(token in remaining for token in short)


def _matched(consensus: list[str], member: list[str]) -> list[str]:
    return list(_matched_tokens(tuple(consensus), tuple(member)))


# The refinement and the retries of the run search ask the same questions again and again
# (about 8 in 9 calls on the corpora): difflib is the cost of learning, so answers are kept.
@lru_cache(maxsize=512)
def _matched_tokens(consensus: tuple[str, ...], member: tuple[str, ...]) -> tuple[str, ...]:
    blocks = SequenceMatcher(None, consensus, member, autojunk=False).get_matching_blocks()
    return tuple(token for a, _, size in blocks for token in consensus[a : a + size])


def _pieces(tokens: list[list[str]], consensus: list[str]) -> list[Piece]:
    positions = [_positions(consensus, member) for member in tokens]
    pieces: list[Piece] = []
    for index in range(len(consensus) + 1):
        gap = [_gap(member, spots, index) for member, spots in zip(tokens, positions, strict=True)]
        if any(gap):
            pieces.append(gap)
        if index < len(consensus):
            if pieces and isinstance(pieces[-1], str):
                pieces[-1] += consensus[index]
            else:
                pieces.append(consensus[index])
    return pieces


def _pieces_by_runs(values: list[str]) -> list[Piece] | None:
    """Pieces found by searching each member for the consensus runs in order (fast path).

    Only a sample is tokenized: the consensus and its runs (the stretches that
    are contiguous in every member looked at) come from it. A member in which
    the runs cannot be found in order joins the sample, which splits the runs
    (and may shorten the consensus); after a few such members, None.
    """
    looked_at = _sample(values)
    for _attempt in range(MAX_RUN_RETRIES):
        consensus = _common(looked_at)
        if not consensus:
            return None
        runs = _runs(consensus, [_positions(consensus, t) for t in looked_at])
        gaps, failed = _gaps(values, runs)
        if failed is None:
            return _pieces_from(runs, gaps)
        looked_at.append(TOKEN.findall(values[failed]))
    return None


def _gaps(values: list[str], runs: list[str]) -> tuple[list[list[str]], int | None]:
    """Each member's text before, between and after the runs; or the first member without them."""
    gaps: list[list[str]] = [[] for _ in range(len(runs) + 1)]
    for index, value in enumerate(values):
        at = 0
        for number, run in enumerate(runs):
            found = value.find(run, at)
            if found < 0:
                return gaps, index
            gaps[number].append(value[at:found])
            at = found + len(run)
        gaps[-1].append(value[at:])
    return gaps, None


def _pieces_from(runs: list[str], gaps: list[list[str]]) -> list[Piece]:
    pieces: list[Piece] = []
    for number, gap in enumerate(gaps):
        if any(gap):
            pieces.append(gap)
        if number < len(runs):
            pieces.append(runs[number])
    return pieces


def _runs(consensus: list[str], spots: list[list[int]]) -> list[str]:
    """The stretches of the consensus that are contiguous in every member of `spots`."""
    runs, start = [], 0
    for index in range(1, len(consensus)):
        if any(s[index] != s[index - 1] + 1 for s in spots):
            runs.append("".join(consensus[start:index]))
            start = index
    runs.append("".join(consensus[start:]))
    return runs


def _positions(consensus: list[str], member: list[str]) -> list[int]:
    return list(_token_positions(tuple(consensus), tuple(member)))


@lru_cache(maxsize=512)
def _token_positions(consensus: tuple[str, ...], member: tuple[str, ...]) -> tuple[int, ...]:
    blocks = SequenceMatcher(None, member, consensus).get_matching_blocks()
    found = [a + offset for a, _, size in blocks for offset in range(size)]
    return tuple(found if len(found) == len(consensus) else _leftmost(consensus, member))


def _leftmost(consensus: tuple[str, ...], member: tuple[str, ...]) -> list[int]:
    """Positions of `consensus` in `member`, each token at its first place after the last."""
    found: list[int] = []
    at = 0
    for token in consensus:
        at = member.index(token, at)
        found.append(at)
        at += 1
    return found


def _gap(member: list[str], spots: list[int], index: int) -> str:
    start = spots[index - 1] + 1 if index > 0 else 0
    end = spots[index] if index < len(spots) else len(member)
    return "".join(member[start:end])


def _weak(text: str) -> bool:
    if "\n" in text:
        return False
    return len(text) < 2 or (len(text) < 12 and not re.search(r"[^\w\s]", text))


def _without_weak_fixed(pieces: list[Piece]) -> list[Piece]:
    merged = True
    while merged:
        merged = False
        for index, piece in enumerate(pieces):
            if isinstance(piece, str) and _weak(piece) and _has_slot_beside(pieces, index):
                pieces = _merge_around(pieces, index)
                merged = True
                break
    return pieces


def _has_slot_beside(pieces: list[Piece], index: int) -> bool:
    before = index > 0 and not isinstance(pieces[index - 1], str)
    return before or (index + 1 < len(pieces) and not isinstance(pieces[index + 1], str))


def _merge_around(pieces: list[Piece], index: int) -> list[Piece]:
    start = index - 1 if index > 0 and not isinstance(pieces[index - 1], str) else index
    end = index + 1 if index + 1 < len(pieces) and not isinstance(pieces[index + 1], str) else index
    size = len(next(p for p in pieces[start : end + 1] if not isinstance(p, str)))
    joined = [""] * size
    for piece in pieces[start : end + 1]:
        for member in range(size):
            joined[member] += piece if isinstance(piece, str) else piece[member]
    return [*pieces[:start], joined, *pieces[end + 1 :]]
