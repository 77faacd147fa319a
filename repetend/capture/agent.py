"""Agent tool-use capture: Claude Code hook payloads, one per call, on stdin.

`PreToolUse` notes when a tool use started (kept in `tool_use_pending` under
its `tool_use_id`); `PostToolUse` and `PostToolUseFailure` pair with it and store
one `tool_use` event with the duration, outcome, input and (trimmed)
response. Other hook events (`SessionStart`, `SessionEnd`, `UserPromptSubmit`,
`Stop`, …) are stored as they come. The agent acts in tool uses; the human
acts in the prompts they submit.
"""

from __future__ import annotations

import json
import re
import sys
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from repetend.config import Config
from repetend.errors import RepetendError
from repetend.events import Event, utcnow
from repetend.sequences.steps import is_destructive, tool_step
from repetend.store.rows import from_text, to_text
from repetend.store.sqlite import SQLiteStore

TOOL_EVENTS = ("PreToolUse", "PostToolUse", "PostToolUseFailure")
HOOK_EVENTS = (*TOOL_EVENTS, "UserPromptSubmit", "Stop", "SessionStart", "SessionEnd")
MAX_TEXT = 2000
MAX_ITEMS = 50


class PayloadError(RepetendError):
    """A hook payload that cannot be stored."""


@dataclass(frozen=True)
class HookPayload:
    """One validated Claude Code hook payload."""

    event: str
    session: str
    body: dict[str, Any]

    @property
    def tool_use_id(self) -> str:
        """The id pairing a tool use's pre and post hooks ('' when absent)."""
        return str(self.body.get("tool_use_id") or "")


def parse_payload(text: str) -> HookPayload:
    """Validate one payload: a JSON object with a hook event name and a session id."""
    try:
        body = json.loads(text)
    except json.JSONDecodeError as error:
        raise PayloadError(f"stdin is not JSON ({error.msg} at line {error.lineno})") from error
    if not isinstance(body, dict):
        raise PayloadError("stdin: expected a JSON object (a Claude Code hook payload)")
    for key in ("hook_event_name", "session_id"):
        if not isinstance(body.get(key), str) or not body[key]:
            raise PayloadError(f"stdin: {key!r} is missing or not a string")
    event = body["hook_event_name"]
    if event in TOOL_EVENTS and not isinstance(body.get("tool_name"), str):
        raise PayloadError(f"stdin: {event} payload without a 'tool_name' string")
    for key in ("tool_input", "tool_response"):
        if key in body and not isinstance(body[key], (dict, list, str, type(None))):
            raise PayloadError(f"stdin: {key!r} must be an object")
    return HookPayload(event, body["session_id"], body)


def ingest(payload: HookPayload, store: SQLiteStore, now: datetime | None = None) -> list[Event]:
    """The events one payload makes (none for a PreToolUse, which is only noted).

    `now` is when the hook received it (later, for a payload that was spooled).
    """
    now = now or utcnow()
    if payload.event == "PreToolUse":
        _note_start(payload, store, now)
        return []
    if payload.event in TOOL_EVENTS:
        return [tool_use_event(payload, _pop_start(payload, store), now)]
    return [hook_event(payload, now)]


def _note_start(payload: HookPayload, store: SQLiteStore, now: datetime) -> None:
    if not payload.tool_use_id:
        return
    with store.transaction() as db:
        db.execute(
            "INSERT OR REPLACE INTO tool_use_pending (tool_use_id, session, tool_name, started_at)"
            " VALUES (?, ?, ?, ?)",
            (payload.tool_use_id, payload.session, payload.body["tool_name"], to_text(now)),
        )


def _pop_start(payload: HookPayload, store: SQLiteStore) -> datetime | None:
    if not payload.tool_use_id:
        return None
    with store.transaction() as db:
        row = db.execute(
            "SELECT started_at FROM tool_use_pending WHERE tool_use_id = ?",
            (payload.tool_use_id,),
        ).fetchone()
        db.execute("DELETE FROM tool_use_pending WHERE tool_use_id = ?", (payload.tool_use_id,))
    return from_text(row[0]) if row else None


def tool_use_event(
    payload: HookPayload, started: datetime | None, now: datetime | None = None
) -> Event:
    """The `tool_use` event of a finished tool use, timed from its PreToolUse when known."""
    body = payload.body
    tool = body["tool_name"]
    given = body.get("tool_input")
    tool_input: dict[str, Any] = given if isinstance(given, dict) else {}
    failed = payload.event == "PostToolUseFailure" or _reports_error(body.get("tool_response"))
    now = now or utcnow()
    record = {
        "tool_use_id": payload.tool_use_id,
        "tool_input": trim(tool_input),
        "tool_response": trim(body.get("tool_response")),
        "success": not failed,
        "error": trim(body.get("error") or ""),
        "duration_ms": round((now - started).total_seconds() * 1000, 3) if started else None,
        "cwd": body.get("cwd", ""),
        "step": tool_step(tool, tool_input),
        "destructive": _destructive(tool, tool_input),
    }
    if failed:
        record["failure"] = tool_failure(record)
    return Event(
        source="claude-code",
        kind="tool_use",
        payload=record,
        session=payload.session,
        tool_name=tool,
        actor="agent",
        created_at=started or now,
    )


def tool_failure(record: dict[str, Any]) -> dict[str, Any]:
    """The failure signature of a failed tool use: its error text, or the Bash tool's stderr."""
    from repetend.failures.evidence import command_failure

    response = record.get("tool_response")
    text = str(record.get("error") or "")
    if isinstance(response, dict):
        text = text or str(response.get("stderr") or response.get("error") or "")
    elif isinstance(response, str):
        text = text or response
    return command_failure(text.encode("utf-8", "replace"), str(record["step"]), 1, kind="tool")


