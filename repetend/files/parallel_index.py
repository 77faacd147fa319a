"""Reading and signing the files of a first `mine` on every core.

A first mine reads every file: its digest, whether it holds a secret, and its
signature from the plugins (a Python module's skeleton, a YAML file's keys…),
about half a millisecond a file, one file after another until now. When many
files need reading, they are handed out in chunks to forked worker processes
(as `parallel_learning` does for families); the rows come back in the order
the files were found, so the index, the families and every id stay the same.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Iterator
from pathlib import Path

import pluggy

from repetend.files import index as file_index
from repetend.files.index import IndexedFile
from repetend.files.parallel_learning import can_fork, worker_count

CHUNK = 64  # files a worker reads per task: fewer round trips, still an even share

# What the forked workers read with: set in the parent just before the pool forks.
_WORK: tuple[Path, pluggy.PluginManager | None] | None = None
Job = tuple[list[str], list[IndexedFile | None], list[os.stat_result]]


def read_files(
    root: Path,
    paths: list[str],
    known: dict[str, IndexedFile],
    stats: dict[str, os.stat_result],
    manager: pluggy.PluginManager | None,
    setting: int,
) -> Iterator[tuple[str, IndexedFile, bool]]:
    """(path, row, signed) for each of `paths`, in order, read in parallel when worth it."""
    unread = sum(1 for path in paths if not _unchanged(known.get(path), stats[path]))
    jobs: list[Job] = [
        (chunk, [known.get(p) for p in chunk], [stats[p] for p in chunk])
        for chunk in (paths[i : i + CHUNK] for i in range(0, len(paths), CHUNK))
    ]
    workers = worker_count(setting, unread, len(jobs))
    if workers <= 1 or not can_fork():
        for path in paths:
            row, signed = file_index.read_file(root, path, known.get(path), manager, stats[path])
            yield path, row, signed
        return
    global _WORK
    _WORK = (root, manager)
    try:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for chunk, rows in zip(jobs, pool.imap(_read_chunk, jobs), strict=True):
                yield from (
                    (path, row, signed) for path, (row, signed) in zip(chunk[0], rows, strict=True)
                )
    finally:
        _WORK = None


def _read_chunk(job: Job) -> list[tuple[IndexedFile, bool]]:
    assert _WORK is not None
    root, manager = _WORK
    return [
        file_index.read_file(root, path, old, manager, stat)
        for path, old, stat in zip(*job, strict=True)
    ]


def _unchanged(known: IndexedFile | None, stat: os.stat_result) -> bool:
    return known is not None and (known.size, known.mtime_ns) == (stat.st_size, stat.st_mtime_ns)
