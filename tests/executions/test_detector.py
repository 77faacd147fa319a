"""The execution pattern detector (AUTO-001): from repeated executions to one candidate."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

import repetend
from repetend.cli import cli
from repetend.events import Execution, utcnow
from repetend.store.sqlite import SQLiteStore


def specs(repo: Path, folder: str = "*") -> list[dict[str, object]]:
    found = sorted((repo / ".repetend" / "patterns").glob(f"{folder}/AUTO-*.yaml"))
    return [yaml.safe_load(path.read_text()) for path in found]


def create_file(i: int, **extra: object) -> None:
    with repetend.record(
        "file_creation",
        inputs={"filename": f"test_{i}.txt", "content": f"line {i}\n", **extra},
        tools=["write_file"],
    ) as run:
        run.outputs["bytes"] = 7


def test_seeds_scenario_gives_exactly_one_draft_with_two_variables(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for i in range(1, 4):
        create_file(i, encoding="utf-8")
    [spec] = specs(repo, "drafts")
    assert list(spec["variables"]) == ["filename", "content"]  # type: ignore[call-overload]
    variables = spec["variables"]
    assert isinstance(variables, dict)
    assert variables["filename"]["pattern"] == "test_{n}.txt"
    assert variables["filename"]["examples"] == ["test_1.txt", "test_2.txt", "test_3.txt"]
    assert variables["filename"]["type"] == "path"
    assert spec["invariants"] == {"encoding": "utf-8"}
    assert spec["steps"] == ["write_file"]
    assert spec["occurrences"] == 3
    confidence = spec["confidence"]
    assert isinstance(confidence, dict)
    assert set(confidence["parts"]) == {"similarity", "success_rate", "sample_size", "completeness"}
    assert 0 < confidence["score"] < 0.75  # three examples are not yet enough to auto-approve
    assert spec["status"] == "draft"
    message = capsys.readouterr().err
    assert f"new pattern {spec['id']} from 3 similar executions (confidence 0.44" in message
    assert f".repetend/patterns/drafts/{spec['id']}.yaml" in message


def test_two_executions_are_not_a_pattern(repo: Path) -> None:
    create_file(1)
    create_file(2)
    assert specs(repo) == []


def test_more_evidence_updates_the_same_candidate_and_earns_approval(repo: Path) -> None:
    for i in range(12):
        create_file(i)
    [spec] = specs(repo)
    assert spec["status"] == "approved" and spec["occurrences"] == 12
    assert not list((repo / ".repetend" / "patterns" / "drafts").glob("*.yaml"))
    result = CliRunner().invoke(cli, ["detect", "--json"])
    [again] = json.loads(result.stdout)
    assert again["id"] == spec["id"] and not again["created"]


def test_detect_is_idempotent(repo: Path) -> None:
    for i in range(3):
        create_file(i)
    first = CliRunner().invoke(cli, ["detect", "--json"])
    second = CliRunner().invoke(cli, ["detect", "--json"])
    assert json.loads(first.stdout) == json.loads(second.stdout)
    [spec] = specs(repo)
    assert spec["version"] == "1.0.0"


def test_near_signatures_merge_and_distant_ones_do_not(repo: Path) -> None:
    create_file(1)
    create_file(2, mode="w")  # one extra input key: still the same kind of work
    create_file(3)
    with repetend.record("file_creation", inputs={"url": "https://x"}, tools=["download"]):
        pass
    result = CliRunner().invoke(cli, ["detect", "--json"])
    [candidate] = json.loads(result.stdout)
    assert candidate["occurrences"] == 3
    [spec] = specs(repo)
    variables = spec["variables"]
    assert isinstance(variables, dict)
    assert variables["mode"]["required"] is False
    assert spec["confidence"]["parts"]["completeness"] < 1  # type: ignore[index]


def test_failures_lower_confidence_and_old_work_is_outside_the_window(repo: Path) -> None:
    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    old = utcnow() - timedelta(days=45)
    store.add_executions(
        [Execution("lint", {"path": f"a{i}.py"}, created_at=old) for i in range(5)]
        + [Execution("lint", {"path": f"b{i}.py"}) for i in range(4)]
        + [Execution("lint", {"path": "c.py"}, success=False)]
    )
    store.close()
    result = CliRunner().invoke(cli, ["detect", "--json"])
    [candidate] = json.loads(result.stdout)
    assert candidate["occurrences"] == 4
    [spec] = specs(repo)
    parts = spec["confidence"]["parts"]  # type: ignore[index]
    assert parts["success_rate"] == 0.8
    assert spec["evidence"]["failures"] == 1  # type: ignore[index]


def test_destructive_work_is_never_auto_approved(repo: Path) -> None:
    for i in range(30):
        with repetend.record("shell", inputs={"command": f"rm -rf build/{i}"}):
            pass
    [spec] = specs(repo)
    assert spec["destructive"] is True
    assert spec["confidence"]["score"] >= 0.75  # type: ignore[index]
    assert spec["status"] == "draft"
    assert "rm -rf" in str(spec["destructive_reason"])


def test_lookback_and_min_examples_come_from_configuration(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_MIN_EXAMPLES", "4")
    for i in range(3):
        create_file(i)
    assert specs(repo) == []
    create_file(4)
    assert len(specs(repo)) == 1


def test_an_approved_pattern_keeps_its_reviewed_body_while_evidence_grows(repo: Path) -> None:
    for i in range(3):
        create_file(i, encoding="utf-8")
    [draft] = specs(repo)
    CliRunner().invoke(cli, ["candidates", "approve", str(draft["id"])])
    approved = repo / ".repetend" / "patterns" / "approved" / f"{draft['id']}.yaml"
    before = approved.read_bytes()
    for i in range(3, 9):
        create_file(i, encoding=f"latin-{i}")  # the invariant would become a variable
    CliRunner().invoke(cli, ["detect"])
    [spec] = specs(repo, "approved")
    assert spec["invariants"] == {"encoding": "utf-8"}
    assert spec["version"] == draft["version"]
    # The approved spec file is not touched: the new body is a proposal beside it, in history.
    assert approved.read_bytes() == before
    history = repo / ".repetend" / "patterns" / "history" / str(draft["id"])
    proposal = yaml.safe_load((history / "1.1.0" / f"{draft['id']}.yaml").read_text())
    assert proposal["status"] == "draft" and "encoding" in proposal["variables"]
    assert "+  encoding:" in (history / "1.1.0" / "diff.patch").read_text()
    # The store counts the evidence; `candidates show` and `list` show the proposal.
    shown = json.loads(
        CliRunner().invoke(cli, ["candidates", "show", str(draft["id"]), "--json"]).output
    )
    assert shown["occurrences"] == 9
    assert shown["versions"]["proposed"] == "1.1.0"
    assert shown["versions"]["proposed_diff"].endswith("/1.1.0/diff.patch")
    listed = CliRunner().invoke(cli, ["candidates", "list"]).output
    assert "approved, 1.1.0 proposed" in listed


def test_an_automatic_rejection_is_reconsidered_but_a_persons_is_kept(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_AUTO_REJECT_THRESHOLD", "0.5")
    for i in range(3):
        create_file(i)
    [spec] = specs(repo, "rejected")  # 0.44 < 0.5: rejected by the policy
    for i in range(3, 6):
        create_file(i)
    [again] = specs(repo)
    assert again["id"] == spec["id"] and again["status"] == "draft"  # 6 of 6: 0.61
    CliRunner().invoke(cli, ["candidates", "reject", str(spec["id"]), "--note", "no"])
    for i in range(6, 24):
        create_file(i)
    CliRunner().invoke(cli, ["detect"])
    [kept] = specs(repo)
    assert kept["status"] == "rejected" and kept["occurrences"] == 6  # the file is left alone
    shown = CliRunner().invoke(cli, ["candidates", "show", str(spec["id"]), "--json"])
    assert json.loads(shown.output)["occurrences"] == 24
