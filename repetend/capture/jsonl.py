"""Generic event streams: one JSON object per line (see docs/capture.md for the format).

The whole file is read and checked before anything is stored, so a bad line
stores nothing; the error names the file, the line and the field of every
rejected line (the first `MAX_REPORTED`). Lines that are not UTF-8, nested too
deeply, or hold numbers JSON does not allow (`NaN`, `Infinity`) or that no
store keeps (an exit status of 30 digits) are rejected, never half stored.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import Counter
from collections.abc import Iterable
from datetime import datetime
from typing import Any

from repetend.errors import RepetendError
from repetend.events import Event, utcnow
from repetend.sequences.steps import command_step, is_destructive, tool_step

FIELDS = {
    "kind",
    "session",
    "time",
    "source",
    "actor",
    "command",
    "tool",
    "input",
    "duration_ms",
    "success",
    "exit_status",
    "payload",
    "id",
}


MAX_REPORTED = 20
MAX_INT = 2**63 - 1  # what SQLite's INTEGER holds


class LineError(RepetendError):
    """A line of an event stream that is not a valid event."""


def parse_lines(name: str, lines: Iterable[str | bytes]) -> list[Event]:
    """Every event of the stream `name`, or a `LineError` naming every bad line.

    Each event gets a stable key, so a stream ingested twice is stored once: the
    stream's own `id` if the line has one, otherwise a digest of the line's
    content and how many identical lines came before it in the stream.
    """
    events, errors = [], []
    seen: Counter[str] = Counter()
    for number, raw in enumerate(lines, 1):
        try:
            line = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            if line.strip():
                events.append(_keyed(parse_event(line), line, seen))
        except UnicodeDecodeError as error:
            errors.append(
                f"{name}:{number}: not UTF-8 (byte {raw[error.start : error.start + 1]!r}"
                f" at column {error.start + 1})"
            )
        except ValueError as error:
            errors.append(f"{name}:{number}: {error}")
    if errors:
        more = len(errors) - MAX_REPORTED
        tail = [f"… and {more} more rejected line(s); nothing was stored"] if more > 0 else []
        raise LineError("\n".join([*errors[:MAX_REPORTED], *tail]))
    return events


def _keyed(event: Event, line: str, seen: Counter[str]) -> Event:
    """The event with its stable key: its own id, or the line's content and ordinal."""
    if not event.key:
        content = json.dumps(json.loads(line), sort_keys=True, separators=(",", ":"))
        digest = hashlib.sha256(f"{content}\0{seen[content]}".encode()).hexdigest()
        event.key = f"jsonl:{digest}"
        seen[content] += 1
    return event


def _not_a_number(name: str) -> float:
    raise ValueError(f"{name} is not a number JSON allows")


def parse_event(line: str) -> Event:
    """One event from one line; `ValueError` says what is wrong with it (and in which field)."""
    try:
        data = json.loads(line, parse_constant=_not_a_number)
    except json.JSONDecodeError as error:
        raise ValueError(f"not JSON ({error.msg} at column {error.colno})") from None
    except RecursionError:
        raise ValueError("nested too deeply to be an event") from None
    _check_numbers(data, "")
    if not isinstance(data, dict):
        raise ValueError("expected a JSON object")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise ValueError(f"unknown field {unknown[0]!r} (expected: {', '.join(sorted(FIELDS))})")
    for key in ("kind", "session"):
        _expect(data, key, str, "a non-empty string", required=True)
    for key, kind, label in (
        ("source", str, "a string"),
        ("command", str, "a string"),
        ("tool", str, "a string"),
        ("input", dict, "an object"),
        ("payload", dict, "an object"),
        ("success", bool, "true or false"),
        ("id", str, "a non-empty string"),
    ):
        _expect(data, key, kind, label)
    return _event(data)


def _check_numbers(value: Any, where: str) -> None:
    """Refuse an integer no store keeps, naming the field (`payload.retries`)."""
    if isinstance(value, bool):
        return
    if isinstance(value, int) and abs(value) > MAX_INT:
        raise ValueError(f"{where or 'the line'!r} = {value} is too large (at most {MAX_INT})")
    if isinstance(value, dict):
        for key, item in value.items():
            _check_numbers(item, f"{where}.{key}" if where else str(key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _check_numbers(item, f"{where}[{index}]")


def _expect(data: dict[str, Any], key: str, kind: type, label: str, required: bool = False) -> None:
    if key not in data:
        if required:
            raise ValueError(f"{key!r} is missing (expected {label})")
        return
    value = data[key]
    if not isinstance(value, kind) or (kind is str and required and not value):
        raise ValueError(f"{key!r} = {value!r} (expected {label})")


def _event(data: dict[str, Any]) -> Event:
    payload = dict(data.get("payload", {}))
    payload.update(_measures(data))
    actor = data.get("actor", "human")
    if actor not in ("human", "agent"):
        raise ValueError(f"'actor' = {actor!r} (expected 'human' or 'agent')")
    command, tool = data.get("command", ""), data.get("tool", "")
    if command:
        payload.update(command=command, step=command_step(command))
    if tool:
        payload.update(tool_input=data.get("input", {}), step=tool_step(tool, data.get("input")))
    tool_command = data.get("input", {}).get("command")
    shell = command or (tool_command if isinstance(tool_command, str) else "")
    payload["destructive"] = is_destructive(shell, tool)
    return Event(
        source=data.get("source", "jsonl"),
        kind=data["kind"],
        payload=payload,
        session=data["session"],
        tool_name=tool or (payload.get("step", "").split(" ")[0] if command else ""),
        actor=actor,
        created_at=_time(data.get("time")),
        key=f"id:{data.get('source', 'jsonl')}:{data['id']}" if data.get("id") else "",
    )


def _measures(data: dict[str, Any]) -> dict[str, Any]:
    measured: dict[str, Any] = {}
    duration = data.get("duration_ms")
    if duration is not None:
        number = isinstance(duration, (int, float)) and not isinstance(duration, bool)
        if not number or not math.isfinite(duration) or duration < 0:
            raise ValueError(f"'duration_ms' = {duration!r} (expected a number of at least 0)")
        measured["duration_ms"] = float(duration)
    status = data.get("exit_status")
    if status is not None:
        if isinstance(status, bool) or not isinstance(status, int) or abs(status) > 2**31:
            raise ValueError(f"'exit_status' = {status!r} (expected an integer such as 0 or 1)")
        measured["exit_status"] = status
    if "success" in data or status is not None:
        measured["success"] = bool(data["success"]) if "success" in data else status == 0
    return measured


def _time(value: Any) -> datetime:
    if value is None:
        return utcnow()
    if not isinstance(value, str):
        raise ValueError(f"'time' = {value!r} (expected an ISO 8601 time with a zone)")
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(f"'time' = {value!r} (expected an ISO 8601 time with a zone)") from None
    if moment.tzinfo is None:
        raise ValueError(f"'time' = {value!r} has no time zone (add Z or +00:00)")
    return moment
