"""Set-up and housekeeping commands: init, status, config, plugins, purge."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import click

from repetend.cli.context import AppContext, emit_json, table
from repetend.config import STATE_DIR
from repetend.events import utcnow
from repetend.fileio import atomic_write
from repetend.patterns.files import FOLDERS
from repetend.settings import SETTINGS

pass_app = click.make_pass_decorator(AppContext)
json_option = click.option("--json", "as_json", is_flag=True, help="Print JSON for scripts.")


@click.command()
@click.option(
    "--ci",
    type=click.Choice(["github"]),
    help="Also write the CI schedules: github writes .github/workflows/repetend.yml.",
)
@json_option
@pass_app
def init(app: AppContext, ci: str | None, as_json: bool) -> None:
    """Set up .repetend/ in this repository: the store, pattern folders and a config file.

    With --ci github, also .github/workflows/repetend.yml: detection every 6
    hours, the weekly report, and the monthly clean-up (archive patterns unused
    for 90 days, purge).

    \b
    Examples:
      cd my-project && repetend init
      repetend init --ci github
    Safe to run again: nothing that exists is changed.
    """
    config = app.config
    app.store  # noqa: B018 - opening the store creates it, with its .gitignore
    for folder in FOLDERS.values():
        (config.patterns_dir / folder).mkdir(parents=True, exist_ok=True)
    config_file = config.state_dir / "config.yaml"
    created = not config_file.exists()
    if created:
        atomic_write(config_file, _config_template())
    workflow = _write_workflow(app) if ci else None
    if as_json:
        places = {"state_dir": config.state_dir, "store": config.store_path}
        places |= {"patterns": config.patterns_dir, "config": config_file}
        found = {**{k: str(v) for k, v in places.items()}, "config_created": created}
        if workflow:
            found |= {"workflow": str(workflow[0]), "workflow_created": workflow[1]}
        emit_json(found)
        return
    click.echo(f"repetend is set up in {config.state_dir}")
    click.echo(f"  store:    {config.store_path}")
    click.echo(f"  patterns: {config.patterns_dir}")
    click.echo(f"  config:   {config_file}")
    if workflow:
        kept = "" if workflow[1] else " (kept: it exists)"
        click.echo(f"  workflow: {workflow[0]}{kept}")
    click.echo("Next: record executions with repetend.record(...), then run `repetend detect`.")


def _write_workflow(app: AppContext) -> tuple[Path, bool]:
    from repetend.reports.schedules import write_workflow

    return write_workflow(app.config.root)


def _config_template() -> str:
    lines = ["# repetend settings for this repository (see `repetend config`).", ""]
    for setting in SETTINGS:
        lines.append(f"# {setting.help}")
        lines.append(f"# {setting.name}: {setting.default!r}")
    return "\n".join(lines) + "\n"


@click.command()
@json_option
@pass_app
def status(app: AppContext, as_json: bool) -> None:
    """Show what has been captured and proposed in this repository.

    \b
    Example:
      repetend status --json | jq .candidates
    """
    config = app.config
    counts = app.read_store.counts()
    by_status = Counter(c.status for c in app.read_store.candidates())
    uses, opened = _use_loop(app)
    from repetend.patterns.repair import disagreements

    unwritten = [f"{d.candidate.id}: {d.message()}" for d in disagreements(app.read_store, config)]
    report = {
        "root": str(config.root),
        "store": str(config.store_path),
        "enabled": not config.disabled,
        "disabled_by": config.disabled_by,
        "counts": counts,
        "candidates": dict(by_status),
        "uses": uses,
        "circuits_open": opened,
        "spec_problems": unwritten,
    }
    if as_json:
        emit_json(report)
        return
    app.say_if_off()
    click.echo(f"repository: {config.root}")
    click.echo(f"store:      {config.store_path}")
    click.echo(f"capture:    {'off (' + config.disabled_by + ')' if config.disabled else 'on'}")
    click.echo(f"executions: {counts['executions']}   events: {counts['events']}")
    summary = ", ".join(f"{n} {s}" for s, n in sorted(by_status.items())) or "none yet"
    click.echo(f"candidates: {summary}")
    click.echo(f"uses:       {uses}   circuits open: {', '.join(opened) or 'none'}")
    if unwritten:
        click.echo(f"specs:      {len(unwritten)} pattern(s) without all their files:")
        for line in unwritten[:10]:
            click.echo(f"  {line}")


def _use_loop(app: AppContext) -> tuple[int, list[str]]:
    """Uses recorded, and the patterns whose circuit is open (see docs/loop.md)."""
    from repetend.patterns.standing import open_circuits

    store = app.read_store
    return sum(m.uses for m in store.all_metrics()), open_circuits(store, app.config)


@click.command("config")
@json_option
@pass_app
def show_config(app: AppContext, as_json: bool) -> None:
    """Show every setting's effective value and where it came from.

    Settings come from defaults, [tool.repetend] in pyproject.toml,
    .repetend/config.yaml and REPETEND_<NAME> environment variables, later ones winning.

    \b
    Example:
      REPETEND_MIN_EXAMPLES=5 repetend config
    """
    config = app.config
    rows = [(s.name, config.values[s.name], config.sources[s.name]) for s in SETTINGS]
    if as_json:
        emit_json({name: {"value": value, "source": source} for name, value, source in rows})
        return
    app.say_if_off()
    click.echo(table(("setting", "value", "source"), [(n, _show(v), s) for n, v, s in rows]))


def _show(value: object) -> str:
    if isinstance(value, list):
        return ", ".join(map(str, value)) or "(none)"
    if value == "":
        return "(default)"
    return str(value)


@click.command()
@json_option
@pass_app
def plugins(app: AppContext, as_json: bool) -> None:
    """List the loaded plugins: where each comes from and which hooks it implements.

    \b
    Example:
      REPETEND_PLUGINS= repetend plugins     # built-ins only
    """
    from repetend.plugins.registry import origins

    manager = app.manager
    rows = []
    for name, origin in sorted(origins().items()):
        plugin = manager.get_plugin(name)
        hooks = sorted(caller.name for caller in manager.get_hookcallers(plugin) or [])
        source = "built-in" if origin.builtin else f"{origin.distribution} {origin.version}"
        rows.append({"name": name, "source": source, "module": origin.module, "hooks": hooks})
    if as_json:
        emit_json(rows)
        return
    click.echo(
        table(
            ("plugin", "from", "module", "hooks"),
            [
                (
                    r["name"],
                    r["source"],
                    r["module"],
                    ", ".join(h.removeprefix("repetend_") for h in r["hooks"]),
                )
                for r in rows
            ],
        )
    )


@click.command()
@click.option(
    "--days", type=click.IntRange(min=1), help="Keep this many days (default: retention_days)."
)
@click.option(
    "--apply", "apply_", is_flag=True, help="Delete the rows (without it, only count them)."
)
@json_option
@pass_app
def purge(app: AppContext, days: int | None, apply_: bool, as_json: bool) -> None:
    """Remove events, executions, audit entries and unpaired agent tool starts past retention.

    Without --apply this is a dry run that counts what would go.

    \b
    Examples:
      repetend purge                 # what would be removed
      repetend purge --days 30 --apply
    """
    keep = days or int(app.config.retention_days)
    cutoff = utcnow() - timedelta(days=keep)
    counts = app.store.purge(cutoff, dry_run=not apply_)
    if as_json:
        emit_json({"days": keep, "applied": apply_, "rows": counts})
        return
    verb = "removed" if apply_ else "would remove"
    detail = ", ".join(f"{n} {table_name}" for table_name, n in counts.items())
    click.echo(f"{verb} rows older than {keep} days: {detail}")
    if not apply_ and any(counts.values()):
        click.echo("Run again with --apply to delete them.")


COMMANDS = (init, status, show_config, plugins, purge)
__all__ = ["COMMANDS", "STATE_DIR", "json_option", "pass_app"]
