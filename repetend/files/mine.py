"""`repetend mine`: index, find families, learn templates, and propose them as candidates."""

from __future__ import annotations

from pathlib import Path

import pluggy

from repetend.config import Config
from repetend.fileio import overlapping
from repetend.files.family_identity import family_signature
from repetend.files.miner import FileMiner, MineReport, Progress
from repetend.files.retirement import retire_vanished
from repetend.patterns.lifecycle import Proposal, announce, save_proposals
from repetend.patterns.repair import repair
from repetend.patterns.spec_index import note_written
from repetend.patterns.template_files import write_template_folder
from repetend.store.base import Store


def mine_repository(
    root: Path,
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    progress: Progress | None = None,
    *,
    caller_reports: bool = False,
) -> tuple[MineReport, list[Proposal]]:
    """Mine `root` and propose a candidate per changed family, template folder included.

    `caller_reports`: the caller shows the families itself, so the terminal
    notifier stays quiet (other notifiers still hear of every new pattern).
    """
    repaired = repair(store, config)  # what a run stopped half way left unwritten
    report = FileMiner(root, store, config, manager).mine(progress)
    report.repaired = [problem.candidate.id for problem in repaired]
    proposals = save_proposals(report.candidates, store, config, manager)
    retired = retire_vanished(store, config, (family_signature(f) for f in report.families))
    written = [p.path for p in proposals] + [
        config.root / c.spec_path for c in retired if c.spec_path
    ]
    note_written(store, config, written)  # the next command need not read them back
    # Folders first, all at once, then the notifications: the notify hook that writes a new
    # template's folder finds it written, and a notifier can read every file it names.
    _write_folders(config, proposals)
    announce(proposals, config, manager, caller_reports=caller_reports)
    return report, proposals


def _write_folders(config: Config, proposals: list[Proposal]) -> None:
    """Write each proposal's template folder, the writes overlapping (each waits on fsync)."""
    overlapping(lambda p: write_template_folder(config.patterns_dir, p.candidate), proposals)
