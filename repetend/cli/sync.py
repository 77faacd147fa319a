"""`repetend sync`: push this machine's events to the team store now."""

from __future__ import annotations

import click

from repetend.cli.context import AppContext, emit_json

pass_app = click.make_pass_decorator(AppContext)


@click.command()
@click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")
@pass_app
def sync(app: AppContext, as_json: bool) -> None:
    """Push this machine's captured events to the team store (`team_store`), each once.

    The post-commit drain does the same in the background after each commit;
    a server that is down only delays it. Commands stay on this machine with
    `team_share_commands: false`.

    \b
    Example:
      REPETEND_TEAM_STORE=postgresql://ci@db.example/team repetend sync
    """
    from repetend.team.sync import open_team_store, push

    team = open_team_store(app.config)
    try:
        pushed = push(app.store, team, app.config)
    finally:
        team.close()
    if as_json:
        emit_json({"sent": pushed.sent, "already": pushed.already, "kept_local": pushed.kept_local})
        return
    click.echo(
        f"sent {pushed.sent['events']} event(s), {pushed.sent['executions']} execution(s)"
        f" and {pushed.sent['pattern_uses']} pattern use(s) to {team.location}"
        + (
            f"; {pushed.kept_local} command row(s) kept on this machine"
            if pushed.kept_local
            else ""
        )
    )


COMMANDS = (sync,)
