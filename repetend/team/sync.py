"""Push a machine's events, executions and pattern uses to the team store, each exactly once.

Capture never waits on this: hooks, the pytest plugin and `record()` write to
the local store as always; the post-commit drain (detached from the commit) and
`repetend sync` call `push`. Rows go in id order, in batches; after each batch
is stored remotely the local cursor moves past it. A push that fails (server
down, slow, gone mid-batch) leaves the cursor where it was, and the next push
sends the batch again: the team store skips rows whose `sync_key` (this store's
id and the row's id) it holds already, so nothing is lost and nothing doubles.

Before a row leaves the machine it is redacted again (capture redacted it when
stored; the rules may have grown since) and stamped with who and where; with
`team_share_commands: false` the commands the shell captured stay local.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from typing import Any

from repetend.config import Config
from repetend.errors import ConfigError
from repetend.redact import redact_text, redact_value
from repetend.store import SQLiteStore, open_address
from repetend.store.base import Store
from repetend.store.origin import Origin
from repetend.store.rows import dumps

BATCH = 500
_JSON_COLUMNS = {
    "events": ("payload",),
    "executions": ("inputs", "outputs", "context"),
    "pattern_uses": ("evidence",),
}
_TEXT_COLUMNS: dict[str, tuple[str, ...]] = {
    "events": (),
    "executions": ("error",),
    "pattern_uses": (),
}
TABLES = ("executions", "events", "pattern_uses")
COMMAND_SOURCES = ("shell", "run")


@dataclass
class Pushed:
    """What one push sent: new rows per table, rows the team store had already, rows kept."""

    sent: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TABLES, 0))
    already: int = 0
    kept_local: int = 0


def open_team_store(config: Config, *, patience: float | None = None) -> SQLiteStore:
    """The store `team_store` names (PostgreSQL; a SQLite path works too, for one machine)."""
    address = str(config.team_store)
    if not address:
        raise ConfigError("team_store is not set (a postgresql:// address; see docs/teams.md)")
    return open_address(address, config.root, patience=patience)


def push(local: Store, team: Store, config: Config) -> Pushed:
    """Send every row the team store has not had from this store; return what was sent."""
    origin, store_id, pushed = Origin.of(config), _store_id(local), Pushed()
    extra = tuple(config.redact_keys)
    for table in TABLES:
        cursor = f"sent:{team.location}:{table}"
        last = int(local.sync_value(cursor) or 0)
        while rows := local.unsent(table, last, BATCH):
            outgoing = [_outgoing(table, row, origin, store_id, extra) for row in rows]
            shared = [row for row in outgoing if _shared(table, row, config)]
            stored = team.receive(table, shared)
            pushed.sent[table] += stored
            pushed.already += len(shared) - stored
            pushed.kept_local += len(outgoing) - len(shared)
            last = int(rows[-1]["id"])
            local.set_sync_value(cursor, str(last))
    return pushed


def _store_id(local: Store) -> str:
    """This store's own id: made at its first push, never reused by another store."""
    # Two syncs starting at once in one repository must agree on it: the first one written wins.
    return local.sync_value("store_id") or local.first_sync_value("store_id", uuid.uuid4().hex)


def _outgoing(
    table: str, row: dict[str, Any], origin: Origin, store_id: str, extra: tuple[str, ...]
) -> dict[str, Any]:
    out = dict(row)
    for column in _JSON_COLUMNS[table]:
        out[column] = dumps(redact_value(json.loads(row[column]), extra))
    for column in _TEXT_COLUMNS[table]:
        out[column] = redact_text(str(row[column]))
    payload = json.loads(out["payload"]) if table == "events" else {}
    branch = payload.get("branch") if isinstance(payload, dict) else None
    out.update(
        user_name=origin.user_name,
        machine=origin.machine,
        remote=origin.remote,
        branch=str(branch or origin.branch),
        sync_key=f"{store_id}:{table}:{row['id']}",
    )
    return out


def _shared(table: str, row: dict[str, Any], config: Config) -> bool:
    """Whether a row leaves the machine (commands stay, with `team_share_commands: false`)."""
    if bool(config.team_share_commands):
        return True
    command = row.get("source") in COMMAND_SOURCES or row.get("kind") == "command"
    return not command
