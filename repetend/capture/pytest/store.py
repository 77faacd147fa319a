"""Store a pytest session's spooled events: run in the background by the pytest plugin.

`python -m repetend.capture.pytest.store SPOOL…` claims each spool file
(`.repetend/spool/pytest/pytest-<session>.jsonl`, complete: the plugin
renames it so only when the run ends), works out the working-tree state for
its session (here, so the test run never waits for git; first thing, so the
tree is looked at right after the run), turns its lines into events, stores
them (redacted, one transaction per batch, the plugins told) and removes it.

Nothing is lost on the way: a store locked for longer than `capture_timeout`
puts the events not yet stored back as a waiting spool (the next test run or
`repetend` command stores them); a file that cannot be read is kept as
`.failed`. Its stderr is `.repetend/logs/pytest-store.log`, which the next
test run reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repetend.capture.git.state import TreeState, tree_snapshot, tree_state

if TYPE_CHECKING:
    from repetend.events import Event

BATCH = 1000
_STORING = ".storing."


class LeftForLater(Exception):
    """The store stayed locked: what was not stored waits in the spool again."""


def read_spool(path: Path) -> list[Event]:
    """The events of one spool file (its first line names the session and the actor).

    A last line cut short (the run was killed while writing it) is left out.
    """
    with path.open(encoding="utf-8") as handle:
        _, session, actor = handle.readline().split()
        lines = handle.readlines()
    if lines and not lines[-1].endswith("\n"):
        lines.pop()
    return [_event(json.loads(line), session, actor) for line in lines if line.strip()]


def _event(record: dict[str, object], session: str, actor: str) -> Event:
    from repetend.events import Event

    payload = record["payload"]
    return Event(
        source="pytest",
        kind=str(record["kind"]),
        payload=payload if isinstance(payload, dict) else {},
        session=session,
        tool_name="pytest",
        actor=actor,
        created_at=_time(record["time"]),
    )


def _time(value: object) -> datetime:
    # The plugin writes seconds since the epoch, so the test run never formats dates.
    return datetime.fromtimestamp(float(str(value)), timezone.utc)


def session_tree_state(path: Path, root: Path) -> TreeState | None:
    """The tree state for the session spooled in `path` (its last line), None if not there."""
    with path.open("rb") as handle:
        last = handle.readlines()[-1]
    try:
        record: dict[str, Any] = json.loads(last)
    except json.JSONDecodeError:  # cut short: the run was killed
        return None
    payload = record.get("payload") or {}
    # Not there: the run ended before its session was spooled; or already worked out.
    if record.get("kind") != "session" or "tree_state" in payload:
        return None
    started = datetime.fromisoformat(str(payload["started_at"])).timestamp()
    return tree_state(root, str(payload.get("git_head") or ""), started)


def add_tree_state(events: list[Event], state: TreeState, snapshot: str = "") -> None:
    """Give the session event `git_head`, `tree_state`, `tree_changed_since_start`, `snapshot`.

    `snapshot` is a commit of the tree as the run saw it (see `tree_snapshot`): the
    failure learner reads what changed between a failing run and the next passing one.
    """
    for event in events:
        if event.kind == "session":
            event.payload["git_head"], event.payload["tree_state"] = state.head, state.state
            event.payload["tree_changed_since_start"] = state.edited
            if snapshot and not state.edited:
                event.payload["snapshot"] = snapshot


def store_spool(path: Path) -> None:
    """Store one spool file into the repository it lies in (`<root>/.repetend/spool/pytest/`)."""
    claimed = path.with_name(f"{path.stem}{_STORING}{os.getpid()}")
    path.rename(claimed)  # a second flusher finds nothing to do
    root = path.parents[3]
    try:
        events = _events_of(claimed, root)
    except BaseException:
        os.replace(claimed, path.with_suffix(".failed"))  # kept for a look, never retried
        raise
    try:
        _store_batches(events, root, path)
    except BaseException:
        if claimed.exists():  # not even a partial write-back happened: keep it whole
            os.replace(claimed, path)
        raise
    claimed.unlink(missing_ok=True)


def _events_of(claimed: Path, root: Path) -> list[Event]:
    state = session_tree_state(claimed, root)
    snapshot = tree_snapshot(root) if state is not None and state.state else ""
    _yield_cpu()  # the tree is looked at; the rest can wait for the developer's next run
    events = read_spool(claimed)
    if state is not None:
        add_tree_state(events, state, snapshot)
    return events


def _store_batches(events: list[Event], root: Path, path: Path) -> None:
    from repetend.capture.record import (  # ~0.1 s, after the tree state
        capture_config,
        record_events,
    )

    if capture_config(root).disabled:
        return  # switched off since the run: dropped, as the run itself would have been
    for start in range(0, len(events), BATCH):
        if not record_events(events[start : start + BATCH], root=root, keep=False):
            write_back(path, events[start:])
            claimed = path.with_name(f"{path.stem}{_STORING}{os.getpid()}")
            claimed.unlink(missing_ok=True)
            raise LeftForLater(f"{len(events) - start} event(s) wait in {path} for the next run")


def write_back(path: Path, events: list[Event]) -> None:
    """Spool `events` again as a complete file at `path` (written whole, then renamed)."""
    from repetend.private_files import create_private

    header = f"# {events[0].session} {events[0].actor}\n"
    lines = [
        json.dumps({"kind": e.kind, "payload": e.payload, "time": e.created_at.timestamp()})
        for e in events
    ]
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    create_private(temporary, (header + "".join(f"{line}\n" for line in lines)).encode())
    os.replace(temporary, path)


def store_waiting(root: Path) -> int:
    """Store every complete pytest spool waiting under `root` (for any repetend command)."""
    from repetend.capture.pytest.recorder import SPOOL, STATE_DIR, waiting

    folder = root.joinpath(STATE_DIR, *SPOOL)
    done = 0
    for path in [*waiting(folder), *_stale_claims(folder)]:
        with contextlib.suppress(FileNotFoundError):
            store_spool(path)
            done += 1
    return done


def _stale_claims(folder: Path) -> list[Path]:
    from repetend.capture.git.spool import is_stale

    stale = [p for p in folder.glob(f"*{_STORING}*") if is_stale(p)]
    found = []
    for claimed in stale:
        original = claimed.with_name(claimed.name.split(_STORING)[0] + ".jsonl")
        with contextlib.suppress(FileNotFoundError):
            os.replace(claimed, original)  # its store was killed: take it over
            found.append(original)
    return found


def main(argv: list[str]) -> int:
    """Store every spool file named; a failure is one line on stderr and exit status 1."""
    status = 0
    for name in argv:
        try:
            store_spool(Path(name))
        except FileNotFoundError:
            continue  # another store (a command, the next run) took it first
        except LeftForLater as error:
            sys.stderr.write(f"repetend: warning: not stored yet: {error}\n")
            status = 1
        except Exception as error:  # a background job: the message goes to the log
            sys.stderr.write(f"repetend: {name}: {type(error).__name__}: {error}\n")
            status = 1
    return status


def _yield_cpu() -> None:
    # This job starts as pytest exits and may overlap the developer's next run:
    # on a busy machine that run gets the CPU first.
    with contextlib.suppress(AttributeError, OSError):  # no nice() on Windows
        os.nice(10)


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
