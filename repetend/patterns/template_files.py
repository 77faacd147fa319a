"""A file template's own files: the Jinja2 sources kept beside its spec.

`.repetend/patterns/<status>/<id>/<path pattern>.jinja`, one per file the
template renders, and `.globs`: each path pattern as a shell glob, one per line,
which the git pre-commit hook matches added files against before it decides
to start Python. `write_spec` moves the folder with the spec when the status
changes.
"""

from __future__ import annotations

import re
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
    items = template_files(candidate)
    for item in items:
        _write_changed(folder / f"{item['path']}.jinja", item["template"])
    _write_changed(folder / GLOBS, "".join(f"{path_glob(item['path'])}\n" for item in items))
    return folder


def _write_changed(path: Path, text: str) -> None:
    """Write `text` unless the file holds it already.

    `repetend mine` writes every relearned template's folder, and the notify
    hook has written the folders of the new ones a moment before: reading a
    file back costs far less than a second write and its fsync.
    """
    try:
        if path.read_bytes() == text.encode("utf-8"):
            return
    except OSError:
        pass  # not there yet (or unreadable): write it
    atomic_write(path, text)


GLOBS = ".globs"
_VARIABLE = re.compile(r"\{\{.*?\}\}")
_GLOB_SPECIAL = re.compile(r"[*?\[\]\\\n]")


def path_glob(path_pattern: str) -> str:
    """A shell `case` pattern that every path the pattern can render matches.

    Each Jinja2 expression becomes `*`; a character the shell would read as
    a pattern becomes `?`. The glob may match more than the template's own
    path regex (the Python check decides), never less. A path with a block
    (`{% if %}`) may leave out any part of itself, so it matches everything.
    """
    if "{%" in path_pattern:
        return "*"
    literal_parts = _VARIABLE.split(path_pattern)
    return "*".join(_GLOB_SPECIAL.sub("?", part) for part in literal_parts)
