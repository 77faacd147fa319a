"""The event store: `open_store(config)` returns the configured backend.

Start with `base` (the `Store` protocol every backend implements). May import
`config` and the base modules only: every layer above reads and writes through it.
"""

from __future__ import annotations

from repetend.config import Config
from repetend.errors import StoreError
from repetend.store.base import PatternMetrics, PatternUse, SignatureGroup, Store
from repetend.store.sqlite import SQLiteStore

__all__ = ["PatternMetrics", "PatternUse", "SQLiteStore", "SignatureGroup", "Store", "open_store"]


def open_store(config: Config, *, patience: float | None = None) -> SQLiteStore:
    """Open (creating on first use) the store the configuration names.

    `patience` is how many seconds a write waits for a locked database before
    failing (default: two minutes; capture points pass `capture_timeout`).
    """
    configured = str(config.values["store"])
    if configured.startswith(("postgres://", "postgresql://")):
        raise StoreError(
            f"store: {configured.split('@')[-1]!r} is a PostgreSQL address; this version of"
            " repetend ships only the SQLite backend (set store to a file path)"
        )
    if patience is None:
        return SQLiteStore(config.store_path)
    return SQLiteStore(config.store_path, patience=patience)
