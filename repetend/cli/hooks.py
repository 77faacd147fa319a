"""`repetend hooks install|uninstall|status|run|drain`: capture at `git commit`."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, TextIO

import click

from repetend.capture.git import install as installer
from repetend.capture.git.spool import enqueue, pending
from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.errors import ConfigError, RepetendError


@click.group()
def hooks() -> None:
    """Capture at `git commit`: install, remove and inspect repetend's git hooks.

    The post-commit hook records each commit and updates the file index in the
    background; the pre-commit hook warns when a new file misses what its
    approved template requires, and proposes a template when new files form a
    family. Existing hooks are kept and run first.

    \b
    Examples:
      repetend hooks install
      repetend hooks status --json
      repetend hooks uninstall
    """


@hooks.command()
@click.option(
    "--python",
    "python",
    type=click.Path(dir_okay=False, path_type=Path),
    help="The interpreter the hooks run (default: the one running this command).",
)
@json_option
@pass_app
def install(app: AppContext, python: Path | None, as_json: bool) -> None:
    """Write the pre-commit and post-commit hooks (honouring core.hooksPath).

    A hook already there is moved aside to `<hook>.repetend-chained` and runs
    first; `repetend hooks uninstall` puts it back. Safe to run again.

    \b
    Example:
      repetend hooks install && git commit -m "..."
    """
    app.store  # noqa: B018 - creates .repetend/ and its .gitignore before the first spool write
    states = installer.install(app.config.root, str(python.absolute()) if python else None)
    if as_json:
        emit_json([_row(state) for state in states])
        return
    for state in states:
        extra = f" (runs the previous hook first: {state.chained.name})" if state.chained else ""
        click.echo(f"{state.hook}: installed at {state.path}{extra}")


@hooks.command()
@json_option
@pass_app
def uninstall(app: AppContext, as_json: bool) -> None:
    """Remove repetend's hooks and restore exactly the hooks that were there before.

    \b
    Example:
      repetend hooks uninstall
    """
    done = installer.uninstall(app.config.root)
    if as_json:
        emit_json([{"hook": hook, "done": what} for hook, what in done])
        return
    for hook, what in done:
        click.echo(f"{hook}: {what}")


@hooks.command("status")
@json_option
@pass_app
def hooks_status(app: AppContext, as_json: bool) -> None:
    """Show each hook's state: installed, chained, foreign (not ours) or absent.

    \b
    Example:
      repetend hooks status
    """
    states = installer.status(app.config.root)
    waiting = len(pending(app.config.state_dir))
    rows = [_row(state) for state in states]
    if as_json:
        emit_json({"hooks": rows, "spooled_commits": waiting})
        return
    click.echo(
        table(
            ("hook", "state", "path", "chains"),
            [(r["hook"], r["state"], r["path"], r["chained"] or "-") for r in rows],
        )
    )
    for row in rows:
        if row["python"] and not row["python_found"]:
            click.echo(f"warning: {row['hook']} runs {row['python']}, which is gone; reinstall")
    click.echo(f"commits waiting to be ingested: {waiting}")


def _row(state: installer.HookState) -> dict[str, Any]:
    return {
        "hook": state.hook,
        "state": state.state,
        "path": str(state.path),
        "chained": str(state.chained) if state.chained else "",
        "python": state.python,
        "python_found": bool(state.python) and Path(state.python).exists(),
    }


@hooks.command("run")
@click.argument("hook", type=click.Choice(["pre-commit", "post-commit"]))
@pass_app
def run_hook(app: AppContext, hook: str) -> None:
    """Run one hook's work now (what the pre-commit framework calls).

    \b
    Example (.pre-commit-config.yaml entry runs this):
      repetend hooks run pre-commit
    """
    if app.config.disabled:
        return
    if hook == "pre-commit":
        from repetend.capture.git.quick_check import main
        from repetend.capture.git.scripts import STRICT_BLOCK

        if main() == STRICT_BLOCK:
            click.get_current_context().exit(1)
        return
    _spool_head(app)


def _spool_head(app: AppContext) -> None:
    try:
        head = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=app.config.root, capture_output=True, check=True
        )
        enqueue(app.config.state_dir, head.stdout.decode().strip())
        start_drain(app.config.root)
    except (OSError, subprocess.CalledProcessError) as error:  # capture fails open
        click.echo(f"repetend: commit not recorded ({error})", err=True)


def start_drain(root: Path) -> None:
    """Start a detached `repetend hooks drain` that prints on the terminal, if there is one."""
    from repetend.launch import isolated_argv

    output = _terminal_or_log(root)
    with output:
        subprocess.Popen(
            isolated_argv(sys.executable, "repetend.capture.git.drain", "--quiet"),
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=output,
            start_new_session=True,
        )


def _terminal_or_log(root: Path) -> TextIO:
    # The framework captures hook output, so the drain writes to the terminal itself.
    from repetend.private_files import append_private

    try:
        return open("/dev/tty", "w")  # handed to the child, closed by `with`
    except OSError:
        return append_private(root / ".repetend" / "logs" / "hooks.log")


@hooks.command("drain")
@click.option("--quiet", is_flag=True, help="Print only proposals and warnings.")
@json_option
@pass_app
def drain_command(app: AppContext, quiet: bool, as_json: bool) -> None:
    """Ingest the commits the post-commit hook spooled (the hook starts this itself).

    Also stores the events that capture points spooled while the store was
    locked. Each commit waits at most `capture_timeout` for a locked store; a
    commit not ingested in time stays in the spool for the next drain.

    \b
    Example:
      repetend hooks drain
    """
    from repetend.capture.git.drain import drain_here
    from repetend.capture.record import capture_config

    try:
        config = app.config
    except ConfigError:  # a drain is capture: warn once, go on with the defaults
        config = capture_config(app.root)
    done = drain_here(config.root, config)
    if done is None:  # off, or the store stayed busy (said already)
        return
    if as_json:
        emit_json({"ingested": done})
    elif not quiet:
        click.echo(f"ingested {done} commit(s)")


def drain_before_command(app: AppContext) -> None:
    """Ingest spooled commits before another command runs, so it sees them (fails open)."""
    try:
        from repetend.capture.git.postcommit import drain_spools, spooled

        if app.config.disabled or not spooled(app.config):
            return
        drain_spools(app.store, app.config, app.manager)
    except RepetendError:
        return  # the command itself reports a bad configuration or store, in its own words
    except Exception as error:  # capture fails open: the command asked for matters more
        click.echo(f"repetend: warning: spooled commits not ingested ({error})", err=True)


COMMANDS = (hooks,)
