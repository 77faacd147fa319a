"""Plugin support: the hook markers plugins use, and the plugin manager.

`hookspecs` documents every hook, `registry` loads plugins (built-ins and
third-party alike, from the `repetend` entry points, through `entry_point_cache`),
`types` holds the values hooks pass. May import `store`, `config` and the base
modules. pluggy is imported when `hookimpl` is first used, so a command that
loads no plugin never pays for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pluggy

    hookimpl: pluggy.HookimplMarker


def __getattr__(name: str) -> Any:
    if name == "hookimpl":
        import pluggy

        marker = pluggy.HookimplMarker("repetend")
        globals()["hookimpl"] = marker
        return marker
    raise AttributeError(name)


__all__ = ["hookimpl"]
