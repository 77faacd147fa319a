"""The weekly report's figures, every one read from the store.

Uses come from `pattern_uses` (what each pattern did in the week), totals to
date from `pattern_metrics`, candidates and their approvals from the
candidates table and the audit log, anti-patterns from their table. Nothing is
estimated here except money, which is the stored seconds saved times the
configured `hourly_rate`, and says so.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from repetend.config import Config
from repetend.events import Candidate
from repetend.reports.weeks import Week
from repetend.store.base import AntiPatternRecord, PatternMetrics, PatternUse, Store

TOP = 10  # patterns listed in each ranking
ARCHIVE_DAYS = 90  # the monthly clean-up archives patterns unused this long
FAILING_SHARE = 0.4  # the seeds' HIGH alert: more than 40% of a pattern's uses failed
FAILING_MIN_USES = 3  # …over at least this many uses in the week


@dataclass(frozen=True)
class PatternWeek:
    """What one pattern did in the week."""

    pattern_id: str
    name: str
    uses: int = 0
    successes: int = 0
    failures: int = 0
    workarounds: int = 0
    seconds_saved: float = 0.0


@dataclass(frozen=True)
class Underused:
    """An approved pattern that was not used in the week, and when it last was."""

    pattern_id: str
    name: str
    approved_at: datetime | None
    last_used_at: datetime | None
    uses_to_date: int

    def idle_days(self, now: datetime) -> int | None:
        """Days since its last use, or since its approval when it was never used."""
        since = self.last_used_at or self.approved_at
        return (now - since).days if since else None


@dataclass(frozen=True)
class WeeklyReport:
    """Everything the weekly page shows."""

    week: Week
    generated_at: datetime
    hourly_rate: float
    patterns: list[PatternWeek]
    underused: list[Underused]
    new_candidates: list[Candidate]
    anti_patterns: list[AntiPatternRecord]
    pending_review: int
    actions: list[str] = field(default_factory=list)

    @property
    def totals(self) -> dict[str, float]:
        """Uses, outcomes and seconds saved over every pattern in the week."""
        keys = ("uses", "successes", "failures", "workarounds", "seconds_saved")
        sums = {key: sum(getattr(p, key) for p in self.patterns) for key in keys}
        return {**sums, "patterns_used": len(self.patterns)}

    @property
    def top_by_use(self) -> list[PatternWeek]:
        """The most used patterns of the week (time saved breaks ties)."""
        ranked = sorted(self.patterns, key=lambda p: (-p.uses, -p.seconds_saved, p.pattern_id))
        return ranked[:TOP]

    @property
    def top_by_time(self) -> list[PatternWeek]:
        """The patterns that saved the most time in the week."""
        ranked = sorted(self.patterns, key=lambda p: (-p.seconds_saved, -p.uses, p.pattern_id))
        return [p for p in ranked if p.seconds_saved > 0][:TOP]

    def as_json(self) -> dict[str, Any]:
        """The report as JSON (times as ISO-8601 text)."""
        totals = self.totals
        return {
            "week": self.week.label,
            "start": self.week.start.isoformat(),
            "end": self.week.end.isoformat(),
            "generated_at": self.generated_at.isoformat(timespec="seconds"),
            "totals": {**totals, "value": value(totals["seconds_saved"], self.hourly_rate)},
            "hourly_rate": self.hourly_rate,
            "top_by_use": [asdict(p) for p in self.top_by_use],
            "top_by_time_saved": [asdict(p) for p in self.top_by_time],
            "underused": [
                {**_times(asdict(u)), "idle_days": u.idle_days(self.generated_at)}
                for u in self.underused
            ],
            "new_candidates": [_candidate_row(c) for c in self.new_candidates],
            "anti_patterns": [_times(asdict(a)) for a in self.anti_patterns],
            "pending_review": self.pending_review,
            "recommended_actions": self.actions,
        }


def _times(row: dict[str, Any]) -> dict[str, Any]:
    """The row with its times as ISO-8601 text."""
    return {k: v.isoformat() if isinstance(v, datetime) else v for k, v in row.items()}


def value(seconds: float, hourly_rate: float) -> float:
    """What `seconds` of a developer's time cost at `hourly_rate`."""
    return round(seconds / 3600 * hourly_rate, 2)


