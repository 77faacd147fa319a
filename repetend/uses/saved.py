"""Time saved by one use: measured where the evidence holds it, else the configured fallback.

Measured: how long members of the template's family took by hand, from the
watcher's `file-created` event to the commit that added the file (the median,
over members made within `MAX_HAND_SECONDS`). Without such evidence, the
fallback is `seconds_per_step` per file written. Either way the source is kept
with the use, so reports say which figures were measured.
"""

from __future__ import annotations

import re
import statistics
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from repetend.patterns.clock import now
from repetend.store.base import Store

if TYPE_CHECKING:
    from repetend.config import Config

MAX_HAND_SECONDS = 8 * 3600  # a file left longer than a working day was not being written


def seconds_saved(store: Store, config: Config, pattern_id: str, files: int) -> tuple[float, str]:
    """Seconds one use of the pattern saved, and where the figure comes from."""
    measured = hand_made_seconds(store, config, pattern_id)
    if measured:
        median = statistics.median(measured)
        return median, f"measured: median of {len(measured)} members made by hand"
    step = float(config.seconds_per_step)
    return step * files, f"fallback: seconds_per_step {step:g} x {files} file(s)"


def hand_made_seconds(store: Store, config: Config, pattern_id: str) -> list[float]:
    """Seconds from creation to commit of each member of the template made by hand."""
    candidate = store.get_candidate(pattern_id)
    regexes = [
        str(item.get("path_regex", "$^"))
        for item in (candidate.spec.get("files") or [] if candidate else [])
        if isinstance(item, dict)
    ]
    if not regexes:
        return []
    since = now() - timedelta(days=int(config.lookback_days))
    created = _created_by_hand(store, since, regexes)
    return _until_committed(store, since, created)


def _created_by_hand(store: Store, since: datetime, regexes: list[str]) -> dict[str, datetime]:
    created: dict[str, datetime] = {}
    for event in store.events(since=since, source="watch", kind="file-created"):
        path = str(event.payload.get("path", ""))
        fits = any(re.fullmatch(regex, path) for regex in regexes)
        if fits and event.payload.get("by_hand", True) and path not in created:
            created[path] = event.created_at
    return created


def _until_committed(store: Store, since: datetime, created: dict[str, datetime]) -> list[float]:
    seconds: list[float] = []
    waiting = dict(created)
    for event in store.events(since=since, source="git", kind="commit"):
        added = event.payload.get("added", [])
        for path in added if isinstance(added, list) else []:
            start = waiting.pop(str(path), None)
            took = (event.created_at - start).total_seconds() if start else -1.0
            if 0 < took <= MAX_HAND_SECONDS:
                seconds.append(took)
    return seconds
