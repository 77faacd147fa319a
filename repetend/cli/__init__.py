"""The `repetend` command line: parse, dispatch, and turn errors into exit codes.

Exit codes: 0 done, 1 a known error (one line on stderr), 2 bad usage or
configuration, 3 a bug (the traceback goes to a log file that the message
names), 130 interrupted.
"""

from __future__ import annotations

import sys
import tempfile
import traceback
from collections.abc import Sequence
from pathlib import Path

import click

from repetend.cli.context import AppContext
from repetend.errors import RepetendError

BUILTIN_COMMAND_MODULES = (
    "repetend.cli.core",
    "repetend.cli.candidates",
    "repetend.cli.run",
    "repetend.cli.ingest",
    "repetend.cli.analyze",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    envvar="REPETEND_STORE",
    help="The event store (default: .repetend/repetend.db; also REPETEND_STORE).",
)
@click.pass_context
def cli(context: click.Context, root: Path | None, store: str | None) -> None:
    """repetend finds the work you repeat and turns it into reviewed automation.

    \b
    Start with:
      repetend init          set up .repetend/ in this repository
      repetend status        what has been captured and proposed
      repetend detect        mine the captured executions now
      repetend candidates list
    """
    overrides = {"store": store} if store else {}
    context.obj = AppContext(root, overrides)
    context.call_on_close(context.obj.close)


def _add_commands() -> None:
    import importlib

    for module_name in BUILTIN_COMMAND_MODULES:
        module = importlib.import_module(module_name)
        for command in module.COMMANDS:
            cli.add_command(command)
    from repetend.plugins.registry import call_hook, get_plugin_manager

    call_hook(get_plugin_manager(), "repetend_register_commands", cli=cli)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    _add_commands()
    try:
        # Without standalone mode click returns the code of `ctx.exit(code)` instead of raising.
        result = cli.main(
            args=list(argv) if argv is not None else None,
            prog_name="repetend",
            standalone_mode=False,
        )
    except click.exceptions.Exit as done:
        return int(done.exit_code)
    except click.ClickException as error:
        error.show()
        return error.exit_code
    except click.Abort:
        click.echo("Aborted.", err=True)
        return 130
    except RepetendError as error:
        click.echo(f"repetend: error: {error}", err=True)
        return error.exit_code
    except KeyboardInterrupt:
        click.echo("Interrupted.", err=True)
        return 130
    except Exception:  # the edge: a bug becomes exit 3 with the traceback kept in a log
        return _report_bug()
    return result if isinstance(result, int) else 0


def _report_bug() -> int:
    log = Path(tempfile.gettempdir()) / "repetend-error.log"
    text = traceback.format_exc()
    try:
        log.write_text(text, encoding="utf-8")
        where = f" (traceback in {log})"
    except OSError:
        where = ""
    last = text.strip().splitlines()[-1]
    click.echo(f"repetend: internal error: {last}{where}", err=True)
    return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
