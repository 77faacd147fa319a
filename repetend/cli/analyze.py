"""The daily sequence analysis: `repetend analyze`."""

from __future__ import annotations

import sys
from collections.abc import Callable

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app
from repetend.cli.scope import scope_from, scope_options

NOTIFICATION_LOG = "logs/notifications.log"


@click.command()
@click.option("--hours", type=click.FloatRange(min=0.01), default=24.0, show_default=True,
              help="Analyse the events of this many past hours.")  # fmt: skip
@click.option("--min-occurrences", type=click.IntRange(min=2), default=2, show_default=True,
              help="A sequence must occur at least this often.")  # fmt: skip
@click.option("--dry-run", is_flag=True, help="Classify and print, store nothing.")
@click.option("--report", is_flag=True, help="Write a Markdown report to .repetend/reports/.")
@click.option("--notify", is_flag=True,
              help=f"Log new pending patterns to .repetend/{NOTIFICATION_LOG}.")  # fmt: skip
@click.option("--verbose", "-v", is_flag=True, help="Show every sequence and its verdict.")
@scope_options
@json_option
@pass_app
def analyze(
    app: AppContext,
    hours: float,
    min_occurrences: int,
    dry_run: bool,
    report: bool,
    notify: bool,
    verbose: bool,
    as_json: bool,
    scope_user: str,
    scope_machine: str,
    scope_remote: str,
    scope_branch: str,
) -> None:
    """Find command and tool-use sequences you repeat, and propose automating them.

    Sequences are mined per session (a terminal, an agent conversation),
    contiguous (A → B → C) and gapped (A … B, other steps in between). Each
    gets a confidence (how unlikely its repetition is by chance), estimated
    savings, and the automation to make of it. Candidates are classified
    (auto-approve, pending, auto-reject) and written to .repetend/patterns/;
    a sequence seen before updates its pattern.

    On a team store (`--store postgresql://…`), --user/--machine/--remote/
    --branch analyse one person's events; without them, the whole team's.

    \b
    Examples:
      repetend analyze --dry-run --verbose
      repetend analyze --hours 24 --min-occurrences 3 --report --notify
      repetend --store "$TEAM_STORE" analyze --user ana --dry-run
    """
    from repetend.sequences.analysis import analyze as run_analysis
    from repetend.sequences.report import log_notifications, summary, to_json, write_report

    if app.say_if_off():
        return
    config = app.config
    scope = scope_from(scope_user, scope_machine, scope_remote, scope_branch)
    who = scope.who(app.store, config)
    result = run_analysis(
        app.store,
        config,
        app.manager,
        hours=hours,
        min_occurrences=min_occurrences,
        dry_run=dry_run,
        progress=_progress(verbose),
        who=who,
    )
    path = write_report(result, config.state_dir / "reports") if report else None
    logged = log_notifications(result, config.state_dir / NOTIFICATION_LOG) if notify else 0
    if as_json:
        emit_json({**to_json(result), "report": str(path or ""), "notified": logged})
        return
    click.echo(summary(result, verbose=verbose))
    if path is not None:
        click.echo(f"report: {path}")
    if notify:
        click.echo(f"notifications: {logged} new pending pattern(s) logged")


def _progress(verbose: bool) -> Callable[[str], None]:
    """Progress lines on stderr when asked for or when a person is watching the terminal."""
    shown = verbose or sys.stderr.isatty()

    def say(message: str) -> None:
        if shown:
            click.echo(f"… {message}", err=True)

    return say


COMMANDS = (analyze,)
