"""The evolution tracker: how a pattern does in use, what goes wrong, and its next version.

After each judged use, `.repetend/reports/evolution/<id>.yaml` is written with
the pattern's performance (uses, success rate, average time saved and its
source, workarounds), its edge cases (lines people edited in rendered files,
members made by hand that the template does not reproduce), the issues
detected (success rate below `evolution_success_rate`) and recommended
improvements with their estimated impact. With `edge_cases_for_version` (5)
edge cases, the template is learned again from its members and the edge cases
and proposed as the next version (see `repetend.patterns.versions`).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from repetend.events import Candidate
from repetend.fileio import atomic_write
from repetend.patterns.clock import now
from repetend.patterns.monitor import current_uses
from repetend.patterns.semver import semver
from repetend.private_files import private_dir
from repetend.store.base import PatternUse, Store

if TYPE_CHECKING:
    import pluggy

    from repetend.config import Config

EVOLUTION = ("reports", "evolution")


def report_path(config: Config, pattern_id: str) -> Path:
    """Where a pattern's evolution report is written."""
    return config.state_dir.joinpath(*EVOLUTION, f"{pattern_id}.yaml")


def edge_cases(uses: list[PatternUse]) -> list[dict[str, Any]]:
    """The files of workarounds (edited fixed lines) and hand-made members the template misses."""
    found = []
    for use in uses:
        files = use.evidence.get("files") or [use.evidence]
        for item in files:
            missed = use.evidence.get("source") == "check" and use.outcome == "failure"
            if missed or (use.outcome == "workaround" and item.get("gone")):
                found.append(
                    {
                        "path": item.get("path", ""),
                        "kind": "member the template misses" if missed else "workaround",
                        "fixed_lines_gone": item.get("gone", []),
                        "edited_lines": item.get("edited_lines", []),
                        "at": use.at.isoformat(timespec="seconds") if use.at else "",
                    }
                )
    return found


def track(
    store: Store, config: Config, manager: pluggy.PluginManager, pattern_id: str
) -> dict[str, Any] | None:
    """Write the pattern's evolution report (proposing its next version when earned)."""
    candidate = store.get_candidate(pattern_id)
    if candidate is None:
        return None
    uses = current_uses(store, candidate)
    cases = edge_cases(uses)
    from repetend.patterns.versions import later_version

    # A later version kept already (proposed, or rolled back from) answers these edge cases.
    proposed = later_version(config, candidate)
    if not proposed and len(cases) >= int(config.edge_cases_for_version):
        proposed = _propose(store, config, manager, candidate, cases)
    report = evolution_report(config, candidate, uses, cases, proposed)
    from repetend.patterns.files import dump_yaml

    # It quotes lines people wrote (redacted): a private file, as captured text is.
    path = report_path(config, pattern_id)
    private_dir(path.parent)
    atomic_write(path, dump_yaml(report), mode=0o600)
    return report


def evolution_report(
    config: Config,
    candidate: Candidate,
    uses: list[PatternUse],
    cases: list[dict[str, Any]],
    proposed: object,
) -> dict[str, Any]:
    """The report's document (see the module docstring for its fields)."""
    performance = _performance(uses)
    issues, improvements = _issues(config, performance, cases)
    return {
        "pattern_id": candidate.id,
        "version": semver(candidate.spec.get("version")),
        "status": candidate.status,
        "generated_at": now().isoformat(timespec="seconds"),
        "performance": performance,
        "edge_cases": cases,
        "issues_detected": issues,
        "recommended_improvements": improvements,
        "proposed_version": str(proposed) if proposed else None,
    }


def _performance(uses: list[PatternUse]) -> dict[str, Any]:
    count = len(uses)
    outcomes = {o: sum(u.outcome == o for u in uses) for o in ("success", "workaround", "failure")}
    saved = [u.seconds_saved for u in uses if u.outcome != "failure"]
    sources = sorted({str(u.evidence.get("seconds_source", "")) for u in uses} - {""})
    return {
        "uses": count,
        "successes": outcomes["success"],
        "workarounds": outcomes["workaround"],
        "failures": outcomes["failure"],
        "success_rate": round(outcomes["success"] / count, 4) if count else None,
        "average_seconds_saved": round(sum(saved) / len(saved), 1) if saved else 0.0,
        "seconds_saved_source": sources,
    }


def _issues(
    config: Config, performance: dict[str, Any], cases: list[dict[str, Any]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    issues: list[dict[str, Any]] = []
    improvements: list[dict[str, Any]] = []
    rate, floor = performance["success_rate"], float(config.evolution_success_rate)
    if rate is not None and rate < floor:
        issues.append({"issue": f"success rate {rate:.0%} is below {floor:.0%}", "flag": True})
    if cases:
        lines = sorted({line for case in cases for line in case["fixed_lines_gone"]})
        issues.append({"issue": f"{len(cases)} edge case(s)", "fixed_lines_edited": lines[:20]})
        share = len(cases) / max(performance["uses"], 1)
        improvements.append(
            {
                "change": "make the edited fixed lines variables (learn the next version"
                " with the edge cases)",
                "estimated_impact": f"up to {share:.0%} more uses without hand edits",
            }
        )
    return issues, improvements


def _propose(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate: Candidate,
    cases: list[dict[str, Any]],
) -> str | None:
    """Learn the template from its members and the edge cases; propose it as the next version."""
    fresh = _relearned(config.root, candidate, [str(c["path"]) for c in cases])
    if fresh is None or fresh.spec.get("body_digest") == candidate.spec.get("body_digest"):
        return None
    from repetend.patterns import versions
    from repetend.patterns.lifecycle import notify

    if not (
        versions.history_dir(config, candidate.id) / semver(candidate.spec.get("version"))
    ).is_dir():
        versions.archive(config, candidate)
    version = versions.propose_next(config, candidate, fresh)  # the approved spec stays as is
    where = versions.history_dir(config, candidate.id) / version
    message = (
        f"{candidate.id}: version {version} proposed, learned with {len(cases)} edge cases:"
        f" {where.relative_to(config.root).as_posix()}/ (`repetend candidates approve"
        f" {candidate.id}` to use it)"
    )
    notify(manager, config, "status", message, candidate)
    return version


def _relearned(root: Path, candidate: Candidate, extra: list[str]) -> Candidate | None:
    """The candidate learned again from its members that exist and the edge-case files."""
    if candidate.kind != "file-template" or len(candidate.spec.get("files") or []) != 1:
        return None  # a multi-file unit is relearned by `repetend mine`
    from repetend.templates.generator import Member, generate
    from repetend.templates.spec import template_spec

    paths = [str(p) for p in candidate.spec.get("members") or []] + extra
    members = [Member(p, _read(root / p)) for p in dict.fromkeys(paths) if (root / p).is_file()]
    if len(members) < 2:
        return None
    try:
        template = generate(members)
    except Exception:  # a family that no longer aligns: nothing to propose
        return None
    family = str(candidate.spec.get("family", ""))
    spec = template_spec([template], family, "edge-cases")
    from dataclasses import replace

    return replace(
        candidate, spec=spec, occurrences=len(members), evidence=[m.path for m in members]
    )


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""
