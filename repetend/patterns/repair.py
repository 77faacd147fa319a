"""Specs and rows agree again after a run that was stopped half way (kill -9, power cut).

`repetend mine` stores every candidate first, then writes the spec files, then
each spec's path, then the template folders. A run stopped in between leaves
rows whose spec was never written (their stored `spec_path` is not the file of
their status yet) or file templates without their folder; a later mine that
finds the families unchanged would never write them. `repair` writes exactly
those from the rows, removes the temporary files the stopped run was writing,
and is run as `mine` starts. Spec files without a row are
adopted by `spec_index` at every command.

`disagreements` lists what is missing without writing anything (for `status`
and `validate`), including a spec file that was written and then removed,
which `repair` leaves alone: removing a spec is a person's (or a pull's) act.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from repetend.config import Config
from repetend.errors import NotFoundError
from repetend.events import Candidate
from repetend.fileio import leftovers
from repetend.patterns.files import FOLDERS, spec_text, status_folder, write_spec
from repetend.patterns.template_files import GLOBS, KIND, template_files, write_template_folder
from repetend.store.base import Store


@dataclass(frozen=True)
class Disagreement:
    """One row whose files are not all there."""

    candidate: Candidate
    spec: Path  # where its spec belongs
    what: str  # `unwritten` (a run stopped before writing it), `removed`, or `template files`

    def message(self) -> str:
        """What is wrong and what to do, in one line."""
        if self.what == "template files":
            return "its template folder is missing or incomplete; `repetend mine` writes it again"
        if self.what == "unwritten":
            return "a stopped run left this spec unwritten; `repetend mine` writes it"
        return (
            f"the store has {self.candidate.id} but its spec file was removed; restore it"
            " (git checkout) or purge the pattern"
        )


def disagreements(store: Store, config: Config) -> list[Disagreement]:
    """Rows whose spec file (or template folder) is not where their status puts it."""
    found = []
    for candidate in store.candidates():
        if candidate.status not in FOLDERS:
            continue
        spec = status_folder(config.patterns_dir, candidate.status) / f"{candidate.id}.yaml"
        if not spec.is_file():
            finished = candidate.spec_path == _relative(spec, config.root)
            found.append(Disagreement(candidate, spec, "removed" if finished else "unwritten"))
        elif candidate.kind == KIND and _template_files_missing(config, candidate):
            found.append(Disagreement(candidate, spec, "template files"))
    return found


def repair(store: Store, config: Config) -> list[Disagreement]:
    """Write what a stopped run left unwritten, remove its temporary files; return the repairs."""
    for left in leftovers(config.patterns_dir):  # a spec or template file it was writing
        left.unlink(missing_ok=True)
    repaired = []
    for problem in disagreements(store, config):
        if problem.what == "removed":
            continue
        candidate = problem.candidate
        if problem.what == "unwritten":
            path = write_spec(config.patterns_dir, candidate, spec_text(candidate))
            store.set_spec_path(candidate.id, _relative(path, config.root))
        if candidate.kind == KIND and _template_files_missing(config, candidate):
            write_template_folder(config.patterns_dir, candidate)
        repaired.append(problem)
    return repaired


def _template_files_missing(config: Config, candidate: Candidate) -> bool:
    try:
        items = template_files(candidate)
    except NotFoundError:  # not a file template with sources (an older spec): nothing to write
        return False
    folder = status_folder(config.patterns_dir, candidate.status) / candidate.id
    names = [f"{item['path']}.jinja" for item in items] + [GLOBS]
    return not all((folder / name).is_file() for name in names)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
