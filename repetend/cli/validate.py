"""`repetend validate`: check spec files and template folders before they are shared."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from repetend.cli.context import AppContext, emit_json
from repetend.cli.core import json_option, pass_app

if TYPE_CHECKING:
    from repetend.patterns.spec_checks import Problem


@click.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, path_type=Path))
@json_option
@pass_app
def validate(app: AppContext, paths: tuple[Path, ...], as_json: bool) -> None:
    """Check pattern specs and template folders: schema, files, ids, and the ground truth.

    PATH is a spec, a folder of specs, or a file in a template folder (default:
    all of .repetend/patterns/). Each spec must fit the JSON Schema shipped with
    repetend, name the template files it has, carry an id like AUTO-YYYYMMDD-NNN
    in a file named after it, sit in the folder of its status, and, when it is an
    approved file template, still reproduce every member that exists. Problems
    are printed as FILE:KEY: message; the exit status is 1 when there are any.

    \b
    Examples:
      repetend validate
      repetend validate .repetend/patterns/approved/AUTO-20261121-001.yaml --json
    """
    from repetend.review.validation import spec_files
    from repetend.review.validation import validate as check

    patterns_dir = app.config.patterns_dir
    problems = check(paths, app.config.root, patterns_dir)
    if not paths:  # the whole folder: also the store's patterns whose files are not there
        problems += _missing_files(app)
    checked = len(spec_files(list(paths) or [patterns_dir], patterns_dir))
    if as_json:
        emit_json({"specs": checked, "problems": [p.as_json() for p in problems]})
    else:
        for problem in problems:
            click.echo(str(problem))
        files = len({p.file for p in problems})
        summary = f"{len(problems)} problem(s) in {files} of {checked} spec(s)"
        click.echo(summary if problems else f"{checked} spec(s) valid", err=True)
    if problems:
        click.get_current_context().exit(1)


def _missing_files(app: AppContext) -> list[Problem]:
    from repetend.patterns.repair import disagreements
    from repetend.patterns.spec_checks import Problem

    root = app.config.root
    found = []
    for problem in disagreements(app.read_store, app.config):
        shown = (
            problem.spec.relative_to(root) if problem.spec.is_relative_to(root) else problem.spec
        )
        found.append(Problem(str(shown), "(file)", problem.message()))
    return found


COMMANDS = (validate,)
