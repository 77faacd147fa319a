"""Learning many families' templates at once, one process per core.

Each family is learned on its own (alignment, naming, verification), so the
families of a large repository are spread over worker processes. Workers are
forked (the parent's imports and nothing else are shared; they touch no store)
and the biggest families are handed out first so no core idles at the end.
Results come back in family order, so candidate ids stay stable.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable
from typing import TypeVar

PARALLEL_MIN_FILES = 300  # below this many member files, starting workers costs more than it saves
MAX_WORKERS = 8

J = TypeVar("J")
R = TypeVar("R")


def worker_count(setting: int, files: int, jobs: int) -> int:
    """How many processes to learn with: the setting, or one per core for a large repository."""
    if jobs < 2:
        return 1
    if setting > 0:
        return min(setting, jobs)
    if files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(_cores(), MAX_WORKERS, jobs))


def _cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_in_order(
    work: Callable[[J], R], jobs: list[J], workers: int, size: Callable[[J], int]
) -> list[R]:
    """`[work(job) for job in jobs]`, spread over `workers` forked processes when it can be.

    Sequential when one worker is asked for, when the platform cannot fork, or
    when this process runs other threads (forking them could deadlock).
    """
    if workers <= 1 or not can_fork():
        return [work(job) for job in jobs]
    order = sorted(range(len(jobs)), key=lambda index: -size(jobs[index]))
    with multiprocessing.get_context("fork").Pool(workers) as pool:
        results = pool.map(work, [jobs[index] for index in order], chunksize=1)
    in_order: dict[int, R] = dict(zip(order, results, strict=True))
    return [in_order[index] for index in range(len(jobs))]


def can_fork() -> bool:
    """Whether worker processes can be forked here (and safely: no other threads run)."""
    return "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1
