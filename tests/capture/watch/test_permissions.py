"""The watcher where the system says no: folders it may not read, no native file events.

Both are produced for real, for the watcher's process only: root loses the
capabilities that let it read everything (`setpriv --bounding-set`), and a
new user namespace allows no inotify instance at all, or only a few watches
(as on a machine where editors and other watchers used them all up).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from tests.capture.git.gitrepo import plugin_log, repetend, wait_for, write
from tests.capture.watch.process import WatchProcess

# Root reads everything; without these capabilities it meets the permissions like anyone.
NO_OVERRIDE = ["setpriv", "--bounding-set=-dac_override,-dac_read_search"]
NO_INOTIFY = [
    "unshare",
    "--user",
    "--map-root-user",
    "sh",
    "-c",
    'echo 0 > /proc/sys/user/max_inotify_instances && exec "$0" "$@"',
]


def test_unreadable_folders_cost_nothing(plugged: Path) -> None:
    repetend(plugged, "init")
    write(plugged, "locked/inside.py", "")
    (plugged / "locked").chmod(0)
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    watcher = WatchProcess(plugged, "--no-prompt", launcher=[*prefix, sys.executable])
    try:
        write(plugged, "later/first.py", "")  # watched before it is locked
        wait_for(lambda: _indexed(plugged, "later/first.py"), timeout=10)
        write(plugged, "later/hidden.py", "")
        (plugged / "later").chmod(0)
        write(plugged, "components/visible.py", "")
        watcher.expect("components/visible.py matches template T-test")
        watcher.expect("run:")
    finally:
        code = watcher.interrupt()
        for folder in ("locked", "later"):
            (plugged / folder).chmod(0o755)
    assert code == 0
    assert not [line for line in watcher.seen if "Traceback" in line or "Error" in line]


def test_without_native_events_it_says_so_once_and_polls(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged, "--no-prompt", launcher=[*NO_INOTIFY, sys.executable])
    try:
        write(plugged, "components/polled.py", "")
        watcher.expect("components/polled.py matches template T-test", timeout=15)
    finally:
        assert watcher.interrupt() == 0
    notices = [line for line in watcher.seen if "native file events" in line]
    assert len(notices) == 1
    assert "inotify instance limit reached" in notices[0]
    assert "polling" in notices[0]


def _with_watches(limit: int) -> list[str]:
    """A launcher whose process may hold only `limit` inotify watches."""
    limit_file = "/proc/sys/user/max_inotify_watches"
    script = f'echo {limit} > {limit_file} && exec "$0" "$@"'
    return ["unshare", "--user", "--map-root-user", "sh", "-c", script, sys.executable]


def _folders(root: Path) -> int:
    return sum(1 for _ in os.walk(root))  # one watch each, .git included


def test_new_folders_past_the_watch_limit_switch_to_polling(plugged: Path) -> None:
    repetend(plugged, "init")
    launcher = _with_watches(_folders(plugged) + 4)
    watcher = WatchProcess(plugged, "--no-prompt", launcher=launcher)
    try:
        for number in range(12):  # more new folders than watches left
            (plugged / f"many/folder{number}").mkdir(parents=True)
        write(plugged, "components/late.py", "")  # in a folder inotify could not watch
        watcher.expect("components/late.py matches template T-test", timeout=15)
    finally:
        assert watcher.interrupt() == 0
    notices = [line for line in watcher.seen if "polling" in line]
    assert notices == [
        "repetend: native file events stopped (inotify watch limit reached); polling from now on"
    ]


def test_a_folder_with_more_folders_than_watches_is_polled_from_the_start(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged, "--no-prompt", launcher=_with_watches(2))
    try:
        write(plugged, "components/polled.py", "")
        watcher.expect("components/polled.py matches template T-test", timeout=15)
    finally:
        assert watcher.interrupt() == 0
    notices = [line for line in watcher.seen if "polling" in line]
    assert notices == [
        "repetend: native file events are not available (inotify watch limit reached); polling"
    ]


def _indexed(root: Path, relative: str) -> bool:
    return any(relative in e["paths"] for e in plugin_log(root) if e["hook"] == "files_changed")


def test_a_watched_folder_made_unreadable_is_said_once_and_watched_again(plugged: Path) -> None:
    repetend(plugged, "init")
    folder = plugged / "components"
    folder.mkdir()
    prefix = NO_OVERRIDE if os.geteuid() == 0 else []
    launcher = [*prefix, sys.executable]
    watcher = WatchProcess(plugged, "--no-prompt", "--polling", "components", launcher=launcher)
    try:
        folder.chmod(0)
        warning = watcher.expect("repetend: warning: file events: ", timeout=15)
        write(plugged, "components/later.py", "")  # made while the watcher cannot look
        folder.chmod(0o755)
        watcher.expect("components/later.py matches template T-test", timeout=15)
    finally:
        folder.chmod(0o755)
        code = watcher.interrupt()
    assert code == 0
    assert "Permission denied" in warning
    assert len([line for line in watcher.seen if "warning" in line]) == 1
    assert not [line for line in watcher.seen if "Traceback" in line]
