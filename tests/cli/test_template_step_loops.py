"""Repeated multi-line sections (workflow steps) become a loop; a key some steps have, an `if`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from repetend.cli import main
from tests.cli.conftest import workflow


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def learned(workflows: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    (family,) = report["families"]
    shown = run_json(capsys, "templates", "show", family["id"])
    assert isinstance(shown, dict)
    return shown


def test_steps_become_a_loop_with_a_conditional_per_optional_key(
    learned: dict[str, object],
) -> None:
    files = learned["files"]
    assert isinstance(files, list)
    source = files[0]["template"]
    assert "{% for step in steps %}" in source
    assert "{% if step.has_with %}" in source and "{% if step.has_run %}" in source
    assert "- name: {{ step.name }}" in source
    assert "{% if has_run_name %}run-name: {{ run_name }}" in source  # a top-level key
    variables = learned["variables"]
    assert isinstance(variables, list)
    steps = next(v for v in variables if v["name"] == "steps")
    assert steps["type"] == "list"
    assert {"name", "uses", "run", "has_with", "list_indent"} <= set(steps["item_fields"])


def test_every_member_renders_back_exactly(learned: dict[str, object]) -> None:
    confidence = learned["confidence"]
    assert isinstance(confidence, dict)
    assert confidence["parts"]["round_trip_rate"] == 1.0


def test_apply_renders_a_new_workflow_with_any_number_of_steps(
    learned: dict[str, object], workflows: Path, tmp_path: Path
) -> None:
    steps = [
        {"name": "Check out", "has_uses": True, "uses": "actions/checkout@v4"},
        {"name": "Set up Go", "has_uses": True, "uses": "actions/setup-go@v5", "has_with": True},
        {"name": "Vet", "has_run": True, "run": "go vet ./..."},
        {"name": "Test", "has_run": True, "run": "go test ./..."},
    ]
    with_field = next(k for k in _fields(learned) if k.startswith("with"))
    steps[1][with_field] = "\n    go-version: '1.22'"
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"slug": "deploy", "steps": steps}))  # no run-name
    assert main(["apply", str(learned["id"]), "--from", str(values)]) == 0
    written = (workflows / "workflows" / "deploy.yml").read_text()
    assert written == workflow(
        "deploy",
        [
            ("Check out", "uses", "actions/checkout@v4", None),
            ("Set up Go", "uses", "actions/setup-go@v5", ("go-version", "'1.22'")),
            ("Vet", "run", "go vet ./...", None),
            ("Test", "run", "go test ./...", None),
        ],
    )


def test_an_unknown_step_field_is_one_clear_error(
    learned: dict[str, object], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = tmp_path / "values.yaml"
    values.write_text(yaml.safe_dump({"slug": "x", "steps": [{"nmae": "typo"}]}))
    assert main(["apply", str(learned["id"]), "--from", str(values)]) != 0
    assert "unknown item field 'nmae'" in capsys.readouterr().err


def _fields(learned: dict[str, object]) -> dict[str, object]:
    variables = learned["variables"]
    assert isinstance(variables, list)
    fields = next(v for v in variables if v["name"] == "steps")["item_fields"]
    assert isinstance(fields, dict)
    return fields


def test_a_member_with_one_more_step_still_fits_the_stored_loop(
    learned: dict[str, object], workflows: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # a new member (a changed one is learned again, see test_stable_mining)
    lint = (workflows / "workflows" / "lint.yml").read_text()
    extra = (
        lint.replace("lint", "extra").replace("Lint", "Extra")
        + "      - name: Extra\n        run: make extra\n"
    )
    (workflows / "workflows" / "extra.yml").write_text(extra)
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict) and report["read"] == 1
    shown = run_json(capsys, "templates", "show", str(learned["id"]))
    assert isinstance(shown, dict)
    assert shown["learned"] == "refit"  # read back through the loop of the stored source


def test_missing_steps_name_the_fields_of_an_item(
    learned: dict[str, object], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", str(learned["id"]), "--set", "slug=x", "--dry-run"]) != 0
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "missing required variable 'steps'" in error
    assert "each with name, " in error and "has_with" in error
