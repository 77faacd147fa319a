"""`repetend mine`: index, find families, learn templates, and propose them as candidates."""

from __future__ import annotations

from pathlib import Path

import pluggy

from repetend.config import Config
from repetend.miners.file_miner import FileMiner, MineReport, Progress
from repetend.patterns.lifecycle import Proposal, propose
from repetend.patterns.template_files import write_template_folder
from repetend.store.base import Store


def mine_repository(
    root: Path,
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    progress: Progress | None = None,
) -> tuple[MineReport, list[Proposal]]:
    """Mine `root` and propose a candidate per changed family, template folder included."""
    report = FileMiner(root, store, config, manager).mine(progress)
    proposals = propose(report.candidates, store, config, manager)
    for proposal in proposals:
        write_template_folder(config.patterns_dir, proposal.candidate)
    return report, proposals
