"""The sequence miner: runs of commands and tool uses that repeat across sessions.

Two shapes are mined: contiguous runs (A → B → C, two to `MAX_LENGTH` steps)
and gapped ones (A … B … C, two or three steps where up to `MAX_GAP` other
steps may come between, at least once). Mining grows patterns level by level
and only extends a pattern that occurs at least `ASSOCIATION_LIFT` times as
often as chance predicts, so coincidences (two common commands that happen to
follow each other) are dropped early and a million events stay cheap.

Each surviving pattern gets its evidence: occurrences, the sessions it
occurred in (with counts), and its confidence (see `sequence_stats`).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import chain, pairwise

from repetend.sequences.log import StepLog
from repetend.sequences.stats import association, link_probability

MAX_LENGTH = 5
MAX_GAP = 2
ASSOCIATION_LIFT = 2.0
MIN_CONFIDENCE = 0.9  # below this, chance explains the repetition too well to propose it
SUBSUMED = 0.9  # a run explained this much by a longer run is not reported on its own

Key = tuple[int, ...]
Position = tuple[int, int, int]  # session, first step, last step


@dataclass
class SequenceEvidence:
    """One repeated sequence: its steps, where and how often it occurred, and its confidence."""

    steps: Key
    gapped: bool
    sessions: Counter[int]
    first_step_count: int
    null_probability: float
    tests: int = 1
    confidence: float = 0.0
    labels: tuple[str, ...] = ()
    session_names: dict[str, int] = field(default_factory=dict)

    @property
    def occurrences(self) -> int:
        """How many times the sequence was performed in the window."""
        return sum(self.sessions.values())


class SequenceMiner:
    """Finds repeated sequences in a `StepLog`."""

    def __init__(self, log: StepLog, min_occurrences: int) -> None:
        self.log = log
        self.min_occurrences = min_occurrences
        self.min_sessions = min(2, min_occurrences)
        self._pairs: set[Key] = set()
        self._positions = max(log.positions, 1)
        self._frequency = [count / self._positions for count in log.counts]

    def mine(self, limit: int) -> list[SequenceEvidence]:
        """The `limit` most significant sequences, closed runs only, strongest first."""
        found = self._contiguous() + self._gapped()
        self._condition(found)
        for evidence in found:
            evidence.labels = tuple(self.log.labels[s] for s in evidence.steps)
            evidence.session_names = {
                self.log.session_names[i]: n for i, n in evidence.sessions.items()
            }
        plausible = [e for e in found if e.confidence >= MIN_CONFIDENCE]
        ranked = sorted(plausible, key=lambda e: (-e.confidence, -e.occurrences, len(e.steps)))
        return _closed(ranked)[:limit]

    # -- contiguous runs -------------------------------------------------------------------

    def _contiguous(self) -> list[SequenceEvidence]:
        sessions = self.log.sessions
        pairs = Counter(chain.from_iterable(pairwise(s) for s in sessions))
        wanted = {k for k, n in pairs.items() if self._promising(k, n, gapped=False)}
        per_key: dict[Key, Counter[int]] = defaultdict(Counter)
        alive: list[Position] = []
        for index, steps in enumerate(sessions):
            for start, pair in enumerate(pairwise(steps)):
                if pair in wanted:
                    per_key[pair][index] += 1
                    alive.append((index, start, start + 1))
        found = self._keep(per_key, gapped=False)
        links = self._pairs = _links(found)
        for _ in range(3, MAX_LENGTH + 1):
            alive, level = self._extend(alive, links)
            found += level
        return found

    def _extend(
        self, alive: list[Position], links: set[Key]
    ) -> tuple[list[Position], list[SequenceEvidence]]:
        per_key: dict[Key, Counter[int]] = defaultdict(Counter)
        grown: list[tuple[Key, Position]] = []
        for index, start, end in alive:
            steps = self.log.sessions[index]
            if end + 1 < len(steps) and (steps[end], steps[end + 1]) in links:
                key = tuple(steps[start : end + 2])
                per_key[key][index] += 1
                grown.append((key, (index, start, end + 1)))
        level = self._keep(per_key, gapped=False)
        kept = {e.steps for e in level}
        return [position for key, position in grown if key in kept], level

    # -- gapped runs -----------------------------------------------------------------------

    def _gapped(self) -> list[SequenceEvidence]:
        sessions = self.log.sessions
        offsets = range(2, MAX_GAP + 2)
        pairs = Counter(
            chain.from_iterable(zip(s, s[d:], strict=False) for s in sessions for d in offsets)
        )
        wanted = {k for k, n in pairs.items() if self._promising(k, n, gapped=True)}
        per_key: dict[Key, Counter[int]] = defaultdict(Counter)
        for index, steps in enumerate(sessions):
            for offset in offsets:
                for pair in zip(steps, steps[offset:], strict=False):
                    if pair in wanted:
                        per_key[pair][index] += 1
        found = self._keep(per_key, gapped=True)
        return found + self._gapped_triples(_links(found))

    def _gapped_triples(self, gapped_pairs: set[Key]) -> list[SequenceEvidence]:
        contiguous = self._pairs
        starters = {key[0] for key in contiguous | gapped_pairs}
        per_key: dict[Key, Counter[int]] = defaultdict(Counter)
        for index, steps in enumerate(self.log.sessions):
            for i, first in enumerate(steps):
                if first in starters:
                    for j, k in self._triple_ends(steps, i, contiguous, gapped_pairs):
                        per_key[(first, steps[j], steps[k])][index] += 1
        return self._keep(per_key, gapped=True)

    @staticmethod
    def _triple_ends(
        steps: list[int], i: int, contiguous: set[Key], gapped: set[Key]
    ) -> list[tuple[int, int]]:
        """Positions j < k after i linked by kept links, with at least one gap."""
        ends = []
        last = len(steps)
        for j in range(i + 1, min(i + 2 + MAX_GAP, last)):
            if (steps[i], steps[j]) not in (contiguous if j == i + 1 else gapped):
                continue
            for k in range(j + 1, min(j + 2 + MAX_GAP, last)):
                if k - i == 2:
                    continue  # no gap at all: that is a contiguous run
                if (steps[j], steps[k]) in (contiguous if k == j + 1 else gapped):
                    ends.append((j, k))
        return ends

    def _condition(self, found: list[SequenceEvidence]) -> None:
        """Make a step beside a habit earn its place: A → (B → C) must beat chance given B → C.

        Otherwise any step that happens to come before (or after) a known habit
        would inherit the habit's confidence. The step's chance is its share of
        the positions the habit does not fill (the habit's own steps cannot also
        be the step beside it), and no sequence is surer than its parts. A pair
        is tested against the widest run that starts (or ends) at its other step.
        """
        parts = {(e.steps, e.gapped): e for e in found}
        runs = [e for e in found if not e.gapped and e.confidence >= MIN_CONFIDENCE]
        for evidence in sorted(found, key=lambda e: len(e.steps)):
            steps = evidence.steps
            for rest, added, front in ((steps[1:], steps[0], True), (steps[:-1], steps[-1], False)):
                if len(steps) > 2:
                    part = parts.get((rest, False)) or parts.get((rest, True))
                    share = self._given(evidence, part, added, part.occurrences if part else 0)
                else:
                    part = _widest(runs, rest[0], added, front=front)
                    if part is None:
                        continue
                    trials = self.log.counts[rest[0]]
                    share = self._given(evidence, part, added, trials)
                evidence.confidence = min(evidence.confidence, share)

    def _given(
        self, evidence: SequenceEvidence, part: SequenceEvidence | None, added: int, trials: int
    ) -> float:
        """The confidence that `added` belongs beside `part` (`trials` slots), capped by the part's.

        The chance of `added` in a slot is the larger of its share of the
        positions the part does not fill and its rate away from the part (outside
        its occurrences and the slots beside them): a random command is as common
        there as beside the habit, a habit's own step is rare there.
        """
        if part is None:  # the part was not kept: it is no habit, so neither is this
            return 0.0
        cap = part.confidence if len(evidence.steps) > 2 else 1.0
        free = self._positions - len(part.steps) * part.occurrences
        count, x = self.log.counts[added], evidence.occurrences
        away = free - trials
        frequency = max(count / max(free, 1), (count - x) / away if away > 0 else 0.0)
        if frequency >= 1.0:  # the step fills every position the part leaves: no evidence
            return cap
        if evidence.gapped:
            frequency = link_probability(frequency, MAX_GAP)
        return min(association(x, trials, frequency, evidence.tests), cap)

    # -- shared ----------------------------------------------------------------------------

    def _keep(self, per_key: dict[Key, Counter[int]], *, gapped: bool) -> list[SequenceEvidence]:
        kept = []
        for key, sessions in per_key.items():
            total = sum(sessions.values())
            if len(sessions) >= self.min_sessions and self._promising(key, total, gapped=gapped):
                first = self.log.counts[key[0]]
                null = self._null(key, gapped)
                # Bonferroni over every sequence of this length that could have been seen.
                tests = len(self.log.labels) ** len(key)
                evidence = SequenceEvidence(key, gapped, sessions, first, null, tests)
                evidence.confidence = association(total, first, null, tests)
                kept.append(evidence)
        return kept

    def _promising(self, key: Key, occurrences: int, *, gapped: bool) -> bool:
        if occurrences < self.min_occurrences:
            return False
        expected = self.log.counts[key[0]] * self._null(key, gapped)
        return occurrences >= ASSOCIATION_LIFT * expected

    def _null(self, key: Key, gapped: bool) -> float:
        probability = 1.0
        for step in key[1:]:
            frequency = self._frequency[step]
            probability *= link_probability(frequency, MAX_GAP) if gapped else frequency
        return probability


def _widest(
    runs: list[SequenceEvidence], step: int, added: int, *, front: bool
) -> SequenceEvidence | None:
    """The kept run covering most positions that starts (`front`) or ends at `step`."""
    beside = [
        run for run in runs if run.steps[0 if front else -1] == step and added not in run.steps
    ]
    return max(beside, key=lambda run: len(run.steps) * run.occurrences, default=None)


def _links(found: list[SequenceEvidence]) -> set[Key]:
    """Pairs worth growing into longer sequences: those more likely a habit than chance."""
    return {e.steps for e in found if e.confidence >= MIN_CONFIDENCE}


def _closed(ranked: Iterable[SequenceEvidence]) -> list[SequenceEvidence]:
    """Drop a sequence that a longer one containing it explains (≥ 90% of its occurrences)."""
    result = list(ranked)
    containing: dict[int, list[SequenceEvidence]] = defaultdict(list)
    for evidence in result:
        for step in set(evidence.steps):
            containing[step].append(evidence)
    return [e for e in result if not any(_explains(o, e) for o in containing[e.steps[0]])]


def _explains(longer: SequenceEvidence, shorter: SequenceEvidence) -> bool:
    if len(longer.steps) <= len(shorter.steps):
        return False
    if longer.occurrences < SUBSUMED * shorter.occurrences:
        return False
    if shorter.gapped:  # A … C is explained by a run A → B → C
        remaining = iter(longer.steps)
        return all(step in remaining for step in shorter.steps)
    if longer.gapped:
        return False
    size = len(shorter.steps)
    windows = (longer.steps[i : i + size] for i in range(len(longer.steps) - size + 1))
    return shorter.steps in set(windows)
