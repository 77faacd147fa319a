"""The post-commit capture: the commit's own diff, recorded off the critical path; families."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from repetend.capture.git.spool import enqueue
from tests.capture.git.gitrepo import (
    commit,
    events,
    plugin_log,
    repetend,
    run,
    run_in_terminal,
    spool_empty,
    wait_for,
    write,
)
from tests.capture.portable import path_without_repetend


def test_commit_records_added_modified_and_deleted_from_the_commit_itself(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    write(plugged, "keep.txt", "1\n")
    write(plugged, "gone.txt", "1\n")
    assert commit(plugged, "first").returncode == 0
    wait_for(lambda: spool_empty(plugged) and len(events(plugged, "git")) == 1)
    write(plugged, "keep.txt", "2\n")
    (plugged / "gone.txt").unlink()
    write(plugged, "new.txt", "new\n")
    run(plugged, "git", "add", "-A")
    write(plugged, "untracked-after-staging.txt", "x\n")  # in the working tree, not the commit
    write(plugged, "new.txt", "changed after staging\n")
    assert run(plugged, "git", "commit", "-q", "-m", "second").returncode == 0
    wait_for(lambda: spool_empty(plugged) and len(events(plugged, "git")) == 2)
    first, second = events(plugged, "git")
    assert (first["added"], first["modified"], first["deleted"]) == (
        [".repetend/.gitignore", "gone.txt", "keep.txt"],
        [],
        [],
    )
    assert (second["added"], second["modified"], second["deleted"]) == (
        ["new.txt"],
        ["keep.txt"],
        ["gone.txt"],
    )
    assert second["subject"] == "second"
    indexed = [e["paths"] for e in plugin_log(plugged) if e["hook"] == "files_changed"]
    # The first commit adds two files, so pre-commit offers them to the index as well.
    assert indexed == [["gone.txt", "keep.txt"], ["gone.txt", "keep.txt"], ["new.txt", "keep.txt"]]


def test_the_third_similar_file_prints_a_proposal_after_the_commit(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    for name in ("alpha", "beta"):
        write(plugged, f"docs/{name}.md", f"# {name}\n")
        assert commit(plugged, name).returncode == 0
        wait_for(lambda: spool_empty(plugged))
    write(plugged, "docs/gamma.md", "# gamma\n")
    run(plugged, "git", "add", "-A")
    output = run_in_terminal(
        plugged, ["git", "commit", "-m", "gamma"], until="from 3 similar files"
    )
    assert "new pattern AUTO-" in output
    listed = repetend(plugged, "candidates", "list", "--json").stdout
    assert '"name": "docs/*.md"' in listed


def test_the_next_repetend_command_drains_the_spool(plugged: Path) -> None:
    write(plugged, "a.txt", "a\n")
    assert commit(plugged, "no hooks installed").returncode == 0
    sha = run(plugged, "git", "rev-parse", "HEAD").stdout.strip()
    enqueue(plugged / ".repetend", sha)
    assert events(plugged, "git") == []
    repetend(plugged, "status")
    assert [e["sha"] for e in events(plugged, "git")] == [sha]
    assert spool_empty(plugged)


def test_kill_switch_makes_the_hooks_exit_at_once(plugged: Path, monkeypatch) -> None:
    repetend(plugged, "hooks", "install")
    monkeypatch.setenv("REPETEND_DISABLE", "1")
    write(plugged, "a.txt", "a\n")
    write(plugged, "b.txt", "b\n")
    assert commit(plugged, "off").returncode == 0
    assert not (plugged / ".repetend" / "spool").exists()
    assert plugin_log(plugged) == []


def test_a_missing_interpreter_costs_one_line_and_the_commit_goes_on(
    plugged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    repetend(plugged, "hooks", "install", "--python", str(plugged / "gone" / "python"))
    monkeypatch.setenv("PATH", path_without_repetend())  # and no `repetend` to fall back on
    write(plugged, "a.txt", "a\n")
    write(plugged, "b.txt", "b\n")
    done = commit(plugged, "still commits")
    assert done.returncode == 0
    lines = [line for line in done.stderr.splitlines() if line.startswith("repetend")]
    assert len(lines) == 2  # one per hook
    assert all("is gone" in line for line in lines)


def test_an_unreadable_store_fails_open(plugged: Path) -> None:
    repetend(plugged, "hooks", "install")
    (plugged / ".repetend" / "repetend.db").unlink()
    (plugged / ".repetend" / "repetend.db").mkdir()  # a folder where the database should be
    write(plugged, "a.txt", "a\n")
    write(plugged, "b.txt", "b\n")
    done = commit(plugged, "still commits")
    assert done.returncode == 0
    assert run(plugged, "git", "log", "--format=%s").stdout.strip() == "still commits"
    warnings = [line for line in done.stderr.splitlines() if "repetend" in line]
    assert len(warnings) == 1
    assert "the commit goes on" in warnings[0]


def test_concurrent_drains_ingest_each_commit_once(plugged: Path) -> None:
    shas = []
    for i in range(6):
        write(plugged, f"f{i}.txt", f"{i}\n")
        assert commit(plugged, f"c{i}", f"f{i}.txt").returncode == 0
        shas.append(run(plugged, "git", "rev-parse", "HEAD").stdout.strip())
    for sha in shas:
        enqueue(plugged / ".repetend", sha)
    drains = [
        subprocess.Popen(
            [sys.executable, "-m", "repetend", "hooks", "drain", "--json"],
            cwd=plugged,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(3)
    ]
    counts = [json.loads(d.communicate(timeout=60)[0])["ingested"] for d in drains]
    assert sum(counts) == 6
    assert sorted(e["sha"] for e in events(plugged, "git")) == sorted(shas)
    assert spool_empty(plugged)


def test_a_spooled_commit_git_does_not_know_is_kept_aside_with_one_line(plugged: Path) -> None:
    enqueue(plugged / ".repetend", "0" * 40)
    done = repetend(plugged, "hooks", "drain", "--json")
    assert json.loads(done.stdout) == {"ingested": 0}
    assert done.stderr.count("\n") == 1
    assert f"commit {'0' * 12} not ingested" in done.stderr
    commits = plugged / ".repetend" / "spool" / "commits"
    assert [p.name for p in commits.iterdir()] == [".failed-" + "0" * 40]  # kept, not retried
    again = repetend(plugged, "hooks", "drain", "--json")
    assert (json.loads(again.stdout), again.stderr) == ({"ingested": 0}, "")
    assert events(plugged, "git") == []


def test_a_drain_that_fails_keeps_the_commit_for_the_next_one(plugged: Path) -> None:
    write(plugged, "a.txt", "a\n")
    assert commit(plugged, "a", "a.txt").returncode == 0
    sha = run(plugged, "git", "rev-parse", "HEAD").stdout.strip()
    enqueue(plugged / ".repetend", sha)
    # Without git on PATH the drain cannot read the commit: it must keep it spooled.
    failed = subprocess.run(
        [sys.executable, "-m", "repetend", "hooks", "drain"],
        cwd=plugged,
        capture_output=True,
        text=True,
        env={**os.environ, "PATH": str(plugged / "no-git-here")},
    )
    assert failed.returncode != 0
    assert (plugged / ".repetend" / "spool" / "commits" / sha).exists()
    repetend(plugged, "hooks", "drain")
    assert [e["sha"] for e in events(plugged, "git")] == [sha]
    assert spool_empty(plugged)


def test_a_spool_that_cannot_be_written_costs_one_clean_line(repo: Path) -> None:
    repetend(repo, "hooks", "install")
    spool = repo / ".repetend" / "spool"
    spool.mkdir(exist_ok=True)
    (spool / "commits").write_text("a file where the folder goes, as on a read-only disk\n")
    write(repo, "a.txt", "a\n")
    done = commit(repo, "a", "a.txt")
    assert done.returncode == 0
    (line,) = done.stderr.splitlines()
    assert line.startswith("repetend: cannot write .repetend/spool/commits")
    assert "not recorded" in line


def test_the_hook_names_the_drain_it_starts_before_python_is_up(plugged: Path) -> None:
    """Commits back to back each saw no drain while the first one was still importing."""
    repetend(plugged, "hooks", "install")
    write(plugged, "a.txt", "a\n")
    assert commit(plugged, "a", "a.txt").returncode == 0
    marker = plugged / ".repetend" / "spool" / "commits" / ".drain.pid"
    pid = int(marker.read_text().strip())  # written by the hook itself, not by the drain
    os.kill(pid, 0)  # the drain it started is running
    write(plugged, "b.txt", "b\n")
    assert commit(plugged, "b", "b.txt").returncode == 0
    wait_for(lambda: spool_empty(plugged) and not marker.exists())
    assert len(events(plugged, "git")) == 2


def test_a_drain_leaves_the_marker_of_a_drain_started_after_it(plugged: Path) -> None:
    """Removing a newer drain's pid would let every commit meanwhile start one more drain."""
    from repetend.capture.git.spool import drain

    newer = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(30)"])
    marker = plugged / ".repetend" / "spool" / "commits" / ".drain.pid"
    enqueue(plugged / ".repetend", "0" * 40)

    def ingest(sha: str) -> None:  # meanwhile, a commit's hook starts another drain
        marker.write_text(f"{newer.pid}\n")

    try:
        assert drain(plugged / ".repetend", ingest) == 1
        assert marker.read_text().strip() == str(newer.pid)
    finally:
        newer.kill()
        newer.wait()


