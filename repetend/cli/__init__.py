"""The `repetend` command line: parse, dispatch, and turn errors into exit codes.

Exit codes: 0 done, 1 a known error (one line on stderr), 2 bad usage or
configuration, 3 a bug (the traceback goes to a log file that the message
names), 130 interrupted. A reader that closes the pipe early (`| head -1`) ends
the command quietly with 1, as click does. Commands from plugins (`repetend_register_commands`)
are added the first time the command list is needed.
"""

from __future__ import annotations

import importlib
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click

from repetend.cli.context import AppContext
from repetend.errors import RepetendError

BUILTIN_COMMAND_MODULES = (
    "repetend.cli.core",
    "repetend.cli.candidates",
    "repetend.cli.templates",
    "repetend.cli.hooks",
    "repetend.cli.watch",
    "repetend.cli.run",
    "repetend.cli.ingest",
    "repetend.cli.analyze",
)


class CommandError(click.ClickException):
    """A one-line error with the exit code of the `RepetendError` it came from."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class; ours varies

    def show(self, file: IO[Any] | None = None) -> None:
        """Print `repetend: error: …` on stderr."""
        click.echo(f"repetend: error: {self.format_message()}", err=True, file=file)


class RepetendGroup(click.Group):
    """A group that loads plugin commands lazily and maps errors to exit codes."""

    _loaded_from: object = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, plugins' included."""
        self._load_plugin_commands()
        return super().list_commands(ctx)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a command, loading plugin commands if it is not built in."""
        found = super().get_command(ctx, cmd_name)
        if found is None:
            self._load_plugin_commands()
            found = super().get_command(ctx, cmd_name)
        return found

    def invoke(self, ctx: click.Context) -> Any:
        """Run the command; known errors become one line, bugs exit 3 with a log."""
        try:
            return super().invoke(ctx)
        except RepetendError as error:
            raise CommandError(str(error), error.exit_code) from error
        except KeyboardInterrupt:
            raise CommandError("interrupted", 130) from None
        except (click.ClickException, click.exceptions.Exit, click.Abort, BrokenPipeError):
            raise  # click ends a closed stdout (`repetend status | head -1`) quietly, with 1
        except Exception as error:  # the edge: a bug becomes exit 3 with the traceback kept
            raise CommandError(_log_bug(error), 3) from error

    def _load_plugin_commands(self) -> None:
        from repetend.plugins.registry import call_hook, get_plugin_manager

        manager = get_plugin_manager()
        if manager is not self._loaded_from:  # plugins were (re)loaded since
            self._loaded_from = manager
            call_hook(manager, "repetend_register_commands", cli=self)


@click.group(
    cls=RepetendGroup,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
)
@click.version_option(package_name="repetend", message="repetend %(version)s")
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=Path),
    help="The repository to work on (default: the one containing the current folder).",
)
@click.option(
    "--store",
    "store",
    metavar="PATH",
    help="The event store file (default: .repetend/repetend.db; also REPETEND_STORE).",
)
@click.pass_context
def cli(context: click.Context, root: Path | None, store: str | None) -> None:
    """repetend finds the work you repeat and turns it into reviewed automation.

    \b
    Start with:
      repetend mine .               learn templates for the files you keep writing
      repetend hooks install        capture at every git commit
      repetend watch                suggest a template as you create files
      repetend analyze --hours 24   find the command sequences you repeat
      repetend detect               mine the executions your programs recorded
      repetend candidates list      review what was proposed
      repetend status               what has been captured and proposed
    """
    overrides = {"store": store} if store else {}
    context.obj = AppContext(root, overrides)
    context.call_on_close(context.obj.close)
    if context.invoked_subcommand != "hooks":
        from repetend.cli.hooks import drain_before_command

        drain_before_command(context.obj)


for _module in BUILTIN_COMMAND_MODULES:
    for _command in importlib.import_module(_module).COMMANDS:
        cli.add_command(_command)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="repetend")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def _log_bug(error: Exception) -> str:
    log = Path(tempfile.gettempdir()) / "repetend-error.log"
    try:
        log.write_text(traceback.format_exc(), encoding="utf-8")
        where = f" (traceback in {log})"
    except OSError:
        where = ""
    return f"internal error: {type(error).__name__}: {error}{where}"
