"""Detection and review: `detect` and `candidates list|show|approve|reject|quarantine`."""

from __future__ import annotations

import click

from repetend.cli.completion import complete_candidate_ids
from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.events import CANDIDATE_STATUSES, Candidate


@click.command()
@json_option
@pass_app
def detect(app: AppContext, as_json: bool) -> None:
    """Run every detector now over the captured evidence and propose candidates.

    Candidates are classified (auto-approve, pending, auto-reject) and written
    to .repetend/patterns/. Running it again updates, never duplicates.

    \b
    Example:
      repetend detect && repetend candidates list
    """
    from repetend.patterns.lifecycle import run_detectors
    from repetend.patterns.monitor import unused_alerts

    if app.say_if_off():
        return
    proposals = run_detectors(app.store, app.config, app.manager)
    unused_alerts(app.store, app.config, app.manager)  # MEDIUM: approved, unused for a week
    if as_json:
        emit_json(
            [
                {**_summary(p.candidate), "created": p.created, "path": str(p.path)}
                for p in proposals
            ]
        )
        return
    new = sum(p.created for p in proposals)
    click.echo(f"{len(proposals)} candidate(s) found, {new} new.")
    if proposals:
        click.echo(_table([p.candidate for p in proposals]))


@click.group()
def candidates() -> None:
    """Review what the detectors proposed.

    \b
    Examples:
      repetend candidates list --status draft
      repetend candidates show AUTO-20261121-001
      repetend candidates approve AUTO-20261121-001
      repetend candidates reject AUTO-20261121-002 --note "one-off migration"
    """


@candidates.command("list")
@click.option(
    "--status", type=click.Choice(CANDIDATE_STATUSES), help="Only candidates with this status."
)
@click.option(
    "--kind", help="Only candidates of this kind (execution, file-template, sequence, …)."
)
@json_option
@pass_app
def list_candidates(app: AppContext, status: str | None, kind: str | None, as_json: bool) -> None:
    """List candidates, newest first.

    An approved pattern whose next version waits for review says so in its
    status (`approved, 1.1.0 proposed`; `proposed_version` in --json): review it
    with `repetend review` or approve it with `repetend candidates approve ID`.

    \b
    Examples:
      repetend candidates list --status draft
      repetend candidates list --json | jq '.[] | select(.confidence > 0.5)'
    """
    found = app.store.candidates(status=status, kind=kind)
    proposed = {c.id: _proposed(app, c) for c in found}
    if as_json:
        emit_json([{**_summary(c), "proposed_version": proposed[c.id]} for c in found])
    elif not found:
        click.echo("No candidates yet. Capture some work, then run `repetend detect`.")
    else:
        click.echo(_table(found, proposed))


@candidates.command("show")
@click.argument("candidate_id", shell_complete=complete_candidate_ids)
@json_option
@pass_app
def show(app: AppContext, candidate_id: str, as_json: bool) -> None:
    """Show one candidate's full spec: variables, evidence, confidence parts, history.

    \b
    Example:
      repetend candidates show AUTO-20261121-001
    """
    candidate = _get(app, candidate_id)
    history = [
        {
            "from": e.from_status or "-",
            "to": e.to_status,
            "actor": e.actor,
            "note": e.note,
            "at": e.created_at.isoformat(timespec="seconds"),
        }
        for e in app.store.audit_log(candidate_id)
    ]
    from repetend.patterns.files import dump_yaml, spec_document
    from repetend.patterns.standing import standing

    document = {
        **spec_document(candidate),
        "spec_path": candidate.spec_path,
        "history": history,
        **standing(app.store, app.config, candidate),
    }
    if as_json:
        emit_json(document)
    else:
        click.echo(dump_yaml(document).rstrip())


