"""Learning from failures: `heal`, `anti-patterns list|show|ignore` and `flaky`."""

from __future__ import annotations

import sys
from typing import Any

import click

from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app


@click.command()
@click.argument("test_id", required=False)
@click.option("--last", "last", is_flag=True, help="Heal the latest recorded failure (default).")
@click.option(
    "--command", "command", metavar="CMD", help="Heal the latest failure of this command."
)
@click.option("--rule", "rule_id", metavar="ID", help="Use this rule (default: the best match).")
@click.option("--yes", "-y", is_flag=True, help="Apply without asking (for scripts).")
@click.option("--force", is_flag=True, help="Use a rule whose circuit is open or quarantined.")
@click.option("--learn", "learn_only", is_flag=True, help="Only learn from what was captured.")
@click.option("--quiet", is_flag=True, help="With --learn: print nothing.")
@json_option
@pass_app
def heal(
    app: AppContext,
    test_id: str | None,
    last: bool,
    command: str | None,
    rule_id: str | None,
    yes: bool,
    force: bool,
    learn_only: bool,
    quiet: bool,
    as_json: bool,
) -> None:
    """Apply a known fix to a failure, tried and verified in a git worktree sandbox first.

    Finds the recovery rules learned for the failure (the latest, TEST_ID's,
    or --command's), shows the fix and its evidence, and asks (y/n/show). The
    fix runs in a sandbox (a git worktree of your tree as it is), the failing
    test or command runs again there, and only a verified change is brought
    into your working tree; otherwise nothing changes and it says why. A fix
    that changes the environment (an install, a push) runs in the working
    tree after you confirm, and the plan says so. Each heal counts as a use of
    the rule (its circuit breaker and quarantine apply).

    \b
    Examples:
      repetend heal                       the latest failure
      repetend heal tests/test_api.py::test_login
      repetend heal --command "git push" --yes
      repetend heal --learn               learn rules, anti-patterns, flaky tests now
    """
    from repetend.heal import apply
    from repetend.heal.learn import learn

    if app.say_if_off():
        return
    if learn_only and quiet:  # the background learner: one at a time, again when asked
        from repetend.heal.learn import learn_in_background

        learn_in_background(app.store, app.config, app.manager)
        return
    learned = learn(app.store, app.config, app.manager)
    if learn_only:
        if as_json:
            emit_json(learned.to_dict())
        elif not quiet:
            click.echo(
                f"{learned.failures} new failure(s); {len(learned.rules)} recovery rule(s)"
                f" ({len(learned.new_rules)} new); {learned.anti_patterns} anti-pattern(s);"
                f" {len(learned.flaky)} flaky test(s)"
            )
        return
    failure = apply.latest_failure(app.store, test_id, command)
    rules = apply.rules_for(app.store, failure)
    if rule_id:
        rules = [r for r in rules if r.id == rule_id]
    if not rules:
        message = f"no recovery rule for {failure.subject or failure.kind}: {failure.message}"
        if as_json:
            emit_json({"failure": failure.message, "rule": None, "reason": message})
            raise click.exceptions.Exit(1)
        from repetend.errors import NotFoundError

        raise NotFoundError(message)
    from repetend.uses.record import gate

    gate(app.store, app.config, rules[0], force=force)
    chosen = apply.plan(rules[0], failure)
    say = (lambda text: None) if as_json else (lambda text: click.echo(text, err=True))
    if not as_json:
        click.echo("\n".join(chosen.lines()))
    if not yes and not _confirmed(chosen):
        click.echo("not applied")
        return
    result = apply.heal(app.store, app.config, app.manager, chosen, say)
    if as_json:
        emit_json({**result.to_dict(), "plan": chosen.steps, "environment": chosen.environment})
    else:
        click.echo(f"{result.rule}: {result.reason}")
        if not result.verified and result.output.strip():
            click.echo(result.output.strip()[-800:], err=True)
    if not result.verified:
        raise click.exceptions.Exit(1)


def _confirmed(chosen: Any) -> bool:
    if not sys.stdin.isatty():
        from repetend.errors import UsageError

        raise UsageError(f"{chosen.rule.id}: not applied: confirm on a terminal, or pass --yes")
    while True:
        answer = click.prompt("Apply it? [y/n/show]", default="n", show_default=False)
        if answer.lower() in ("y", "yes"):
            return True
        if answer.lower() in ("show", "s"):
            for example in chosen.rule.evidence[-5:]:
                click.echo(f"  {_example(example)}")
            continue
        return False


