"""A Jinja2 sandbox that also bounds what one expression may build.

Jinja2's sandbox stops a template reaching Python's internals, but not
`{{ 'x' * 10**10 }}`, which asks for ten gigabytes and hangs the machine.
Here `*` and `**` are checked before they run: a string or list longer than
`MAX_OUTPUT`, or a power with a huge result, is a `SecurityError` (one line,
never a hang). `apply` bounds the rendered text and the time as well.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import SecurityError, TemplateError, UndefinedError
from jinja2.sandbox import SandboxedEnvironment

from repetend.errors import UsageError

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


RENDER_SECONDS = 10.0


class _TooSlow(Exception):
    """Rendering ran past `RENDER_SECONDS`."""


def bounded_render(template_id: str, source: str, values: dict[str, Any]) -> str:
    """Render in the sandbox within `RENDER_SECONDS` and `MAX_OUTPUT` characters.

    Whatever a hand-edited template does (`{% include %}`, a huge `range()`, a
    value of ten gigabytes, a loop without end), the result is one line naming
    the template, never an internal error or a hang.
    """
    from repetend.templates.parts import render  # parts builds its sandbox from this module

    try:
        with _time_limit(RENDER_SECONDS):
            text = render(source, values)
    except UndefinedError as error:
        raise UsageError(
            f"{template_id}: missing variable for a section that is on ({error.message};"
            " set it with --set NAME=…)"
        ) from error
    except (TemplateError, _TooSlow, ArithmeticError, RecursionError, MemoryError) as error:
        raise UsageError(
            f"{template_id}: cannot render ({error or type(error).__name__})"
        ) from error
    except (TypeError, ValueError) as error:  # a filter or method given what it cannot take
        raise UsageError(f"{template_id}: cannot render ({error})") from error
    if len(text) > MAX_OUTPUT:
        raise UsageError(f"{template_id}: refused: renders more than {MAX_OUTPUT} characters")
    return text


@contextmanager
def _time_limit(seconds: float) -> Iterator[None]:
    import signal
    import threading

    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGALRM"):
        yield  # only the main thread can take a timer signal: bounded by size alone
        return

    def too_slow(signum: int, frame: object) -> None:
        raise _TooSlow(f"took more than {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, too_slow)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
