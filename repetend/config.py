"""Configuration: defaults, `[tool.repetend]`, `.repetend/config.yaml`, `REPETEND_*` overrides.

Every setting is declared once in `SETTINGS` with its type, default and meaning;
the loader, the validator, `repetend config` and the configuration reference
all read that one table. Later sources win: default < pyproject.toml <
.repetend/config.yaml < environment < explicit overrides (command-line flags).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from repetend import user_config
from repetend.errors import ConfigError
from repetend.fileio import folders_up
from repetend.settings import SETTINGS, SETTINGS_BY_NAME, Setting

STATE_DIR = ".repetend"
KILL_SWITCHES = ("REPETEND_DISABLE", "DISABLE_PATTERN_AUTOMATION")
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


@dataclass(frozen=True)
class Config:
    """The effective configuration of one repository."""

    root: Path
    values: Mapping[str, Any]
    sources: Mapping[str, str]
    disabled: bool = False
    disabled_by: str = ""

    def __getattr__(self, name: str) -> Any:
        values = self.__dict__.get("values", {})
        if name in values:
            return values[name]
        raise AttributeError(name)

    @property
    def state_dir(self) -> Path:
        """The repository's `.repetend/` folder."""
        return self.root / STATE_DIR

    @property
    def store_path(self) -> Path:
        """Where the SQLite store lives."""
        configured = str(self.values["store"])
        if not configured:
            return self.state_dir / "repetend.db"
        path = Path(configured).expanduser()
        return path if path.is_absolute() else self.root / path

    @property
    def patterns_dir(self) -> Path:
        """Where pattern specs are written, one folder per status."""
        return self.state_dir / "patterns"


@dataclass
class _Layers:
    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def apply(self, data: Mapping[str, Any], source: str) -> None:
        for key, raw in data.items():
            setting = SETTINGS_BY_NAME.get(str(key))
            if setting is None:
                hint = user_config.did_you_mean(str(key), SETTINGS_BY_NAME)
                raise ConfigError(f"{source}: unknown key {key!r} ({hint})")
            self.values[setting.name] = coerce(setting, raw, source)
            self.sources[setting.name] = source


def config_stamp(base: Path) -> tuple[object, ...]:
    """What `load_config(base)` reads, cheap to compare: its files' mtimes and the variables.

    Capture asks on every call whether the configuration changed; reading the
    variables through `os.environ` costs ~18 µs a call, its own bytes ~1 µs.
    """
    files = _STAMP_FILES.get(base)
    if files is None:
        files = _STAMP_FILES[base] = (
            str(base / "pyproject.toml"),
            str(base / STATE_DIR / "config.yaml"),
        )
    data = getattr(os.environ, "_data", None)
    if os.name == "posix" and isinstance(data, dict):
        variables = tuple(map(data.get, _STAMP_VARIABLES))
    else:
        variables = tuple(os.environ.get(os.fsdecode(name)) for name in _STAMP_VARIABLES)
    user = _mtime(str(user_config.user_config_path()))  # your own defaults count too
    return (*map(_mtime, files), user, *variables)


def _mtime(path: str) -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def find_root(start: Path | None = None) -> Path:
    """Return the repository root above `start`: the nearest folder with `.git` or `.repetend`."""
    here = (start or Path.cwd()).resolve()
    for folder in folders_up(here):
        if (folder / ".git").exists() or (folder / STATE_DIR).is_dir():
            return folder
    return here


def kill_switch(environ: Mapping[str, str] | None = None) -> str:
    """Return the name of the environment variable that switched repetend off, or ''."""
    env = os.environ if environ is None else environ
    for name in KILL_SWITCHES:
        if env.get(name, "").strip().lower() in _TRUE:
            return name
    return ""


