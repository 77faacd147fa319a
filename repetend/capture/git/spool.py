"""The commit spool: post-commit leaves one empty file per sha, a drain ingests them.

Every spool kind has a folder of its own under `.repetend/spool/`: commits in
`commits/`, test runs in `pytest/`, events a capture point could not store in
`events/`. This reader takes only names that are full commit shas, so it never
claims another reader's files (a hook written by an older repetend spools into
`spool/` itself: such a sha is moved into `commits/` first).

Draining is safe with many drains at once: each entry is claimed by an atomic
rename before it is ingested, so exactly one drain handles it. A claim left by
a drain that died (its pid is gone, or it is `STALE_SECONDS` old) is taken
over. An entry that could not be ingested goes back to wait for the next
drain; one that can never be (a sha git does not know) is kept as
`.failed-<sha>`, never deleted. The drain writes its pid to `.drain.pid` so
the post-commit hook can skip starting a second one; it removes that file
before its last look, so a sha spooled at that moment is never left behind.
"""

from __future__ import annotations

import contextlib
import os
import re
import time
from collections.abc import Callable
from pathlib import Path

from repetend.private_files import PRIVATE_FILE, private_dir

SPOOL = "spool"
COMMITS = "commits"
PID_FILE = ".drain.pid"
STALE_SECONDS = 600.0
_CLAIM = ".claimed-"
_FAILED = ".failed-"
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


class Unrecoverable(Exception):
    """An entry that can never be ingested: it is kept aside, not retried."""


def spool_dir(state_dir: Path) -> Path:
    """The spool folder under `.repetend/` (one subfolder per spool kind)."""
    return state_dir / SPOOL


def commits_dir(state_dir: Path) -> Path:
    """Where the post-commit hook spools commit shas."""
    return spool_dir(state_dir) / COMMITS


def enqueue(state_dir: Path, sha: str) -> Path:
    """Spool one commit sha (what the shell hook does, for the pre-commit framework's entry)."""
    entry = private_dir(commits_dir(state_dir)) / sha
    entry.touch(mode=PRIVATE_FILE)
    return entry


def pending(state_dir: Path) -> list[str]:
    """The shas waiting in the spool, oldest first (cheap: one or two directory listings)."""
    found = [*_shas_in(commits_dir(state_dir)), *_shas_in(spool_dir(state_dir))]
    found.sort(key=lambda path: _mtime(str(path)))
    return list(dict.fromkeys(path.name for path in found))


def _shas_in(folder: Path) -> list[Path]:
    try:
        return [Path(e.path) for e in os.scandir(folder) if _SHA.fullmatch(e.name)]
    except OSError:
        return []


def drain(
    state_dir: Path, ingest: Callable[[str], None], finish: Callable[[], None] | None = None
) -> int:
    """Claim and ingest every spooled sha until none is left; return how many were ingested.

    `ingest` raising `Unrecoverable` keeps the entry aside; any other exception
    puts it back for the next drain and ends this one. `finish` (the other spools)
    runs once no sha is left, before this drain stops being the one the hooks see:
    released earlier, a commit made meanwhile started a second drain beside it.
    """
    folder = commits_dir(state_dir)
    if not folder.is_dir() and not _shas_in(spool_dir(state_dir)):
        if finish is not None:
            finish()
        return 0
    private_dir(folder)
    _adopt_legacy(state_dir, folder)
    done = 0
    marker = folder / PID_FILE
    _write_pid(marker)
    while True:
        done += _drain_once(folder, ingest)
        if _shas_in(folder) or _stale_claims(folder):
            continue  # more came meanwhile: this drain stays the one the hook sees
        if finish is not None:
            last: Callable[[], None] = finish
            finish = None
            last()
            continue  # and the commits made while it ran
        _release_pid(marker)
        _adopt_legacy(state_dir, folder)
        if not _shas_in(folder) and not _stale_claims(folder):
            return done
        if _other_drain(marker):  # a commit made just now started one: it takes over
            return done
        _write_pid(marker)


def _adopt_legacy(state_dir: Path, folder: Path) -> None:
    # Hooks written by an older repetend spool shas into spool/ itself.
    for path in _shas_in(spool_dir(state_dir)):
        with contextlib.suppress(OSError):
            os.replace(path, folder / path.name)


def _drain_once(folder: Path, ingest: Callable[[str], None]) -> int:
    done = 0
    for name in [*pending(folder.parent.parent), *_stale_claims(folder)]:
        claimed = _claim(folder, name)
        if claimed is None:
            continue
        sha = _sha_of(name)
        try:
            ingest(sha)
        except Unrecoverable:
            os.replace(claimed, folder / f"{_FAILED}{sha}")  # kept for a look, never retried
            continue
        except BaseException:
            os.replace(claimed, folder / sha)  # kept for the next drain
            raise
        claimed.unlink(missing_ok=True)
        done += 1
    return done


def _claim(folder: Path, name: str) -> Path | None:
    claimed = folder / f"{_CLAIM}{_sha_of(name)}.{os.getpid()}"
    try:
        os.replace(folder / name, claimed)
    except FileNotFoundError:
        return None  # another drain took it first
    os.utime(claimed)
    return claimed


def _sha_of(name: str) -> str:
    return name[len(_CLAIM) :].split(".")[0] if name.startswith(_CLAIM) else name


def _stale_claims(folder: Path) -> list[str]:
    try:
        names = [e.name for e in os.scandir(folder) if e.name.startswith(_CLAIM)]
    except OSError:
        return []
    return [name for name in names if is_stale(folder / name)]


def is_stale(claimed: Path) -> bool:
    """Whether a claim (`….<pid>`) belongs to a process that is gone, or is very old."""
    if _mtime(str(claimed)) < time.time() - STALE_SECONDS:
        return True
    owner = claimed.name.rsplit(".", 1)[-1]
    return owner.isdigit() and not alive(int(owner))


def alive(pid: int) -> bool:
    """Whether process `pid` still runs (on this machine)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # it exists, owned by someone else
        return True
    return True


def _write_pid(marker: Path) -> None:
    # Only an optimisation: without it the hook may start a second, harmless drain.
    with contextlib.suppress(OSError):
        marker.write_text(f"{os.getpid()}\n", encoding="utf-8")


def _other_drain(marker: Path) -> bool:
    """Whether the marker names another drain that is still running."""
    try:
        pid = int(marker.read_text(encoding="utf-8").strip())
    except (OSError, ValueError):
        return False
    return pid != os.getpid() and alive(pid)


def _release_pid(marker: Path) -> None:
    # Only this drain's own pid: the hook writes a newly started drain's pid as it starts it,
    # and removing that would let every commit made meanwhile start one more drain.
    with contextlib.suppress(OSError):
        if marker.read_text(encoding="utf-8").strip() == str(os.getpid()):
            marker.unlink()


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0
