"""`templates check` and `templates values`: judge a template, and read a member's values."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app
from repetend.errors import NotFoundError, UsageError
from repetend.events import Candidate
from repetend.patterns.template_files import template_files

if TYPE_CHECKING:  # imported when a command runs: `--help` stays light
    from repetend.templates.generator import LearnedTemplate


def file_template(app: AppContext, template_id: str) -> Candidate:
    """The file-template candidate `template_id`, or a one-line error."""
    candidate = app.store.get_candidate(template_id)
    if candidate is None:
        raise NotFoundError(f"no template {template_id!r} (see `repetend templates list`)")
    template_files(candidate)
    return candidate


@click.command("check")
@click.argument("template_id")
@click.option(
    "--held-out",
    "learn",
    type=click.IntRange(min=1),
    default=5,
    show_default=True,
    help="Members to learn from for the held-out rate (the others are tested).",
)
@json_option
@pass_app
def check(app: AppContext, template_id: str, learn: int, as_json: bool) -> None:
    """Judge a template through its stored files: read-back, held-out, yield, generic names.

    Read-back: each member's values are read out of it with the template files
    under .repetend/patterns/ and rendered; the share that come back byte for
    byte. Held-out: a template learned from N members renders the others from
    their values. Yield: the share of a member's bytes the fixed text writes.

    \b
    Examples:
      repetend templates check AUTO-20261121-001
      repetend templates check AUTO-20261121-001 --held-out 10 --json
    """
    from repetend.templates.quality import check_template

    candidate = file_template(app, template_id)
    quality = check_template(candidate, app.config.root, app.config.patterns_dir, learn)
    figures = quality.as_json()
    if as_json:
        emit_json({"id": candidate.id, **figures})
        return
    click.echo(_report(candidate, figures))


def _report(candidate: Candidate, figures: dict[str, Any]) -> str:
    tested = figures["held_out_tested"]
    lines = [
        f"{candidate.id} ({candidate.spec.get('path_pattern', '')})",
        f"read back:      {figures['read_back']:.0%} of {figures['members']} members",
        f"held-out exact: {figures['held_out_exact']:.0%} of {tested} members"
        f" (learned from {figures['held_out_learned_from']})",
        f"yield:          {figures['yield']:.0%} of a member's bytes are fixed text",
        f"generic names:  {figures['generic_names']} of {figures['variables']} variables"
        + (f" ({', '.join(figures['generic'][:8])})" if figures["generic"] else ""),
    ]
    lines += [f"  not read back: {m['path']}: {m['problem']}" for m in figures["not_read_back"]]
    return "\n".join(lines)


@click.command("values")
@click.argument("template_id")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@json_option
@pass_app
def values(app: AppContext, template_id: str, file: Path, as_json: bool) -> None:
    """Print the values a template reads out of FILE, as YAML (for `apply --from`).

    \b
    Example:
      repetend templates values AUTO-20261121-001 sensors/door_lock.py > values.yaml
    """
    candidate = file_template(app, template_id)
    found = like_values(app, candidate, file)
    if as_json:
        emit_json(found)
    else:
        from repetend.patterns.files import dump_yaml

        click.echo(dump_yaml(found), nl=False)


def like_values(app: AppContext, candidate: Candidate, file: Path) -> dict[str, Any]:
    """The values of the member FILE (and of its unit's other files), by variable name."""
    from repetend.templates.quality import stored_templates

    root = app.config.root.resolve()
    relative = _inside(root, file)
    templates = stored_templates(candidate, app.config.patterns_dir)
    fits = [t for t in templates if t.path.values_of(relative) is not None]
    if not fits:
        raise UsageError(f"{relative}: not a path template {candidate.id} writes")
    found = _whole_values(candidate, fits[0], relative, _read(root / relative))
    for other in templates:  # the unit's other files, where the folder has them
        path = other.path.values_of(relative) is None and _sibling(other, found)
        if path and (root / path).is_file():
            found = {**_whole_values(candidate, other, path, _read(root / path)), **found}
    known = {str(v["name"]) for v in candidate.spec.get("variables", [])}
    return {name: value for name, value in found.items() if name in known}


def _whole_values(
    candidate: Candidate, template: LearnedTemplate, path: str, text: str
) -> dict[str, Any]:
    """The values of a file the template reads back whole; an error for one it cannot."""
    from repetend.templates.quality import read_member

    check = read_member(template, path, text)
    if not check.exact:
        raise UsageError(
            f"{path}: template {candidate.id} cannot read it back whole ({check.problem});"
            " start from a member `repetend templates check` reads back"
        )
    return dict(check.values)


def _inside(root: Path, file: Path) -> str:
    try:
        return file.resolve().relative_to(root).as_posix()
    except ValueError:
        raise UsageError(f"{file}: not a file of this repository") from None


def _sibling(template: LearnedTemplate, found: dict[str, Any]) -> str:
    from jinja2 import TemplateError

    try:
        return template.render_path(found)
    except TemplateError:  # the sibling's path needs a value this file lacks
        return ""


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"{path}: cannot be read as UTF-8 text ({error})") from error
