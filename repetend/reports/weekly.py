"""The weekly report's figures, every one read from the store.

Uses come from `pattern_uses` (what each pattern did in the week), totals to
date from `pattern_metrics`, candidates and their approvals from the
candidates table and the audit log, anti-patterns from their table. Nothing is
estimated here except money, which is the stored seconds saved times the
configured `hourly_rate`, and says so.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from repetend.config import Config
from repetend.events import Candidate
from repetend.reports.actions import recommended_actions
from repetend.reports.figures import TEAM, PatternWeek, Underused, WeeklyReport
from repetend.reports.weeks import Week
from repetend.store.base import PatternMetrics, PatternUse, Store, Who


def weekly_report(
    store: Store,
    config: Config,
    week: Week,
    now: datetime,
    *,
    who: Who | None = None,
    scope: str = TEAM,
) -> WeeklyReport:
    """Read the week's figures from the store and derive the recommended actions.

    With `who` (one person's view, named `scope`), the uses, and the totals to
    date of underused patterns, are those `who` allows; candidates are everyone's.
    """
    candidates = {c.id: c for c in store.candidates()}
    uses = store.uses(since=week.start, until=week.end, who=who)
    patterns = pattern_weeks(uses, candidates)
    metrics = store.scoped_metrics(who) if who is not None else store.all_metrics()
    report = WeeklyReport(
        week=week,
        generated_at=now,
        hourly_rate=float(config.hourly_rate),
        patterns=patterns,
        underused=underused(store, candidates, {p.pattern_id for p in patterns}, week.end, metrics),
        new_candidates=[c for c in candidates.values() if week.start <= c.created_at < week.end],
        anti_patterns=store.anti_patterns_seen(since=week.start, until=week.end),
        pending_review=sum(c.status == "draft" for c in candidates.values()),
        scope=scope,
    )
    report.actions.extend(recommended_actions(report))
    return report


def pattern_weeks(uses: list[PatternUse], candidates: dict[str, Candidate]) -> list[PatternWeek]:
    """The week's uses summed per pattern."""
    sums: dict[str, dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for use in uses:
        row = sums[use.pattern_id]
        row["uses"] += 1
        row[{"success": "successes", "failure": "failures"}.get(use.outcome, "workarounds")] += 1
        row["seconds_saved"] += use.seconds_saved
    return [
        PatternWeek(
            pattern_id,
            candidates[pattern_id].name if pattern_id in candidates else "(not in the store)",
            int(row["uses"]),
            int(row["successes"]),
            int(row["failures"]),
            int(row["workarounds"]),
            round(row["seconds_saved"], 3),
        )
        for pattern_id, row in sums.items()
    ]


def underused(
    store: Store,
    candidates: dict[str, Candidate],
    used: set[str],
    until: datetime,
    totals: list[PatternMetrics],
) -> list[Underused]:
    """Approved patterns (approved before `until`) that are not among `used`, least used first."""
    metrics: dict[str, PatternMetrics] = {m.pattern_id: m for m in totals}
    found = []
    for candidate in candidates.values():
        if candidate.status != "approved" or candidate.id in used:
            continue
        approved = _approved_at(store, candidate.id)
        if approved is not None and approved >= until:
            continue
        known = metrics.get(candidate.id)
        last = known.last_used_at if known else None
        uses = known.uses if known else 0
        found.append(Underused(candidate.id, candidate.name, approved, last, uses))
    return sorted(found, key=_idle_order)


def _idle_order(idle: Underused) -> tuple[bool, float, str]:
    """Never used first, then the longest unused."""
    last = idle.last_used_at.timestamp() if idle.last_used_at else 0.0
    return (idle.last_used_at is not None, last, idle.pattern_id)


def _approved_at(store: Store, pattern_id: str) -> datetime | None:
    from repetend.patterns.versions import is_approval

    approvals = [e.created_at for e in store.audit_log(pattern_id) if is_approval(e)]
    return approvals[-1] if approvals else None
