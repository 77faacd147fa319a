"""The weekly report's figures as values: per pattern, per idle pattern, for the whole week."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

from repetend.events import Candidate
from repetend.reports.weeks import Week
from repetend.store.base import AntiPatternRecord

TOP = 10  # patterns listed in each ranking
TEAM = "the team"  # the view without a filter


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
    scope: str = TEAM  # or one person's view: `user ana`, `branch main`

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
            "scope": self.scope,
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
