"""Learning from failures: fill the signature store, mine rules, anti-patterns and flaky tests.

`repetend heal --learn` runs it, and so does a background learner started
after a failure was followed by a success (see `capture.learn`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

import pluggy

from repetend.config import Config
from repetend.events import Candidate, Event
from repetend.failures import anti_patterns, flaky, recovery, rules, test_fixes
from repetend.failures.collect import collect
from repetend.heal.rising import rising_alert
from repetend.patterns import clock
from repetend.patterns.circuit import in_service
from repetend.patterns.lifecycle import propose
from repetend.store import SQLiteStore


@dataclass
class Learned:
    """What one learning pass found."""

    failures: int = 0
    rules: list[Candidate] = field(default_factory=list)
    new_rules: list[str] = field(default_factory=list)
    anti_patterns: int = 0
    flaky: list[flaky.FlakyTest] = field(default_factory=list)

    def to_dict(self) -> dict[str, object]:
        """The JSON form."""
        return {
            "failures_collected": self.failures,
            "rules": [{"id": r.id, "status": r.status, "name": r.name} for r in self.rules],
            "new_rules": self.new_rules,
            "anti_patterns": self.anti_patterns,
            "flaky": [f.nodeid for f in self.flaky],
        }


def learn(store: SQLiteStore, config: Config, manager: pluggy.PluginManager) -> Learned:
    """One pass: collect failures, propose rules, write anti-patterns and the known index."""
    done = Learned(failures=collect(store))
    now = clock.now()  # REPETEND_CLOCK, as the use loop reads it
    since = now - timedelta(days=int(config.lookback_days))
    events: list[Event] = [
        *store.events(kind="command", since=since),
        *store.events(kind="tool_use", since=since),
    ]
    window = timedelta(minutes=int(config.recovery_window_minutes))
    fixes = recovery.find_fixes(recovery.attempts(events), window)
    runs = flaky.recorded_runs(store, since)
    snapshots = _snapshots(store, since)
    fixes += test_fixes.find_test_fixes(config.root, runs, snapshots)
    chosen = recovery.rules(fixes, int(config.min_recovery_examples))
    # A rule made before keeps learning: a counter-example since lowers its confidence and,
    # unless a person approved it, stops it being suggested.
    made = {c.signature for c in store.candidates(kind=rules.KIND)}
    taken = {id(fix) for fix, _ in chosen}
    chosen += [
        (fix, 0)
        for fix in fixes
        if id(fix) not in taken and fix.examples and rules.candidate_signature(fix) in made
    ]
    candidates = [rules.rule_candidate(fix, alternatives) for fix, alternatives in chosen]
    proposals = propose(candidates, store, config, manager) if candidates else []
    done.new_rules = [p.candidate.id for p in proposals if p.created]
    done.rules = store.candidates(kind=rules.KIND)
    serving = {r.id for r in done.rules if in_service(store, config, r.id)}
    rules.write_rule_files(config, done.rules, serving)
    done.flaky = flaky.find_flaky(runs)
    recommendations = {
        rules.recovery(r)["trigger"]["signature"]: f"recovery rule {r.id}: {r.name}"
        for r in done.rules
        if rules.recovery(r) and r.status in ("draft", "approved")
    }
    existing = anti_patterns.existing_by_signature(store)
    records = anti_patterns.build(
        store.failures(since=since), done.flaky, config, now, existing, recommendations
    )
    store.save_anti_patterns(records)
    stored = [r for r in store.anti_patterns() if r.pattern_id]
    if stored:
        anti_patterns.write_registry(config, stored)
    done.anti_patterns = len(stored)
    rising_alert(store, config, manager, now)
    known = rules.read_index(config.state_dir)
    known["flaky"] = {f.nodeid: f.summary() for f in done.flaky if not f.likely}
    known["flaky_signatures"] = sorted(
        {s for f in done.flaky if not f.likely for s in f.signatures}
    )
    rules.write_known(config.state_dir, known)
    return done


def _snapshots(store: SQLiteStore, since: object) -> dict[str, str]:
    found: dict[str, str] = {}
    for session in store.events(source="pytest", kind="session", since=since):  # type: ignore[arg-type]
        snapshot = session.payload.get("snapshot")
        if isinstance(snapshot, str) and snapshot:
            found[session.session] = snapshot
    return found


def learn_in_background(store: SQLiteStore, config: Config, manager: pluggy.PluginManager) -> None:
    """The background learner: hold the lock, learn, and again while successes asked for it."""
    import os

    folder = config.state_dir / "failures"
    lock, again = folder / "learning", folder / "again"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    lock.write_text(str(os.getpid()))
    try:
        for _ in range(5):
            again.unlink(missing_ok=True)
            learn(store, config, manager)
            if not again.exists():
                break
    finally:
        lock.unlink(missing_ok=True)
