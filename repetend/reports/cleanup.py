"""The monthly clean-up: approved patterns nobody has used for a while are archived.

Archiving rejects the pattern with a note that says why (its spec moves to
`rejected/`, the audit log keeps the decision), so it is no longer suggested or
checked, and `repetend candidates reopen ID` brings it back. The idle time runs
from the last use, or from the approval when it was never used.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pluggy

from repetend.config import Config
from repetend.patterns.lifecycle import review
from repetend.reports.figures import Underused
from repetend.reports.weekly import underused
from repetend.store.base import Store


def idle_patterns(store: Store, now: datetime, days: int) -> list[Underused]:
    """Approved patterns unused for `days` or more, the longest idle first."""
    approved = {c.id: c for c in store.candidates(status="approved")}
    idle = underused(store, approved, set(), now, store.all_metrics())
    return [u for u in idle if _dated(u, now, days)]


def _dated(idle: Underused, now: datetime, days: int) -> bool:
    since = idle.last_used_at or idle.approved_at
    return since is not None and now - since >= timedelta(days=days)


def archive(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    found: list[Underused],
    *,
    days: int,
    actor: str,
) -> None:
    """Reject each idle pattern, saying in the audit log how long it was unused."""
    for idle in found:
        last = idle.last_used_at.date().isoformat() if idle.last_used_at else "never used"
        note = f"archived: unused for {days} days or more (last used: {last})"
        review(store, config, manager, idle.pattern_id, "rejected", actor=actor, note=note)
