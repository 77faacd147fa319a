"""Fill the failure signature store from what the capture points stored.

Every capture point keeps its own events (`run` and `shell` commands, pytest
tests and sessions, agent tool uses, `record()` executions, judged pattern
uses). `collect` reads what is new since the last call (by id, so each row is
read once) and writes one `FailureRecord` per failure into the `failures`
table, each with its signature:

- a command from `repetend run`: the signature made from its stderr when it ran;
- a shell command: the shell cannot see stderr, so its step and exit status;
- a test: the error signature the pytest plugin made, with the session's tree state;
- an agent tool use: its error text (or the Bash tool's stderr);
- a `record()` call: the exception it raised;
- a pattern use judged a failure: what the judge said.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from repetend.events import Event
from repetend.failures.evidence import command_failure, failure_record
from repetend.store import SQLiteStore
from repetend.store.records import FailureRecord

BATCH = 2000
COMMAND_SOURCES = ("run", "shell")


def collect(store: SQLiteStore) -> int:
    """Read new events, executions and uses into the failure store; return how many failures."""
    return _events(store) + _executions(store) + _uses(store)


def _events(store: SQLiteStore) -> int:
    new = 0
    mark = store.failure_mark("events")
    sessions: dict[str, tuple[str, str]] = {}
    while True:
        batch = store.events_by_id(after=mark, limit=BATCH)
        if not batch:
            break
        found = [f for e in batch if (f := from_event(e, store, sessions)) is not None]
        new += store.add_failures(found)
        mark = int(batch[-1].id or mark)
        store.set_failure_mark("events", mark)
    return new


def from_event(
    event: Event, store: SQLiteStore, sessions: dict[str, tuple[str, str]]
) -> FailureRecord | None:
    """The failure one event records, or None (a success, or not a failure-bearing event)."""
    body = event.payload
    if event.kind == "command" and event.source in COMMAND_SOURCES and not body.get("success"):
        command = str(body.get("command", ""))
        failure = body.get("failure")
        if not isinstance(failure, dict):
            step = str(body.get("step") or " ".join(command.split()[:1]))
            failure = command_failure(b"", step, int(body.get("exit_status", 1)))
        detail = {"exit_status": body.get("exit_status"), "cwd": body.get("cwd", "")}
        return _record(event, "command", str(body.get("step", "")), failure, command, detail)
    if event.kind == "tool_use" and body.get("success") is False:
        return _tool_failure(event)
    if event.source == "pytest" and event.kind == "test" and body.get("outcome") in _FAILED:
        error = body.get("error") or {}
        nodeid = str(body.get("nodeid", ""))
        failure = {
            "signature": str(error.get("signature", "")) or _digest("test", nodeid, ""),
            "type": str(error.get("type", "")),
            "message": f"{error.get('type', 'Error')}: {error.get('message', '')}".strip(),
            "values": {},
        }
        state, snapshot = _session_state(store, event.session, sessions)
        detail = {"error": {k: str(v) for k, v in error.items() if k != "signature"}}
        return _record(event, "test", nodeid, failure, "", detail, state, snapshot)
    return None


_FAILED = ("failed", "error")


def _tool_failure(event: Event) -> FailureRecord:
    body = event.payload
    if isinstance(body.get("failure"), dict):  # made by the agent hook as it stored the use
        tool_input = body.get("tool_input") if isinstance(body.get("tool_input"), dict) else {}
        command = str(tool_input.get("command", "")) if tool_input else ""
        step = str(body.get("step", event.tool_name))
        return _record(event, "tool", step, body["failure"], command, {"tool": event.tool_name})
    tool_input = body.get("tool_input") if isinstance(body.get("tool_input"), dict) else {}
    response = body.get("tool_response")
    text = str(body.get("error") or "")
    if isinstance(response, dict):
        text = text or str(response.get("stderr") or response.get("error") or "")
    command = str(tool_input.get("command", "")) if tool_input else ""
    step = str(body.get("step", event.tool_name))
    failure = command_failure(text.encode("utf-8", "replace"), step, 1, kind="tool")
    return _record(event, "tool", step, failure, command, {"tool": event.tool_name})


def _record(
    event: Event,
    kind: str,
    subject: str,
    failure: dict[str, Any],
    command: str,
    detail: dict[str, Any],
    tree_state: str = "",
    snapshot: str = "",
) -> FailureRecord:
    values = {**failure.get("context", {}), **failure.get("values", {})}
    extra = {k: failure[k] for k in ("type", "lines") if failure.get(k)}
    return FailureRecord(
        key=f"event:{event.id}",
        source=event.source,
        kind=kind,
        subject=subject,
        signature=str(failure.get("signature", "")),
        message=str(failure.get("message", "")),
        created_at=event.created_at,
        command=command,
        values={str(k): str(v) for k, v in values.items()},
        detail={**detail, **extra, "event_id": event.id},
        session=event.session,
        tree_state=tree_state,
        snapshot=snapshot,
    )


def _session_state(
    store: SQLiteStore, session: str, known: dict[str, tuple[str, str]]
) -> tuple[str, str]:
    if session not in known:
        found = list(store.events(source="pytest", kind="session", session=session))
        payload = found[-1].payload if found else {}
        state = (
            "" if payload.get("tree_changed_since_start") else str(payload.get("tree_state", ""))
        )
        known[session] = (state, str(payload.get("snapshot", "")))
    return known[session]


def _digest(kind: str, subject: str, message: str) -> str:
    from repetend.failures.evidence import signature_digest

    return signature_digest(kind, subject, message)


def _executions(store: SQLiteStore) -> int:
    mark = store.failure_mark("executions")
    rows = [e for e in store.executions(success=False) if (e.id or 0) > mark]
    found = []
    for execution in rows:
        failure = failure_record("record", execution.kind, execution.error or "Error")
        found.append(
            FailureRecord(
                key=f"execution:{execution.id}",
                source=execution.source,
                kind="record",
                subject=execution.kind,
                signature=str(failure["signature"]),
                message=str(failure["message"]),
                created_at=execution.created_at,
                values=dict(failure["values"]),
                detail={"type": failure["type"], "execution_id": execution.id},
                session=execution.session,
            )
        )
    new = store.add_failures(found)
    if rows:
        store.set_failure_mark("executions", max(int(e.id or 0) for e in rows))
    return new


def _uses(store: SQLiteStore) -> int:
    mark = store.failure_mark("uses")
    uses = [u for u in store.uses() if (u.id or 0) > mark]
    found = []
    for use in uses:
        if use.outcome != "failure":
            continue
        reason = str(use.evidence.get("reason") or use.evidence.get("why") or "use failed")
        failure = failure_record("pattern", use.pattern_id, reason)
        found.append(
            FailureRecord(
                key=f"use:{use.id}",
                source="use",
                kind="pattern",
                subject=use.pattern_id,
                signature=str(failure["signature"]),
                message=str(failure["message"]),
                created_at=use.at or datetime.now().astimezone(),
                detail={"version": use.version, "use_id": use.id, "evidence": _small(use)},
            )
        )
    new = store.add_failures(found)
    if uses:
        store.set_failure_mark("uses", max(int(u.id or 0) for u in uses))
    return new


def _small(use: Any) -> dict[str, Any]:
    return {k: v for k, v in use.evidence.items() if isinstance(v, (str, int, float, bool))}
