"""The `repetend` command line: parse, dispatch, and turn errors into exit codes.

The top layer: it may import every package below it and does no work itself.

Exit codes: 0 done, 1 a known error (one line on stderr), 2 bad usage or
configuration, 3 a bug (the traceback goes to a log file that the message
names), 130 interrupted. A reader that closes the pipe early (`| head -1`) ends
the command quietly with 1, as click does.

Every start pays only for the command it runs: a built-in command's module is
imported when that command is asked for (`BUILTIN_COMMANDS` keeps each one's
summary for `repetend --help`, checked against the command itself by a test),
and plugins are loaded for their commands (`repetend_register_commands`) only
when a distribution other than repetend registers plugins.
"""

from __future__ import annotations

import importlib
import traceback
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

import click

from repetend.cli.context import AppContext
from repetend.errors import DISK_FULL, RepetendError, disk_full

# Each built-in command: the module whose COMMANDS holds it, and its summary line.
BUILTIN_COMMANDS: dict[str, tuple[str, str]] = {
    "init": (
        "repetend.cli.core",
        "Set up .repetend/ in this repository: the store, pattern folders and a config file.",
    ),
    "status": ("repetend.cli.core", "Show what has been captured and proposed in this repository."),
    "config": ("repetend.cli.core", "Show every setting's effective value and where it came from."),
    "plugins": (
        "repetend.cli.core",
        "List the loaded plugins: where each comes from and which hooks it implements.",
    ),
    "purge": (
        "repetend.cli.core",
        "Remove events, executions, audit entries and unpaired agent tool starts past retention.",
    ),
    "detect": (
        "repetend.cli.candidates",
        "Run every detector now over the captured evidence and propose candidates.",
    ),
    "candidates": ("repetend.cli.candidates", "Review what the detectors proposed."),
    "review": (
        "repetend.cli.review",
        "Step through pending candidates and approve, reject, skip or quarantine each.",
    ),
    "mine": (
        "repetend.cli.templates",
        "Find families of files made to the same shape and learn a template for each.",
    ),
    "templates": (
        "repetend.cli.templates",
        "List and show the file templates `repetend mine` learned.",
    ),
    "apply": ("repetend.cli.templates", "Render new files from a template."),
    "export": (
        "repetend.cli.templates",
        "Export a template for another tool (Copier: copier.yml with a question per variable).",
    ),
    "sync": (
        "repetend.cli.sync",
        "Push this machine's captured events to the team store (`team_store`), each once.",
    ),
    "hooks": (
        "repetend.cli.hooks",
        "Capture at `git commit`: install, remove and inspect repetend's git hooks.",
    ),
    "watch": (
        "repetend.cli.watch",
        "Watch PATH (default: the repository) and suggest templates as files appear.",
    ),
    "run": (
        "repetend.cli.run",
        "Run a command and record it: command line, folder, exit status, duration, files changed.",
    ),
    "shell-init": (
        "repetend.cli.run",
        "Print the shell integration that records every command you type.",
    ),
    "shell-flush": (
        "repetend.cli.run",
        "Store the commands the shell integration spooled (run for you in the background).",
    ),
    "ingest": (
        "repetend.cli.ingest",
        "Store events that other tools report: AI agents' tool uses, any JSONL stream.",
    ),
    "events": (
        "repetend.cli.events",
        "Show what was captured: commits, tests, commands, tool uses, suggestions.",
    ),
    "log": ("repetend.cli.events", "The same as `repetend events`: what was captured."),
    "validate": (
        "repetend.cli.validate",
        "Check pattern specs and template folders: schema, files, ids, and the ground truth.",
    ),
    "report": (
        "repetend.cli.reports",
        "Write the weekly report of pattern use to .repetend/reports/weekly/.",
    ),
    "archive": (
        "repetend.cli.reports",
        "Archive approved patterns nobody has used for a while (a dry run without --apply).",
    ),
    "analyze": (
        "repetend.cli.analyze",
        "Find command and tool-use sequences you repeat, and propose automating them.",
    ),
    "recipes": (
        "repetend.cli.recipes",
        "Run approved command recipes (sequence and execution patterns) as one command.",
    ),
    "dashboard": (
        "repetend.cli.dashboard",
        "Serve the web dashboard: patterns, their use, candidates to review, live activity.",
    ),
}


