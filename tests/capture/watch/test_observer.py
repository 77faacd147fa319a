"""The watcher when its observer stops working mid-run: one line, then recovery or exit 1.

The observers are killed for real. watchdog walks a new folder tree recursively
(the polling observer's snapshots on every Python; the native observer's new
folder registration through `os.walk`, which is recursive before Python 3.12),
so a tree deeper than Python's recursion limit raises RecursionError in the
observer's own thread.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import plugin_log, repetend, wait_for, write
from tests.capture.watch.process import WatchProcess

DEPTH = 1200  # nested folders: more than Python's recursion limit (1000)
RECURSION = "RecursionError: maximum recursion depth exceeded"


@pytest.fixture
def deep_tree(tmp_path: Path, plugged: Path) -> Iterator[Path]:
    """A chain of DEPTH nested folders outside the repository, ready to be moved in."""
    top = folder = tmp_path / "deep"
    for _ in range(DEPTH):  # one at a time: os.makedirs recurses too
        folder.mkdir()
        folder = folder / "d"
    yield top
    for place in (top, plugged / "deep"):  # shutil.rmtree recurses; rm does not
        subprocess.run(["rm", "-rf", str(place)], check=True)


def _started(root: Path, *args: str) -> WatchProcess:
    repetend(root, "init")
    return WatchProcess(root, "--no-prompt", *args)


def _ends(watcher: WatchProcess) -> tuple[int, list[str]]:
    """The exit code of a watcher that stops by itself, and the lines after its start."""
    code = watcher.finished(timeout=30)
    start = next(i for i, line in enumerate(watcher.seen) if "(Ctrl-C to stop)" in line)
    return code, watcher.seen[start + 1 :]


def test_a_polling_observer_that_dies_ends_the_watch_in_one_line(
    plugged: Path, deep_tree: Path
) -> None:
    watcher = _started(plugged, "--polling")
    os.rename(deep_tree, plugged / "deep")
    code, said = _ends(watcher)
    assert code == 1
    assert said == [f"repetend: error: file events stopped ({RECURSION}); stopped watching"]


@pytest.mark.skipif(
    sys.version_info >= (3, 12), reason="os.walk is iterative from Python 3.12: nothing dies"
)
def test_a_native_observer_that_dies_is_replaced_by_polling(plugged: Path, deep_tree: Path) -> None:
    watcher = _started(plugged)
    os.rename(deep_tree, plugged / "deep")  # kills inotify's reader thread, not its emitter
    code, said = _ends(watcher)
    # Polling walks the same tree and cannot watch it either: the watch ends, said why.
    assert code == 1
    assert said == [
        f"repetend: native file events stopped ({RECURSION}); polling from now on",
        f"repetend: error: cannot watch {plugged} ({RECURSION})",
    ]


def test_a_watched_folder_deleted_ends_the_watch(plugged: Path) -> None:
    write(plugged, "drafts/one.txt", "1")
    watcher = _started(plugged, "drafts")
    shutil.rmtree(plugged / "drafts")
    code, said = _ends(watcher)
    assert code == 1
    assert said == [f"repetend: error: {plugged / 'drafts'} is gone; stopped watching"]


@pytest.mark.parametrize("mode", [[], ["--polling"]], ids=["native", "polling"])
def test_a_watched_folder_replaced_is_watched_again(plugged: Path, mode: list[str]) -> None:
    (plugged / "components").mkdir()
    (plugged / "incoming").mkdir()
    watcher = _started(plugged, "components", *mode)
    try:
        os.rename(plugged / "incoming", plugged / "components")  # atomic: never missing
        write(plugged, "components/kappa.py", "")
        watcher.expect("components/kappa.py matches template T-test", timeout=15)
        wait_for(lambda: _indexed(plugged, "components/kappa.py"), timeout=10)
    finally:
        assert watcher.interrupt() == 0
    assert not [line for line in watcher.seen if "Traceback" in line or "error" in line]


def _indexed(root: Path, relative: str) -> bool:
    return any(relative in e["paths"] for e in plugin_log(root) if e["hook"] == "files_changed")
