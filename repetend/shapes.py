"""Shapes of values and the signature of an execution.

A shape keeps the structure of a value (keys and value types) and drops the
values themselves, so two executions that did the same kind of work with
different data have the same shape. The signature of an execution is its
operation kind, file types, tool sequence and input and output shapes; its
hash groups identical signatures, and `similarity` scores near ones.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from repetend.events import Execution

_PATH_SEPARATORS = ("/", "\\")
_MAX_SUFFIX = 12


def value_type(value: Any) -> str:
    """Name the JSON type of `value`: `str`, `int`, `float`, `bool`, `null`, `list` or `dict`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    if isinstance(value, float):
        return "float"
    if isinstance(value, Mapping):
        return "dict"
    if isinstance(value, (list, tuple)):
        return "list"
    return "str"


def shape(data: Mapping[str, Any], prefix: str = "") -> dict[str, str]:
    """Flatten a mapping to `{dotted.key: type}`; nested mappings contribute their own keys."""
    result: dict[str, str] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            result.update(shape(value, name + "."))
        else:
            result[name] = value_type(value)
    return result


def flatten(data: Mapping[str, Any], prefix: str = "") -> dict[str, Any]:
    """Flatten a mapping to `{dotted.key: value}` in the same way `shape` does."""
    result: dict[str, Any] = {}
    for key, value in data.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping) and value:
            result.update(flatten(value, name + "."))
        else:
            result[name] = value
    return result


def looks_like_path(value: Any) -> bool:
    """Whether a string value names a file (has a separator or a short suffix, no spaces)."""
    if not isinstance(value, str) or not value or "\n" in value or len(value) > 4096:
        return False
    if " " in value.strip() or "://" in value:
        return False
    suffix = PurePosixPath(value.replace("\\", "/")).suffix
    has_suffix = 1 < len(suffix) <= _MAX_SUFFIX and suffix[1:].isalnum()
    return has_suffix or any(sep in value for sep in _PATH_SEPARATORS)


def file_types(*mappings: Mapping[str, Any]) -> list[str]:
    """The sorted suffixes (`.py`, `.txt`) of every path-like value in the mappings."""
    found: set[str] = set()
    for mapping in mappings:
        for value in _leaves(mapping):
            if looks_like_path(value):
                suffix = PurePosixPath(str(value).replace("\\", "/")).suffix.lower()
                if suffix:
                    found.add(suffix)
    return sorted(found)


def _leaves(data: Any) -> Iterable[Any]:
    if isinstance(data, Mapping):
        for value in data.values():
            yield from _leaves(value)
    elif isinstance(data, (list, tuple)):
        for value in data:
            yield from _leaves(value)
    else:
        yield data


@dataclass(frozen=True)
class ExecutionSignature:
    """The structural fingerprint of an execution."""

    kind: str
    file_types: tuple[str, ...]
    tools: tuple[str, ...]
    input_shape: tuple[tuple[str, str], ...]
    output_shape: tuple[tuple[str, str], ...]

    @classmethod
    def of(cls, execution: Execution) -> ExecutionSignature:
        """Compute the signature of `execution`."""
        return cls(
            execution.kind,
            tuple(sorted(execution.file_types)),
            tuple(execution.tools),
            tuple(sorted(shape(execution.inputs).items())),
            tuple(sorted(shape(execution.outputs).items())),
        )

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready form, as stored and as written into pattern specs."""
        return {
            "operation": self.kind,
            "file_types": list(self.file_types),
            "tools": list(self.tools),
            "input_shape": dict(self.input_shape),
            "output_shape": dict(self.output_shape),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ExecutionSignature:
        """Rebuild a signature from `to_dict`'s form."""
        return cls(
            str(data["operation"]),
            tuple(data.get("file_types", ())),
            tuple(data.get("tools", ())),
            tuple(sorted(dict(data.get("input_shape", {})).items())),
            tuple(sorted(dict(data.get("output_shape", {})).items())),
        )

    def digest(self) -> str:
        """A short stable hash; equal signatures have equal digests."""
        text = json.dumps(self.to_dict(), sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(text.encode()).hexdigest()[:16]

    def similarity(self, other: ExecutionSignature) -> float:
        """Score from 0 to 1 how alike two signatures are (1.0 when equal).

        Different operation kinds never match. Otherwise the score weighs the
        input shape most (what the work was given), then tools, outputs and
        file types, each compared by Jaccard similarity of its items.
        """
        if self.kind != other.kind:
            return 0.0
        parts = (
            (0.4, _jaccard(self.input_shape, other.input_shape)),
            (0.25, _sequence_similarity(self.tools, other.tools)),
            (0.2, _jaccard(self.output_shape, other.output_shape)),
            (0.15, _jaccard(self.file_types, other.file_types)),
        )
        return round(sum(weight * score for weight, score in parts), 6)


def _jaccard(left: Iterable[Any], right: Iterable[Any]) -> float:
    a, b = set(left), set(right)
    if not a and not b:
        return 1.0
    return len(a & b) / len(a | b)


def _sequence_similarity(left: tuple[str, ...], right: tuple[str, ...]) -> float:
    if left == right:
        return 1.0
    from difflib import SequenceMatcher

    return SequenceMatcher(a=left, b=right, autojunk=False).ratio()
