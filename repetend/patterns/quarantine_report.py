"""The failure report a quarantined pattern gets beside its spec: why, and the uses that failed."""

from __future__ import annotations

from pathlib import Path

from repetend.config import Config
from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.files import status_folder
from repetend.store.base import Store

SUFFIX = ".failures.md"
SHOWN = 20  # failed uses listed at most


def report_path(config: Config, pattern_id: str) -> Path:
    """Where a quarantined pattern's failure report is."""
    return status_folder(config.patterns_dir, "quarantined") / f"{pattern_id}{SUFFIX}"


def write_failure_report(store: Store, config: Config, candidate: Candidate, why: str) -> Path:
    """Write the report: the reason, the pattern's metrics, its failed uses with their evidence."""
    metrics = store.metrics(candidate.id)
    failed = [u for u in store.uses(candidate.id) if u.outcome == "failure"][-SHOWN:]
    lines = [
        f"# {candidate.id} quarantined",
        "",
        f"Why: {why}.",
        "",
    ]
    if metrics:
        lines.append(
            f"Uses: {metrics.uses}, successes {metrics.successes}, workarounds"
            f" {metrics.workarounds}, failures {metrics.failures}."
        )
        lines.append("")
    lines += ["| when | version | how | file |", "|---|---|---|---|"]
    for use in failed:
        files = use.evidence.get("files") or [use.evidence]
        for item in files:
            when = use.at.isoformat(timespec="seconds") if use.at else ""
            lines.append(
                f"| {when} | {use.version} | {item.get('why', '')} | {item.get('path', '')} |"
            )
    lines += ["", f"Fix the template, then `repetend candidates approve {candidate.id}`.", ""]
    path = report_path(config, candidate.id)
    atomic_write(path, "\n".join(lines))
    return path


def remove_failure_report(config: Config, pattern_id: str) -> None:
    """A pattern that leaves quarantine leaves its report behind it."""
    report_path(config, pattern_id).unlink(missing_ok=True)
