"""What the pre-commit check last knew of approved templates, so the next can skip the store.

A commit adding one file that fits an approved template's globs starts Python; the
full check then imports the store, the plugin manager and the capture machinery
(~70 ms) to ask one question: what does the file lack of its template? The full
check leaves its answer's inputs in `.repetend/cache/precommit-templates.json`:
the approved file templates' `files` entries, under a stamp of everything that
could change the answer or the check's own side effects —

- every spec file under `.repetend/patterns/*/` (name, size, mtime): approving,
  rejecting, retiring or pulling a template writes one, and `index_spec_files`
  has nothing to do while they stand still;
- the configuration's files and variables, and the installed distributions (the
  entry-point cache's key: a plugin installed or removed);
- the store file's identity (a store deleted or replaced is indexed again).

It is written only when the file miner is the one plugin answering the check, the
configuration reads cleanly, and the store is a local file (a team store changes
from other machines). The quick check (`quick_check`) trusts it only when the whole
stamp is unchanged, and only to say "nothing to report": anything else runs the
full check.
"""

from __future__ import annotations

import contextlib
import json
import os
import sys
from pathlib import Path
from typing import Any

from repetend.user_config import user_config_path

FORMAT = 1
MAX_BYTES = 1 << 20  # larger staged files are not checked (nor by the full check)
NAME = "precommit-templates.json"
STATE_DIR = ".repetend"  # repetend.config.STATE_DIR, without importing the settings
_VARIABLES = ("DISABLE_PATTERN_AUTOMATION", "XDG_CONFIG_HOME", "XDG_CACHE_HOME", "HOME")


def snapshot_path(root: Path) -> Path:
    """Where the snapshot lives (the cache folder git ignores)."""
    return root / STATE_DIR / "cache" / NAME


def stamp(root: Path, store_file: str) -> list[Any]:
    """Everything the snapshot's answer depends on, cheap to read (stats and a listing)."""
    from repetend.plugins.entry_point_cache import environment_key

    state = root / STATE_DIR
    config_files = (root / "pyproject.toml", state / "config.yaml", user_config_path())
    variables = sorted(
        [name, value]
        for name, value in os.environ.items()
        if name.startswith("REPETEND_") or name in _VARIABLES
    )
    return [
        FORMAT,
        _spec_files(state / "patterns"),
        [_identity(str(path)) for path in config_files],
        variables,
        environment_key(),
        sys.executable,
        store_file,
        _identity(store_file)[:2],
    ]


def read(root: Path) -> tuple[list[Any], list[tuple[str, list[Any]]]] | None:
    """The stored stamp and (id, files) of each approved file template; None when absent."""
    try:
        document = json.loads(snapshot_path(root).read_text(encoding="utf-8"))
        templates = [(str(i), list(files)) for i, files in document["templates"]]
        return list(document["stamp"]), templates
    except (OSError, ValueError, TypeError, KeyError):
        return None


def write(root: Path, key: list[Any], templates: list[tuple[str, list[Any]]]) -> None:
    """Keep the snapshot (only when it changed: most checks find it as it was)."""
    from repetend.parse_cache import write_cached

    text = json.dumps({"stamp": key, "templates": templates}, sort_keys=True)
    path = snapshot_path(root)
    try:
        if path.read_text(encoding="utf-8") == text:
            return
    except OSError:
        pass
    write_cached(path.parent, path, text)


def forget(root: Path) -> None:
    """Drop the snapshot (the quick check then always runs the full one)."""
    with contextlib.suppress(OSError):
        snapshot_path(root).unlink()


def _spec_files(patterns: Path) -> list[list[Any]]:
    found: list[list[Any]] = []
    try:
        folders = [entry for entry in os.scandir(patterns) if entry.is_dir()]
    except OSError:
        return found
    for folder in folders:
        try:
            entries = list(os.scandir(folder.path))
        except OSError:
            continue
        for entry in entries:
            if entry.name.endswith(".yaml"):
                info = entry.stat()
                found.append([folder.name, entry.name, info.st_size, info.st_mtime_ns])
    return sorted(found)


def _identity(path: str) -> list[int]:
    try:
        info = os.stat(path)
    except OSError:
        return [-1, -1, -1]
    return [info.st_dev, info.st_ino, info.st_mtime_ns]
