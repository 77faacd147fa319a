"""A key few members have becomes an optional section, not text of a neighbouring variable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from repetend.cli import main

WITH_CREATOR = {3: "Ann Lee", 11: "Bo Chen"}  # 2 of 20 members: 10%


def manifest(number: int) -> str:
    creator = f'  "creator": "{WITH_CREATOR[number]}",\n' if number in WITH_CREATOR else ""
    return (
        f'{{\n  "name": "Service {number}",\n{creator}'
        f'  "description": "Service number {number} does things.",\n  "port": {8000 + number}\n}}\n'
    )


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_a_rare_key_is_an_if_section_with_its_own_variable(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (repo / "services").mkdir()
    for number in range(20):
        (repo / "services" / f"s{number:02}.json").write_text(manifest(number))
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    (family,) = report["families"]
    shown = run_json(capsys, "templates", "show", family["id"])
    assert isinstance(shown, dict)
    source = shown["files"][0]["template"]
    assert '{% if has_creator %},\n  "creator": "{{ creator }}"{% endif %},' in source
    variables = {v["name"]: v for v in shown["variables"]}
    assert variables["has_creator"]["type"] == "bool"
    assert variables["has_creator"]["default"] is False
    described = "description=Service number 9 does things."
    common = ["--set", "name=Service 9", "--set", described, "--set", "port=8009"]
    assert main(["apply", family["id"], "--set", "slug=s90", *common]) == 0
    assert (repo / "services" / "s90.json").read_text() == manifest(9)
    with_creator = ["--set", "has_creator=true", "--set", "creator=Ann Lee"]
    assert main(["apply", family["id"], "--set", "slug=s93", *common, *with_creator]) == 0
    assert '  "creator": "Ann Lee",\n' in (repo / "services" / "s93.json").read_text()
    capsys.readouterr()
    on_without_value = ["--set", "slug=s94", *common, "--set", "has_creator=true"]
    assert main(["apply", family["id"], *on_without_value]) == 2
    assert "missing required variable 'creator'" in capsys.readouterr().err
    assert not (repo / "services" / "s94.json").exists()


def test_apply_writes_a_list_of_objects_from_a_values_file(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def launch(name: str, configurations: list[dict[str, object]]) -> str:
        return json.dumps({"name": name, "configurations": configurations}, indent=2) + "\n"

    (repo / "launch").mkdir()
    for name, count in (("a", 1), ("b", 2), ("c", 3)):
        items = [{"name": f"{name}{n}", "request": "launch"} for n in range(count)]
        (repo / "launch" / f"{name}.json").write_text(launch(name.upper(), items))
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    (family,) = report["families"]
    items = [{"name": "d0", "request": "launch"}, {"name": "d1", "request": "launch"}]
    values = {"slug": "d", "configurations": [{"name": "d0"}, {"name": "d1"}]}
    (repo / "values.yaml").write_text(yaml.safe_dump(values))
    assert main(["apply", family["id"], "--from", "values.yaml"]) == 0
    written = (repo / "launch" / "d.json").read_text()
    assert written == launch("D", items)
