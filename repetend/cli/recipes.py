"""Recipes: `recipes list|show|run`, approved sequence and execution patterns run as commands."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import click

from repetend.cli.completion import complete_candidate_ids
from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.errors import NotFoundError, UsageError

if TYPE_CHECKING:
    from repetend.events import Candidate
    from repetend.recipes.runner import RecipeRun
    from repetend.recipes.steps import Step


@click.group()
def recipes() -> None:
    """Run approved command recipes (sequence and execution patterns) as one command.

    Each run is a use of the pattern: a step that exits non-zero is a failure,
    and failures open its circuit or quarantine it as they do for templates.

    \b
    Examples:
      repetend recipes list
      repetend recipes show AUTO-20261204-a1b2c3
      repetend recipes run AUTO-20261204-a1b2c3 --set message="fix the parser" --dry-run
    """


@recipes.command("list")
@click.option("--all", "every", is_flag=True, help="Every status, not only approved recipes.")
@json_option
@pass_app
def list_recipes(app: AppContext, every: bool, as_json: bool) -> None:
    """List the recipes: steps, whether they can run (and why not), uses so far.

    \b
    Examples:
      repetend recipes list
      repetend recipes list --all --json
    """
    from repetend.recipes.steps import is_recipe

    found = [
        c
        for c in app.store.candidates()
        if is_recipe(c) and (every or c.status in ("approved", "quarantined"))
    ]
    rows = [_summary(app, c) for c in found]
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("No approved recipes yet: `repetend analyze`, then `repetend review`.")
    else:
        headers = ("id", "kind", "status", "steps", "runnable", "uses", "name")
        values = [[r[h] for h in headers] for r in rows]
        click.echo(table(headers, values))


@recipes.command("show")
@click.argument("recipe_id", shell_complete=complete_candidate_ids)
@json_option
@pass_app
def show(app: AppContext, recipe_id: str, as_json: bool) -> None:
    """Show a recipe's steps, the variables they need, and its standing.

    Its standing: uses, circuit, monitoring and versions, as `candidates show`.

    \b
    Example:
      repetend recipes show AUTO-20261204-a1b2c3 --json
    """
    from repetend.patterns.standing import standing
    from repetend.recipes.steps import defaults, step_sources, variables

    candidate = _get(app, recipe_id)
    sources = step_sources(candidate)
    found = {
        **_summary(app, candidate),
        "steps": sources,
        "variables": variables(sources),
        "defaults": defaults(candidate),
        **standing(app.store, app.config, candidate),
    }
    if as_json:
        emit_json(found)
        return
    from repetend.patterns.files import dump_yaml

    click.echo(dump_yaml(found).rstrip())


@recipes.command("run")
@click.argument("recipe_id", shell_complete=complete_candidate_ids)
@click.option("--set", "settings", multiple=True, metavar="NAME=VALUE", help="A variable's value.")
@click.option("--dry-run", is_flag=True, help="Print the commands that would run, run nothing.")
@click.option("--yes", "-y", is_flag=True, help="Run destructive steps without asking.")
@click.option(
    "--force", is_flag=True, help="Run a recipe that is quarantined or whose circuit is open."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    metavar="SECONDS",
    help="Fail a step that runs longer than this (default: no limit).",
)
@json_option
@pass_app
def run(
    app: AppContext,
    recipe_id: str,
    settings: tuple[str, ...],
    dry_run: bool,
    yes: bool,
    force: bool,
    timeout: float | None,
    as_json: bool,
) -> None:
    """Run an approved recipe's steps in order, stopping at the first that fails.

    Steps run in the repository's root, one shell command line each; values of
    --set are quoted as one shell word each. A destructive step (rm -rf, git
    push --force, DROP TABLE, …) is confirmed first (or --yes); nothing runs
    when it is not. The run is recorded as a use of the pattern: success, or a
    failure at step N. The exit status is the failed step's.

    \b
    Examples:
      repetend recipes run AUTO-20261204-a1b2c3
      repetend recipes run AUTO-20261204-a1b2c3 --set message="fix it" --dry-run
      repetend recipes run AUTO-20261204-a1b2c3 --yes --json
    """
    from repetend.recipes.steps import render_steps

    candidate = _get(app, recipe_id)
    if candidate.status not in ("approved", "quarantined"):
        raise UsageError(
            f"{candidate.id}: not run: it is {candidate.status}, not approved (review it:"
            f" `repetend review`, or `repetend candidates approve {candidate.id}`)"
        )
    steps = render_steps(candidate, _values(settings))
    if dry_run:
        _report_plan(candidate, steps, as_json)
        return
    from repetend.uses.record import gate

    trial = gate(app.store, app.config, candidate, force=force, verb="run")
    _confirm_destructive(candidate, steps, yes)
    done = _run(app, candidate, steps, timeout, as_json, trial)
    if done.failed is not None:
        raise click.exceptions.Exit(done.failed.exit_status)


def _run(
    app: AppContext,
    candidate: Candidate,
    steps: list[Step],
    timeout: float | None,
    as_json: bool,
    trial: bool,
) -> RecipeRun:
    from repetend.capture.commands import default_actor
    from repetend.recipes.runner import record_run, run_steps

    root = app.config.root
    done = run_steps(steps, root, timeout=timeout, stdout=sys.stderr if as_json else None)
    use = record_run(
        app.store, app.config, app.manager, candidate, done, actor=default_actor(), trial=trial
    )
    if as_json:
        emit_json({"id": candidate.id, "outcome": use.outcome, **use.evidence})
    elif done.failed is not None:
        failed = done.failed
        click.echo(
            f"{candidate.id}: step {failed.number} of {len(steps)} failed"
            f" (exit {failed.exit_status}): {failed.command}; recorded as a failure",
            err=True,
        )
    else:
        click.echo(
            f"{candidate.id}: {len(steps)} step(s) passed in {done.seconds:.1f} s;"
            f" recorded as a success ({use.seconds_saved:g} s saved)"
        )
    return done


def _report_plan(candidate: Candidate, steps: list[Step], as_json: bool) -> None:
    if as_json:
        emit_json(
            {
                "id": candidate.id,
                "dry_run": True,
                "steps": [
                    {"step": s.number, "command": s.command, "destructive": s.destructive}
                    for s in steps
                ],
            }
        )
        return
    click.echo(f"{candidate.id} would run {len(steps)} step(s) in the repository's root:")
    for step in steps:
        warning = f"   (destructive: {step.destructive})" if step.destructive else ""
        click.echo(f"  {step.number}. {step.command}{warning}")


def _confirm_destructive(candidate: Candidate, steps: list[Step], yes: bool) -> None:
    """Ask before anything runs when a step is destructive; refuse where nobody can answer."""
    risky = [s for s in steps if s.destructive]
    if not risky or yes:
        return
    named = "; ".join(f"step {s.number}: {s.destructive}" for s in risky)
    if not sys.stdin.isatty():
        raise UsageError(f"{candidate.id}: not run: destructive ({named}); confirm with --yes")
    if not click.confirm(f"{candidate.id} has destructive steps ({named}). Run it?", err=True):
        raise UsageError(f"{candidate.id}: not run: the destructive steps were not confirmed")


def _values(settings: tuple[str, ...]) -> dict[str, str]:
    values = {}
    for setting in settings:
        name, sep, value = setting.partition("=")
        if not sep or not name.strip():
            raise UsageError(f"--set {setting!r}: expected NAME=VALUE")
        values[name.strip()] = value
    return values


def _get(app: AppContext, recipe_id: str) -> Candidate:
    found = app.store.get_candidate(recipe_id)
    if found is None:
        raise NotFoundError(f"no recipe {recipe_id!r} (see `repetend recipes list`)")
    return found


def _summary(app: AppContext, candidate: Candidate) -> dict[str, Any]:
    from repetend.recipes.steps import step_sources

    try:
        steps, why_not = len(step_sources(candidate)), ""
    except UsageError as why:
        steps = len(candidate.spec.get("steps") or [])
        why_not = str(why).removeprefix(f"{candidate.id}: ")
    metrics = app.store.metrics(candidate.id)
    return {
        "id": candidate.id,
        "kind": candidate.kind,
        "status": candidate.status,
        "steps": steps,
        "runnable": "no" if why_not else "yes",
        "why_not": why_not,
        "uses": metrics.uses if metrics else 0,
        "name": candidate.name,
        "spec_path": candidate.spec_path,
    }


COMMANDS = (recipes,)
