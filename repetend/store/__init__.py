"""The event store: `open_store(config)` returns the configured backend.

Start with `base` (the `Store` protocol every backend implements). May import
`config` and the base modules only: every layer above reads and writes through it.
"""

from __future__ import annotations

from pathlib import Path

from repetend.config import Config
from repetend.errors import ConfigError
from repetend.store.base import PatternMetrics, PatternUse, SignatureGroup, Store
from repetend.store.sqlite import SQLiteStore

__all__ = [
    "PatternMetrics",
    "PatternUse",
    "SQLiteStore",
    "SignatureGroup",
    "Store",
    "is_postgres",
    "open_address",
    "open_store",
]


def is_postgres(address: str) -> bool:
    """Whether a `store` setting names a PostgreSQL database rather than a SQLite file."""
    return address.startswith(("postgres://", "postgresql://"))


def open_store(config: Config, *, patience: float | None = None) -> SQLiteStore:
    """Open (creating on first use) the store the configuration names.

    `patience` is how many seconds a write waits for a locked database before
    failing (default: two minutes; capture points pass `capture_timeout`).
    A `postgresql://` address opens the team store (the `postgres` extra); it is a
    `SQLiteStore` too, since it runs the same methods through the dialect layer.
    """
    configured = str(config.values["store"])
    if is_postgres(configured):
        store = open_address(configured, config.root, patience=patience)
        from repetend.store.origin import Origin
        from repetend.store.postgres import PostgreSQLStore

        try:  # rows written straight into a shared store say who and where, as synced ones do
            origin = Origin.of(config)
        except ConfigError:  # a bad team_identity: the rows go in unstamped, as before
            return store
        if isinstance(store, PostgreSQLStore):
            store.stamp = (origin.user_name, origin.machine, origin.remote, origin.branch)
        return store
    return open_address(str(config.store_path), config.root, patience=patience)


def open_address(address: str, root: Path, *, patience: float | None = None) -> SQLiteStore:
    """The store at a `postgresql://` address or a SQLite path (relative to `root`)."""
    options = {} if patience is None else {"patience": patience}
    if is_postgres(address):
        from repetend.store.postgres import PostgreSQLStore

        return PostgreSQLStore(address, **options)
    path = Path(address).expanduser()
    return SQLiteStore(path if path.is_absolute() else root / path, **options)