def _review_command(name: str, status: str, summary: str) -> click.Command:
    example = f'\n\n\b\nExample:\n  repetend candidates {name} AUTO-20261121-001 --note "why"'

    @click.command(
        name, help=f"{summary}\n\nThe change is kept in the audit log with your note.{example}"
    )
    @click.argument("candidate_id", shell_complete=complete_candidate_ids)
    @click.option("--note", default="", help="Why (kept in the audit log).")
    @click.option("--actor", default="", help="Who decides (default: $USER).")
    @json_option
    @pass_app
    def command(app: AppContext, candidate_id: str, note: str, actor: str, as_json: bool) -> None:
        import getpass

        from repetend.patterns.lifecycle import review

        who = actor or getpass.getuser()
        before = app.store.get_candidate(candidate_id)
        proposed = _proposed(app, before) if before is not None else None
        updated = review(
            app.store,
            app.config,
            app.manager,
            candidate_id,
            status,
            actor=who,
            note=note,
            caller_reports=True,
        )
        if as_json:
            listed = {**_summary(updated), "proposed_version": _proposed(app, updated)}
            emit_json({**listed, "actor": who, "note": note})
        elif proposed and status == "rejected":
            click.echo(f"{updated.id} version {proposed} rejected; the approved version stays")
        elif proposed and status == "approved":
            click.echo(f"{updated.id} version {proposed} is now approved: {updated.spec_path}")
        else:
            click.echo(f"{updated.id} is now {updated.status}: {updated.spec_path}")

    return command


candidates.add_command(
    _review_command(
        "approve",
        "approved",
        "Approve a candidate: it becomes a pattern in use (or its proposed version does).",
    )
)
candidates.add_command(
    _review_command(
        "reject",
        "rejected",
        "Reject a candidate: it is kept, but never used (or drop its proposed version).",
    )
)
candidates.add_command(
    _review_command("quarantine", "quarantined", "Quarantine a pattern that misbehaves.")
)
candidates.add_command(
    _review_command("reopen", "draft", "Put a reviewed candidate back to draft for review.")
)


@candidates.command("rollback")
@click.argument("candidate_id", shell_complete=complete_candidate_ids)
@click.option("--to", "to", metavar="VERSION", help="The kept version (default: the previous).")
@click.option("--actor", default="", help="Who decides (default: $USER).")
@click.option("--note", default="", help="Why (kept in the audit log).")
@json_option
@pass_app
def rollback(
    app: AppContext, candidate_id: str, to: str | None, actor: str, note: str, as_json: bool
) -> None:
    """Restore an earlier approved version of a pattern, byte for byte, from its history.

    Every approved version is kept under .repetend/patterns/history/<id>/<version>/.
    The audit log keeps `rolled back from X to Y`, who did it and your note.

    \b
    Examples:
      repetend candidates rollback AUTO-20261121-001
      repetend candidates rollback AUTO-20261121-001 --to 1.0.0
    """
    import getpass

    from repetend.patterns.circuit import reset
    from repetend.patterns.lifecycle import notify
    from repetend.patterns.semver import semver
    from repetend.patterns.versions import rollback as restore

    candidate = _get(app, candidate_id)
    who = actor or getpass.getuser()
    old = semver(candidate.spec.get("version"))
    restored = restore(app.store, app.config, candidate, to, actor=who, note=note)
    reset(app.store, candidate_id)
    new = semver(restored.spec.get("version"))
    message = f"{candidate_id} rolled back from {old} to {new}: {restored.spec_path}"
    notify(app.manager, app.config, "status", message, restored, caller_reports=True)
    if as_json:
        emit_json({**_summary(restored), "from": old, "version": new})
    else:
        click.echo(message)


def _get(app: AppContext, candidate_id: str) -> Candidate:
    from repetend.errors import NotFoundError

    found = app.store.get_candidate(candidate_id)
    if found is None:
        raise NotFoundError(f"no candidate {candidate_id!r} (see `repetend candidates list`)")
    return found


def _proposed(app: AppContext, candidate: Candidate) -> str | None:
    """The proposed next version of an approved pattern, waiting for review."""
    from repetend.patterns.versions import proposed_version

    return proposed_version(app.config, candidate) if candidate.status == "approved" else None


def _summary(c: Candidate) -> dict[str, object]:
    return {
        "id": c.id,
        "kind": c.kind,
        "name": c.name,
        "status": c.status,
        "confidence": c.confidence,
        "occurrences": c.occurrences,
        "destructive": c.destructive,
        "spec_path": c.spec_path,
    }


def _table(found: list[Candidate], proposed: dict[str, str | None] | None = None) -> str:
    def status(c: Candidate) -> str:
        version = (proposed or {}).get(c.id)
        return f"{c.status}, {version} proposed" if version else c.status

    return table(
        ("id", "kind", "status", "conf", "seen", "name"),
        [(c.id, c.kind, status(c), c.confidence, c.occurrences, c.name) for c in found],
    )


COMMANDS = (detect, candidates)
