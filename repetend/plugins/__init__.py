"""Plugin support: the hook markers plugins use, and the plugin manager."""

from __future__ import annotations

import pluggy

hookimpl = pluggy.HookimplMarker("repetend")

__all__ = ["hookimpl"]
