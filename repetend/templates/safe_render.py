"""Render a template within bounds of time and size, every failure one line naming it."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from jinja2.exceptions import TemplateError, UndefinedError

from repetend.errors import UsageError
from repetend.templates.bounded import MAX_OUTPUT
from repetend.templates.parts import render

RENDER_SECONDS = 10.0


class _TooSlow(Exception):
    """Rendering ran past `RENDER_SECONDS`."""


def bounded_render(template_id: str, source: str, values: dict[str, Any]) -> str:
    """Render in the sandbox within `RENDER_SECONDS` and `MAX_OUTPUT` characters.

    Whatever a hand-edited template does (`{% include %}`, a huge `range()`, a
    value of ten gigabytes, a loop without end), the result is one line naming
    the template, never an internal error or a hang.
    """
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
