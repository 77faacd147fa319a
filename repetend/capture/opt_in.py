"""Which folders chose repetend, and where capture keeps what comes from the others.

Capture creates `.repetend/` only in a repository that opted in: one that has it
already (`repetend init`, `hooks install` and `mine` make it), a `[tool.repetend]`
table in pyproject.toml, or a store named explicitly (`--store`, `REPETEND_STORE`,
`store:`). Anything captured elsewhere (a `record()` call in a scratch folder, an
agent working in `$HOME`) is kept in the user's data folder instead.
"""

from __future__ import annotations

import os
from pathlib import Path

from repetend.config import Config


def opted_in(config: Config) -> bool:
    """Whether the repository at `config.root` chose repetend."""
    if config.state_dir.is_dir():
        return True
    sources = config.sources
    return sources.get("store", "default") != "default" or any(
        source.startswith("pyproject.toml") for source in sources.values()
    )


def user_data_dir() -> Path:
    """repetend's folder in the user's data folder (`$XDG_DATA_HOME/repetend`)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "repetend"