def load_config(
    root: Path | str | None = None,
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
) -> Config:
    """Load the effective configuration for the repository at or above `root`."""
    env = os.environ if environ is None else environ
    base = find_root(Path(root) if root is not None else None)
    layers = _Layers({s.name: s.default for s in SETTINGS}, {s.name: "default" for s in SETTINGS})
    from repetend.parse_cache import cache_folder

    user = user_config.user_config_path(env)  # below the repository's own settings
    layers.apply(_read_yaml(user, str(user), user_config.user_config_cache(env)), str(user))
    layers.apply(_read_pyproject(base / "pyproject.toml"), "pyproject.toml [tool.repetend]")
    repository = f"{STATE_DIR}/config.yaml"
    cache = cache_folder(base / STATE_DIR) / "config.yaml.json"
    layers.apply(_read_yaml(base / STATE_DIR / "config.yaml", repository, cache), repository)
    for setting in SETTINGS:
        if setting.env_var in env:
            layers.apply({setting.name: env[setting.env_var]}, f"environment {setting.env_var}")
    layers.apply(dict(overrides or {}), "command line")
    switch = kill_switch(env)
    return Config(base, layers.values, layers.sources, bool(switch), switch)


def coerce(setting: Setting, raw: Any, source: str) -> Any:
    """Convert `raw` (from TOML, YAML or an environment string) to the setting's type."""
    value = _convert(setting, raw)
    if value is None:
        raise ConfigError(
            f"{source}: {setting.name} = {raw!r} is not valid (expected {setting.expected()})"
        )
    numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
    too_low = numeric and setting.minimum is not None and value < setting.minimum
    too_high = numeric and setting.maximum is not None and value > setting.maximum
    if too_low or too_high:
        raise ConfigError(
            f"{source}: {setting.name} = {raw!r} is out of range (expected {setting.expected()})"
        )
    return value


def _convert(setting: Setting, raw: Any) -> Any:
    if isinstance(raw, str) and setting.type is not str:
        return _from_text(setting, raw.strip())
    if setting.type is bool:
        return raw if isinstance(raw, bool) else None
    if setting.type is int:
        return raw if isinstance(raw, int) and not isinstance(raw, bool) else None
    if setting.type is float:
        ok = isinstance(raw, (int, float)) and not isinstance(raw, bool)
        return float(raw) if ok else None
    if setting.type is list:
        ok = isinstance(raw, list) and all(isinstance(item, str) for item in raw)
        return list(raw) if ok else None
    return raw if isinstance(raw, str) else None


def _from_text(setting: Setting, text: str) -> Any:
    try:
        if setting.type is bool:
            lowered = text.lower()
            return True if lowered in _TRUE else False if lowered in _FALSE else None
        if setting.type is list:
            return [item.strip() for item in text.split(",") if item.strip()]
        return setting.type(text)
    except ValueError:
        return None


def _read_optional(path: Path, label: str) -> bytes:
    """The file's bytes; empty when there is no such file; ConfigError when it cannot be read."""
    try:
        return path.read_bytes()
    except (FileNotFoundError, IsADirectoryError, NotADirectoryError):
        return b""
    except OSError as error:
        raise ConfigError(f"{label}: cannot be read ({error})") from error


def _read_pyproject(path: Path) -> dict[str, Any]:
    raw = _read_optional(path, path.name)
    # Most projects say nothing of repetend: skip the TOML parser (and its import) in
    # every git hook. A section that exists always spells the name out.
    if b"repetend" not in raw:
        return {}
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path.name}: cannot be read as TOML ({error})") from error
    section = data.get("tool", {}).get("repetend", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path.name}: [tool.repetend] must be a table")
    return section


def _read_yaml(path: Path, label: str, cache_file: Path) -> dict[str, Any]:
    raw = _read_optional(path, label)
    if not raw:
        return {}
    from repetend.parse_cache import parsed

    data = parsed(raw, cache_file, lambda text: user_config.parse_settings_yaml(text, label))
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise ConfigError(f"{label}: expected a mapping of settings at the top")
    return data


_STAMP_FILES: dict[Path, tuple[str, str]] = {}
_STAMP_VARIABLES = tuple(
    os.fsencode(name)
    for name in (
        *(s.env_var for s in SETTINGS),
        *KILL_SWITCHES,
        "REPETEND_DISABLE_PLUGINS",
        "XDG_CONFIG_HOME",
    )
)
