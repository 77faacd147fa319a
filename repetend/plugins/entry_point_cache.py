"""The `repetend` entry points, remembered between processes.

Reading entry points means importing `importlib.metadata` and parsing every
installed distribution's metadata: tens of milliseconds, paid by every git hook
and command before any work starts. The answer only changes when something is
installed, upgraded or removed, so it is kept in the user's cache folder under
a key made of the interpreter and, for every `sys.path` folder that holds
distribution metadata, the folder's modification time and those of its
`*.dist-info` / `*.egg-info` folders (an install adds, replaces or removes such
a folder, and a folder that gains its first one starts to count). A cache that
cannot be read or written is simply not used.
"""

from __future__ import annotations

import hashlib
import importlib
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

FORMAT = 1
_METADATA_SUFFIXES = (".dist-info", ".egg-info")


@dataclass(frozen=True)
class PluginPoint:
    """One entry point of the group: enough to load it and say where it came from."""

    name: str
    value: str
    distribution: str
    version: str

    def load(self) -> Any:
        """Import the module (and attribute, for `module:attr`) the entry point names."""
        module_name, _, attribute = self.value.partition(":")
        loaded: Any = importlib.import_module(module_name.strip())
        for part in filter(None, attribute.strip().split(".")):
            loaded = getattr(loaded, part)
        return loaded


def plugin_points(group: str) -> list[PluginPoint]:
    """The group's entry points, from the cache when nothing was installed since it was written."""
    key = environment_key()
    path = _cache_file(group)
    cached = _read(path, key)
    if cached is not None:
        return cached
    points = _scan(group)
    _write(path, key, points)
    return points


def _scan(group: str) -> list[PluginPoint]:
    from importlib.metadata import entry_points

    return [
        PluginPoint(
            point.name,
            point.value,
            point.dist.name if point.dist else "",
            point.dist.version if point.dist else "",
        )
        for point in entry_points(group=group)
    ]


def environment_key() -> str:
    """A digest that changes whenever a distribution is installed, upgraded or removed."""
    digest = hashlib.sha256(f"{FORMAT}\0{sys.executable}\0{sys.version}".encode())
    # Only folders that hold distribution metadata count: `python -m` puts the current
    # folder on sys.path, and every repository would otherwise get a cache of its own.
    for entry in sys.path:
        stamps = _stamps(entry or ".")
        if stamps:
            digest.update(f"\0{entry}\0{_mtime(entry or '.')}".encode())
            digest.update("".join(f"\0{name}:{stamp}" for name, stamp in stamps).encode())
    return digest.hexdigest()


def _stamps(entry: str) -> list[tuple[str, int]]:
    """Each metadata folder in a sys.path folder, with its modification time."""
    try:
        with os.scandir(entry) as listing:
            return sorted(
                (item.name, item.stat().st_mtime_ns)
                for item in listing
                if item.name.endswith(_METADATA_SUFFIXES)
            )
    except OSError:  # a zip file or a path that does not exist: no folders to stamp
        return []


def _mtime(entry: str) -> int:
    try:
        return os.stat(entry).st_mtime_ns
    except OSError:
        return -1


def _cache_file(group: str) -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    interpreter = hashlib.sha256(sys.executable.encode()).hexdigest()[:16]
    return Path(base) / "repetend" / f"entry-points-{group}-{interpreter}.json"


def _read(path: Path, key: str) -> list[PluginPoint] | None:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
        if document.get("key") != key:
            return None
        return [PluginPoint(*(str(field) for field in row)) for row in document["points"]]
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None


def _write(path: Path, key: str, points: list[PluginPoint]) -> None:
    rows = [[p.name, p.value, p.distribution, p.version] for p in points]
    try:
        from repetend.fileio import atomic_write

        atomic_write(path, json.dumps({"key": key, "points": rows}))
    except OSError:  # no writable cache folder: the next process scans again
        pass
