"""Every command that reports takes --json: init, apply, export, the decisions, watch."""

from __future__ import annotations

import json
import os
import select
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

import pytest

from repetend.cli import main
from tests.cli.conftest import sensor_module
from tests.cli.test_commands import make_candidate
from tests.cli.test_templates import run_json, template_id


def test_init_reports_where_everything_is(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = run_json(capsys, "init")
    again = run_json(capsys, "init")
    state = repo / ".repetend"
    assert first == {
        "state_dir": str(state),
        "store": str(state / "repetend.db"),
        "patterns": str(state / "patterns"),
        "config": str(state / "config.yaml"),
        "config_created": True,
    }
    assert again == {**first, "config_created": False}


def test_apply_reports_the_files_it_would_write_and_wrote(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    values = ["--set", "slug=door_lock", "--set", "name=Door lock"]
    planned = run_json(capsys, "apply", tid, *values, "--dry-run")
    expected = {"template": tid, "dry_run": True, "files": []}
    assert planned == {**expected, "files": [{"path": "sensors/door_lock.py", "existed": True}]}
    written = run_json(capsys, "apply", tid, "--set", "slug=fan", "--set", "name=Fan")
    assert written == {
        **expected,
        "dry_run": False,
        "files": [{"path": "sensors/fan.py", "existed": False}],
    }
    assert (sensors / "sensors" / "fan.py").read_text() == sensor_module("fan", "Fan")


def test_export_reports_the_folder_and_its_files(
    sensors: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "manifests/{{ slug }}.json")
    out = tmp_path / "out"
    report = run_json(capsys, "export", tid, "-o", str(out))
    assert isinstance(report, dict)
    assert (report["template"], report["format"], report["folder"]) == (tid, "copier", str(out))
    assert report["written"][0] == str(out / "copier.yml")
    assert all(Path(path).is_file() for path in report["written"])
    assert report["unconverted"] == []


def test_a_decision_reports_the_candidate_as_list_does(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    candidate = make_candidate(repo)
    capsys.readouterr()
    decided = run_json(
        capsys, "candidates", "reject", candidate, "--note", "once", "--actor", "ana"
    )
    assert isinstance(decided, dict)
    assert (decided["id"], decided["status"]) == (candidate, "rejected")
    assert (decided["actor"], decided["note"]) == ("ana", "once")
    assert decided["spec_path"] == f".repetend/patterns/rejected/{candidate}.yaml"
    (listed,) = run_json(capsys, "candidates", "list")  # type: ignore[misc]
    assert {k: decided[k] for k in listed} == listed


def test_watch_prints_each_event_as_a_json_line(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["candidates", "approve", tid]) == 0
    watcher = subprocess.Popen(
        [sys.executable, "-m", "repetend", "watch", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    lines, errors = Lines(watcher.stdout), Lines(watcher.stderr)
    try:
        assert json.loads(lines.next())["event"] == "watching"
        (sensors / "sensors" / "gamma.py").write_text("")
        created, shown = json.loads(lines.next()), json.loads(lines.next())
        # the text a person reads goes to stderr
        while "matches template" not in errors.next():
            pass
    finally:
        watcher.send_signal(signal.SIGINT)
        out, _ = watcher.communicate(timeout=30)
    rest = (lines.unread + out).decode()
    assert (created["event"], created["path"]) == ("file-created", "sensors/gamma.py")
    assert (shown["event"], shown["pattern_id"]) == ("suggestion-shown", tid)
    assert shown["command"] == f"repetend apply {tid} --set slug=gamma"
    assert [json.loads(line)["event"] for line in rest.splitlines()] == ["stopped"]


class Lines:
    """The lines a process writes to a pipe, read as they come (none lost to a buffer)."""

    def __init__(self, pipe: IO[bytes] | None) -> None:
        assert pipe is not None
        self.fd, self.unread = pipe.fileno(), b""

    def next(self, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while b"\n" not in self.unread:
            assert time.monotonic() < deadline, "no line from the watcher in time"
            if select.select([self.fd], [], [], 0.2)[0]:
                self.unread += os.read(self.fd, 65536)
        line, _, self.unread = self.unread.partition(b"\n")
        return line.decode()
