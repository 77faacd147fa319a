"""Running a recipe: its steps in order in the repository, stopping at the first that fails.

Each step is one `/bin/sh -c` command line in the repository's root, with the
caller's stdin and stderr (stdout too, unless the caller keeps it for JSON). A
step that exits non-zero, or runs past the timeout (exit 124, as `timeout(1)`
says), is the recipe's failure at that step: the steps after it do not run.

Each run is one use of the pattern (`repetend.uses.record`): a success saves
what the same steps took by hand less this run's time (`saved`; else the
`seconds_per_step` fallback), a failure saves nothing, and the evidence keeps
every step's command (redacted), exit status and duration. So the metrics, the
circuit breaker and quarantine act on recipes as on templates.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from repetend.events import Candidate
from repetend.patterns.semver import semver
from repetend.recipes.steps import Step
from repetend.redact import redact_text
from repetend.store.base import PatternUse, Store

if TYPE_CHECKING:
    import pluggy

    from repetend.config import Config

TIMED_OUT = 124


@dataclass(frozen=True)
class StepResult:
    """How one step ended."""

    number: int
    command: str
    exit_status: int
    seconds: float


@dataclass
class RecipeRun:
    """The steps that ran, in order; the last one failed unless all passed."""

    steps: list[Step]
    results: list[StepResult] = field(default_factory=list)

    @property
    def failed(self) -> StepResult | None:
        """The step that failed, if one did."""
        last = self.results[-1] if self.results else None
        return last if last is not None and last.exit_status != 0 else None

    @property
    def seconds(self) -> float:
        """How long the steps that ran took."""
        return sum(result.seconds for result in self.results)


def run_steps(
    steps: list[Step], root: Path, *, timeout: float | None = None, stdout: IO[Any] | None = None
) -> RecipeRun:
    """Run the steps one after another; stop after the first that fails."""
    run = RecipeRun(steps)
    for step in steps:
        result = _run_one(step, root, timeout, stdout)
        run.results.append(result)
        if result.exit_status != 0:
            break
    return run


def _run_one(step: Step, root: Path, timeout: float | None, stdout: IO[Any] | None) -> StepResult:
    started = time.perf_counter()
    # Outside a terminal's foreground the step gets a process group of its own, so stopping
    # it (a timeout, an interrupt sent to repetend alone) stops what it started too; in the
    # foreground it stays in the terminal's group, where an editor or a prompt works.
    own_group = not _in_terminal_foreground()
    command = ["/bin/sh", "-c", step.command]
    process = subprocess.Popen(command, cwd=root, stdout=stdout, start_new_session=own_group)
    try:
        status = process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        _stop(process, own_group, first=signal.SIGTERM)
        status = TIMED_OUT
    except KeyboardInterrupt:  # a terminal's Ctrl-C reached the step already; else it is sent
        _stop(process, own_group, first=signal.SIGINT)
        raise
    if status < 0:  # killed by a signal: the shell's convention
        status = 128 - status
    return StepResult(step.number, step.command, status, time.perf_counter() - started)


def _stop(process: subprocess.Popen[bytes], own_group: bool, *, first: int) -> None:
    """Signal the step (its group when it has one), harder each time it does not end."""
    for number, grace in ((first, 5.0), (signal.SIGTERM, 2.0), (signal.SIGKILL, 5.0)):
        if process.poll() is not None:
            return
        try:
            if own_group:
                os.killpg(process.pid, number)
            else:
                process.send_signal(number)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue


def _in_terminal_foreground() -> bool:
    try:
        return os.tcgetpgrp(sys.stdin.fileno()) == os.getpgrp()
    except (OSError, ValueError, AttributeError):
        return False


def record_run(
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
    candidate: Candidate,
    run: RecipeRun,
    *,
    actor: str,
    trial: bool,
) -> PatternUse:
    """Record the run as one use of the recipe (its measures act on it); return the use."""
    from repetend.uses.record import record

    failed = run.failed
    evidence: dict[str, Any] = {
        "source": "recipe",
        "trial": trial,
        "steps": [
            {
                "step": r.number,
                "command": redact_text(r.command),
                "exit_status": r.exit_status,
                "seconds": round(r.seconds, 3),
            }
            for r in run.results
        ],
        "steps_in_recipe": len(run.steps),
    }
    if failed is not None:
        why = "timed out" if failed.exit_status == TIMED_OUT else f"exited {failed.exit_status}"
        evidence.update(failed_step=failed.number, why=f"step {failed.number} {why}")
        seconds, source = 0.0, "a failure saves nothing"
    else:
        from repetend.recipes.saved import seconds_saved

        evidence["why"] = f"all {len(run.steps)} step(s) exited 0"
        step = float(config.seconds_per_step)
        seconds, source = seconds_saved(store, candidate, run.seconds, len(run.steps), step)
    evidence["seconds_source"] = source
    outcome = "failure" if failed is not None else "success"
    version = semver(candidate.spec.get("version"))
    use = PatternUse(candidate.id, outcome, version, actor, seconds, evidence)
    record(store, config, manager, use)
    return use
