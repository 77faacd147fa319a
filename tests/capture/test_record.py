"""`repetend.record` and `repetend.record_event` through the public API."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

import repetend
import repetend.capture.record
from repetend.events import Execution
from repetend.store.sqlite import SQLiteStore


def stored(repo: Path) -> list[Execution]:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    found = list(store.executions())
    store.close()
    return found


def test_context_manager_records_inputs_outputs_tools_and_duration(repo: Path) -> None:
    with repetend.record(
        "render", inputs={"template": "docs/page.md.j2", "title": "Hi"}, tools=["jinja2"]
    ) as run:
        run.outputs["written"] = "site/page.html"
    [execution] = stored(repo)
    assert execution.kind == "render"
    assert execution.inputs == {"template": "docs/page.md.j2", "title": "Hi"}
    assert execution.outputs == {"written": "site/page.html"}
    assert execution.tools == ["jinja2"]
    assert execution.success and execution.error == ""
    assert execution.duration_ms >= 0
    assert execution.file_types == [".html", ".j2"]
    assert execution.signature


def test_an_exception_is_recorded_as_failure_and_reraised(repo: Path) -> None:
    with pytest.raises(ValueError, match="bad input"), repetend.record("parse", inputs={"n": 1}):
        raise ValueError("bad input")
    [execution] = stored(repo)
    assert not execution.success
    assert execution.error == "ValueError: bad input"


def test_decorator_records_each_call_with_arguments_as_inputs(repo: Path) -> None:
    @repetend.record("scaffold", tools=["mkdir"])
    def scaffold(name: str, kind: str = "module") -> dict[str, str]:
        return {"path": f"src/{name}.py"}

    assert scaffold("alpha") == {"path": "src/alpha.py"}
    scaffold("beta", kind="package")
    first, second = stored(repo)
    assert first.inputs == {"name": "alpha"}
    assert second.inputs == {"name": "beta", "kind": "package"}
    assert first.outputs == {"path": "src/alpha.py"}


def test_secrets_are_redacted_before_storage(repo: Path) -> None:
    with repetend.record(
        "deploy",
        inputs={
            "api_token": "s3cr3t-value",
            "url": "https://deploy:hunter2@example.com/app",
            "command": "curl -H 'Authorization: Bearer abcdefghijklmnop1234'",
            "region": "eu",
        },
    ):
        pass
    [execution] = stored(repo)
    text = repr(execution.inputs)
    assert "s3cr3t" not in text and "hunter2" not in text and "abcdefghijklmnop1234" not in text
    assert execution.inputs["region"] == "eu"
    assert execution.inputs["api_token"] == "[REDACTED]"


def test_values_json_cannot_hold_are_stored_by_repr_with_a_warning(repo: Path) -> None:
    class Point:
        def __repr__(self) -> str:
            return "Point(1, 2)"

    with (
        pytest.warns(repetend.RepetendWarning, match="stored by their repr"),
        repetend.record("plot", inputs={"at": Point()}),
    ):
        pass
    [execution] = stored(repo)
    assert execution.inputs == {"at": "Point(1, 2)"}


def test_unwritable_store_warns_once_and_the_work_goes_on(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A store under a regular file cannot be created, whoever runs the test (root included).
    (repo / "blocker").write_text("a file, not a folder")
    monkeypatch.setenv("REPETEND_STORE", "blocker/repetend.db")
    done = []
    for i in range(3):
        with repetend.record("job", inputs={"i": i}):
            done.append(i)
    assert done == [0, 1, 2]
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert "blocker/repetend.db: not recorded" in lines[0]


def test_locked_store_warns_after_capture_timeout_and_the_work_goes_on(
    repo: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with repetend.record("job"):
        pass
    monkeypatch.setenv("REPETEND_CAPTURE_TIMEOUT", "0.2")
    repetend.capture.record.close_stores()
    holder = sqlite3.connect(repo / ".repetend" / "repetend.db", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        with repetend.record("job"):
            pass
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "database is locked" in capsys.readouterr().err
    with repetend.record("job"):
        pass
    assert len(stored(repo)) == 2


def test_corrupt_store_warns_once_naming_the_path_and_the_work_goes_on(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / ".repetend").mkdir(exist_ok=True)
    (repo / ".repetend" / "repetend.db").write_bytes(b"garbage" * 1000)
    done = []
    for i in range(3):
        with repetend.record("job", inputs={"i": i}):
            done.append(i)
    assert done == [0, 1, 2]
    lines = capsys.readouterr().err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("repetend: warning: ") and "repetend.db" in lines[0]


@pytest.mark.parametrize("variable", ["REPETEND_DISABLE", "DISABLE_PATTERN_AUTOMATION"])
def test_kill_switch_makes_capture_a_no_op(
    repo: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "1")
    with repetend.record("job"):
        pass
    assert not repetend.record_event("git", "commit", {"sha": "abc"})
    assert not (repo / ".repetend" / "repetend.db").exists()


def test_record_event_stores_a_redacted_payload(repo: Path) -> None:
    assert repetend.record_event(
        "shell", "command", {"command": "mysql --password=pa55word db"}, session="s1", actor="agent"
    )
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    [event] = list(store.events())
    store.close()
    assert event.payload == {"command": "mysql --password=[REDACTED] db"}
    assert (event.source, event.session, event.actor) == ("shell", "s1", "agent")


@pytest.fixture
def elsewhere(tmp_path: Path) -> Path:
    other = tmp_path / "other"
    (other / ".git").mkdir(parents=True)
    (other / ".repetend").mkdir()  # it chose repetend
    return other


def test_root_option_records_into_another_repository(repo: Path, elsewhere: Path) -> None:
    with repetend.record("job", root=elsewhere):
        pass
    assert stored(elsewhere) and not (repo / ".repetend" / "repetend.db").exists()
