"""`repetend events` (alias `log`): what was captured, newest last, with filters."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import datetime, timedelta, timezone
from typing import Any

import click

from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.errors import UsageError
from repetend.events import Event, utcnow

_SPAN = re.compile(r"(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}
# Where each capture point keeps what a line should show, first found wins.
_SUMMARY_KEYS = ("command", "nodeid", "subject", "path", "tool_input", "step", "message")


def parse_since(text: str, now: datetime | None = None) -> datetime:
    """`30m`, `2h`, `3d`, `1w` ago, or an ISO 8601 date or time (UTC when it has no zone)."""
    found = _SPAN.fullmatch(text.strip())
    if found:
        amount = timedelta(**{_UNITS[found.group(2)]: int(found.group(1))})
        return (now or utcnow()) - amount
    try:
        moment = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise UsageError(
            f"--since {text!r}: expected 30m, 2h, 3d, 1w or an ISO date (2026-11-21T10:00)"
        ) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def failed(event: Event) -> bool:
    """Whether the event reports a failure: success false, a non-zero exit, a failed test."""
    payload = event.payload
    status = payload.get("exit_status")
    return (
        payload.get("success") is False
        or (isinstance(status, int) and not isinstance(status, bool) and status != 0)
        or payload.get("outcome") in ("failed", "error")
    )


def _events_command(name: str, summary: str) -> click.Command:
    @click.command(name, help=summary + _HELP)
    @click.option("--source", help="Only this capture point (git, pytest, shell, run, …).")
    @click.option("--kind", help="Only events of this kind (commit, test, command, tool_use, …).")
    @click.option("--since", metavar="WHEN", help="Only since then: 30m, 2h, 3d, 1w or a date.")
    @click.option("--failed", "only_failed", is_flag=True, help="Only failures.")
    @click.option(
        "--limit", default=50, show_default=True, help="At most this many, the newest (0: all)."
    )
    @json_option
    @pass_app
    def command(
        app: AppContext,
        source: str | None,
        kind: str | None,
        since: str | None,
        only_failed: bool,
        limit: int,
        as_json: bool,
    ) -> None:
        start = parse_since(since) if since else None
        found = app.store.events(since=start, source=source, kind=kind)
        chosen = _newest([e for e in found if failed(e) or not only_failed], limit)
        if as_json:
            emit_json([_document(e) for e in chosen])
        elif not chosen:
            click.echo("No events match. See `repetend status` for what has been captured.")
        else:
            click.echo(table(("time", "source", "kind", "session", "what"), _rows(chosen)))

    return command


_HELP = """

Commits, test runs and their failures, commands from the shell and `repetend
run`, agent tool uses, ingested streams and the watcher's suggestions, oldest
first. Filters combine.

\b
Examples:
  repetend events --since 2h
  repetend log --source pytest --failed
  repetend events --source shell --json | jq '.[].payload.command'
"""


def _newest(events: list[Event], limit: int) -> list[Event]:
    return events[-limit:] if limit > 0 else events


def _rows(events: Iterable[Event]) -> list[tuple[Any, ...]]:
    return [
        (
            e.created_at.astimezone().strftime("%Y-%m-%d %H:%M:%S"),
            e.source,
            e.kind + (" (failed)" if failed(e) else ""),
            e.session,
            _summary(e),
        )
        for e in events
    ]


def _summary(event: Event) -> str:
    for key in _SUMMARY_KEYS:
        value = event.payload.get(key)
        if value:
            text = str(value).replace("\n", " ")
            return text if len(text) <= 80 else text[:79] + "…"
    return event.tool_name


def _document(event: Event) -> dict[str, Any]:
    return {
        "id": event.id,
        "time": event.created_at.isoformat(),
        "source": event.source,
        "kind": event.kind,
        "session": event.session,
        "actor": event.actor,
        "tool_name": event.tool_name,
        "failed": failed(event),
        "payload": event.payload,
    }


EVENTS_SUMMARY = "Show what was captured: commits, tests, commands, tool uses, suggestions."
events = _events_command("events", EVENTS_SUMMARY)
log = _events_command("log", "The same as `repetend events`: what was captured.")
COMMANDS = (events, log)
