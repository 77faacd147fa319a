"""How a pattern stands in use, as `candidates show` and `status` show it."""

from __future__ import annotations

from typing import Any

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns import circuit
from repetend.patterns.monitor import current_uses
from repetend.patterns.semver import semver
from repetend.store.base import Store


def standing(store: Store, config: Config, candidate: Candidate) -> dict[str, Any]:
    """Metrics, circuit, the monitoring of the first uses, and the versions of one pattern."""
    from repetend.patterns.versions import kept_versions, proposed_version

    metrics = store.metrics(candidate.id)
    window = int(config.quarantine_uses)
    watched = current_uses(store, candidate)[:window]
    return {
        "uses": {
            "uses": metrics.uses if metrics else 0,
            "successes": metrics.successes if metrics else 0,
            "workarounds": metrics.workarounds if metrics else 0,
            "failures": metrics.failures if metrics else 0,
            "seconds_saved": round(metrics.seconds_saved, 1) if metrics else 0.0,
            "last_used_at": _when(metrics.last_used_at if metrics else None),
        },
        "circuit": circuit.describe(store.circuit(candidate.id), config),
        "monitoring": {
            "auto_approved": _auto_approved(store, candidate.id),
            "first_uses": f"{len(watched)} of {window}",
            "failures": sum(u.outcome == "failure" for u in watched),
            "quarantine_above": f"{float(config.quarantine_failure_rate):.0%}",
        },
        "versions": {
            "current": semver(candidate.spec.get("version")),
            "kept": [f"{v} ({status})" for v, status in kept_versions(config, candidate.id)],
            "proposed": proposed_version(config, candidate),
            "proposed_diff": _proposed_diff(config, candidate),
        },
    }


def _auto_approved(store: Store, pattern_id: str) -> bool:
    """Whether the last approval was repetend's own (aggressive mode), not a person's."""
    from repetend.patterns.versions import is_approval

    # A rollback by the monitor restores a version; it is not an automatic approval.
    approvals = [
        e for e in store.audit_log(pattern_id) if is_approval(e) and e.from_status != "approved"
    ]
    return bool(approvals) and approvals[-1].actor.startswith("repetend")


def open_circuits(store: Store, config: Config) -> list[str]:
    """Ids of the patterns whose circuit is open or half-open."""
    found = []
    for candidate in store.candidates(status="approved"):
        state = circuit.state(store.circuit(candidate.id), config)
        if state != circuit.CLOSED:
            found.append(f"{candidate.id} ({state})")
    return found


def _when(moment: object) -> str | None:
    return moment.isoformat(timespec="seconds") if hasattr(moment, "isoformat") else None


def _proposed_diff(config: Config, candidate: Candidate) -> str | None:
    """Where the proposed version's diff against the approved one is, relative to the root."""
    from repetend.patterns.versions import DIFF, history_dir, proposed_version

    version = proposed_version(config, candidate)
    if version is None:
        return None
    path = history_dir(config, candidate.id) / version / DIFF
    inside = path.is_relative_to(config.root)
    return path.relative_to(config.root).as_posix() if inside else str(path)
