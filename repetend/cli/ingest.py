"""Agent and stream ingestion: `ingest claude-code` and `ingest jsonl`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import BinaryIO

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app


@click.group()
def ingest() -> None:
    """Store events that other tools report: AI agents' tool uses, any JSONL stream.

    \b
    Examples:
      repetend ingest claude-code --print-config    # hooks for .claude/settings.json
      repetend ingest jsonl events.jsonl
    """


@ingest.command("claude-code")
@click.option("--print-config", is_flag=True, help="Print the hooks block for settings.json.")
@click.option(
    "--install",
    is_flag=True,
    help="Merge the hooks into the project's .claude/settings.json (keeps what is there).",
)
@click.option(
    "--user", is_flag=True, help="With --install or --print-config: ~/.claude/settings.json."
)
@json_option
@pass_app
def claude_code(
    app: AppContext, print_config: bool, install: bool, user: bool, as_json: bool
) -> None:
    """Store one Claude Code hook payload read from stdin (run by the agent's hooks).

    Pre- and post-tool-use payloads are paired by tool_use_id for the duration
    and outcome. It always exits 0 and prints nothing on stdout, so the agent is
    never blocked; a payload it cannot use costs one line on stderr.

    `--install` merges the hooks into the project's `.claude/settings.json`
    (`--user`: `~/.claude/settings.json`): other settings and hooks stay, running
    it again changes nothing. The hook finds Python when it runs (the `repetend`
    on PATH), so the project's file names no path of this machine.

    \b
    Examples:
      repetend ingest claude-code --install            # .claude/settings.json
      repetend ingest claude-code --install --user     # ~/.claude/settings.json
      repetend ingest claude-code --print-config       # the block, to merge by hand
    """
    if print_config and install:
        raise click.UsageError("--print-config prints the block and --install merges it: give one")
    if print_config and as_json:
        raise click.UsageError("--json goes with --install (--print-config prints JSON already)")
    if print_config or install:
        # The hooks run the light entry point (no command-line parsing, fewer imports), started
        # so that nothing in the project's folder can shadow a module (never `python -m`).
        from repetend.capture.agent import hooks_config
        from repetend.capture.agent_settings import agent_command, settings_path

        command = agent_command(shared=not user)
        if print_config:
            click.echo(json.dumps(hooks_config(command), indent=2))
            return
        _install(settings_path(app.config.root, user=user), command, as_json)
        return
    if user or as_json:
        raise click.UsageError("--user and --json go with --install (or --print-config)")
    from repetend.capture.agent import store_payload

    try:
        store_payload(sys.stdin.read(), app.root)  # a bad config: one warning, the defaults
    except Exception as error:  # never block the agent: one line, exit 0
        click.echo(f"repetend: claude-code hook not recorded: {error}", err=True)


def _install(path: Path, command: str, as_json: bool) -> None:
    from repetend.capture.agent_settings import install

    done = install(path, command)
    if as_json:
        emit_json(
            {
                "path": str(path),
                "added": done.added,
                "updated": done.updated,
                "changed": done.changed,
            }
        )
    elif not done.changed:
        click.echo(f"{path}: the repetend hooks are already there; nothing changed")
    else:
        parts = [f"{len(done.added)} added"] + (
            [f"{len(done.updated)} updated"] * bool(done.updated)
        )
        click.echo(f"{path}: repetend hooks merged ({', '.join(parts)}); other hooks kept")


@ingest.command("jsonl")
@click.argument("file", type=click.File("rb"))  # decoded line by line: errors name the line
@json_option
@pass_app
def jsonl(app: AppContext, file: BinaryIO, as_json: bool) -> None:
    """Store every event of a JSON Lines file (`-` reads stdin); one bad line stores nothing.

    Each line is an object with at least "kind" and "session"; see
    docs/capture.md for every field.

    \b
    Example:
      echo '{"kind": "command", "session": "ci-42", "command": "make test",
             "exit_status": 0, "duration_ms": 5100, "time": "2026-11-21T10:00:00Z"}' \\
        | repetend ingest jsonl -
    """
    from repetend.capture.jsonl import parse_lines
    from repetend.capture.record import record_events
    from repetend.errors import StoreError

    events = parse_lines(file.name, file)
    if app.say_if_off():
        return
    if events and not record_events(events, root=app.config.root):
        raise StoreError(f"{file.name}: nothing stored (see the warning above)")
    stored = sum(event.id is not None for event in events)
    already = sum(event.already_stored for event in events)
    if as_json:
        emit_json({"file": file.name, "stored": stored, "already_stored": already})
    else:
        before = f" ({already} already stored)" if already else ""
        click.echo(f"stored {stored} event(s) from {file.name}{before}")


COMMANDS = (ingest,)
