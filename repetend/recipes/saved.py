"""Time a recipe run saved: measured from the same steps done by hand, else the fallback.

Measured: the store's latest `RECENT` captured steps (commands and agent tool
uses, labelled at capture), per session, a step repeated back to back counted
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

from repetend.events import Candidate, Event
from repetend.store.base import Store

RECENT = 20_000  # captured events read back at most: a run never waits on a whole history
MAX_HAND_SECONDS = 8 * 3600  # a run by hand that took longer than a working day was not one
STEP_KINDS = ("command", "tool_use")


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
    sessions: dict[str, list[Event]] = defaultdict(list)
    for event in reversed(store.events_by_id(limit=RECENT, newest_first=True)):
        label = event.payload.get("step")
        if event.kind not in STEP_KINDS or not isinstance(label, str):
            continue
        steps = sessions[event.session]
        if not steps or steps[-1].payload.get("step") != label:
            steps.append(event)
    return [took for steps in sessions.values() for took in _runs(steps, labels)]


def _runs(steps: list[Event], labels: list[str]) -> list[float]:
    found = []
    size = len(labels)
    at = 0
    while at + size <= len(steps):
        window = steps[at : at + size]
        if [e.payload.get("step") for e in window] != labels:
            at += 1
            continue
        last = window[-1]
        duration = last.payload.get("duration_ms")
        tail = float(duration) / 1000 if isinstance(duration, int | float) else 0.0
        took = (last.created_at - window[0].created_at).total_seconds() + tail
        if 0 < took <= MAX_HAND_SECONDS:
            found.append(took)
        at += size
    return found
