"""Time a recipe run saved: measured from the same steps done by hand, else the fallback.

Measured: the store's latest `RECENT` captured steps (commands and agent tool
uses, labelled at capture; `Store.recent_steps`), per session, a step repeated back to back counted
once as the sequence miner counts it. Each time a session did the recipe's
steps in a row by hand, it took from the first step's start to the last step's
end. The median of those runs, less this run's own time, is what the run saved
(never below 0). Without such runs (a recipe whose steps were written by hand,
a gapped sequence, an execution pattern), the fallback is `seconds_per_step`
per step. Either way the source is kept with the use.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from datetime import datetime

from repetend.events import Candidate
from repetend.store.base import Store

RECENT = 5_000  # captured steps read back at most (weeks of a developer's commands)
MAX_HAND_SECONDS = 8 * 3600  # a run by hand that took longer than a working day was not one
Step = tuple[str, float | None, datetime]  # label, duration in ms, when it started


def seconds_saved(
    store: Store, candidate: Candidate, run_seconds: float, steps: int, seconds_per_step: float
) -> tuple[float, str]:
    """Seconds the run saved, and where the figure comes from."""
    by_hand = hand_runs(store, candidate)
    if by_hand:
        median = statistics.median(by_hand)
        saved = max(median - run_seconds, 0.0)
        return saved, (
            f"measured: median of {len(by_hand)} run(s) by hand ({median:.1f} s)"
            f" less this run's {run_seconds:.1f} s"
        )
    return (
        seconds_per_step * steps,
        f"fallback: seconds_per_step {seconds_per_step:g} x {steps} step(s)",
    )


def hand_runs(store: Store, candidate: Candidate) -> list[float]:
    """Seconds each recent run of the sequence's steps by hand took (none for other recipes)."""
    labels = [str(step) for step in candidate.spec.get("steps") or []]
    if candidate.kind != "sequence" or candidate.spec.get("gapped") or len(labels) < 2:
        return []
    sessions: dict[str, list[Step]] = defaultdict(list)
    for session, label, duration, at in store.recent_steps(RECENT):
        steps = sessions[session]
        if not steps or steps[-1][0] != label:
            steps.append((label, duration, at))
    return [took for steps in sessions.values() for took in _runs(steps, labels)]


def _runs(steps: list[Step], labels: list[str]) -> list[float]:
    found = []
    size = len(labels)
    at = 0
    while at + size <= len(steps):
        window = steps[at : at + size]
        if [label for label, _, _ in window] != labels:
            at += 1
            continue
        _, duration, last = window[-1]
        took = (last - window[0][2]).total_seconds() + (duration or 0.0) / 1000
        if 0 < took <= MAX_HAND_SECONDS:
            found.append(took)
        at += size
    return found