def _example(example: Any) -> str:
    """One example of a rule, as a sentence."""
    if not isinstance(example, dict):
        return str(example)
    if "test" in example:
        return (
            f"{example.get('failed_at', '')}: {example['test']} failed, then passed after the edit"
        )
    fix = " && ".join(f"`{step}`" for step in example.get("fix", []))
    return (
        f"{example.get('failed_at', '')} ({example.get('session', '')}):"
        f" `{example.get('failed', '')}` failed, {fix} ran, then"
        f" `{example.get('retry', '')}` {'passed' if example.get('retry_succeeded') else 'failed'}"
    )


@click.group("anti-patterns")
def anti_patterns() -> None:
    """Failures that recur (ANTI-PAT-NNN): list, show, ignore.

    \b
    Examples:
      repetend anti-patterns list --status active
      repetend anti-patterns show ANTI-PAT-001
      repetend anti-patterns ignore ANTI-PAT-002 --note "the CI proxy, not us"
    """


@anti_patterns.command("list")
@click.option("--status", type=click.Choice(["active", "resolved", "ignored"]))
@json_option
@pass_app
def list_anti_patterns(app: AppContext, status: str | None, as_json: bool) -> None:
    """List the anti-patterns learned (run `repetend heal --learn` to learn now).

    \b
    Example:
      repetend anti-patterns list --status active --json
    """
    rows = [r for r in app.store.anti_patterns() if r.pattern_id]
    rows = sorted((r for r in rows if status in (None, r.status)), key=lambda r: r.pattern_id)
    if as_json:
        emit_json([_anti_pattern(r) for r in rows])
        return
    if not rows:
        click.echo("No anti-patterns yet: a failure becomes one when it recurs (see docs).")
        return
    click.echo(
        table(
            ["id", "status", "cause", "seen", "name"],
            [[r.pattern_id, r.status, r.cause, str(r.occurrences), r.name] for r in rows],
        )
    )


@anti_patterns.command("show")
@click.argument("pattern_id")
@json_option
@pass_app
def show_anti_pattern(app: AppContext, pattern_id: str, as_json: bool) -> None:
    """Show one anti-pattern: what fails, where, how often, the cause and the recommendation.

    \b
    Example:
      repetend anti-patterns show ANTI-PAT-001
    """
    record = _find(app, pattern_id)
    if as_json:
        emit_json(_anti_pattern(record))
        return
    from repetend.failures.anti_patterns import page

    click.echo(page(record).rstrip())


@anti_patterns.command("ignore")
@click.argument("pattern_id")
@click.option("--note", default="", help="Why (kept with it).")
@pass_app
def ignore_anti_pattern(app: AppContext, pattern_id: str, note: str) -> None:
    """Mark an anti-pattern ignored: relearning keeps it so.

    \b
    Example:
      repetend anti-patterns ignore ANTI-PAT-002 --note "the CI proxy, not us"
    """
    _find(app, pattern_id)
    app.store.set_anti_pattern_status(pattern_id, "ignored", note)
    from repetend.failures.anti_patterns import write_registry

    write_registry(app.config, [r for r in app.store.anti_patterns() if r.pattern_id])
    click.echo(f"{pattern_id} is now ignored")


def _find(app: AppContext, pattern_id: str) -> Any:
    from repetend.errors import NotFoundError

    for record in app.store.anti_patterns():
        if record.pattern_id == pattern_id:
            return record
    raise NotFoundError(f"no anti-pattern {pattern_id!r} (see `repetend anti-patterns list`)")


def _anti_pattern(record: Any) -> dict[str, Any]:
    from repetend.failures.anti_patterns import summary

    return {
        **summary(record),
        "description": record.description,
        "evidence": record.evidence,
    }


@click.command()
@json_option
@pass_app
def flaky(app: AppContext, as_json: bool) -> None:
    """List flaky tests: both outcomes on the same code (no reruns needed), with evidence.

    A test that passed and failed on one working-tree state is flaky; one that
    fails with an error seen in such pairs is likely flaky.

    \b
    Example:
      repetend flaky --json
    """
    from repetend.failures.flaky import find_flaky, recorded_runs

    found = find_flaky(recorded_runs(app.store))
    if as_json:
        emit_json([f.to_dict() for f in found])
        return
    if not found:
        click.echo("No flaky tests found: a test is flaky once it passed and failed on one tree.")
        return
    rows = [[f.nodeid, "likely" if f.likely else "yes", f.summary()] for f in found]
    click.echo(table(["test", "flaky", "evidence"], rows))


COMMANDS = (heal, anti_patterns, flaky)
