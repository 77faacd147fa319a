"""Error signatures: the same bug gives the same signature each time it recurs.

A signature is built from the exception type, the message with its volatile
parts masked (numbers, hex addresses, temporary paths, timestamps, UUIDs) and
the crash location (file and failing statement, not the line number, so an
edit above the crash does not change it).
"""

from __future__ import annotations

import hashlib
import re
import tempfile
from dataclasses import dataclass

MAX_MESSAGE = 300
_TYPE_PREFIX = re.compile(r"^((?:[A-Za-z_]\w*\.)*[A-Za-z_]\w*):(?:\s|$)")


def _temp_roots() -> str:
    roots = {tempfile.gettempdir(), "/tmp", "/var/tmp", "/private/var/folders", "/var/folders"}
    return "|".join(re.escape(root.rstrip("/\\")) for root in sorted(roots, key=len, reverse=True))


_MASKS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"(?:" + _temp_roots() + r")[/\\][^\s'\",:)\]]*"), "<tmp>"),
    (re.compile(r"\S*pytest-of-[^\s/]+/pytest-\d+/[^\s'\",:)\]]*"), "<tmp>"),
    (
        re.compile(
            r"\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?"
        ),
        "<time>",
    ),
    (re.compile(r"\b\d{1,2}:\d{2}:\d{2}(?:[.,]\d+)?\b"), "<time>"),
    (re.compile(r"\b[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}\b"), "<uuid>"),
    (re.compile(r"\b0x[0-9a-fA-F]+\b"), "<hex>"),
    (re.compile(r"\b[0-9a-f]{12,}\b"), "<hex>"),
    (re.compile(r"(?<![A-Za-z_<])[-+]?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?"), "<n>"),
)


@dataclass(frozen=True)
class ErrorSignature:
    """A failure reduced to what stays the same when the same bug recurs."""

    type: str
    message: str
    location: str
    statement: str = ""

    def digest(self) -> str:
        """A short stable hash of type, normalised message, file and failing statement."""
        path = self.location.rsplit(":", 1)[0]
        text = "\x1f".join((self.type, self.message, path, self.statement))
        return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]

    def to_dict(self) -> dict[str, str]:
        """The signature as stored in an event payload."""
        return {
            "type": self.type,
            "message": self.message,
            "location": self.location,
            "statement": self.statement,
            "signature": self.digest(),
        }


def normalise_message(message: str) -> str:
    """Mask the parts of an error message that change between runs of the same bug."""
    text = " ".join(message.strip().split())
    for pattern, replacement in _MASKS:
        text = pattern.sub(replacement, text)
    return text[:MAX_MESSAGE]


def split_exception(text: str) -> tuple[str, str]:
    """Split `ValueError: bad` into type and message; a bare `assert …` is an AssertionError."""
    first = text.strip().splitlines()[0] if text.strip() else ""
    match = _TYPE_PREFIX.match(first)
    if match:
        return match.group(1).rsplit(".", 1)[-1], first[match.end() :].strip()
    if first.startswith("assert "):
        return "AssertionError", first
    return "Error", first


def error_signature(text: str, location: str, statement: str = "") -> ErrorSignature:
    """The signature of a failure from its `Type: message` text and where it crashed."""
    kind, message = split_exception(text)
    return ErrorSignature(kind, normalise_message(message), location, " ".join(statement.split()))
