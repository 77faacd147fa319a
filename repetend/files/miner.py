"""The file miner: index a repository's files and learn a template for each family.

`FileMiner.mine()` brings the index up to date (reading only changed files),
finds the families, and relearns only the families whose members changed.
The built-in plugin also answers the cheap real-time hooks from the stored
index: `repetend_files_changed` (post-commit, watcher),
`repetend_check_staged_file` (pre-commit) and `repetend_suggest`
(`file-created`).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import pluggy

from repetend.config import Config
from repetend.events import Candidate
from repetend.files import index as file_index
from repetend.files.discovery import discover, ignored, skip_reason
from repetend.files.families import Family, companions, find_families
from repetend.files.family_identity import family_signature, members_digest
from repetend.files.index import IndexedFile, TableStore, as_table_store
from repetend.patterns.template_files import KIND
from repetend.store.base import Store

FAMILY_THRESHOLD = 0.5  # sketches this similar share an LSH band with high probability
Progress = Callable[[int, int], None]


@dataclass
class MineReport:
    """What one `mine` did: files seen, read and skipped, families and their candidates."""

    files: int = 0
    signed: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    families: list[Family] = field(default_factory=list)
    candidates: list[Candidate] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)  # signatures of families not relearned
    changed: set[str] = field(default_factory=set)  # paths (re)signed in this run
    refitted: int = 0  # families whose template still fit their changed members
    repaired: list[str] = field(default_factory=list)  # ids whose files a stopped run left out


class FileMiner:
    """Mines one repository's files into file-template candidates."""

    def __init__(
        self, root: Path, store: Store, config: Config, manager: pluggy.PluginManager | None
    ) -> None:
        self.root = root
        self.store = store
        self.table: TableStore = as_table_store(store)
        self.config = config
        self.manager = manager
        self.min_examples = int(config.min_examples)

    def mine(self, progress: Progress | None = None) -> MineReport:
        """Update the index, find families, and learn templates for the changed ones."""
        report = MineReport()
        rows = self.update_index(report, progress)
        from repetend.files.unit_grouping import find_units

        families = find_families(rows.values(), self.min_examples, FAMILY_THRESHOLD)
        report.families = find_units(families, self.min_examples)
        jobs: list[Job] = []
        for family in report.families:
            members = [rows[path] for path in family.paths]
            state, refitted = self.settle(family, members, report.changed, refit=False)
            if state == "unchanged":
                report.unchanged.append(family_signature(family))
            elif refitted is not None:
                report.refitted += 1
                report.candidates.append(refitted)
            else:
                jobs.append((family, members, self.root))
        report.candidates += learn_all(jobs, int(self.config.mine_workers))
        related = companions(report.families)
        for candidate in report.candidates:
            candidate.spec["companions"] = related.get(str(candidate.spec.get("family")), [])
        return report

    def settle(
        self, family: Family, members: list[IndexedFile], changed: set[str], *, refit: bool = True
    ) -> tuple[str, Candidate | None]:
        """Whether a family is `unchanged`, was `refit` (with its candidate), or needs `learn`.

        With `refit=False` (`mine`), a family one of whose members changed keeps its
        template only when a fresh learning would write the same spec (see
        `refit.refit_in_place`), else it is learned again; new members are fitted
        to the template as it is only on the hooks' path. So changing files and
        restoring them gives the templates of the first run back, and no example
        quotes a text that is gone.
        """
        existing = self.store.find_candidate(KIND, family_signature(family))
        # (an approved template keeps the digest it was approved with; while a relearned
        # version waits for review, learning again finds whether the files came back)
        pending = existing is not None and self._proposal_waits(existing)
        digest = existing.spec.get("members_digest") if existing is not None else None
        if not pending and digest == members_digest(members):
            return "unchanged", None
        if existing is None or family.files or pending:
            return "learn", None
        if not refit and changed & set(existing.spec.get("members") or []):
            from repetend.files.refit import refit_in_place

            kept = refit_in_place(existing, family, members, changed, self.root)
            return ("refit", kept) if kept is not None else ("learn", None)
        # The learner (alignment, Jinja2) is imported only when something changed: the git
        # hooks mostly find their family as it was.
        from repetend.files.candidates import refit_candidate

        refitted = refit_candidate(existing, family, members, changed, self.root)
        return ("refit", refitted) if refitted else ("learn", None)

    def _proposal_waits(self, existing: Candidate) -> bool:
        """Whether an approved template has a relearned version waiting for review."""
        if existing.status != "approved":
            return False
        from repetend.patterns.versions import proposed_version

        return proposed_version(self.config, existing) is not None

    def learn(
        self, family: Family, members: list[IndexedFile], changed: set[str]
    ) -> Candidate | None:
        """The family's candidate: None when unchanged, refitted when the template still fits."""
        state, refitted = self.settle(family, members, changed)
        if state == "learn":
            return learn_one((family, members, self.root))
        return refitted

    def update_index(self, report: MineReport, progress: Progress | None) -> dict[str, IndexedFile]:
        """Bring the index up to date with the files on disk; return every row."""
        found = discover(self.root)
        report.skipped.update(found.skipped)
        known = file_index.load(self.table)
        rows: dict[str, IndexedFile] = {}
        changed: list[IndexedFile] = []
        from repetend.files.parallel_index import read_files

        setting = int(self.config.mine_workers)
        read = read_files(self.root, found.paths, known, found.stats, self.manager, setting)
        for number, (path, row, signed) in enumerate(read, 1):
            if row != known.get(path):
                changed.append(row)
            if row.language in file_index.UNMINED:
                report.skipped[row.language] += 1
                continue
            rows[path] = row
            if signed:
                report.changed.add(path)
            report.signed += signed
            if progress and number % 200 == 0:
                progress(number, len(found.paths))
        file_index.save(self.table, changed)
        file_index.forget(self.table, [p for p in known if p not in found.stats])
        report.files = len(rows)
        return rows

    def files_changed(self, paths: list[Path]) -> list[Candidate]:
        """Index these files and relearn the families they are in (if changed).

        The families are found from the whole index, as `mine` finds them: a
        commit of one family's new member must not regroup another family from
        the few files beside it.
        """
        relatives = [r for r in (_relative(path, self.root) for path in paths) if r is not None]
        # the watcher sees ignored files too: never mine them
        hidden = ignored(self.root, relatives)
        wanted = [r for r in relatives if r not in hidden and not skip_reason(self.root, r)]
        known = file_index.load(self.table)
        fresh = [file_index.read_file(self.root, r, known.get(r), self.manager)[0] for r in wanted]
        gone = [r for r in relatives if r in known and not (self.root / r).is_file()]
        file_index.save(self.table, fresh)
        file_index.forget(self.table, gone)
        known.update({row.path: row for row in fresh})
        for path in gone:
            known.pop(path, None)
        rows = {p: r for p, r in known.items() if r.language not in file_index.UNMINED}
        return self._relearn(rows, {row.path for row in fresh} | set(gone))

    def _relearn(self, rows: dict[str, IndexedFile], changed: set[str]) -> list[Candidate]:
        """Candidates for the families (found from every row) that hold a changed file."""
        from repetend.files.unit_grouping import find_units

        families = find_units(
            find_families(rows.values(), self.min_examples, FAMILY_THRESHOLD), self.min_examples
        )
        found: list[Candidate] = []
        for family in families:
            if not changed & set(family.paths):
                continue
            candidate = self.learn(family, [rows[p] for p in family.paths], changed)
            if candidate is not None:
                found.append(candidate)
        return found


Job = tuple[Family, list[IndexedFile], Path]


def learn_one(job: Job) -> Candidate:
    """Learn one family's (or unit's) template from scratch."""
    from repetend.files.candidates import candidate_for
    from repetend.files.units import unit_candidate

    family, members, root = job
    if family.files:
        return unit_candidate(family, {row.path: row for row in members}, root)
    return candidate_for(family, members, root)


def learn_all(jobs: list[Job], workers: int = 1) -> list[Candidate]:
    """Learn many families, in family order (so ids are given in a stable order).

    `workers` is the `mine_workers` setting: 0 spreads a large repository's
    families over one process per core.
    """
    from repetend.files.parallel_learning import map_in_order, worker_count

    files = sum(len(members) for _, members, _ in jobs)
    count = worker_count(workers, files, len(jobs))
    return map_in_order(learn_one, jobs, count, lambda job: len(job[1]))


def _relative(path: Path, root: Path) -> str | None:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except (OSError, ValueError):
        return None
