"""`repetend watch [PATH]`: suggestions while you create files, before any commit."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

import click

from repetend.cli.context import AppContext
from repetend.cli.core import pass_app
from repetend.errors import UsageError


@click.command()
@click.argument(
    "path", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--polling", is_flag=True, help="Poll the folder instead of using native events.")
@click.option("--no-prompt", is_flag=True, help="Never offer to fill a file, even in a terminal.")
@pass_app
def watch(app: AppContext, path: Path | None, polling: bool, no_prompt: bool) -> None:
    """Watch PATH (default: the repository) and suggest templates as files appear.

    A created file updates the file index and is shown to the suggesters: a
    file that starts a known family or matches an approved template gets the
    `repetend apply …` command that renders it, and, when it is still empty
    and this is a terminal, an offer to fill it (y / n / show). The same kind
    of file made by hand repeat_threshold times within repeat_window_minutes
    earns a make-a-template suggestion. Git-ignored files, .git, build and
    cache folders and editor temporary files are ignored. Stop with Ctrl-C.

    \b
    Examples:
      repetend watch
      repetend watch src/components --no-prompt
      REPETEND_WATCH_DEBOUNCE_MS=200 repetend watch --polling
    """
    from repetend.suggest.present import SuggestionPresenter
    from repetend.watch.watcher import Watcher

    if app.say_if_off():
        return
    config = app.config
    folder = (path or config.root).resolve()
    if folder != config.root and config.root not in folder.parents:
        raise UsageError(f"{path}: not inside the repository {config.root} (see --root)")
    interactive = not no_prompt and sys.stdin.isatty() and sys.stdout.isatty()
    presenter = SuggestionPresenter(config, app.store, app.manager, interactive, _say)
    watcher = Watcher(folder, config, app.store, app.manager, presenter, _say)
    stop = threading.Event()
    try:
        watcher.run(stop, polling=polling)
    except (KeyboardInterrupt, click.Abort):  # Ctrl-C, also while a fill offer waits
        stop.set()
    _say("repetend: stopped watching")


def _say(text: str) -> None:
    click.echo(text)
    sys.stdout.flush()


COMMANDS = (watch,)
