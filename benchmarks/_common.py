"""Shared set-up for the benchmarks: a store in a temporary repository and a timer."""

from __future__ import annotations

import resource
import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(ROOT))

T = TypeVar("T")


def timed(action: Callable[[], T]) -> tuple[T, float]:
    """Run `action`; return its result and the wall-clock seconds it took."""
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def cpu_timed(action: Callable[[], T]) -> tuple[T, float, float]:
    """Run `action`; return its result, wall-clock seconds and this process's CPU seconds.

    On a shared machine the CPU time is the steadier figure: it leaves out the
    time other processes had the cores. Worker processes' CPU time counts too.
    """
    start, cpu = time.perf_counter(), _cpu()
    result = action()
    return result, time.perf_counter() - start, _cpu() - cpu


def _cpu() -> float:
    """CPU seconds of this process and of the worker processes it has waited for."""
    own, children = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def peak_rss_mb() -> float:
    """The process's peak resident memory so far, in MB (Linux reports KiB)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def copy_tree(source: Path, destination: Path) -> None:
    """Copy a read-only corpus so the benchmark can write its store beside it."""
    shutil.copytree(source, destination)
    for path in [destination, *destination.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)


@contextmanager
def miner_for(root: Path) -> Iterator[Callable[[], object]]:
    """A function that runs `repetend mine` on `root` in this process (as the command does).

    The modules `mine` uses are imported here, before any timing: the git hooks need
    them imported lazily, but importing is a per-process cost, not mining.
    """
    import yaml  # noqa: F401 - the spec writer's

    import repetend.files.candidates
    import repetend.files.units
    import repetend.patterns.spec_yaml  # noqa: F401
    from repetend.config import load_config
    from repetend.files.mine import mine_repository
    from repetend.plugins.registry import get_plugin_manager
    from repetend.store import open_store

    config = load_config(root)
    store = open_store(config)
    manager = get_plugin_manager()
    try:
        yield lambda: mine_repository(root, store, config, manager, caller_reports=True)
    finally:
        store.close()
