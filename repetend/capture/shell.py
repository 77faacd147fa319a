"""Shell capture: move the lines the shell hooks spooled into each repository's store.

A command is stored in the repository it ran in (the nearest folder above its
working folder with `.git` or `.repetend`); commands run outside any
repository are dropped. Ignored commands (`ignore_commands`) and repetend's
own commands are dropped too; everything else is redacted before storage.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import datetime, timezone
from pathlib import Path

from repetend.capture.commands import command_payload, is_ignored
from repetend.capture.record import capture_config, record_events
from repetend.config import STATE_DIR
from repetend.events import Event
from repetend.fileio import folders_up

_HISTORY_NUMBER = re.compile(r"^\s*\d+\*?\s+")


@dataclass(frozen=True)
class ShellCommand:
    """One spooled line: a command typed at a prompt."""

    started_us: int
    duration_us: int
    exit_status: int
    cwd: str
    session: str
    command: str

    def event(self) -> Event:
        """The `shell`/`command` event stored for it."""
        payload = command_payload(self.command, self.cwd, self.exit_status, self.duration_us / 1000)
        return Event(
            source="shell",
            kind="command",
            payload=payload,
            session=self.session,
            tool_name=payload["step"].split(" ")[0],
            actor="human",
            created_at=datetime.fromtimestamp(self.started_us / 1e6, timezone.utc),
        )


@dataclass
class FlushReport:
    """What a flush did: stored per repository, ignored, outside any repository, unreadable."""

    stored: dict[str, int]
    ignored: int = 0
    outside: int = 0
    malformed: int = 0


def spool_dir() -> Path:
    """Where the shell hooks append their lines (REPETEND_SPOOL_DIR, else XDG state)."""
    configured = os.environ.get("REPETEND_SPOOL_DIR")
    if configured:
        return Path(configured)
    state = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(state) / "repetend" / "spool"


def parse_line(line: str, *, escaped: bool = True) -> ShellCommand | None:
    """One spool line, or None when it does not start a record.

    zsh and fish escape the command (`escaped`); bash writes it as `history 1`
    prints it, number first.
    """
    fields = line.rstrip("\n").split("\t", 5)
    if len(fields) != 6:
        return None
    try:
        started, duration, status = int(fields[0]), int(fields[1]), int(fields[2])
    except ValueError:
        return None
    command = _unescape(fields[5]) if escaped else _HISTORY_NUMBER.sub("", fields[5], count=1)
    return ShellCommand(started, max(duration, 0), status, fields[3], fields[4], command)


def _unescape(text: str) -> str:
    out, chars = [], iter(text)
    for char in chars:
        if char == "\\":
            following = next(chars, "")
            out.append({"t": "\t", "n": "\n", "\\": "\\"}.get(following, "\\" + following))
        else:
            out.append(char)
    return "".join(out)


# A shell that opened its spool file just before a flush renamed it still writes into the
# renamed file: a flush reads a claimed file only once it has been still for this long, and
# reads it again if it grew while being stored.
SETTLE_SECONDS = 0.25
# A line still without its end after this long is read as it is (its shell was killed).
STALLED_SECONDS = 5.0


def flush(folder: Path | None = None) -> FlushReport:
    """Store every spooled command and remove the spool files read.

    Commands a repository's store could not take (locked past `capture_timeout`,
    read-only) are written back to the spool first, so a file is removed only
    once everything in it is stored or kept again. A file is claimed by a rename
    and read once no shell has written to it for `SETTLE_SECONDS`; a line that
    lands while it is stored is read in the next round, before the file goes.
    """
    folder = folder or spool_dir()
    report = FlushReport({})
    claimed = dict.fromkeys(_claim(folder), 0)  # path -> bytes read so far
    while claimed:
        _settle(list(claimed))
        by_root: dict[Path, list[ShellCommand]] = defaultdict(list)
        progress = False
        for path, offset in list(claimed.items()):
            # A line with no end that has not moved for long: its shell died writing it.
            dead = time.time() - _mtime(path) > STALLED_SECONDS
            commands, claimed[path] = _read(path, offset, report, whole=dead)
            progress |= claimed[path] > offset
            for command in commands:
                root = repository_of(Path(command.cwd))
                if root is None:
                    report.outside += 1
                else:
                    by_root[root].append(command)
        for root, commands in by_root.items():
            if not _store(root, commands, report):
                _write_back(folder, commands)
        for path, offset in list(claimed.items()):
            if _size(path) <= offset:  # nothing came meanwhile: done with it
                path.unlink(missing_ok=True)
                del claimed[path]
        if claimed and not progress:  # only half-written lines left: give their shells time
            time.sleep(SETTLE_SECONDS / 5)
    return report


def _settle(paths: list[Path]) -> None:
    """Wait until none of `paths` was written in the last `SETTLE_SECONDS` (at most twice that)."""
    deadline = time.time() + 2 * SETTLE_SECONDS
    while True:
        newest = max((_mtime(path) for path in paths), default=0.0)
        wait = min(newest + SETTLE_SECONDS, deadline) - time.time()
        if wait <= 0:
            return
        time.sleep(wait)


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _write_back(folder: Path, commands: list[ShellCommand]) -> None:
    """Spool `commands` again (zsh's escaped form), whole under a temporary name, then renamed."""
    from repetend.private_files import create_private

    lines = [
        f"{c.started_us}\t{c.duration_us}\t{c.exit_status}\t{c.cwd}\t{c.session}\t{_escape(c.command)}\n"
        for c in commands
    ]
    name = f"kept-{os.getpid()}-{time.time_ns()}"
    temporary = folder / f".{name}.tmp"
    create_private(temporary, "".join(lines).encode("utf-8", "surrogateescape"))
    os.replace(temporary, folder / f"{name}.tsv")


def _escape(command: str) -> str:
    return command.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")


def _claim(folder: Path) -> Iterator[Path]:
    # Renaming first means a shell appending meanwhile starts a new file, and two
    # flushes running at once never read the same lines.
    if not folder.is_dir():
        return
    for spool in sorted(folder.glob("*.tsv")):
        claimed = spool.with_name(f".{spool.stem}.{os.getpid()}.flushing")
        try:
            spool.rename(claimed)
        except OSError:
            continue
        yield claimed


def _read(
    path: Path, offset: int, report: FlushReport, *, whole: bool = False
) -> tuple[list[ShellCommand], int]:
    """The commands in `path` after byte `offset`, and the offset after the last whole line.

    A line without its newline yet (a shell half way through writing it) is left
    for the next round, unless `whole`.
    """
    try:
        with path.open("rb") as handle:
            handle.seek(offset)
            data = handle.read()
    except OSError:
        return [], offset
    lines = data if whole else data[: data.rfind(b"\n") + 1]
    text = lines.decode("utf-8", errors="replace")
    return list(_commands(text, not path.name.startswith(".bash-"), report)), offset + len(lines)


def _commands(text: str, escaped: bool, report: FlushReport) -> Iterator[ShellCommand]:
    current: ShellCommand | None = None
    for line in text.splitlines(keepends=True):
        parsed = parse_line(line, escaped=escaped)
        if parsed is None and current is not None and not escaped:
            # a multi-line command goes on (bash's history prints it as typed)
            current = replace(current, command=current.command + "\n" + line.rstrip("\n"))
            continue
        if current is not None and current.command.strip():
            yield current
        current = parsed
        report.malformed += parsed is None
    if current is not None and current.command.strip():
        yield current


def repository_of(folder: Path) -> Path | None:
    """The nearest folder at or above `folder` with `.git` or `.repetend`, if any."""
    for candidate in folders_up(folder):
        if (candidate / ".git").exists() or (candidate / STATE_DIR).is_dir():
            return candidate
    return None


def _store(root: Path, commands: list[ShellCommand], report: FlushReport) -> bool:
    """Store one repository's commands; False when its store could not take them."""
    patterns = capture_config(root).ignore_commands  # a broken config: defaults, one warning
    kept = [c for c in commands if not _skipped(c.command, patterns)]
    report.ignored += len(commands) - len(kept)
    if not kept:
        return True
    if not record_events([c.event() for c in kept], root=root, keep=False):
        return False
    report.stored[str(root)] = len(kept)
    _learn_if_fixed(root, kept)
    return True


def _learn_if_fixed(root: Path, commands: list[ShellCommand]) -> None:
    """A failed command tried again and passing in what was stored: start the learner."""
    from repetend.capture import learn

    if all(c.exit_status == 0 for c in commands):
        return
    config = capture_config(root)
    if not config.learn_in_background:
        return
    window = 60.0 * float(config.recovery_window_minutes)
    for command in commands:
        if command.exit_status != 0:
            learn.note_failure(config.state_dir, command.command)
        elif learn.learn_after_success(config.state_dir, root, window, command.command):
            return


def _skipped(command: str, patterns: list[str]) -> bool:
    words = command.split()
    # `repetend run -- CMD` records CMD itself, better than the shell can; `shell-*` is ours.
    own = len(words) > 1 and words[0] == "repetend" and (words[1] == "run" or "shell-" in words[1])
    return own or is_ignored(command, patterns)


def main() -> int:
    """The shell hooks' background flush: lighter to start than the whole command line."""
    try:
        flush()
    except Exception as error:  # a background job has no one to show a traceback to
        sys.stderr.write(f"repetend: shell commands not flushed: {error}\n")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