class CommandError(click.ClickException):
    """A one-line error with the exit code of the `RepetendError` it came from."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code  # type: ignore[misc]  # click declares it per class; ours varies

    def show(self, file: IO[Any] | None = None) -> None:
        """Print `repetend: error: …` on stderr."""
        click.echo(f"repetend: error: {self.format_message()}", err=True, file=file)


class RepetendGroup(click.Group):
    """A group that imports commands when they are asked for and maps errors to exit codes."""

    _loaded_from: object = None

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Every command name, plugins' included."""
        self._load_plugin_commands()
        return sorted({*BUILTIN_COMMANDS, *self.commands})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Find a command: import its module if it is built in, else load plugin commands."""
        if cmd_name not in self.commands and cmd_name in BUILTIN_COMMANDS:
            for command in importlib.import_module(BUILTIN_COMMANDS[cmd_name][0]).COMMANDS:
                self.commands.setdefault(str(command.name), command)
        found = super().get_command(ctx, cmd_name)
        if found is None:
            self._load_plugin_commands()
            found = super().get_command(ctx, cmd_name)
        return found

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `--help`, built-ins from their summaries (nothing imported)."""
        summaries: dict[str, str] = {}
        for name in self.list_commands(ctx):
            if name in BUILTIN_COMMANDS and name not in self.commands:
                summaries[name] = BUILTIN_COMMANDS[name][1]
            elif (command := self.get_command(ctx, name)) is not None and not command.hidden:
                summaries[name] = command.short_help or command.help or ""
        if summaries:
            limit = formatter.width - 6 - max(map(len, summaries))
            rows = [(n, _short(text, limit)) for n, text in summaries.items()]
            with formatter.section("Commands"):
                formatter.write_dl(rows)

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
        except OSError as error:
            if not disk_full(error):
                raise CommandError(_log_bug(error), 3) from error
            # Every write is atomic (a temporary file, then a rename): the one that failed left
            # nothing, and those done before it are whole; a re-run completes.
            where = f"{error.filename}: " if error.filename else ""
            raise CommandError(f"{where}{DISK_FULL}; nothing half-written was left", 1) from error
        except Exception as error:  # the edge: a bug becomes exit 3 with the traceback kept
            raise CommandError(_log_bug(error), 3) from error

    def _load_plugin_commands(self) -> None:
        if not _third_party_plugins():  # the built-in plugins add no commands
            return
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
    drain = _drain_spooled_commits if context.invoked_subcommand != "hooks" else None
    context.obj = AppContext(root, overrides, on_store_open=drain)
    context.call_on_close(context.obj.close)


def _drain_spooled_commits(app: AppContext) -> None:
    """Ingest the commits the post-commit hook spooled, so the command sees them."""
    from repetend.cli.hooks import drain_before_command

    drain_before_command(app)


def _short(summary: str, limit: int) -> str:
    """`summary` cut to `limit` the way click shortens a command's help for the list."""
    return click.Command(None, help=summary).get_short_help_str(limit)


def _third_party_plugins() -> bool:
    """Whether any installed distribution other than repetend registers plugins."""
    from repetend.plugins.entry_point_cache import plugin_points

    return any(point.distribution != "repetend" for point in plugin_points("repetend"))


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    try:
        cli.main(args=list(argv) if argv is not None else None, prog_name="repetend")
    except SystemExit as done:
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0


def _log_bug(error: Exception) -> str:
    # Never a fixed name in a shared folder: under .repetend/logs/ where the repository has
    # one, else the user's cache folder; a new 0600 file each time (see private_files).
    from repetend.config import STATE_DIR, find_root
    from repetend.private_files import user_cache_dir, write_log

    state = find_root() / STATE_DIR
    folder = state / "logs" if state.is_dir() else user_cache_dir() / "logs"
    try:
        log = write_log(folder, "error", traceback.format_exc())
        where = f" (traceback in {log})"
    except OSError:
        where = ""
    return f"internal error: {type(error).__name__}: {error}{where}"
