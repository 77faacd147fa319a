"""What a capture point could not store in time, kept as JSON lines for the next command.

A locked or unwritable store must not cost an event: `record()`, the agent
hook and the commit drain write what they could not store to
`.repetend/spool/events/` (already redacted), and the next `repetend`
command (or commit drain) stores it. Each file is written whole under a
temporary name and renamed, so a reader never sees half of one; a reader
claims a file by renaming it, puts it back if storing fails, and keeps a file
it cannot parse as `<name>.failed` (never deleted).
"""

from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, fields
from datetime import datetime
from pathlib import Path
from typing import Any

from repetend.capture.git.spool import is_stale, spool_dir
from repetend.events import Event, Execution
from repetend.private_files import create_private, private_dir

EVENTS = "events"
SUFFIX = ".jsonl"
_CLAIM = ".claimed-"

Spooled = Event | Execution | dict[str, Any]  # a dict: a raw agent hook payload


class SpoolFormatError(ValueError):
    """A spool file that cannot be read back (kept aside as `.failed`)."""


def events_dir(state_dir: Path) -> Path:
    """The folder of events waiting to be stored."""
    return spool_dir(state_dir) / EVENTS


def keep(state_dir: Path, items: Sequence[Spooled]) -> Path:
    """Write `items` to a new spool file (whole, then renamed into place); return its path."""
    folder = private_dir(events_dir(state_dir))
    name = f"{time.time_ns():020d}-{os.getpid()}-{uuid.uuid4().hex[:8]}"
    temporary = folder / f".{name}.tmp"
    lines = "".join(json.dumps(_record(item), default=repr) + "\n" for item in items)
    create_private(temporary, lines.encode("utf-8", "surrogateescape"))
    final = folder / f"{name}{SUFFIX}"
    os.replace(temporary, final)
    return final


def waiting(state_dir: Path) -> list[Path]:
    """The spool files ready to be stored, oldest first."""
    try:
        entries = [Path(e.path) for e in os.scandir(events_dir(state_dir))]
    except OSError:
        return []
    ready = [p for p in entries if p.name.endswith(SUFFIX) and not p.name.startswith(".")]
    stale = [p for p in entries if p.name.startswith(_CLAIM) and is_stale(p)]
    return sorted([*ready, *stale], key=lambda p: _original(p.name))


def drain(state_dir: Path, store: Callable[[list[Spooled]], None]) -> int:
    """Store every waiting file through `store`; return how many items were stored.

    `store` raising puts the file back and ends the drain (the error goes on up).
    """
    done = 0
    for path in waiting(state_dir):
        claimed = _claim(path)
        if claimed is None:
            continue
        original = path.with_name(_original(path.name))
        try:
            items = list(read(claimed))
        except (SpoolFormatError, OSError, UnicodeDecodeError):
            os.replace(claimed, original.with_name(original.name + ".failed"))
            continue
        try:
            store(items)
        except BaseException:
            os.replace(claimed, original)  # kept for the next command
            raise
        claimed.unlink(missing_ok=True)
        done += len(items)
    return done


def read(path: Path) -> Iterator[Spooled]:
    """The items of one spool file."""
    with path.open(encoding="utf-8", errors="surrogateescape") as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                yield _item(_json(line, path, number), path, number)


def _claim(path: Path) -> Path | None:
    original = _original(path.name)
    claimed = path.with_name(f"{_CLAIM}{original}.{os.getpid()}")
    try:
        os.replace(path, claimed)
    except FileNotFoundError:
        return None  # another command took it first
    with contextlib.suppress(OSError):
        os.utime(claimed)
    return claimed


def _original(name: str) -> str:
    if not name.startswith(_CLAIM):
        return name
    return name[len(_CLAIM) :].rsplit(".", 1)[0]


def _record(item: Spooled) -> dict[str, Any]:
    if isinstance(item, dict):
        return {"type": "agent", **item}
    body = asdict(item)
    body["created_at"] = item.created_at.isoformat()
    body.pop("id", None)
    return {"type": "event" if isinstance(item, Event) else "execution", **body}


def _json(line: str, path: Path, number: int) -> dict[str, Any]:
    try:
        value = json.loads(line)
    except json.JSONDecodeError as error:
        raise SpoolFormatError(f"{path}:{number}: not JSON ({error.msg})") from error
    if not isinstance(value, dict):
        raise SpoolFormatError(f"{path}:{number}: expected an object")
    return value


def _item(record: dict[str, Any], path: Path, number: int) -> Spooled:
    kind = record.pop("type", None)
    if kind == "agent":
        return record
    cls: type[Event] | type[Execution] = Event if kind == "event" else Execution
    if kind not in ("event", "execution"):
        raise SpoolFormatError(f"{path}:{number}: unknown type {kind!r}")
    known = {f.name for f in fields(cls)} - {"id"}
    try:
        record["created_at"] = datetime.fromisoformat(str(record["created_at"]))
        return cls(**{k: v for k, v in record.items() if k in known})
    except (KeyError, TypeError, ValueError) as error:
        raise SpoolFormatError(f"{path}:{number}: {error}") from error
