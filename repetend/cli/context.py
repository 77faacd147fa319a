"""What every command shares: the repository's configuration, store and plugins, opened lazily."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

if TYPE_CHECKING:  # imported on first use: `--help` and most starts need neither
    import pluggy

    from repetend.config import Config
    from repetend.store import SQLiteStore


class AppContext:
    """Lazily loaded configuration, store and plugin manager for one command.

    `on_store_open` runs once, right after the store is first opened (the CLI
    ingests spooled commits there, so every command that reads the store sees
    them and one that never opens it, such as `--help`, pays nothing).
    """

    def __init__(
        self,
        root: Path | None,
        overrides: dict[str, Any],
        on_store_open: Callable[[AppContext], None] | None = None,
    ) -> None:
        self._root = root
        self.root = root  # as given by --root (None: found from the current folder)
        self._overrides = overrides
        self._config: Config | None = None
        self._store: SQLiteStore | None = None
        self._on_store_open = on_store_open

    @property
    def config(self) -> Config:
        """The effective configuration (read on first use)."""
        if self._config is None:
            from repetend.config import load_config

            self._config = load_config(self._root, self._overrides)
        return self._config

    @property
    def store(self) -> SQLiteStore:
        """The event store (opened, and created, on first use)."""
        if self._store is None:
            from repetend.store import open_store

            self._store = open_store(self.config)
            _index_specs(self._store, self.config)
            opened, self._on_store_open = self._on_store_open, None
            if opened is not None:
                opened(self)
        return self._store

    @property
    def read_store(self) -> SQLiteStore:
        """The store for commands that only report: an empty one when there is none yet.

        A read-only command never creates `.repetend/` (or a store) where nobody asked.
        """
        config = self.config
        remote = str(config.values["store"]).startswith(("postgres://", "postgresql://"))
        # Something spooled means the repository captures: the real store, drained, it is.
        waiting = (config.state_dir / "spool").is_dir()
        if self._store is None and not (remote or waiting or config.store_path.exists()):
            from repetend.store import SQLiteStore

            self._store = SQLiteStore(Path(":memory:"))
            _index_specs(self._store, config)
        return self.store

    @property
    def manager(self) -> pluggy.PluginManager:
        """The plugin manager, honouring `disable_plugins`."""
        from repetend.plugins.registry import get_plugin_manager

        return get_plugin_manager(self.config.disable_plugins)

    def say_if_off(self) -> bool:
        """When the kill switch is on, say so and return True."""
        if self.config.disabled:
            click.echo(
                f"repetend is off ({self.config.disabled_by}=1):"
                " capture and automation do nothing.",
                err=True,
            )
        return self.config.disabled

    def close(self) -> None:
        """Close the store if it was opened."""
        if self._store is not None:
            self._store.close()


def _index_specs(store: SQLiteStore, config: Config) -> None:
    """Read the spec files the store does not know yet (git is the truth; see `spec_index`)."""
    from repetend.patterns.spec_index import index_spec_files

    index_spec_files(store, config)


_LONE_SURROGATE = re.compile("[\udc80-\udcff]")


def emit_json(value: Any) -> None:
    """Print `value` as indented JSON on stdout."""
    text = json.dumps(value, indent=2, default=str, ensure_ascii=False)
    # A name that is not UTF-8 (read with surrogateescape) as a JSON escape that reads back.
    click.echo(_LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> str:
    """Plain aligned columns, as `ls -l` and `git branch -v` print them."""
    cells = [[str(h) for h in headers], *[[_cell(v) for v in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(headers))]
    lines = [
        "  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip()
        for row in cells
    ]
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.2f}"
    from repetend.fileio import printable

    return printable(str(value))
