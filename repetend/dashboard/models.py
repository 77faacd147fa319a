"""The API's JSON shapes: FastAPI validates with them and builds the OpenAPI schema from them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, Literal, TypeVar

from pydantic import BaseModel, Field

T = TypeVar("T")


class Page(BaseModel, Generic[T]):
    """One page of a list: `limit` items from `offset` on, of `total`."""

    items: list[T]
    total: int
    limit: int
    offset: int
    next_offset: int | None = Field(description="The offset of the next page; null on the last.")
    empty_reason: str = Field(default="", description="Why the list is empty, when it is.")


class Metrics(BaseModel):
    """How a pattern has done in use (from `pattern_metrics`)."""

    uses: int = 0
    successes: int = 0
    failures: int = 0
    workarounds: int = 0
    seconds_saved: float = 0.0
    success_rate: float | None = Field(
        default=None, description="successes / uses; null before any use."
    )
    last_used_at: datetime | None = None


class Pattern(BaseModel):
    """A candidate or reviewed pattern, without its evidence."""

    id: str
    kind: str
    name: str
    description: str
    status: str
    confidence: float
    occurrences: int
    destructive: bool
    spec_path: str
    updated_at: datetime
    metrics: Metrics


class Candidate(Pattern):
    """A pattern waiting for review, with what it was learned from."""

    confidence_parts: dict[str, float]
    evidence: list[Any]
    spec: dict[str, Any]


class StatsBucket(BaseModel):
    """The uses of one pattern in one day or week (`start` is its first day)."""

    start: date
    uses: int
    successes: int
    failures: int
    workarounds: int
    seconds_saved: float


class PatternStats(BaseModel):
    """A pattern's totals and its uses over time."""

    pattern_id: str
    totals: Metrics
    bucket: Literal["day", "week"]
    series: list[StatsBucket]


class Decision(BaseModel):
    """A review decision's note and, optionally, who made it."""

    note: str = Field(default="", max_length=2000, description="Why (kept in the audit log).")
    actor: str = Field(
        default="", max_length=200, description="Who decides (default: the server's user)."
    )


class AuditRecord(BaseModel):
    """One status change in the audit log."""

    pattern_id: str
    from_status: str
    to_status: str
    actor: str
    note: str
    at: datetime


class DecisionResult(BaseModel):
    """The pattern after a decision, its version, and its audit trail."""

    id: str
    status: str
    spec_path: str
    version: str
    history: list[AuditRecord]


class Rollback(Decision):
    """A rollback: to which kept approved version (default: the one before the current)."""

    to: str | None = Field(default=None, max_length=40, description="A kept version, e.g. 1.0.0.")


class AntiPattern(BaseModel):
    """A failure pattern: what goes wrong, how often, since when."""

    id: int
    signature: str
    kind: str
    description: str
    occurrences: int
    evidence: Any
    status: str
    first_seen: datetime
    last_seen: datetime
    pattern_id: str = Field("", description="ANTI-PAT-NNN, once the failure learner named it.")
    name: str = ""
    cause: str = Field("", description="The inferred cause (docs/failures.md), or ''.")


class Activity(BaseModel):
    """One captured event, as the live panel shows it."""

    id: int
    source: str
    kind: str
    actor: str
    session: str
    summary: str
    at: datetime


class Preview(BaseModel):
    """Values for `apply --dry-run`: variable name -> value as typed."""

    values: dict[str, str] = Field(default_factory=dict)


class PreviewFile(BaseModel):
    """One file `apply` would write."""

    path: str
    text: str
    exists: bool


class Session(BaseModel):
    """The CSRF token a script sends back in `X-CSRF-Token` with its session cookie."""

    csrf_token: str


class Person(BaseModel):
    """Someone the store's uses and events name (a digest under `team_identity: hashed`)."""

    user: str = Field(description="As stamped by sync; '' for a machine's own rows.")
    uses: int
    events: int
