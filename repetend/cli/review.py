"""`repetend review`: step through the candidates waiting for a decision, in the terminal."""

from __future__ import annotations

from collections import Counter
from typing import TYPE_CHECKING

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app

if TYPE_CHECKING:  # imported when the command runs: `--help` stays light
    from repetend.events import Candidate
    from repetend.review.session import Decision

KEYS = {"a": "approve", "r": "reject", "s": "skip", "q": "quarantine", "x": "stop"}
DIFF_SHOWN = 40  # lines of a diff shown before `… N more lines`


@click.command()
@click.option("--stats", is_flag=True, help="Show what waits and what was decided, and stop.")
@click.option("--kind", help="Only candidates of this kind (file-template, execution, sequence…).")
@click.option("--actor", default="", help="Who decides (default: $USER).")
@json_option
@pass_app
def review(app: AppContext, stats: bool, kind: str | None, actor: str, as_json: bool) -> None:
    """Step through pending candidates and approve, reject, skip or quarantine each.

    For each draft, oldest first: its confidence and evidence, and a diff
    against its previous version (when history keeps one) or, for a file
    template, against a member of its family. Then each proposed next version
    of an approved pattern (relearned from new evidence) with its diff against
    the approved one: approving promotes it, rejecting keeps the approved
    version (and the same proposal is not made again). Answer a (approve), r
    (reject, with a note), s (skip), q (quarantine) or x (stop). Every
    decision, a skip included, is kept in the audit log with your name and note.

    \b
    Examples:
      repetend review
      repetend review --stats --json
    """
    from repetend.events import utcnow
    from repetend.review.session import review_stats, waiting

    if stats:
        _show_stats(review_stats(app.read_store, utcnow(), app.config), as_json)
        return
    queue = waiting(app.read_store, app.config, kind)
    if not queue:
        click.echo("Nothing to review: no candidate or proposed version is waiting.")
        return
    import getpass

    outcomes = _step_through(app, queue, actor or getpass.getuser())
    summary = ", ".join(f"{n} {action}" for action, n in sorted(outcomes.items()))
    click.echo(f"Reviewed {sum(outcomes.values())} of {len(queue)}: {summary or 'no decision'}.")


def _step_through(app: AppContext, waiting: list[Candidate], actor: str) -> Counter[str]:
    from repetend.review.session import decide

    outcomes: Counter[str] = Counter()
    for number, candidate in enumerate(waiting, 1):
        _show(app, candidate, f"[{number}/{len(waiting)}]")
        decision = _ask()
        if decision is None:
            break
        from repetend.patterns.semver import semver

        proposed = _proposed(app, candidate)
        before = semver(candidate.spec.get("version"))
        updated = decide(app.store, app.config, app.manager, candidate, decision, actor)
        outcomes[decision.action] += 1
        click.echo(_said(updated, decision.action, proposed, before))
    return outcomes


def _proposed(app: AppContext, candidate: Candidate) -> str | None:
    from repetend.patterns.versions import proposed_version

    return proposed_version(app.config, candidate) if candidate.status == "approved" else None


def _said(updated: Candidate, action: str, proposed: str | None, before: object) -> str:
    """What one decision did, in one line."""
    if proposed and action == "skip":
        return f"{updated.id} version {proposed} skipped (still proposed)."
    if proposed and action == "reject":
        return f"{updated.id} version {proposed} rejected; {before} stays approved."
    if proposed and action == "approve":
        return f"{updated.id} version {proposed} is now approved: {updated.spec_path}"
    if action == "skip":
        return f"{updated.id} skipped (still a draft)."
    return f"{updated.id} is now {updated.status}: {updated.spec_path}"


def _show(app: AppContext, candidate: Candidate, position: str) -> None:
    from repetend.review.session import diff_lines, evidence_lines

    click.echo("")
    proposed = _proposed(app, candidate)
    what = f"version {proposed} proposed for" if proposed else candidate.kind
    click.secho(f"{position} {candidate.id} {what}: {candidate.name}", bold=True)
    for line in evidence_lines(candidate):
        click.echo(f"  {line}")
    diff = diff_lines(candidate, app.config)
    for line in diff[:DIFF_SHOWN]:
        click.echo(f"  {line}")
    if len(diff) > DIFF_SHOWN:
        click.echo(f"  … {len(diff) - DIFF_SHOWN} more lines (`repetend candidates show`)")


def _ask() -> Decision | None:
    """The reviewer's answer; None to stop (x, or the end of the input)."""
    from repetend.review.session import Decision

    try:
        key = click.prompt(
            "approve, reject, skip, quarantine or stop? [a/r/s/q/x]",
            type=click.Choice(list(KEYS)),
            show_choices=False,
        )
        action = KEYS[key]
        if action == "stop":
            return None
        if action == "reject":
            return Decision(action, _note("Why reject it? (kept in the audit log)", required=True))
        if action in ("approve", "quarantine"):
            return Decision(action, _note("Note (Enter for none)", required=False))
        return Decision(action)
    except click.Abort:  # end of input or Ctrl-C at a prompt: the decisions so far stand
        click.echo("")
        return None


def _note(question: str, *, required: bool) -> str:
    while True:
        note = str(click.prompt(question, default="", show_default=False)).strip()
        if note or not required:
            return note
        click.echo("A rejection needs a note: say why, for whoever sees this pattern again.")


def _show_stats(stats: dict[str, object], as_json: bool) -> None:
    if as_json:
        emit_json(stats)
        return
    kinds = stats["pending_by_kind"]
    assert isinstance(kinds, dict)
    by_kind = ", ".join(f"{n} {k}" for k, n in sorted(kinds.items()))
    oldest = stats["oldest_pending_days"]
    click.echo(
        f"waiting: {stats['pending']}" + (f" ({by_kind}; oldest {oldest} days)" if by_kind else "")
    )
    click.echo(f"proposed versions waiting: {stats['proposed_versions']}")
    for who in ("people", "repetend"):
        counts = stats[f"decisions_by_{who}"]
        assert isinstance(counts, dict)
        shown = ", ".join(f"{n} {outcome}" for outcome, n in sorted(counts.items())) or "none"
        click.echo(f"decided by {who}: {shown}")


COMMANDS = (review,)
