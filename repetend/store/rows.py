"""Rows: how executions, candidates and times are written to and read from SQL tables."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from datetime import datetime, timezone
from typing import Any

from repetend.errors import StoreError
from repetend.events import Candidate, Execution
from repetend.shapes import ExecutionSignature


def to_text(moment: datetime) -> str:
    """Store a time as fixed-width UTC text, so text order is time order."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def from_text(text: str) -> datetime:
    """Read a time written by `to_text`."""
    # fromisoformat is implemented in C; strptime costs ten times as much per row.
    return datetime.fromisoformat(text[:-1]).replace(tzinfo=timezone.utc)


def dumps(value: Any) -> str:
    """Compact JSON; values json cannot encode are stored by their `repr`.

    Text that is not valid Unicode (a file name with bytes that are not UTF-8, read
    with `surrogateescape`) is written as `\\udcXX` escapes, which SQLite can hold and
    `json.loads` turns back into the same string.
    """
    text = json.dumps(value, separators=(",", ":"), default=repr, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, separators=(",", ":"), default=repr)
    return text


def execution_row(execution: Execution) -> tuple[Any, ...]:
    signature = ExecutionSignature.of(execution)
    digest = execution.signature or signature.digest()
    return (
        execution.kind,
        dumps(list(execution.file_types)),
        dumps(list(execution.tools)),
        dumps(execution.inputs),
        dumps(execution.outputs),
        dumps(dict(signature.input_shape)),
        dumps(dict(signature.output_shape)),
        digest,
        int(execution.success),
        execution.error,
        float(execution.duration_ms),
        dumps(execution.context),
        execution.source,
        execution.session,
        execution.actor,
        to_text(execution.created_at),
    )


def execution_from_row(row: sqlite3.Row) -> Execution:
    return Execution(
        kind=row["kind"],
        inputs=json.loads(row["inputs"]),
        outputs=json.loads(row["outputs"]),
        tools=json.loads(row["tools"]),
        file_types=json.loads(row["file_types"]),
        success=bool(row["success"]),
        error=row["error"],
        duration_ms=row["duration_ms"],
        context=json.loads(row["context"]),
        source=row["source"],
        session=row["session"],
        actor=row["actor"],
        signature=row["signature"],
        created_at=from_text(row["created_at"]),
        id=row["id"],
    )


_CANDIDATE_COLUMNS = (
    "kind, signature, name, description, confidence, confidence_parts, evidence, spec,"
    " occurrences, destructive, status, spec_path, created_at, updated_at, id"
)


def _candidate_values(c: Candidate) -> tuple[Any, ...]:
    return (
        c.kind,
        c.signature,
        c.name,
        c.description,
        c.confidence,
        dumps(c.confidence_parts),
        dumps(c.evidence),
        dumps(c.spec),
        c.occurrences,
        int(c.destructive),
        c.status,
        c.spec_path,
        to_text(c.created_at),
        to_text(c.updated_at),
        c.id,
    )


def insert_candidate(db: sqlite3.Connection, candidate: Candidate) -> None:
    values = _candidate_values(candidate)  # once: it encodes the whole spec as JSON
    db.execute(
        f"INSERT INTO candidates ({_CANDIDATE_COLUMNS}) VALUES ({', '.join('?' * len(values))})",
        values,
    )


def update_candidate(db: sqlite3.Connection, candidate: Candidate) -> None:
    columns = [name.strip() for name in _CANDIDATE_COLUMNS.split(",")]
    assignments = ", ".join(f"{name} = ?" for name in columns[:-1] if name != "created_at")
    values = [
        v
        for name, v in zip(columns, _candidate_values(candidate), strict=True)
        if name != "created_at"
    ]
    db.execute(f"UPDATE candidates SET {assignments} WHERE id = ?", values)


def candidate_from_row(row: sqlite3.Row) -> Candidate:
    return Candidate(
        kind=row["kind"],
        signature=row["signature"],
        name=row["name"],
        description=row["description"],
        confidence=row["confidence"],
        confidence_parts=json.loads(row["confidence_parts"]),
        evidence=json.loads(row["evidence"]),
        spec=json.loads(row["spec"]),
        occurrences=row["occurrences"],
        destructive=bool(row["destructive"]),
        status=row["status"],
        spec_path=row["spec_path"],
        id=row["id"],
        created_at=from_text(row["created_at"]),
        updated_at=from_text(row["updated_at"]),
    )


def next_id(db: Any, moment: datetime, kind: str, signature: str) -> str:
    """A new candidate's id, unique across machines: `AUTO-YYYYMMDD-` and a content digest.

    The suffix is derived from the evidence group (kind and signature), so two clones that
    mine different patterns never hand out the same id, and the same pattern mined on one
    day gets the same id wherever it is mined. It grows in the rare case that a stored
    candidate holds it already. Ids of the older `AUTO-YYYYMMDD-NNN` form stay valid.
    """
    day = f"AUTO-{moment.astimezone(timezone.utc):%Y%m%d}-"
    digest = hashlib.blake2b(f"{kind}\0{signature}".encode(), digest_size=16).hexdigest()
    for length in range(6, len(digest) + 1, 2):
        candidate_id = day + digest[:length]
        if db.execute("SELECT 1 FROM candidates WHERE id = ?", (candidate_id,)).fetchone() is None:
            return candidate_id
    raise StoreError(f"no free id for {kind} {signature!r} on {day[5:-1]}")


def audit(
    db: sqlite3.Connection, pattern_id: str, old: str, new: str, actor: str, note: str
) -> None:
    db.execute(
        "INSERT INTO audit_log (pattern_id, from_status, to_status, actor, note, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (pattern_id, old, new, actor, note, to_text(datetime.now(timezone.utc))),
    )
