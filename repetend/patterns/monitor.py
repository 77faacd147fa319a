"""What the measures do after each use: the circuit breaker, quarantine, alerts, rollback.

- A pattern's first `quarantine_uses` (10) uses since its approval are watched:
  more than `quarantine_failure_rate` (40%) of them failing quarantines it.
- Past them, the failure rate of its last `quarantine_uses` uses above
  `alert_critical_rate` (50%) is a CRITICAL alert and quarantines it; above
  `alert_high_rate` (40%) a HIGH alert.
- `circuit_failures` (3) failures in a row open its circuit (see `circuit`); when
  a version after the first opens it, the last good version is restored.
- An approved pattern unused for `unused_alert_days` (7) is a MEDIUM alert.
- Failures of active anti-patterns up by half in a week are a LOW alert (`repetend.heal.rising`).
Alerts go through the notify hook (event `alert`) and are kept in the store.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pluggy

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns import circuit as breaker
from repetend.patterns.clock import now
from repetend.store.base import PatternUse, Store

ACTOR = "repetend (monitor)"
WATCHED = ("approved", "draft")


def after_use(store: Store, config: Config, manager: pluggy.PluginManager, use: PatternUse) -> None:
    """Update the pattern's circuit and act on its failure rates after one judged use."""
    candidate = store.get_candidate(use.pattern_id)
    if candidate is None or candidate.status not in WATCHED:
        return
    at = now()  # the circuit's clock (injectable), while uses keep the time they were stored
    circuit = store.circuit(candidate.id)
    checked = use.evidence.get("source") == "check"  # a check renders nothing: it only counts
    trial = bool(use.evidence.get("trial")) and circuit.state == breaker.OPEN
    if use.outcome == "failure" and trial:
        quarantine(store, config, manager, candidate, "its half-open trial use failed", "HIGH")
        return
    if use.outcome == "failure":
        updated = breaker.failed(store, config, circuit, at)
        opened = updated.state == breaker.OPEN and circuit.state != breaker.OPEN
        if opened and _opened(store, config, manager, candidate, updated.reason):
            return
    elif (circuit.failures and not checked) or trial:
        breaker.reset(store, candidate.id)
        if trial:
            say(manager, config, candidate, f"{candidate.id}: trial use passed; circuit closed")
    _watch_rates(store, config, manager, candidate)


def _opened(
    store: Store, config: Config, manager: pluggy.PluginManager, candidate: Candidate, why: str
) -> bool:
    """Alert that the circuit opened; roll a later version back. Whether it rolled back."""
    from repetend.patterns.semver import FIRST, semver
    from repetend.patterns.versions import kept_versions, rollback

    version = semver(candidate.spec.get("version"))
    kept = [v for v, status in kept_versions(config, candidate.id) if status == "approved"]
    earlier = [v for v in kept if v != version]
    if version == FIRST or not earlier or candidate.status != "approved":
        alert(store, config, manager, candidate, "HIGH", f"circuit open ({why}): not applied")
        return False
    note = f"circuit of {version} opened ({why})"
    restored = rollback(store, config, candidate, None, actor=ACTOR, note=note)
    breaker.reset(store, candidate.id)
    message = f"{note}: rolled back to {semver(restored.spec.get('version'))}"
    alert(store, config, manager, restored, "HIGH", message)
    return True


def _watch_rates(
    store: Store, config: Config, manager: pluggy.PluginManager, candidate: Candidate
) -> None:
    uses = current_uses(store, candidate)
    window = int(config.quarantine_uses)
    first = [u for u in uses[:window] if u.outcome == "failure"]
    if len(first) > float(config.quarantine_failure_rate) * window:
        why = f"{len(first)} of its first {window} uses failed"
        quarantine(store, config, manager, candidate, why, "HIGH")
        return
    if len(uses) < window:
        return
    rate = sum(u.outcome == "failure" for u in uses[-window:]) / window
    why = f"{rate:.0%} of its last {window} uses failed"
    if rate > float(config.alert_critical_rate):
        quarantine(store, config, manager, candidate, why, "CRITICAL")
    elif rate > float(config.alert_high_rate):
        alert(
            store,
            config,
            manager,
            candidate,
            "HIGH",
            why,
            once_since=approved_at(store, candidate.id),
        )


def current_uses(store: Store, candidate: Candidate) -> list[PatternUse]:
    """The uses of the pattern's current version since it was last approved, oldest first."""
    from repetend.patterns.semver import semver

    version = semver(candidate.spec.get("version"))
    since = approved_at(store, candidate.id)
    return [u for u in store.uses(candidate.id, since=since) if semver(u.version) == version]


def approved_at(store: Store, pattern_id: str) -> datetime | None:
    """When the pattern was last approved (uses before then belong to an earlier review)."""
    from repetend.patterns.versions import is_approval

    times = [e.created_at for e in store.audit_log(pattern_id) if is_approval(e)]
    return times[-1] if times else None


def quarantine(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate: Candidate,
    why: str,
    level: str,
) -> None:
    """Quarantine the pattern with a failure report, close its circuit, and alert."""
    from repetend.patterns.lifecycle import review
    from repetend.patterns.quarantine_report import write_failure_report

    if candidate.status == "quarantined":
        return
    updated = review(store, config, manager, candidate.id, "quarantined", actor=ACTOR, note=why)
    write_failure_report(store, config, updated, why)
    breaker.reset(store, candidate.id)
    alert(store, config, manager, updated, level, f"quarantined: {why}")


def alert(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate: Candidate,
    level: str,
    message: str,
    *,
    once_since: datetime | None = None,
) -> bool:
    """Send one alert through the notify hook and keep it; with `once_since`, only once since."""
    sent = store.alerts(candidate.id)
    if once_since is not None and any(lv == level and at >= once_since for _, lv, _, at in sent):
        return False
    text = f"{level}: {candidate.id}: {message}"
    store.add_alert(candidate.id, level, text, at=now())
    say(manager, config, candidate, text, event="alert")
    return True


def say(
    manager: pluggy.PluginManager,
    config: Config,
    candidate: Candidate,
    message: str,
    *,
    event: str = "status",
) -> None:
    """A notification about a pattern, as a warning."""
    from repetend.patterns.lifecycle import notify

    notify(manager, config, event, message, candidate, level="warning")


def unused_alerts(store: Store, config: Config, manager: pluggy.PluginManager) -> list[str]:
    """MEDIUM alerts for approved patterns unused for `unused_alert_days` (once per idle spell)."""
    days = int(config.unused_alert_days)
    moment = now()
    sent = []
    for candidate in store.candidates(status="approved"):
        metrics = store.metrics(candidate.id)
        since = max(
            [
                t
                for t in (
                    metrics.last_used_at if metrics else None,
                    approved_at(store, candidate.id),
                )
                if t
            ],
            default=candidate.updated_at,
        )
        if moment - since < timedelta(days=days):
            continue
        idle = (moment - since).days
        message = f"approved and unused for {idle} days"
        if alert(store, config, manager, candidate, "MEDIUM", message, once_since=since):
            sent.append(candidate.id)
    return sent
