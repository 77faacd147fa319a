"""Parsed small files remembered as JSON, keyed by a digest of their bytes.

Every git hook reads `.repetend/config.yaml`; importing PyYAML to parse a
dozen lines costs more than the rest of the read. The parse of the same bytes
is always the same, so it is kept in `.repetend/cache/` under the file's name
with the digest of what was parsed; a changed file misses and is parsed again.
Only documents JSON can hold exactly are kept; a cache that cannot be read or
written is simply not used.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

CACHE_IGNORE = "# Created by repetend: a cache, never committed.\n*\n"


def cache_folder(state_dir: Path) -> Path:
    """`.repetend/cache/`, which git ignores (it holds its own `.gitignore`)."""
    return state_dir / "cache"


def parsed(raw: bytes, cache_file: Path, parse: Callable[[bytes], Any]) -> Any:
    """`parse(raw)`, from `cache_file` when it holds the parse of these very bytes."""
    digest = hashlib.sha256(raw).hexdigest()
    try:
        document = json.loads(cache_file.read_text(encoding="utf-8"))
        if isinstance(document, dict) and document.get("digest") == digest:
            return document["data"]
    except (OSError, ValueError):
        pass  # missing or damaged: parse
    data = parse(raw)
    _remember(cache_file, digest, data)
    return data


def _remember(cache_file: Path, digest: str, data: Any) -> None:
    try:
        text = json.dumps({"digest": digest, "data": data})
        if json.loads(text)["data"] != data:  # a tuple, a date or a set: not held exactly
            return
    except (TypeError, ValueError):
        return
    write_cached(cache_file.parent, cache_file, text)


def write_cached(cache_root: Path, path: Path, text: str) -> None:
    """Write a cache entry under `cache_root` (`.repetend/cache/`), which git is told to ignore.

    A cache that cannot be written is not an error: the next reader parses again.
    """
    from repetend.fileio import atomic_write

    try:
        atomic_write(path, text)
        ignore = cache_root / ".gitignore"
        if not ignore.exists():  # the cache is this machine's own (as pytest does it)
            atomic_write(ignore, CACHE_IGNORE)
    except OSError:  # a read-only checkout parses each time
        pass
