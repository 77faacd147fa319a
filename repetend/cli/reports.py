"""The weekly report and the monthly clean-up: `report` and `archive`."""

from __future__ import annotations

import click

from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.cli.scope import scope_from, scope_options


@click.command()
@click.option(
    "--week",
    "week_text",
    default="last",
    show_default=True,
    metavar="YYYY-Www",
    help="The ISO week, such as 2026-W49; `last` is the week before this one, `this` this one.",
)
@scope_options
@json_option
@pass_app
def report(
    app: AppContext,
    week_text: str,
    as_json: bool,
    scope_user: str,
    scope_machine: str,
    scope_remote: str,
    scope_branch: str,
) -> None:
    """Write the weekly report of pattern use to .repetend/reports/weekly/.

    Top patterns by use and by time saved, underused patterns, new candidates,
    anti-patterns and recommended actions, every figure read from the store.
    The page is .repetend/reports/weekly/<year>-W<nn>.md, written atomically.

    On a team store, --user/--machine/--remote/--branch make one person's
    report (the page's name says whose: 2026-W49-user-ana.md); without them it
    is the team's.

    \b
    Examples:
      repetend report                    # last week
      repetend report --week 2026-W49 --json
      repetend --store "$TEAM_STORE" report --user ana
    """
    from repetend.events import utcnow
    from repetend.reports.weekly import weekly_report
    from repetend.reports.weekly_markdown import write_weekly
    from repetend.reports.weeks import parse_week

    now = utcnow()
    week = parse_week(week_text, now)
    scope = scope_from(scope_user, scope_machine, scope_remote, scope_branch)
    store = app.read_store
    who = scope.who(store, app.config)
    found = weekly_report(store, app.config, week, now, who=who, scope=scope.label)
    path = write_weekly(found, app.config.state_dir / "reports")
    if as_json:
        emit_json({**found.as_json(), "path": str(path)})
        return
    totals = found.totals
    click.echo(
        f"{week.label}: {totals['uses']:.0f} use(s) of {totals['patterns_used']:.0f} pattern(s),"
        f" {len(found.new_candidates)} new candidate(s), {len(found.actions)} action(s)."
    )
    click.echo(f"Report: {path}")


@click.command()
@click.option(
    "--unused-days",
    "days",
    type=click.IntRange(min=1),
    default=90,
    show_default=True,
    help="Archive approved patterns unused for this many days.",
)
@click.option("--apply", "apply_", is_flag=True, help="Archive them (without it, only list them).")
@click.option("--actor", default="", help="Who decides (default: $USER).")
@json_option
@pass_app
def archive(app: AppContext, days: int, apply_: bool, actor: str, as_json: bool) -> None:
    """Archive approved patterns nobody has used for a while (a dry run without --apply).

    A pattern is idle from its last use, or from its approval when it was never
    used. Archiving rejects it with a note in the audit log (`candidates reopen`
    brings it back), so it is no longer suggested or checked.

    \b
    Examples:
      repetend archive                       # what would be archived
      repetend archive --unused-days 90 --apply
    """
    import getpass

    from repetend.events import utcnow
    from repetend.reports.cleanup import archive as archive_patterns
    from repetend.reports.cleanup import idle_patterns

    now = utcnow()
    found = idle_patterns(app.read_store, now, days)
    if apply_ and found:
        who = actor or getpass.getuser()
        archive_patterns(app.store, app.config, app.manager, found, days=days, actor=who)
    rows = [
        {
            "id": u.pattern_id,
            "name": u.name,
            "last_used_at": u.last_used_at.isoformat(timespec="seconds")
            if u.last_used_at
            else None,
            "idle_days": u.idle_days(now),
        }
        for u in found
    ]
    if as_json:
        emit_json({"days": days, "applied": apply_, "patterns": rows})
        return
    verb = "archived" if apply_ else "would archive"
    click.echo(f"{verb} {len(rows)} approved pattern(s) unused for {days} days or more.")
    if rows:
        click.echo(
            table(
                ("id", "last used", "idle days", "name"),
                [(r["id"], r["last_used_at"] or "never", r["idle_days"], r["name"]) for r in rows],
            )
        )
    if rows and not apply_:
        click.echo("Run again with --apply to archive them.")


COMMANDS = (report, archive)
