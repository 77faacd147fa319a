"""Command capture: `run`, `shell-init` and the shell hooks' background `shell-flush`."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app
from repetend.config import Config
from repetend.errors import ConfigError


@click.command(context_settings={"ignore_unknown_options": True, "allow_interspersed_args": False})
@click.option("--actor", type=click.Choice(["human", "agent"]), help="Who runs it (default: auto).")
@click.option("--session", default="", help="Group with other commands (default: this terminal).")
@click.argument("command", nargs=-1, required=True, type=click.UNPROCESSED)
@pass_app
def run(app: AppContext, actor: str | None, session: str, command: tuple[str, ...]) -> None:
    """Run a command and record it: command line, folder, exit status, duration, files changed.

    Its output, input and exit status pass through untouched, and signals sent
    to repetend reach the command. Secrets in the command line are redacted
    before storage; commands matching `ignore_commands` are not stored.

    \b
    Example:
      repetend run -- make test
      repetend run -- pytest -x tests/
    """
    from repetend.capture.commands import (
        command_event,
        default_actor,
        default_session,
        is_ignored,
        run_command,
    )
    from repetend.capture.record import record_events

    argv = list(command)
    config = _capture_config(app)
    recorded = not config.disabled and not is_ignored(shlex.join(argv), config.ignore_commands)
    keep = recorded and bool(config.failure_evidence)
    done = run_command(argv, Path.cwd(), None if config.disabled else config.root, keep_stderr=keep)
    if recorded:
        event = command_event(
            done, session or default_session(), actor or default_actor(), config.root
        )
        stored = record_events([event], root=config.root)
        if stored:
            _after_command(config, event.payload)
    raise click.exceptions.Exit(done.exit_status)


def _after_command(config: Config, payload: dict[str, object]) -> None:
    """After a failure: say a known fix, mark it; after a success that follows one: learn."""
    from repetend.capture import learn

    failure = payload.get("failure")
    if not isinstance(failure, dict):
        if config.learn_in_background:
            window = 60.0 * float(config.recovery_window_minutes)
            learn.learn_after_success(
                config.state_dir, config.root, window, str(payload.get("command", ""))
            )
        return
    learn.note_failure(config.state_dir, str(payload.get("command", "")))
    from repetend.failures.known import hint, read_known

    line = hint(read_known(config.state_dir), failure, "`repetend heal --last` applies it")
    if line:
        click.echo(f"repetend: {line}", err=True)


def _capture_config(app: AppContext) -> Config:
    """The configuration, or (a bad one: one warning) the defaults: the command always runs."""
    from repetend.capture.record import capture_config

    try:
        return app.config
    except ConfigError:
        return capture_config(app.root)


@click.command("shell-init")
@click.argument("shell", type=click.Choice(["bash", "zsh", "fish"]))
def shell_init(shell: str) -> None:
    """Print the shell integration that records every command you type.

    Add it to your shell's start-up file. At each prompt it only appends one
    line to a spool file (no Python runs while you wait); every 20 commands a
    background `repetend shell-flush` stores them in the repository each ran in.
    A command matching `ignore_commands` is not stored, nor one typed with a
    leading space: in zsh and fish always, in bash when HISTCONTROL has
    ignorespace (bash records what it keeps in its history).

    \b
    Examples:
      echo 'eval "$(repetend shell-init bash)"' >> ~/.bashrc
      echo 'eval "$(repetend shell-init zsh)"' >> ~/.zshrc
      echo 'repetend shell-init fish | source' >> ~/.config/fish/config.fish
    """
    from repetend.capture.shell_scripts import shell_script

    click.echo(shell_script(shell, shlex.quote(sys.executable)), nl=False)


@click.command("shell-flush")
@json_option
def shell_flush(as_json: bool) -> None:
    """Store the commands the shell integration spooled (run for you in the background).

    \b
    Example:
      repetend shell-flush     # after a session, to see its commands in `repetend status`
    """
    from repetend.capture.shell import flush

    report = flush()
    if as_json:
        emit_json(report.__dict__)
        return
    total = sum(report.stored.values())
    click.echo(
        f"stored {total} command(s) in {len(report.stored)} repository(ies);"
        f" {report.ignored} ignored, {report.outside} outside any repository,"
        f" {report.malformed} unreadable line(s)"
    )


COMMANDS = (run, shell_init, shell_flush)
