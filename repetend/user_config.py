"""Your own settings for every repository, reading a settings file, naming a misspelt key.

The user-level file is `$XDG_CONFIG_HOME/repetend/config.yaml` (`~/.config/…`
by default); `repetend.config` reads it below the repository's own settings.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from repetend.errors import ConfigError


def user_config_path(environ: Mapping[str, str] | None = None) -> Path:
    """`$XDG_CONFIG_HOME/repetend/config.yaml` (default `~/.config/…`): your own defaults."""
    env = os.environ if environ is None else environ
    home = env.get("XDG_CONFIG_HOME") or str(Path("~/.config").expanduser())
    return Path(home) / "repetend" / "config.yaml"


def user_config_cache(environ: Mapping[str, str]) -> Path:
    """Where the parse of the user-level file is kept (beside the entry-point cache)."""
    home = environ.get("XDG_CACHE_HOME") or str(Path("~/.cache").expanduser())
    return Path(home) / "repetend" / "user-config.yaml.json"


def did_you_mean(key: str, names: Iterable[str]) -> str:
    """The name a misspelt key most likely meant, or every name."""
    import difflib

    known = sorted(names)
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.75)
    if close:
        return f"did you mean {close[0]!r}?"
    return f"expected one of: {', '.join(known)}"


def parse_settings_yaml(raw: bytes, label: str) -> Any:
    """A settings file's YAML (`label` names it in the one-line error)."""
    import yaml  # only when the file changed since it was last parsed

    try:
        return yaml.safe_load(raw.decode("utf-8"))
    except (UnicodeDecodeError, yaml.YAMLError) as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise ConfigError(f"{label}: cannot be read as YAML ({first_line})") from error
