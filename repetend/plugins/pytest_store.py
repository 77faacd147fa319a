"""Store a pytest session's spooled events: run in the background by the pytest plugin.

`python -m repetend.plugins.pytest_store SPOOL…` claims each spool file,
turns its lines into events, stores them (redacted, one transaction per
batch, the plugins told) and removes it. Its stderr is the spool folder's
`pytest-store.log`, which the next test run reports.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path

from repetend.capture import record_events
from repetend.events import Event

BATCH = 1000


def read_spool(path: Path) -> list[Event]:
    """The events of one spool file (its first line names the session and the actor)."""
    with path.open(encoding="utf-8") as handle:
        _, session, actor = handle.readline().split()
        return [_event(json.loads(line), session, actor) for line in handle if line.strip()]


def _event(record: dict[str, object], session: str, actor: str) -> Event:
    payload = record["payload"]
    return Event(
        source="pytest",
        kind=str(record["kind"]),
        payload=payload if isinstance(payload, dict) else {},
        session=session,
        tool_name="pytest",
        actor=actor,
        created_at=datetime.fromisoformat(str(record["time"])),
    )


def store_spool(path: Path) -> None:
    """Store one spool file into the repository it lies in (`<root>/.repetend/spool/`)."""
    claimed = path.with_suffix(".storing")
    path.rename(claimed)  # a second flusher finds nothing to do
    try:
        events = read_spool(claimed)
        root = path.parent.parent.parent
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


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
