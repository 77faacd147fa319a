"""`repetend watch [PATH]`: suggestions while you create files, before any commit."""

from __future__ import annotations

import contextlib
import json
import signal
import sys
import threading
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

import click

from repetend.cli.context import AppContext
from repetend.cli.core import pass_app
from repetend.errors import UsageError
from repetend.events import Event, utcnow

if TYPE_CHECKING:
    from repetend.config import Config


@click.command()
@click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--polling", is_flag=True, help="Poll the folder instead of using native events.")
@click.option("--no-prompt", is_flag=True, help="Never offer to fill a file, even in a terminal.")
@click.option(
    "--json",
    "as_json",
    is_flag=True,
    help="Print each event (watching, file-created, suggestion-shown, …) as one JSON line.",
)
@pass_app
def watch(
    app: AppContext, path: Path | None, polling: bool, no_prompt: bool, as_json: bool
) -> None:
    """Watch PATH (default: the repository) and suggest templates as files appear.

    A created file updates the file index and is shown to the suggesters: a
    file that starts a known family or matches an approved template gets the
    `repetend apply …` command that renders it, and, when it is still empty
    and this is a terminal, an offer to fill it (y / n / show). The same kind
    of file made by hand repeat_threshold times within repeat_window_minutes
    earns a make-a-template suggestion. Git-ignored files, .git, build and
    cache folders and editor temporary files are ignored. Stop with Ctrl-C
    (SIGTERM and SIGHUP stop it the same way, unless they are ignored, as
    under nohup). It exits 1 when it cannot go on watching (the folder is
    gone, no observer can watch it), after saying why in one line.

    \b
    Examples:
      repetend watch
      repetend watch src/components --no-prompt
      repetend watch --json | jq -c 'select(.event == "suggestion-shown")'
      REPETEND_WATCH_DEBOUNCE_MS=200 repetend watch --polling
    """
    from repetend.capture.watch.watcher import Watcher
    from repetend.suggest.present import SuggestionPresenter

    if app.say_if_off():
        return
    config = app.config
    folder = (path or config.root).resolve()
    if folder != config.root and config.root not in folder.parents:
        raise UsageError(f"{path}: not inside the repository {config.root} (see --root)")
    interactive = not (no_prompt or as_json) and sys.stdin.isatty() and sys.stdout.isatty()
    say: Callable[[str], None] = _json_say(folder) if as_json else _say
    if as_json:
        app.manager.register(_json_lines(), name="repetend-watch-json")
    presenter = SuggestionPresenter(
        config, app.store, app.manager, interactive, say, record=_suggest_recorder(config.root)
    )
    watcher = Watcher(folder, config, app.store, app.manager, presenter, say)
    stop = threading.Event()
    try:
        with _terminations_interrupt():
            watcher.run(stop, polling=polling)
    except (KeyboardInterrupt, click.Abort):  # Ctrl-C, also while a fill offer waits
        stop.set()
    say("repetend: stopped watching")


@contextlib.contextmanager
def _terminations_interrupt() -> Iterator[None]:
    """SIGTERM and SIGHUP stop the watch the way Ctrl-C does (so does watchmedo).

    A signal already ignored stays ignored: `nohup repetend watch` survives its terminal.
    """
    names = ("SIGTERM", "SIGHUP")
    numbers = [getattr(signal, name) for name in names if hasattr(signal, name)]
    previous = {n: signal.getsignal(n) for n in numbers}
    for number, handler in previous.items():
        if handler == signal.SIG_DFL:
            signal.signal(number, _interrupt)
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _interrupt(number: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _say(text: str) -> None:
    click.echo(text)
    sys.stdout.flush()


def _json_line(document: Mapping[str, Any]) -> None:
    click.echo(json.dumps(document, default=str, ensure_ascii=False))
    sys.stdout.flush()


def _json_say(folder: Path) -> Callable[[str], None]:
    """With --json: the watch's start and end as JSON lines; every other line on stderr."""
    lines = {
        f"repetend: watching {folder} (Ctrl-C to stop)": {"event": "watching", "path": folder},
        "repetend: stopped watching": {"event": "stopped", "path": folder},
    }

    def say(text: str) -> None:
        if text in lines:
            _json_line({**lines[text], "time": utcnow().isoformat(timespec="milliseconds")})
        else:
            click.echo(text, err=True)

    return say


def _json_lines() -> object:
    """A plugin for the length of one `watch --json`: each watch and suggest event, a line."""
    from repetend.plugins import hookimpl  # pluggy, only for --json

    class JsonLines:
        @hookimpl
        def repetend_event_recorded(self, event: Event, config: Config) -> None:
            """Print the event the watcher (or its suggestions) just stored."""
            if event.source in ("watch", "suggest"):
                time = event.created_at.isoformat(timespec="milliseconds")
                _json_line(
                    {"event": event.kind, "source": event.source, "time": time, **event.payload}
                )

    return JsonLines()


COMMANDS = (watch,)


def _suggest_recorder(root: Path) -> Callable[[str, Mapping[str, Any]], object]:
    """Record what the watcher showed, and what the developer did with it, as `suggest` events."""
    from repetend.capture.record import record_event

    return lambda kind, payload: record_event("suggest", kind, payload, root=root)