def test_a_commit_a_killed_drain_had_claimed_is_ingested_by_the_next_command(
    plugged: Path,
) -> None:
    write(plugged, "a.txt", "a\n")
    assert commit(plugged, "a", "a.txt").returncode == 0  # no hooks: nothing spooled yet
    sha = run(plugged, "git", "rev-parse", "HEAD").stdout.strip()
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    commits = plugged / ".repetend" / "spool" / "commits"
    commits.mkdir(parents=True)
    (commits / f".claimed-{sha}.{gone.pid}").touch()  # its drain was killed mid-ingest
    repetend(plugged, "status")
    assert [e["sha"] for e in events(plugged, "git")] == [sha]
    assert spool_empty(plugged)


def test_the_other_spools_are_stored_before_the_drain_lets_go_of_its_marker(
    plugged: Path,
) -> None:
    """Released first, a commit made while events and test runs were stored started a second
    drain beside this one (benchmarks/commit_hooks.py saw two at once)."""
    from repetend.capture.git.spool import drain

    marker = plugged / ".repetend" / "spool" / "commits" / ".drain.pid"
    enqueue(plugged / ".repetend", "0" * 40)
    held: list[str] = []

    def the_other_spools() -> None:
        held.append(marker.read_text().strip())
        enqueue(plugged / ".repetend", "1" * 40)  # a commit made meanwhile: this drain takes it

    ingested: list[str] = []
    assert drain(plugged / ".repetend", ingested.append, the_other_spools) == 2
    assert held == [str(os.getpid())]
    assert ingested == ["0" * 40, "1" * 40]
    assert not marker.exists()