def _candidate_row(candidate: Candidate) -> dict[str, Any]:
    return {
        "id": candidate.id,
        "kind": candidate.kind,
        "name": candidate.name,
        "status": candidate.status,
        "confidence": candidate.confidence,
        "occurrences": candidate.occurrences,
        "created_at": candidate.created_at.isoformat(timespec="seconds"),
    }


def weekly_report(store: Store, config: Config, week: Week, now: datetime) -> WeeklyReport:
    """Read the week's figures from the store and derive the recommended actions."""
    candidates = {c.id: c for c in store.candidates()}
    uses = store.uses(since=week.start, until=week.end)
    patterns = pattern_weeks(uses, candidates)
    report = WeeklyReport(
        week=week,
        generated_at=now,
        hourly_rate=float(config.hourly_rate),
        patterns=patterns,
        underused=underused(store, candidates, {p.pattern_id for p in patterns}, week.end),
        new_candidates=[c for c in candidates.values() if week.start <= c.created_at < week.end],
        anti_patterns=store.anti_patterns_seen(since=week.start, until=week.end),
        pending_review=sum(c.status == "draft" for c in candidates.values()),
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
    store: Store, candidates: dict[str, Candidate], used: set[str], until: datetime
) -> list[Underused]:
    """Approved patterns (approved before `until`) that are not among `used`, least used first."""
    metrics: dict[str, PatternMetrics] = {m.pattern_id: m for m in store.all_metrics()}
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
    approvals = [e.created_at for e in store.audit_log(pattern_id) if e.to_status == "approved"]
    return approvals[-1] if approvals else None


def recommended_actions(report: WeeklyReport) -> list[str]:
    """What to do next, each line from a figure of the report."""
    actions = [_failing(p) for p in report.patterns if _is_failing(p)]
    actions += [_workarounds(p) for p in report.top_by_use if p.workarounds]
    actions += _idle(report)
    if report.pending_review:
        actions.append(
            f"Review the {report.pending_review} candidate(s) waiting: `repetend review`."
        )
    if report.anti_patterns:
        worst = report.anti_patterns[0]
        actions.append(
            f"Look into {len(report.anti_patterns)} anti-pattern(s) seen this week; the most"
            f" frequent: {worst.description} ({worst.occurrences} times)."
        )
    if not report.patterns:
        actions.append(
            "No pattern was used this week: `repetend apply` records each use of a template."
        )
    return actions


def _is_failing(p: PatternWeek) -> bool:
    return p.uses >= FAILING_MIN_USES and p.failures / p.uses > FAILING_SHARE


def _failing(p: PatternWeek) -> str:
    return (
        f"Fix or quarantine {p.pattern_id}: {p.failures} of its {p.uses} uses failed this week"
        f" (`repetend candidates quarantine {p.pattern_id} --note …`)."
    )


def _workarounds(p: PatternWeek) -> str:
    return (
        f"Look at {p.pattern_id}: {p.workarounds} of its {p.uses} uses this week needed edits"
        " to its fixed text; a new version may be due."
    )


def _idle(report: WeeklyReport) -> list[str]:
    now = report.generated_at
    stale = [u for u in report.underused if (u.idle_days(now) or 0) >= ARCHIVE_DAYS]
    recent = [u for u in report.underused if u not in stale]
    actions = []
    if stale:
        actions.append(
            f"Archive the {len(stale)} approved pattern(s) unused for {ARCHIVE_DAYS} days or"
            f" more ({_ids(stale)}): `repetend archive --unused-days {ARCHIVE_DAYS} --apply`."
        )
    if recent:
        actions.append(
            f"{len(recent)} approved pattern(s) were not used this week ({_ids(recent)}):"
            " tell the team they exist, or reject those nobody needs."
        )
    return actions


def _ids(found: list[Underused]) -> str:
    shown = ", ".join(u.pattern_id for u in found[:5])
    return shown + (f" and {len(found) - 5} more" if len(found) > 5 else "")
