"""Case forms of one name: `my_sensor`, `MySensor`, `mySensor`, `my-sensor`, `MY_SENSOR`.

A value that appears in several case forms is one variable; each other place
renders it through the matching filter.
"""

from __future__ import annotations

import functools
import re

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_|$)|[A-Z]?[a-z]+|[A-Z]+|\d+")

FORMS = ("snake", "kebab", "pascal", "camel", "screaming", "lower", "upper", "title")


def words(value: str) -> list[str]:
    """The words of a name, whatever its case form (`MySensor` → my, sensor)."""
    return [word.lower() for word in _WORD.findall(value)]


def convert(value: str, form: str) -> str:
    """`value` in case form `form`."""
    parts = words(value)
    if form == "snake":
        return "_".join(parts)
    if form == "kebab":
        return "-".join(parts)
    if form == "pascal":
        return "".join(word.capitalize() for word in parts)
    if form == "camel":
        return parts[0] + "".join(w.capitalize() for w in parts[1:]) if parts else ""
    if form == "screaming":
        return "_".join(parts).upper()
    if form == "lower":
        return value.lower()
    if form == "upper":
        return value.upper()
    if form == "title":
        return " ".join(word.capitalize() for word in parts)
    raise ValueError(f"unknown case form {form!r} (expected one of: {', '.join(FORMS)})")


@functools.lru_cache(maxsize=2048)
def canonical(value: str) -> str:
    """The form-independent key of a name: its words joined by `_`."""
    # Remembered: tying slots asks for each member's value of a slot twice in a row.
    return "_".join(words(value))


def form_of(source: str, target: str) -> str | None:
    """The case form that turns `source` into `target` ('' when equal), or None."""
    if source == target:
        return ""
    for form in FORMS:
        if convert(source, form) == target:
            return form
    return None
