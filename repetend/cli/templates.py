"""File templates: `mine`, `templates list|show`, `apply` and `export`."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from repetend.cli.completion import complete_template_ids
from repetend.cli.context import AppContext, emit_json, table
from repetend.cli.core import json_option, pass_app
from repetend.cli.template_checks import check, file_template, like_values, values
from repetend.errors import UsageError
from repetend.events import Candidate

if TYPE_CHECKING:  # the commands import what they use when they run: --help stays light
    from repetend.config import Config


@click.command()
@click.argument("path", default=".", type=click.Path(exists=True, file_okay=False, path_type=Path))
@json_option
@pass_app
def mine(app: AppContext, path: Path, as_json: bool) -> None:
    """Find families of files made to the same shape and learn a template for each.

    PATH is a folder of the repository to mine (default: the current one); the
    whole repository it belongs to is mined. Only files git tracks (or would
    track) are read; ignored files, binaries, files over 1 MiB and secrets are
    skipped. A second run reads only changed files and relearns only changed
    families. Templates are written as drafts under .repetend/patterns/.

    \b
    Example:
      repetend mine . && repetend templates list
    """
    from repetend.config import find_root

    if find_root(path) != app.config.root:
        app = AppContext(path, {})  # another repository: its own configuration and store
        click.get_current_context().call_on_close(app.close)
    if app.say_if_off():
        return
    _mine(app, as_json)


def _mine(app: AppContext, as_json: bool) -> None:
    from repetend.files.mine import mine_repository

    with click.progressbar(length=1, label="reading files", file=sys.stderr) as bar:

        def progress(done: int, total: int) -> None:
            bar.length = total
            bar.update(done - bar.pos)

        report, proposals = mine_repository(
            app.config.root, app.store, app.config, app.manager, progress, caller_reports=True
        )
    from repetend.files.candidates import KIND

    found = {c.signature: c for c in app.store.candidates(kind=KIND)}
    rows = [_row(found[f"files:{f.key}"]) for f in report.families if f"files:{f.key}" in found]
    if as_json:
        emit_json(
            {
                "files": report.files,
                "read": report.signed,
                "skipped": dict(report.skipped),
                "families": rows,
                "relearned": len(proposals),
                "refitted": report.refitted,
                "repaired": report.repaired,
            }
        )
        return
    skipped = ", ".join(f"{n} {why}" for why, n in sorted(report.skipped.items())) or "none"
    click.echo(f"{report.files} files mined ({report.signed} read), skipped: {skipped}.")
    if report.repaired:
        shown = ", ".join(report.repaired[:5]) + (" …" if len(report.repaired) > 5 else "")
        click.echo(
            f"{len(report.repaired)} spec(s) a stopped run had left unwritten, repaired: {shown}."
        )
    click.echo(f"{len(rows)} families, {len(proposals)} relearned.")
    if rows:
        click.echo(_table(rows))
        low = [row["id"] for row in rows if row["low_value"]]
        if low:
            click.echo(
                f"{len(low)} low value (they write under 20% of a file, not proposed):"
                f" {', '.join(low[:5])}{' …' if len(low) > 5 else ''}."
            )
        click.echo(f"Specs are under {_shown(app.config)}/; see `repetend templates show ID`.")


def _shown(config: Config) -> str:
    """The patterns folder as the person typed paths: relative to the repository root."""
    try:
        return config.patterns_dir.relative_to(config.root).as_posix()
    except ValueError:
        return str(config.patterns_dir)


def _table(rows: list[dict[str, Any]], *, family: bool = False) -> str:
    columns = ["id", "size", "files", "variables", "confidence", "status", "path_pattern"]
    headers = ["id", "size", "files", "vars", "conf", "status", "path pattern"]
    if family:  # `templates list`: the family each template was learned from
        columns.append("family")
        headers.append("family")
    return table(headers, [[row[c] for c in columns] for row in rows])


def _row(candidate: Candidate) -> dict[str, Any]:
    variables = [v for v in candidate.spec.get("variables", []) if not v["name"].startswith("has_")]
    return {
        "id": candidate.id,
        "size": candidate.occurrences,  # members: files, or unit folders for a multi-file unit
        "files": len(candidate.spec.get("files", [])),  # template files per member
        "variables": len(variables),
        "confidence": candidate.confidence,
        "status": candidate.status,
        "path_pattern": candidate.spec.get("path_pattern", ""),
        "spec_path": candidate.spec_path,
        "yield": candidate.confidence_parts.get("yield"),
        "low_value": candidate.status == "rejected"
        and float(candidate.confidence_parts.get("yield", 1.0)) < 0.2,
    }


@click.group()
def templates() -> None:
    """List and show the file templates `repetend mine` learned.

    \b
    Examples:
      repetend templates list
      repetend templates show AUTO-20261121-001
    """


@templates.command("list")
@click.option(
    "--min-confidence",
    type=click.FloatRange(0, 1),
    default=0.0,
    metavar="C",
    help="Only templates with at least this confidence (0 to 1).",
)
@json_option
@pass_app
def list_templates(app: AppContext, min_confidence: float, as_json: bool) -> None:
    """List file templates, newest first, with the family each was learned from.

    \b
    Examples:
      repetend templates list --min-confidence 0.5
      repetend templates list --json | jq '.[].path_pattern'
    """
    from repetend.files.candidates import KIND

    found = app.read_store.candidates(kind=KIND)
    rows = [_listed(c) for c in found if c.confidence >= min_confidence]
    if as_json:
        emit_json(rows)
    elif not rows:
        click.echo("No templates yet: run `repetend mine .`" if not found else _none_above(found))
    else:
        click.echo(_table(rows, family=True))


def _listed(candidate: Candidate) -> dict[str, Any]:
    return {**_row(candidate), "family": str(candidate.spec.get("family", ""))}


def _none_above(found: list[Candidate]) -> str:
    best = max(c.confidence for c in found)
    return f"No templates at that confidence ({len(found)} below it, the best {best:.2f})."


@templates.command("show")
@click.argument("template_id", shell_complete=complete_template_ids)
@json_option
@pass_app
def show_template(app: AppContext, template_id: str, as_json: bool) -> None:
    """Show a template's spec: path pattern, variables, members, confidence and its source.

    \b
    Example:
      repetend templates show AUTO-20261121-001
    """
    from repetend.patterns.files import dump_yaml, spec_document

    candidate = _template(app, template_id)
    document = spec_document(candidate)
    if as_json:
        emit_json(document)
        return
    sources = document.pop("files", [])
    document["files"] = [item["path"] for item in sources]
    click.echo(dump_yaml(document).rstrip())
    for item in sources:  # the Jinja2 source as it is, not as a quoted YAML string
        click.echo(f"\n--- template {item['path']} ---")
        click.echo(item["template"], nl=False)


@click.command()
@click.argument("template_id", shell_complete=complete_template_ids)
@click.option(
    "--set",
    "settings",
    multiple=True,
    metavar="NAME=VALUE",
    help="A variable's value (repeat for each).",
)
@click.option(
    "--from",
    "values_file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML file of values: one mapping, or a list of mappings for several files.",
)
@click.option(
    "--like",
    "like",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="Start from the values of this member (then --set / --from change some).",
)
@click.option(
    "--dry-run", is_flag=True, help="Print the files that would be written, write nothing."
)
@click.option(
    "--force",
    is_flag=True,
    help="Overwrite files that exist; apply a pattern whose circuit is open or is quarantined.",
)
# Who applies: `repetend apply` itself, or the watcher's fill (recorded with the use).
@click.option("--via", type=click.Choice(["apply", "watch"]), default="apply", hidden=True)
@click.option(
    "--ask/--no-ask",
    default=None,
    help="Ask for missing required values (default: when stdin is a terminal).",
)
@json_option
@pass_app
def apply(
    app: AppContext,
    template_id: str,
    settings: tuple[str, ...],
    values_file: Path | None,
    like: Path | None,
    dry_run: bool,
    force: bool,
    via: str,
    ask: bool | None,
    as_json: bool,
) -> None:
    """Render new files from a template.

    Unset variables take their defaults. Missing required ones are asked for
    on a terminal (one question each, with examples); elsewhere they are one
    error that names them all with their examples. Existing files are never overwritten
    without --force, writes are atomic, and a value that would put a file
    outside the repository is refused. A list variable takes a,b,c.

    A variable given several times makes several rows (one set of files each);
    one given once applies to every row.

    \b
    Examples:
      repetend apply AUTO-20261121-001 --set slug=rust --set name="Rust CI"
      repetend apply AUTO-20261121-001 --set slug=fan --set slug=lamp --set name=Device
      repetend apply AUTO-20261121-001 --from values.yaml --dry-run
      repetend apply AUTO-20261121-001 --like sensors/fan.py --set slug=lamp
    """
    from repetend.cli.answers import ask_for_missing
    from repetend.templates.apply import plan_rows, write
    from repetend.uses.record import gate

    candidate = _template(app, template_id)
    trial = gate(app.store, app.config, candidate, force=force)
    batches = _value_sets(settings, values_file)
    if like is not None:  # copy-and-edit: the member's values, changed where given
        start = like_values(app, candidate, like)
        batches = [{**start, **row} for row in batches]
    batches = ask_for_missing(candidate, batches, ask)
    planned = plan_rows(candidate, batches, app.config.root)
    if not dry_run:
        write(planned, force=force, root=app.config.root)
        _remember(app, candidate, planned, via, trial)
    root = app.config.root.resolve()
    from repetend.cli.file_reports import report_planned

    report_planned(candidate.id, planned, root, dry_run=dry_run, as_json=as_json)


def _remember(
    app: AppContext, candidate: Candidate, planned: list[Any], via: str, trial: bool
) -> None:
    """Keep what was written, for the commit that judges it (a use; see docs/loop.md)."""
    from repetend.capture.commands import default_actor
    from repetend.uses.record import remember_applied

    remember_applied(
        app.store,
        candidate,
        planned,
        app.config.root,
        source=via,
        actor=default_actor(),
        trial=trial,
    )


def _value_sets(settings: tuple[str, ...], values_file: Path | None) -> list[dict[str, Any]]:
    rows = _set_rows(settings)
    if values_file is None:
        return rows
    if len(rows) > 1:
        raise UsageError("--from: give several rows in the file or with --set, not both")
    return [{**row, **rows[0]} for row in _file_rows(values_file)]


def _set_rows(settings: tuple[str, ...]) -> list[dict[str, Any]]:
    """`--set` values as rows: a name given n times makes n rows; one given once is in all."""
    given: dict[str, list[str]] = {}
    for setting in settings:
        name, equals, value = setting.partition("=")
        if not equals or not name.strip():
            raise UsageError(f"--set {setting!r}: expected NAME=VALUE")
        given.setdefault(name.strip(), []).append(value)
    counts = {len(values) for values in given.values() if len(values) > 1}
    if len(counts) > 1:
        raise UsageError("--set: every repeated variable must be given the same number of times")
    rows = counts.pop() if counts else 1
    return [{k: v[n] if len(v) > 1 else v[0] for k, v in given.items()} for n in range(rows)]


def _file_rows(values_file: Path) -> list[dict[str, Any]]:
    import yaml

    try:
        loaded = yaml.safe_load(values_file.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise UsageError(
            f"{values_file}: cannot be read as YAML ({str(error).splitlines()[0]})"
        ) from error
    rows = loaded if isinstance(loaded, list) else [loaded]
    if not all(isinstance(row, dict) for row in rows):
        raise UsageError(f"{values_file}: expected a mapping of values or a list of mappings")
    return [{str(k): v for k, v in row.items()} for row in rows]


@click.command()
@click.argument("template_id", shell_complete=complete_template_ids)
@click.option(
    "--format", "format_", type=click.Choice(["copier"]), default="copier", show_default=True
)
@click.option(
    "--output",
    "-o",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write (default: ./<id>-copier).",
)
@json_option
@pass_app
def export(
    app: AppContext, template_id: str, format_: str, output: Path | None, as_json: bool
) -> None:
    """Export a template for another tool (Copier: copier.yml with a question per variable).

    \b
    Example:
      repetend export AUTO-20261121-001 -o ../my-template
      copier copy ../my-template new-folder/
    """
    candidate = _template(app, template_id)
    destination = output or Path(f"{candidate.id}-copier")
    from repetend.templates.copier_export import export_copier

    result = export_copier(candidate, destination)
    from repetend.cli.file_reports import report_export

    report_export(candidate.id, destination, result, as_json=as_json)


def _template(app: AppContext, template_id: str) -> Candidate:
    return file_template(app, template_id)


templates.add_command(check)
templates.add_command(values)
COMMANDS = (mine, templates, apply, export)
