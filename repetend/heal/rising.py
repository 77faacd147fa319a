"""The LOW alert: anti-patterns up by half or more in a week (the use loop's fourth level).

Each learning pass counts the failures whose signatures are active anti-patterns in
the last 7 days and in the 7 days before. When the later week has at least
`alert_anti_pattern_rise` (1.5) times the earlier one's (and the earlier had any),
one LOW alert goes through the notify hook and is kept in the store under the
pseudo-id `ANTI-PATTERNS`, at most once a week.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pluggy

from repetend.config import Config
from repetend.store import SQLiteStore

ALERT_ID = "ANTI-PATTERNS"
WEEK = timedelta(days=7)


def rising_alert(
    store: SQLiteStore, config: Config, manager: pluggy.PluginManager, now: datetime
) -> str:
    """Send the LOW alert when anti-patterns rose by the configured share; its text, or ''."""
    active = {r.signature for r in store.anti_patterns() if r.status == "active"}
    if not active:
        return ""
    recent = store.failures(since=now - 2 * WEEK)
    this_week = sum(1 for f in recent if f.signature in active and f.created_at >= now - WEEK)
    week_before = sum(1 for f in recent if f.signature in active and f.created_at < now - WEEK)
    rise = float(config.alert_anti_pattern_rise)
    if week_before == 0 or this_week < rise * week_before:
        return ""
    if any(level == "LOW" and at >= now - WEEK for _, level, _, at in store.alerts(ALERT_ID)):
        return ""
    share = round((this_week / week_before - 1) * 100)
    text = (
        f"LOW: anti-patterns up {share}% in a week ({week_before} -> {this_week} failures of"
        f" {len(active)} active anti-pattern(s)): `repetend anti-patterns list`"
    )
    store.add_alert(ALERT_ID, "LOW", text, at=now)
    from repetend.patterns.lifecycle import notify

    notify(manager, config, "alert", text, level="warning")
    return text
