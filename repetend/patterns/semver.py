"""Semantic versions of patterns: `1.0.0` for a first approval, the minor raised per relearning.

Specs written before versions were semantic hold an integer (raised each time
the body changed): version n reads as `1.<n-1>.0`, so nothing renumbers.
"""

from __future__ import annotations

import re

FIRST = "1.0.0"
_SEMVER = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


def semver(value: object) -> str:
    """A spec's `version` as a semantic version (an old integer n is `1.<n-1>.0`)."""
    if isinstance(value, bool) or value is None or value == "":
        return FIRST
    if isinstance(value, int):
        return f"1.{max(value - 1, 0)}.0"
    text = str(value).strip()
    if text.isdigit():
        return semver(int(text))
    return text if _SEMVER.match(text) else FIRST


def parts(version: str) -> tuple[int, int, int]:
    """A semantic version's numbers, for ordering (an unreadable one sorts first)."""
    found = _SEMVER.match(semver(version))
    if found is None:
        return (0, 0, 0)
    major, minor, patch = (int(n) for n in found.groups())
    return (major, minor, patch)


def next_minor(version: str) -> str:
    """The next version a relearned template is proposed as: `1.2.0` after `1.1.x`."""
    major, minor, _ = parts(version)
    return f"{major}.{minor + 1}.0"
