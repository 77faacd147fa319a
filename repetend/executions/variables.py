"""Infer invariants and variables from the inputs (or outputs) of several examples.

A key whose value is the same in every example is an invariant; a key whose
value differs is a variable, described by its type, a few examples, whether
every example has it, and, for strings that share a shape, a value pattern
such as `test_{n}.txt`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from repetend.shapes import flatten, looks_like_path, value_type

MAX_EXAMPLES = 5
MAX_EXAMPLE_LENGTH = 80
_MISSING = object()
_CLASSES = (
    ("{n}", re.compile(r"\d+")),
    ("{word}", re.compile(r"[A-Za-z]+")),
    ("{name}", re.compile(r"[\w\-]+")),
)


@dataclass
class Inference:
    """Invariants and variables of a set of examples, and how complete the examples are."""

    invariants: dict[str, Any] = field(default_factory=dict)
    variables: dict[str, dict[str, Any]] = field(default_factory=dict)
    completeness: float = 1.0


def infer_variables(examples: Sequence[Mapping[str, Any]]) -> Inference:
    """Split the keys of `examples` into invariants and variables."""
    flat = [flatten(example) for example in examples]
    keys = list(dict.fromkeys(key for example in flat for key in example))
    result = Inference()
    if not keys:
        return result
    complete = 0
    for key in keys:
        values = [example.get(key, _MISSING) for example in flat]
        present = [value for value in values if value is not _MISSING]
        required = len(present) == len(values)
        complete += required
        if required and all(_same(value, present[0]) for value in present):
            result.invariants[key] = present[0]
        else:
            result.variables[key] = describe_variable(present, required)
    result.completeness = complete / len(keys)
    return result


def describe_variable(values: Sequence[Any], required: bool) -> dict[str, Any]:
    """Type, examples, requiredness and (for strings) the value pattern of one variable."""
    types = sorted({value_type(value) for value in values})
    described: dict[str, Any] = {
        "type": types[0] if len(types) == 1 else " | ".join(types),
        "required": required,
        "examples": _examples(values),
    }
    strings = [value for value in values if isinstance(value, str)]
    if strings and len(strings) == len(values):
        if all(looks_like_path(value) for value in strings):
            described["type"] = "path"
        pattern = value_pattern(strings)
        if pattern:
            described["pattern"] = pattern
    return described


def value_pattern(values: Sequence[str]) -> str:
    """The shape several strings share, such as `test_{n}.txt`, or '' when they share none."""
    distinct = list(dict.fromkeys(values))
    if len(distinct) < 2 or any("\n" in v for v in distinct):
        return ""
    prefix = common_prefix(distinct)
    suffix = common_prefix([v[len(prefix) :][::-1] for v in distinct])[::-1]
    prefix = prefix.rstrip("0123456789")
    suffix = suffix.lstrip("0123456789")
    if not prefix and not suffix:
        return ""
    middles = [v[len(prefix) : len(v) - len(suffix)] for v in distinct]
    for placeholder, shape in _CLASSES:
        if all(shape.fullmatch(middle) for middle in middles):
            return f"{_escape(prefix)}{placeholder}{_escape(suffix)}"
    return ""


def common_prefix(values: Sequence[str]) -> str:
    """The longest string every value starts with (character by character, not by path part)."""
    if not values:
        return ""
    shortest, longest = min(values), max(values)
    for index, char in enumerate(shortest):
        if char != longest[index]:
            return shortest[:index]
    return shortest


def _escape(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


def _same(left: Any, right: Any) -> bool:
    return type(left) is type(right) and bool(left == right)


def _examples(values: Sequence[Any]) -> list[Any]:
    shown: list[Any] = []
    for value in values:
        short = _shorten(value)
        if short not in shown:
            shown.append(short)
        if len(shown) == MAX_EXAMPLES:
            break
    return shown


def _shorten(value: Any) -> Any:
    if isinstance(value, str) and len(value) > MAX_EXAMPLE_LENGTH:
        return value[: MAX_EXAMPLE_LENGTH - 1] + "…"
    if isinstance(value, (list, dict)):
        text = repr(value)
        return text if len(text) <= MAX_EXAMPLE_LENGTH else text[: MAX_EXAMPLE_LENGTH - 1] + "…"
    return value