def hook_event(payload: HookPayload, now: datetime | None = None) -> Event:
    """A non-tool hook event (`SessionStart` → kind `session-start`), stored with its fields."""
    kind = re.sub(r"(?<=[a-z])(?=[A-Z])", "-", payload.event).lower()
    body = {k: trim(v) for k, v in payload.body.items() if k not in ("session_id",)}
    actor = "human" if payload.event == "UserPromptSubmit" else "agent"
    return Event(
        source="claude-code",
        kind=kind,
        payload=body,
        session=payload.session,
        actor=actor,
        created_at=now or utcnow(),
    )


def trim(value: Any) -> Any:
    """Cut long strings and lists so one big tool response cannot bloat the store."""
    if isinstance(value, str):
        return value if len(value) <= MAX_TEXT else value[:MAX_TEXT] + "…[trimmed]"
    if isinstance(value, list):
        return [trim(item) for item in value[:MAX_ITEMS]]
    if isinstance(value, dict):
        return {str(k): trim(v) for k, v in list(value.items())[:MAX_ITEMS]}
    return value


def _reports_error(response: Any) -> bool:
    return isinstance(response, dict) and (
        response.get("is_error") is True or response.get("success") is False
    )


def _destructive(tool: str, tool_input: dict[str, Any]) -> bool:
    command = tool_input.get("command")
    return is_destructive(command if isinstance(command, str) else "", tool)


def hooks_config(command: str) -> dict[str, Any]:
    """The `hooks` block for Claude Code's settings.json that sends every event here."""
    handler = [{"type": "command", "command": command, "timeout": 10}]
    hooks: dict[str, Any] = {}
    for event in HOOK_EVENTS:
        entry: dict[str, Any] = {"hooks": handler}
        hooks[event] = [{"matcher": "*", **entry} if event in TOOL_EVENTS else entry]
    return {"hooks": hooks}


def main() -> int:
    """The hook's light entry point (`python -m repetend.capture.agent`): no click, always 0."""
    try:
        store_payload(sys.stdin.read())
    except Exception as error:  # never block the agent: one line on stderr, exit 0
        sys.stderr.write(f"repetend: claude-code hook not recorded: {error}\n")
    return 0


def store_payload(text: str, root: Path | None = None) -> None:
    """Validate one payload, then store what it makes in the repository at or above `root`.

    The agent waits at most `capture_timeout` for a locked store; then the payload
    is kept in the event spool (with the time it came) for the next command.
    """
    from repetend.capture.opt_in import opted_in, user_data_dir
    from repetend.capture.record import capture_config, record_events, warn_once

    payload = parse_payload(text)
    config = capture_config(root)
    if config.disabled:
        return
    now = utcnow()
    if not opted_in(config):  # nothing is created in a folder that did not choose repetend
        _keep_payload(config, text, now, user_data_dir())
        return
    try:
        events = _ingest_within(payload, config, now)
    except RepetendError as error:  # a locked or unwritable store
        where = _keep_payload(config, text, now)
        warn_once("claude-code", f"claude-code hook: {error}; {where}")
        return
    if events and record_events(events, root=config.root):
        _after_tool_use(config, payload, events)


def _after_tool_use(config: Config, payload: HookPayload, events: list[Event]) -> None:
    """A failed tool use with a known fix: tell the agent (hook output it reads); learn later."""
    from repetend.capture import learn

    tool_uses = [e for e in events if e.kind == "tool_use"]
    if not tool_uses:
        return
    body = tool_uses[-1].payload
    given = body.get("tool_input")
    command = str((given if isinstance(given, dict) else {}).get("command") or body["step"])
    failure = body.get("failure")
    if not isinstance(failure, dict):
        if config.learn_in_background:
            window = 60.0 * float(config.recovery_window_minutes)
            learn.learn_after_success(config.state_dir, config.root, window, command)
        return
    learn.note_failure(config.state_dir, command)
    from repetend.failures.known import hint, read_known

    line = hint(read_known(config.state_dir), failure, "`repetend heal --last` applies it")
    if line:
        output = {"hookEventName": payload.event, "additionalContext": f"repetend: {line}"}
        sys.stdout.write(json.dumps({"hookSpecificOutput": output}) + "\n")


def _ingest_within(payload: HookPayload, config: Config, now: datetime) -> list[Event]:
    from repetend.store import open_store

    timeout = float(config.capture_timeout)
    started = time.monotonic()
    store = open_store(config, patience=timeout)
    try:  # opening counts against the agent's wait too
        with store.budget(max(timeout - (time.monotonic() - started), 0.0)):
            return ingest(payload, store, now)
    finally:
        store.close()


def _keep_payload(config: Config, text: str, now: datetime, folder: Path | None = None) -> str:
    from repetend.capture import event_spool

    item = {"text": text, "received_at": to_text(now)}
    try:
        path = event_spool.keep(folder or config.state_dir, [item])
    except OSError as error:
        from repetend.errors import reason

        return f"not kept either ({reason(error)})"
    return f"kept in {path.parent} for the next repetend command"


def store_spooled_payloads(
    payloads: list[dict[str, Any]], store: SQLiteStore, config: Config
) -> None:
    """Store hook payloads that were spooled, in the order and at the times they came."""
    from repetend.capture.record import record_events
    from repetend.errors import StoreError

    for item in payloads:
        payload = parse_payload(str(item.get("text", "")))
        events = ingest(payload, store, from_text(str(item["received_at"])))
        if events and not record_events(events, root=config.root, keep=False):
            raise StoreError(f"{config.store_path}: spooled claude-code events not stored")


if __name__ == "__main__":
    raise SystemExit(main())
