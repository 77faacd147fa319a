"""`repetend watch` with a real watchdog observer on a real repository."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import events, plugin_log, repetend, wait_for, write
from tests.capture.watch.process import WatchProcess


@pytest.fixture
def watching(plugged: Path) -> Iterator[WatchProcess]:
    """`repetend watch --no-prompt` running in the plugged repository."""
    repetend(plugged, "init")
    write(plugged, ".gitignore", "secret-output/\n*.log\n")
    watcher = WatchProcess(plugged, "--no-prompt")
    yield watcher
    if watcher.process.stdout is not None and not watcher.process.stdout.closed:
        watcher.interrupt()


def test_a_created_file_gets_the_suggestion_and_its_command(
    plugged: Path, watching: WatchProcess
) -> None:
    write(plugged, "components/gamma.py", "")
    watching.expect("components/gamma.py matches template T-test")
    watching.expect("evidence: components/alpha.py, components/beta.py")
    assert "run:      repetend test-apply T-test --set name=gamma" in watching.expect("run:")
    assert watching.interrupt() == 0
    assert watching.seen[-1] == "repetend: stopped watching"
    shown = [e for e in events(plugged, "suggest") if e["kind"] == "suggestion-shown"]
    assert [(e["pattern_id"], e["path"]) for e in shown] == [("T-test", "components/gamma.py")]
    assert {"hook": "files_changed", "paths": ["components/gamma.py"]} in plugin_log(plugged)


def test_noise_is_ignored(plugged: Path, watching: WatchProcess) -> None:
    write(plugged, "components/.gamma.py.swp", "x")
    write(plugged, "components/gamma.py~", "x")
    write(plugged, "build/components/x.py", "")
    write(plugged, "node_modules/components/x.py", "")
    write(plugged, "secret-output/components/x.py", "")  # git-ignored
    write(plugged, "components/debug.log", "x")  # git-ignored
    write(plugged, ".git/components/x.py", "")
    assert watching.quiet_for(0.8) == []
    write(plugged, "components/real.py", "")
    watching.expect("components/real.py matches template T-test")
    indexed = {p for e in plugin_log(plugged) if e["hook"] == "files_changed" for p in e["paths"]}
    assert indexed == {"components/real.py"}


def test_save_by_rename_is_a_modification(plugged: Path, watching: WatchProcess) -> None:
    write(plugged, "components/gamma.py", "")
    watching.expect("components/gamma.py matches template T-test")
    watching.expect("run:")
    # An editor's atomic save: write a temporary file, rename it over the original.
    write(plugged, "components/.gamma.py.tmp", "class Gamma: pass\n")
    os.replace(plugged / "components/.gamma.py.tmp", plugged / "components/gamma.py")
    wait_for(lambda: len(_indexed(plugged, "components/gamma.py")) == 2, timeout=10)
    assert watching.quiet_for(0.5) == []
    created = [e["path"] for e in events(plugged, "watch") if e["kind"] == "file-created"]
    assert created == ["components/gamma.py"]


def test_the_same_suggestion_is_not_shown_twice_in_the_window(
    plugged: Path, watching: WatchProcess
) -> None:
    write(plugged, "components/gamma.py", "")
    watching.expect("run:")
    (plugged / "components/gamma.py").unlink()
    watching.quiet_for(0.3)
    write(plugged, "components/gamma.py", "")
    wait_for(lambda: len(_indexed(plugged, "components/gamma.py")) == 2, timeout=10)
    assert watching.quiet_for(0.5) == []
    write(plugged, "components/delta.py", "")  # a different command: shown
    watching.expect("components/delta.py matches template T-test")


def test_deleted_folders_are_survived(plugged: Path, watching: WatchProcess) -> None:
    write(plugged, "scratch/deep/one.txt", "1")
    wait_for(lambda: bool(_indexed(plugged, "scratch/deep/one.txt")), timeout=10)
    shutil.rmtree(plugged / "scratch")
    watching.quiet_for(0.3)
    write(plugged, "components/after.py", "")
    watching.expect("components/after.py matches template T-test")


def test_polling_is_used_when_asked(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged, "--no-prompt", "--polling")
    try:
        write(plugged, "components/polled.py", "")
        watcher.expect("components/polled.py matches template T-test", timeout=15)
    finally:
        assert watcher.interrupt() == 0


def test_a_path_outside_the_repository_is_refused(plugged: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    result = repetend(plugged, "watch", str(outside), check=False)
    assert result.returncode == 2
    assert "not inside the repository" in result.stderr


def _indexed(root: Path, relative: str) -> list[dict[str, object]]:
    return [e for e in plugin_log(root) if e["hook"] == "files_changed" and relative in e["paths"]]


def test_outside_git_existing_files_saved_are_not_new(tmp_path: Path, monkeypatch) -> None:
    from tests.installed_plugin import install_test_plugin

    install_test_plugin(tmp_path / "site", monkeypatch)
    folder = tmp_path / "plain"
    (folder / ".repetend").mkdir(parents=True)
    write(folder, "components/old.py", "x = 1\n")
    watcher = WatchProcess(folder, "--no-prompt")
    try:
        write(folder, "components/old.py", "x = 2\n")
        assert watcher.quiet_for(0.6) == []
        write(folder, "components/new.py", "")
        watcher.expect("components/new.py matches template T-test")
    finally:
        watcher.interrupt()


def test_a_session_without_a_terminal_gets_the_command_only(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged)  # stdin and stdout are pipes: not interactive
    try:
        write(plugged, "components/empty.py", "")
        watcher.expect("run:      repetend test-apply T-test --set name=empty")
        assert not any("Fill" in line for line in watcher.quiet_for(0.5))
    finally:
        watcher.interrupt()
    assert (plugged / "components/empty.py").read_text() == ""
    kinds = [e["kind"] for e in events(plugged, "suggest")]
    assert kinds == ["suggestion-shown"]


def test_a_checkout_is_not_work_by_hand(plugged: Path, watching: WatchProcess) -> None:
    from tests.capture.git.gitrepo import run

    write(plugged, "README.md", "hello\n")
    run(plugged, "git", "add", "README.md", ".gitignore")
    run(plugged, "git", "commit", "-q", "-m", "start")
    run(plugged, "git", "checkout", "-q", "-b", "feature")
    for i in range(12):
        write(plugged, f"components/generated_{i}.py", "")
    run(plugged, "git", "add", "components")
    run(plugged, "git", "commit", "-q", "-m", "generated")
    run(plugged, "git", "checkout", "-q", "main")
    wait_for(lambda: not (plugged / "components").exists())
    watching.quiet_for(0.5)
    watching.seen.clear()
    run(plugged, "git", "checkout", "-q", "feature")  # twelve files appear at once
    wait_for(lambda: len(_indexed_all(plugged)) >= 12, timeout=10)
    assert not any("matches template" in line for line in watching.quiet_for(0.5))
    write(plugged, "components/by_hand.py", "")
    watching.expect("components/by_hand.py matches template T-test")


def _indexed_all(root: Path) -> set[str]:
    return {p for e in plugin_log(root) if e["hook"] == "files_changed" for p in e["paths"]}


@pytest.mark.parametrize("name", ["SIGTERM", "SIGHUP"])
def test_termination_signals_stop_it_like_ctrl_c(plugged: Path, name: str) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged, "--no-prompt")
    watcher.process.send_signal(getattr(signal, name))
    assert watcher.finished(timeout=30) == 0
    assert watcher.seen[-1] == "repetend: stopped watching"


def test_an_ignored_hangup_stays_ignored(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = WatchProcess(plugged, "--no-prompt", launcher=["nohup", sys.executable])
    try:
        watcher.process.send_signal(signal.SIGHUP)
        assert watcher.quiet_for(1.0) == []
        assert watcher.process.poll() is None
    finally:
        assert watcher.interrupt() == 0
