"""The watcher survives folders it may not read, run as an unprivileged user.

The repository lives in a world-accessible temporary folder and the watcher
runs as `nobody` through `setpriv`; a folder with mode 000 exists from the
start, and another appears while watching.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.installed_plugin import SOURCE
from tests.watch.process import WatchProcess

NOBODY = 65534


@pytest.fixture
def shared_repo(monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A git repository `nobody` may write, with the test plugin beside it."""
    base = Path(tempfile.mkdtemp(prefix="repetend-perm-"))
    base.chmod(0o777)
    site = base / "site"
    site.mkdir()
    shutil.copy(SOURCE, site / SOURCE.name)
    info = site / "repetend_testplugin-0.1.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: repetend-testplugin\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text("[repetend]\ntestplugin = repetend_testplugin\n")
    gitconfig = base / "gitconfig"
    gitconfig.write_text("[safe]\n\tdirectory = *\n")
    repo = base / "repo"
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    (repo / "locked").mkdir()
    (repo / "locked" / "inside.py").write_text("")
    for path in [base, *base.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IRWXO)
    (repo / "locked").chmod(0)
    monkeypatch.setenv("PYTHONPATH", str(site))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(gitconfig))
    monkeypatch.setenv("HOME", str(base))
    yield repo
    for path in [repo / "locked", repo / "later"]:
        if path.exists():
            path.chmod(0o755)
    shutil.rmtree(base)


def test_unreadable_folders_cost_nothing(shared_repo: Path) -> None:
    # Root reads everything; an unprivileged user already meets the permissions.
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    prefix = drop if os.geteuid() == 0 else []
    watcher = WatchProcess(shared_repo, "--no-prompt", launcher=[*prefix, sys.executable])
    try:
        later = shared_repo / "later"
        later.mkdir()
        (later / "hidden.py").write_text("")
        later.chmod(0)
        (shared_repo / "components").mkdir()
        (shared_repo / "components" / "visible.py").write_text("")
        os.chmod(shared_repo / "components", 0o777)
        watcher.expect("components/visible.py matches template T-test")
        watcher.expect("run:")
    finally:
        assert watcher.interrupt() == 0
    assert not [line for line in watcher.seen if "Traceback" in line or "Error" in line]


HOG = """
import ctypes, sys, time
libc = ctypes.CDLL(None, use_errno=True)
held = []
while True:
    fd = libc.inotify_init()
    if fd < 0:
        break
    held.append(fd)
print(len(held), flush=True)
time.sleep(60)
"""


def test_without_native_events_it_says_so_once_and_polls(shared_repo: Path) -> None:
    # Every inotify instance the user may have is taken, as on a machine where
    # editors and other watchers used them up, so the native observer cannot start.
    drop = ["setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    prefix = drop if os.geteuid() == 0 else []
    hog = subprocess.Popen([*prefix, sys.executable, "-c", HOG], stdout=subprocess.PIPE, text=True)
    try:
        assert hog.stdout is not None
        assert int(hog.stdout.readline()) > 0
        watcher = WatchProcess(shared_repo, "--no-prompt", launcher=[*prefix, sys.executable])
        try:
            (shared_repo / "components").mkdir()
            os.chmod(shared_repo / "components", 0o777)
            (shared_repo / "components" / "polled.py").write_text("")
            watcher.expect("components/polled.py matches template T-test", timeout=15)
        finally:
            assert watcher.interrupt() == 0
    finally:
        hog.kill()
        hog.wait()
        assert hog.stdout is not None
        hog.stdout.close()
    notices = [line for line in watcher.seen if "native file events" in line]
    assert len(notices) == 1
    assert "polling" in notices[0]
