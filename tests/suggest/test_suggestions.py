"""Suggestions end to end: work repeated by hand, deduplication across runs, the settings."""

from __future__ import annotations

from pathlib import Path

from repetend.suggest.repeated import kinds_of
from tests.capture.git.gitrepo import commit, events, repetend, spool_empty, wait_for, write
from tests.capture.watch.process import WatchProcess


def _watch(root: Path) -> WatchProcess:
    return WatchProcess(root, "--no-prompt")


def test_the_third_file_of_a_kind_made_by_hand_suggests_a_template(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = _watch(plugged)
    try:
        write(plugged, "notes/monday.txt", "m")
        write(plugged, "notes/tuesday.txt", "t")
        assert not any("made by hand" in line for line in watcher.quiet_for(0.6))
        write(plugged, "notes/wednesday.txt", "w")
        line = watcher.expect("made by hand")
        assert "3 files like notes/*.txt made by hand in the last 30 minutes" in line
        watcher.expect("evidence: notes/monday.txt, notes/tuesday.txt, notes/wednesday.txt")
        watcher.expect("run:      repetend mine notes")
        write(plugged, "notes/thursday.txt", "t")  # the same suggestion: not shown again
        assert watcher.quiet_for(0.8) == []
    finally:
        assert watcher.interrupt() == 0


def test_committed_files_count_and_the_threshold_is_configurable(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    write(plugged, ".repetend/config.yaml", "repeat_threshold: 2\n")
    write(plugged, "services/api/settings.toml", "a = 1\n")
    assert commit(plugged, "api").returncode == 0
    wait_for(lambda: spool_empty(plugged) and bool(events(plugged, "git")))
    watcher = _watch(plugged)
    try:
        write(plugged, "services/web/settings.toml", "a = 2\n")
        line = watcher.expect("made by hand")
        assert "2 files like services/*/settings.toml" in line
    finally:
        watcher.interrupt()


def test_files_a_template_covers_are_not_counted_as_by_hand(plugged: Path) -> None:
    repetend(plugged, "init")
    watcher = _watch(plugged)
    try:
        for name in ("one", "two", "three"):
            write(plugged, f"components/{name}.py", "")
            watcher.expect(f"components/{name}.py matches template T-test")
        assert not any("made by hand" in line for line in watcher.quiet_for(0.6))
    finally:
        watcher.interrupt()
    created = [e for e in events(plugged, "watch") if e["kind"] == "file-created"]
    assert [e["by_hand"] for e in created] == [False, False, False]


def test_a_suggestion_shown_by_an_earlier_run_waits_for_the_window(plugged: Path) -> None:
    repetend(plugged, "init")
    first = _watch(plugged)
    write(plugged, "components/gamma.py", "x = 1\n")
    first.expect("run:")
    first.interrupt()
    (plugged / "components/gamma.py").unlink()
    second = _watch(plugged)
    try:
        write(plugged, "components/gamma.py", "x = 1\n")
        assert second.quiet_for(1.0) == []
    finally:
        second.interrupt()
    write(plugged, ".repetend/config.yaml", "suggestion_window_minutes: 0\n")
    (plugged / "components/gamma.py").unlink()
    third = _watch(plugged)
    try:
        write(plugged, "components/gamma.py", "x = 1\n")
        third.expect("components/gamma.py matches template T-test")
    finally:
        third.interrupt()


def test_kinds_are_folder_and_suffix_or_name_in_sibling_folders() -> None:
    assert kinds_of("components/light/manifest.json") == [
        "components/light/*.json",
        "components/*/manifest.json",
    ]
    assert kinds_of("README.md") == ["*.md"]
    assert kinds_of("bin/run") == ["*/run"]
