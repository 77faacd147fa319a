"""The circuit breaker of a pattern: closed, open after failures in a row, half-open later.

`circuit_failures` (3) failures in a row open it: the pattern is not suggested
and `apply` refuses it (`--force` overrides). After `circuit_half_open_seconds`
(60) it is half-open: the next use is a trial. A successful trial closes it; a
failed one quarantines the pattern (see `monitor`). Time is `clock.now()`.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

from repetend.config import Config
from repetend.errors import UsageError
from repetend.patterns.clock import now
from repetend.store.base import Circuit, Store

CLOSED, OPEN, HALF_OPEN = "closed", "open", "half-open"


def state(circuit: Circuit, config: Config, at: datetime | None = None) -> str:
    """`closed`, `open`, or `half-open` once the open circuit has waited its delay."""
    if circuit.state != OPEN or circuit.opened_at is None:
        return circuit.state
    return HALF_OPEN if (at or now()) >= half_open_at(circuit, config) else OPEN


def half_open_at(circuit: Circuit, config: Config) -> datetime:
    """When an open circuit lets its next use through as a trial."""
    opened = circuit.opened_at or now()
    return opened + timedelta(seconds=float(config.circuit_half_open_seconds))


def gate(
    store: Store, config: Config, pattern_id: str, *, force: bool, verb: str = "apply"
) -> bool:
    """Let a use through or refuse it in one line; return whether it is a half-open trial.

    `verb` is what the use does (`apply`, `run`), for the message.
    """
    circuit = store.circuit(pattern_id)
    current = state(circuit, config)
    if current == OPEN and not force:
        wait = (half_open_at(circuit, config) - now()).total_seconds()
        done = {"apply": "applied", "run": "run"}.get(verb, verb)
        raise UsageError(
            f"{pattern_id}: not {done}: its circuit is open ({circuit.reason}); it takes a"
            f" trial use in {max(wait, 0):.0f} s, or use --force to {verb} it anyway"
        )
    return current == HALF_OPEN


def in_service(store: Store, config: Config, pattern_id: str) -> bool:
    """Whether a pattern may be suggested: its circuit is not open (half-open takes a trial)."""
    return state(store.circuit(pattern_id), config) != OPEN


def failed(store: Store, config: Config, circuit: Circuit, at: datetime) -> Circuit:
    """Count a failure; open the circuit at `circuit_failures` in a row. Return the new state."""
    failures = circuit.failures + 1
    if circuit.state == OPEN or failures < int(config.circuit_failures):
        updated = replace(circuit, failures=failures)
    else:
        reason = f"{failures} failures in a row"
        updated = Circuit(circuit.pattern_id, OPEN, failures, at, reason)
    store.save_circuit(updated)
    return updated


def reset(store: Store, pattern_id: str) -> Circuit:
    """Close the circuit and forget the failures (a success, a trial passed, a new approval)."""
    closed = Circuit(pattern_id)
    store.save_circuit(closed)
    return closed


def describe(circuit: Circuit, config: Config) -> dict[str, object]:
    """The circuit as `candidates show` and `status` show it."""
    shown: dict[str, object] = {
        "state": state(circuit, config),
        "failures_in_a_row": circuit.failures,
    }
    if circuit.state == OPEN:
        shown["opened_at"] = (
            circuit.opened_at.isoformat(timespec="seconds") if circuit.opened_at else ""
        )
        shown["half_open_at"] = half_open_at(circuit, config).isoformat(timespec="seconds")
        shown["reason"] = circuit.reason
    return shown
