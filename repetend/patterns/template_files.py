"""A file template's own files: the Jinja2 sources kept beside its spec.

`.repetend/patterns/<status>/<id>/<path pattern>.jinja`, one per file the
template renders; `write_spec` moves the folder with the spec when the status
changes.
"""

from __future__ import annotations

from pathlib import Path

from repetend.errors import NotFoundError
from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.files import status_folder

KIND = "file-template"


def template_files(candidate: Candidate) -> list[dict[str, str]]:
    """The template files of a file-template candidate (`path` pattern and `template` source)."""
    files = candidate.spec.get("files")
    if candidate.kind != KIND or not isinstance(files, list):
        raise NotFoundError(f"{candidate.id} is not a file template with Jinja2 sources")
    return [{"path": str(f["path"]), "template": str(f["template"])} for f in files]


def write_template_folder(patterns_dir: Path, candidate: Candidate) -> Path:
    """Write the candidate's template files into `<status folder>/<id>/` beside its spec."""
    folder = status_folder(patterns_dir, candidate.status) / candidate.id
    for item in template_files(candidate):
        atomic_write(folder / f"{item['path']}.jinja", item["template"])
    return folder
