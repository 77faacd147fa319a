"""Event dataclasses shared by every layer.

Capture writes them, the store keeps them, miners read them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

JSON = Any  # a value that json.dumps accepts


def utcnow() -> datetime:
    """The current time, timezone-aware in UTC (the only kind of time the store keeps)."""
    return datetime.now(timezone.utc)


@dataclass
class Event:
    """One captured fact: a file created, a test outcome, a command run, a tool use.

    `source` names the capture point (`git`, `watch`, `pytest`, `shell`, `claude-code`, …),
    `session` groups the events of one run or conversation, `actor` says who acted
    (`human` or `agent`), and `payload` carries whatever else the capture point knows.
    """

    source: str
    kind: str
    payload: dict[str, JSON] = field(default_factory=dict)
    session: str = ""
    tool_name: str = ""
    actor: str = "human"
    signature: str = ""
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None
    # A stable id from the capture point ("" for none): an event whose key is stored already
    # is the same event, so ingesting a stream twice stores it once.
    key: str = ""
    already_stored: bool = False  # set by the store: its key was there, nothing was written


@dataclass
class Execution:
    """An operation that ran: its kind, inputs, outputs, tools, success and duration.

    `file_types` are the suffixes of path-like inputs and outputs; `signature` is
    the digest of the execution's shape (see `repetend.shapes.ExecutionSignature`),
    filled in when it is recorded.
    """

    kind: str
    inputs: dict[str, JSON] = field(default_factory=dict)
    outputs: dict[str, JSON] = field(default_factory=dict)
    tools: list[str] = field(default_factory=list)
    file_types: list[str] = field(default_factory=list)
    success: bool = True
    error: str = ""
    duration_ms: float = 0.0
    context: dict[str, JSON] = field(default_factory=dict)
    source: str = "api"
    session: str = ""
    actor: str = "human"
    signature: str = ""
    created_at: datetime = field(default_factory=utcnow)
    id: int | None = None


CANDIDATE_STATUSES = ("draft", "approved", "rejected", "quarantined")


@dataclass
class Candidate:
    """What a miner proposes: a pattern with its evidence and confidence, before or after review.

    `kind` names the miner's family (`execution`, `file-template`, `sequence`,
    `recovery`, `anti-pattern`); `signature` identifies the evidence group so the
    same evidence never makes a second candidate; `spec` is the generated pattern
    body written to disk; `status` is one of `CANDIDATE_STATUSES` (a `draft`
    waits for review).
    """

    kind: str
    signature: str
    name: str
    confidence: float
    confidence_parts: dict[str, float] = field(default_factory=dict)
    evidence: list[JSON] = field(default_factory=list)
    spec: dict[str, JSON] = field(default_factory=dict)
    description: str = ""
    occurrences: int = 0
    destructive: bool = False
    status: str = "draft"
    spec_path: str = ""
    id: str = ""
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass(frozen=True)
class AuditEntry:
    """One status change of a candidate or pattern: who, when, from what to what, and why."""

    pattern_id: str
    from_status: str
    to_status: str
    actor: str
    note: str
    created_at: datetime
