"""A Jinja2 sandbox that also bounds what one expression may build.

Jinja2's sandbox stops a template reaching Python's internals, but not
`{{ 'x' * 10**10 }}`, which asks for ten gigabytes and hangs the machine.
Here `*` and `**` are checked before they run: a string or list longer than
`MAX_OUTPUT`, or a power with a huge result, is a `SecurityError` (one line,
never a hang). `apply` bounds the rendered text and the time as well.
"""

from __future__ import annotations

import math
from typing import Any

from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

MAX_OUTPUT = 1 << 20  # characters a rendered file (or one built value) may have
MAX_DIGITS = 4300  # Python's own limit for turning a huge int into text


class BoundedSandbox(SandboxedEnvironment):
    """The sandbox, with `*` and `**` refused when their result would be huge."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        """Run `left OPERATOR right` unless its result would be too large."""
        if operator == "*":
            _check_repeat(left, right)
        elif operator == "**":
            _check_power(left, right)
        return super().call_binop(context, operator, left, right)


def _check_repeat(left: Any, right: Any) -> None:
    for sequence, count in ((left, right), (right, left)):
        repeated = isinstance(sequence, (str, list, tuple)) and isinstance(count, int)
        if repeated and len(sequence) * count > MAX_OUTPUT:
            raise SecurityError(f"a value of more than {MAX_OUTPUT} characters or items")


def _check_power(base: Any, exponent: Any) -> None:
    numbers = all(isinstance(n, (int, float)) and not isinstance(n, bool) for n in (base, exponent))
    if numbers and abs(base) > 1 and exponent > 0:
        digits = exponent * math.log10(abs(base))
        if digits > MAX_DIGITS:
            raise SecurityError(f"a number of more than {MAX_DIGITS} digits")
