"""Store a pytest session's spooled events: run in the background by the pytest plugin.

`python -m repetend.capture.pytest.store SPOOL…` claims each spool file,
works out the working-tree state for its session (here, so the test run never
waits for git; first thing, so the tree is looked at right after the run),
turns its lines into events, stores them (redacted, one transaction per
batch, the plugins told) and removes it. Its stderr is the spool folder's
`pytest-store.log`, which the next test run reports.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repetend.capture.git.state import TreeState, tree_state

if TYPE_CHECKING:
    from repetend.events import Event

BATCH = 1000


def read_spool(path: Path) -> list[Event]:
    """The events of one spool file (its first line names the session and the actor)."""
    with path.open(encoding="utf-8") as handle:
        _, session, actor = handle.readline().split()
        return [_event(json.loads(line), session, actor) for line in handle if line.strip()]


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
    record: dict[str, Any] = json.loads(last)
    if record.get("kind") != "session":  # the run ended before its session was spooled
        return None
    payload = record["payload"]
    started = datetime.fromisoformat(str(payload["started_at"])).timestamp()
    return tree_state(root, str(payload.get("git_head") or ""), started)


def add_tree_state(events: list[Event], state: TreeState) -> None:
    """Give the session event `git_head`, `tree_state` and `tree_changed_since_start`."""
    for event in events:
        if event.kind == "session":
            event.payload["git_head"], event.payload["tree_state"] = state.head, state.state
            event.payload["tree_changed_since_start"] = state.edited


def store_spool(path: Path) -> None:
    """Store one spool file into the repository it lies in (`<root>/.repetend/spool/`)."""
    claimed = path.with_suffix(".storing")
    path.rename(claimed)  # a second flusher finds nothing to do
    root = path.parent.parent.parent
    try:
        state = session_tree_state(claimed, root)
        _yield_cpu()  # the tree is looked at; the rest can wait for the developer's next run
        from repetend.capture.record import record_events  # ~0.1 s of imports, after the tree state

        events = read_spool(claimed)
        if state is not None:
            add_tree_state(events, state)
        for start in range(0, len(events), BATCH):
            if not record_events(events[start : start + BATCH], root=root):
                raise RuntimeError("not stored (see the warning above)")
    except BaseException:
        claimed.rename(path.with_suffix(".failed"))  # kept for a look, never retried
        raise
    claimed.unlink()


def main(argv: list[str]) -> int:
    """Store every spool file named; a failure is one line on stderr and exit status 1."""
    status = 0
    for name in argv:
        try:
            store_spool(Path(name))
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
