"""Agent and stream ingestion: `ingest claude-code` and `ingest jsonl`."""

from __future__ import annotations

import json
import shlex
import sys
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
@pass_app
def claude_code(app: AppContext, print_config: bool) -> None:
    """Store one Claude Code hook payload read from stdin (run by the agent's hooks).

    Pre- and post-tool-use payloads are paired by tool_use_id for the duration
    and outcome. It always exits 0 and prints nothing on stdout, so the agent is
    never blocked; a payload it cannot use costs one line on stderr.

    \b
    Example (in .claude/settings.json, from --print-config):
      {"hooks": {"PostToolUse": [{"matcher": "*", "hooks":
          [{"type": "command", "command": "repetend ingest claude-code"}]}], ...}}
    """
    from repetend.capture.agent import hooks_config, store_payload

    if print_config:
        # The hooks run the light entry point (no command-line parsing, fewer imports), started
        # so that nothing in the project's folder can shadow a module (never `python -m`).
        from repetend.launch import isolated_argv

        command = shlex.join(isolated_argv(sys.executable, "repetend.capture.agent"))
        click.echo(json.dumps(hooks_config(command), indent=2))
        return
    try:
        store_payload(sys.stdin.read(), app.root)  # a bad config: one warning, the defaults
    except Exception as error:  # never block the agent: one line, exit 0
        click.echo(f"repetend: claude-code hook not recorded: {error}", err=True)


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
