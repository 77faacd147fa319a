"""Which members a template's examples come from: what a re-run must not change unseen.

A spec shows each variable's first three distinct values in member order (see
`templates.spec`). `example_sources` records the position of the member each
one comes from, so `refit` can tell whether a changed member could change them.
"""

from __future__ import annotations

from typing import Any

EXAMPLES = 3  # examples a variable shows (see templates.spec)
MISSING = object()  # a variable a member does not have
SHOWN = 200  # characters of a text an example shows


def example_sources(values: list[dict[str, Any]]) -> dict[str, list[int]]:
    """For each variable, the members (by position) whose values first show its examples."""
    seen: dict[str, set[Any]] = {}
    sources: dict[str, list[int]] = {}
    for position, member in enumerate(values):
        for name, value in member.items():
            distinct = seen.setdefault(name, set())
            key = repr(value) if isinstance(value, (list, dict)) else value  # as the spec tells
            if len(distinct) < EXAMPLES and key not in distinct:
                distinct.add(key)
                sources.setdefault(name, []).append(position)
    return sources


def shown_exactly(value: Any) -> bool:
    """Whether the spec shows the value whole (longer texts are cut at 200 characters)."""
    return not (isinstance(value, str) and len(value) > SHOWN)


def example_key(value: Any) -> str:
    """A value as examples compare it: lists by their text, others as the spec writes them."""
    if value is MISSING:
        return "<missing>"
    return repr(value) if isinstance(value, list) else str(value)[:SHOWN]
