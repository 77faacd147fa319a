"""An exported template works with real Copier (`copier copy`), loops and case forms included."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from repetend.cli import main
from tests.cli.conftest import sensor_module, workflow
from tests.conftest import CORPORA


def copier_copy(template: Path, destination: Path, data: dict[str, object]) -> None:
    """Run the real `copier copy` on an exported template, answers from a data file."""
    answers = template.parent / "answers.yml"
    answers.write_text(yaml.safe_dump(data))
    command = [sys.executable, "-m", "copier", "copy", "--defaults", "--quiet", "--data-file"]
    subprocess.run(
        [*command, str(answers), str(template), str(destination)],
        check=True,
        capture_output=True,
        text=True,
    )


def exported(capsys: pytest.CaptureFixture[str], pattern: str, folder: Path) -> Path:
    """Mine the repository, export the template with `pattern` for Copier, return its folder."""
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    capsys.readouterr()
    assert main(["templates", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    template_id = next(t["id"] for t in listed if t["path_pattern"] == pattern)
    assert main(["export", template_id, "--format", "copier", "-o", str(folder)]) == 0
    return folder


def test_copier_renders_an_exported_template_with_case_forms(
    sensors: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = exported(capsys, "sensors/{{ slug }}.py", tmp_path / "export")
    copier_copy(template, tmp_path / "new", {"slug": "water_leak", "name": "Water leak"})
    written = (tmp_path / "new" / "sensors" / "water_leak.py").read_text()
    assert written == sensor_module("water_leak", "Water leak")


def test_copier_renders_a_loop_over_steps(
    workflows: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    template = exported(capsys, "workflows/{{ slug }}.yml", tmp_path / "export")
    questions = yaml.safe_load((template / "copier.yml").read_text())
    fields = questions["steps"]["help"].split(": ", 1)[1].split(", ")
    blank = {field: False if field.startswith("has_") else "" for field in fields}
    indent = {"list_indent": "      "}
    steps = [
        {**blank, **indent, "name": "Check out", "has_uses": True, "uses": "actions/checkout@v4"},
        {**blank, **indent, "name": "Test", "has_run": True, "run": "go test ./..."},
    ]
    copier_copy(template, tmp_path / "new", {"slug": "deploy", "steps": steps})
    written = (tmp_path / "new" / "workflows" / "deploy.yml").read_text()
    assert written == workflow(
        "deploy",
        [
            ("Check out", "uses", "actions/checkout@v4", None),
            ("Test", "run", "go test ./...", None),
        ],
    )


def test_copier_renders_a_json_list_and_does_not_ask_for_layouts(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    properties = CORPORA / "starter-workflows" / "ci" / "properties"
    (repo / "ci").mkdir()
    shutil.copytree(properties, repo / "ci" / "properties")
    template = exported(capsys, "ci/properties/{{ slug }}.properties.json", tmp_path / "export")
    questions = yaml.safe_load((template / "copier.yml").read_text())
    assert questions["indent"]["when"] is False and questions["indent"]["default"] == "    "
    assert questions["categories"]["type"] == "yaml" and "when" not in questions["categories"]
    answers = {"slug": "zig", "name": "Zig", "description": "Build Zig.", "iconName": "zig"}
    copier_copy(template, tmp_path / "new", {**answers, "categories": ["CI", "Zig"]})
    written = (tmp_path / "new" / "ci" / "properties" / "zig.properties.json").read_text()
    expected = {k: v for k, v in answers.items() if k != "slug"}
    assert json.loads(written) == {**expected, "categories": ["CI", "Zig"]}
    assert written == (
        '{\n    "name": "Zig",\n    "description": "Build Zig.",\n    "iconName": "zig",\n'
        '    "categories": ["CI", "Zig"]\n}\n'
    )
