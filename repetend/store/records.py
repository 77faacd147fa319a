"""The rows the store hands back: groups, measures, uses, renders, circuits and spec files.

Plain frozen dataclasses, so every backend builds the same objects and callers never
see a backend's row type. `repetend.store.base` re-exports them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any


@dataclass(frozen=True)
class SignatureGroup:
    """Executions that share one signature digest: how many, how many succeeded, and when."""

    signature: str
    kind: str
    count: int
    successes: int
    first_seen: datetime
    last_seen: datetime


@dataclass(frozen=True)
class PatternMetrics:
    """How a pattern has done in use."""

    pattern_id: str
    uses: int
    successes: int
    failures: int
    seconds_saved: float
    last_used_at: datetime | None
    confidence: float | None
    workarounds: int = 0


USE_OUTCOMES = ("success", "workaround", "failure")


@dataclass(frozen=True)
class PatternUse:
    """One time a pattern did work: who used which version, how it went, what it saved.

    `outcome` is one of `USE_OUTCOMES`; a workaround (the user edited the pattern's
    fixed text) counts as neither a success nor a failure. `evidence` says how the
    outcome was judged (files, exit codes, edited lines), JSON-serialisable.
    """

    pattern_id: str
    outcome: str
    version: str = ""
    actor: str = "human"
    seconds_saved: float = 0.0
    evidence: dict[str, Any] = field(default_factory=dict)
    at: datetime | None = None
    id: int | None = None
    # Who and where (see `WHO_COLUMNS`): '' on a machine's own store, where every use is its
    # user's; stamped when a use is recorded straight into a shared store.
    user_name: str = ""
    machine: str = ""
    remote: str = ""
    branch: str = ""


@dataclass
class Render:
    """One file a pattern rendered, kept until the commit that judges it.

    `lines` are digests of the rendered lines (the text itself is not kept);
    `batch` groups the files of one set of values (one use); `outcome` is ""
    until judged, then one of `USE_OUTCOMES`; `trial` marks a half-open circuit's trial.
    """

    pattern_id: str
    path: str
    digest: str
    lines: list[str]
    batch: str = ""
    version: str = ""
    template_path: str = ""
    source: str = "apply"
    actor: str = "human"
    trial: bool = False
    at: datetime | None = None
    outcome: str = ""
    evidence: dict[str, Any] = field(default_factory=dict)
    id: int | None = None


@dataclass(frozen=True)
class Circuit:
    """A pattern's circuit breaker: `closed`, or `open` since `opened_at`; failures in a row."""

    pattern_id: str
    state: str = "closed"
    failures: int = 0
    opened_at: datetime | None = None
    reason: str = ""


@dataclass(frozen=True)
class UseDay:
    """The uses of a pattern (or of all) on one UTC day, summed by outcome."""

    day: date
    uses: int
    successes: int
    failures: int
    workarounds: int
    seconds_saved: float


@dataclass(frozen=True)
class AntiPatternRecord:
    """A failure that recurs, as the `anti_patterns` table keeps it (failure learning fills it)."""

    signature: str
    kind: str
    description: str
    occurrences: int
    status: str
    first_seen: datetime
    last_seen: datetime
    evidence: Any = None
    id: int | None = None


@dataclass(frozen=True)
class SpecFile:
    """A spec file as the store last read it: where, how big, when changed, what it held."""

    path: str
    size: int
    mtime_ns: int
    digest: str
    pattern_id: str


# Who and where a row came from (stamped by `repetend sync` on the team store; '' on a
# machine's own store). A filter maps some of these columns to the values they may hold.
WHO_COLUMNS = ("user_name", "machine", "remote", "branch")
Who = dict[str, list[str]]


def who_clauses(who: Who | None) -> tuple[list[str], list[object]]:
    """SQL clauses (and their parameters) keeping the rows whose who/where `who` allows."""
    clauses: list[str] = []
    params: list[object] = []
    for column, values in (who or {}).items():
        if column not in WHO_COLUMNS:
            raise ValueError(f"{column!r} is not one of {', '.join(WHO_COLUMNS)}")
        clauses.append(f"{column} IN ({', '.join('?' * len(values))})" if values else "1 = 0")
        params.extend(values)
    return clauses, params
