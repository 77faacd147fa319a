"""The plugin manager: loaded lazily, built-ins and third-party plugins alike from entry points.

Environment:
- `REPETEND_PLUGINS=name,name` loads only these third-party plugins (the
  built-ins always load); an empty value loads none of them.
- `REPETEND_DISABLE_PLUGINS=name,name` (or the `disable_plugins` setting) skips
  any plugin, built-ins included.
- `REPETEND_TRACE_PLUGINS=1` prints every hook call, its plugin and result to stderr.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pluggy

from repetend.plugins import hookspecs
from repetend.plugins.entry_point_cache import PluginPoint, plugin_points

PROJECT = "repetend"
BUILTIN_DISTRIBUTION = "repetend"

_manager: pluggy.PluginManager | None = None
_manager_key: tuple[str, ...] = ()
_origins: dict[str, PluginOrigin] = {}
_reported: set[tuple[str, str]] = set()


@dataclass(frozen=True)
class PluginOrigin:
    """Where a loaded plugin came from."""

    name: str
    module: str
    distribution: str
    version: str

    @property
    def builtin(self) -> bool:
        """Whether the plugin ships with repetend itself."""
        return self.distribution == BUILTIN_DISTRIBUTION


def get_plugin_manager(disabled: Iterable[str] = ()) -> pluggy.PluginManager:
    """Return the process's plugin manager, loading plugins on first use.

    `disabled` names plugins to skip on top of `REPETEND_DISABLE_PLUGINS`.
    """
    global _manager, _manager_key
    key = tuple(sorted({*disabled, *_names(os.environ.get("REPETEND_DISABLE_PLUGINS", ""))}))
    if _manager is None or key != _manager_key:
        _manager, _manager_key = _load(set(key)), key
    return _manager


def reset() -> None:
    """Forget the loaded plugins (tests and long-lived processes after an install)."""
    global _manager
    _manager = None
    _origins.clear()
    _reported.clear()


def origins() -> dict[str, PluginOrigin]:
    """Every loaded plugin by name."""
    return dict(_origins)


def call_hook(manager: pluggy.PluginManager, name: str, **kwargs: Any) -> list[Any]:
    """Call hook `name` implementation by implementation, skipping any that raises.

    Returns the non-None results in call order; a `firstresult` hook stops at the
    first. A failing plugin is reported once per process on stderr.
    """
    caller = getattr(manager.hook, name)
    first_only = bool(caller.spec and caller.spec.opts.get("firstresult"))
    tracing = _truthy(os.environ.get("REPETEND_TRACE_PLUGINS", ""))
    results: list[Any] = []
    for impl in reversed(caller.get_hookimpls()):
        arguments = [kwargs[argument] for argument in impl.argnames]
        try:
            result = impl.function(*arguments)
        except Exception as error:  # a plugin must never take its caller down
            report_failure(impl.plugin_name, name, error)
            continue
        if tracing:
            sys.stderr.write(f"repetend trace: {name} [{impl.plugin_name}] -> {result!r}\n")
        if result is not None:
            results.append(result)
            if first_only:
                break
    return results


def report_failure(plugin: str, hook: str, error: BaseException) -> None:
    """Print one line about a plugin failure, once per plugin and hook."""
    if (plugin, hook) in _reported:
        return
    _reported.add((plugin, hook))
    sys.stderr.write(
        f"repetend: plugin {plugin!r} failed in {hook}: {type(error).__name__}: {error} (skipped)\n"
    )


def _load(disabled: set[str]) -> pluggy.PluginManager:
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(hookspecs)
    _origins.clear()
    allowed = os.environ.get("REPETEND_PLUGINS")
    only = _names(allowed) if allowed is not None else None
    # Built-ins come from repetend's own distribution metadata, so repetend must be
    # installed (an editable install is enough) for them to load.
    for point in plugin_points(PROJECT):
        builtin = point.distribution == BUILTIN_DISTRIBUTION
        if point.name in disabled or (not builtin and only is not None and point.name not in only):
            continue
        _register(manager, point)
    return manager


def _register(manager: pluggy.PluginManager, point: PluginPoint) -> None:
    try:
        plugin = point.load()
        if manager.get_plugin(point.name) is None:
            manager.register(plugin, name=point.name)
    except Exception as error:  # a broken plugin is reported and the rest still load
        report_failure(point.name, "load", error)
        return
    module = getattr(plugin, "__name__", point.value)
    _origins[point.name] = PluginOrigin(point.name, module, point.distribution, point.version)


def _names(text: str) -> set[str]:
    return {name.strip() for name in text.split(",") if name.strip()}


def _truthy(text: str) -> bool:
    return text.strip().lower() in {"1", "true", "yes", "on"}
