"""Importing repetend's own modules past pytest's assertion rewriting."""

from __future__ import annotations

import importlib
import sys
from typing import Any


def import_unrewritten(name: str) -> Any:
    """Import `name` past pytest's assertion rewriting.

    pytest rewrites every module of a distribution that has a `pytest11` entry
    point, so the recorder would be parsed and compiled again on every run
    where pytest cannot cache the rewritten code (a read-only site-packages,
    PYTHONDONTWRITEBYTECODE): 15-20 ms a run for asserts it never needs.
    """
    from _pytest.assertion.rewrite import AssertionRewritingHook

    hooks = [f for f in sys.meta_path if isinstance(f, AssertionRewritingHook)]
    for hook in hooks:
        sys.meta_path.remove(hook)
    try:
        return importlib.import_module(name)
    finally:
        sys.meta_path[0:0] = hooks
