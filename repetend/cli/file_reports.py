"""What `apply` and `export` print: one line per file, or one JSON document with `--json`."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import click

from repetend.cli.context import emit_json
from repetend.templates.apply import PlannedFile
from repetend.templates.copier_export import CopierExport


def report_planned(
    template_id: str, planned: Sequence[PlannedFile], root: Path, *, dry_run: bool, as_json: bool
) -> None:
    """The files apply wrote (or, on a dry run, would write)."""
    files = [(item.path.relative_to(root).as_posix(), item.exists) for item in planned]
    if as_json:
        emit_json(
            {
                "template": template_id,
                "dry_run": dry_run,
                "files": [{"path": path, "existed": existed} for path, existed in files],
            }
        )
        return
    for path, existed in files:
        if dry_run:
            click.echo(f"would write {path}" + (" (exists)" if existed else ""))
        else:
            click.echo(f"wrote {path}")


def report_export(template_id: str, folder: Path, result: CopierExport, *, as_json: bool) -> None:
    """The files export wrote, and the filters Copier will not know."""
    unconverted = sorted(set(result.unconverted))
    if as_json:
        emit_json(
            {
                "template": template_id,
                "format": "copier",
                "folder": str(folder),
                "written": [str(path) for path in result.written],
                "unconverted": unconverted,
            }
        )
        return
    for path in result.written:
        click.echo(f"wrote {path}")
    for expression in unconverted:
        click.echo(f"note: {expression} uses a repetend filter Copier does not have", err=True)
