"""`repetend mine`: index, find families, learn templates, and propose them as candidates."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
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
    *,
    caller_reports: bool = False,
) -> tuple[MineReport, list[Proposal]]:
    """Mine `root` and propose a candidate per changed family, template folder included.

    `caller_reports`: the caller shows the families itself, so the terminal
    notifier stays quiet (other notifiers still hear of every new pattern).
    """
    report = FileMiner(root, store, config, manager).mine(progress)
    proposals = propose(report.candidates, store, config, manager, caller_reports=caller_reports)
    _write_folders(config, proposals)
    return report, proposals


def _write_folders(config: Config, proposals: list[Proposal]) -> None:
    """Write each proposal's template folder; the writes overlap, as each one waits on fsync."""
    if len(proposals) < 2:
        for proposal in proposals:
            write_template_folder(config.patterns_dir, proposal.candidate)
        return
    with ThreadPoolExecutor(max_workers=8) as pool:
        written = [
            pool.submit(write_template_folder, config.patterns_dir, p.candidate) for p in proposals
        ]
        for future in written:
            future.result()  # a failed write raises here, as it did before
