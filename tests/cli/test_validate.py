"""`repetend validate` on specs that `repetend mine` wrote from a real git repository."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from jsonschema import Draft202012Validator

from repetend.cli import main
from repetend.patterns.spec_checks import spec_schema
from tests.cli.conftest import git
from tests.cli.test_templates import run_json, template_id

SENSORS = "sensors/{{ slug }}.py"
APPROVED = Path(".repetend/patterns/approved")


def approved_sensors(capsys: pytest.CaptureFixture[str]) -> str:
    """Mine the repository, approve the sensor template; its id."""
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, SENSORS)
    assert main(["candidates", "approve", tid]) == 0
    return tid


def validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, list[str]]:
    """Exit status and output lines of `repetend validate ARGS`."""
    capsys.readouterr()
    status = main(["validate", *args])
    return status, capsys.readouterr().out.splitlines()


def spec(root: Path, tid: str) -> Path:
    return root / APPROVED / f"{tid}.yaml"


def edit_spec(path: Path, **changes: object) -> None:
    document = yaml.safe_load(path.read_text())
    for key, value in changes.items():
        if value is None:
            del document[key]
        else:
            document[key] = value
    path.write_text(yaml.safe_dump(document, sort_keys=False))


def test_the_shipped_schema_is_a_valid_json_schema() -> None:
    Draft202012Validator.check_schema(spec_schema())


def test_mined_specs_are_valid(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    approved_sensors(capsys)
    capsys.readouterr()
    assert main(["validate"]) == 0
    assert capsys.readouterr() == ("", "2 spec(s) valid\n")


def test_an_edited_template_that_no_longer_reproduces_its_members_fails(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    jinja = sensors / APPROVED / tid / f"{SENSORS}.jinja"
    jinja.write_text(jinja.read_text().replace("(Entity):", "(Entity, Base):"))
    git(sensors, "rm", "-q", "sensors/door_lock.py")  # a member deleted since: not checked
    status, lines = validate(capsys)
    assert status == 1
    members = yaml.safe_load(spec(sensors, tid).read_text())["members"]
    shown = f"{APPROVED / tid}.yaml"
    expected = [
        f"{shown}:members.{members.index(m)}: {m} is no longer reproduced by the template"
        for m in members
        if m != "sensors/door_lock.py"
    ]
    assert [line.split(" (")[0] for line in lines] == expected
    assert all("differs from line 9" in line for line in lines)


def test_a_draft_is_not_held_to_its_members(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, SENSORS)
    jinja = sensors / ".repetend/patterns/drafts" / tid / f"{SENSORS}.jinja"
    jinja.write_text(jinja.read_text().replace("(Entity):", "(Entity, Base):"))
    assert validate(capsys) == (0, [])


def test_schema_problems_name_the_file_and_the_key(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    edit_spec(spec(sensors, tid), version="one", members=None, occurrences=-1)
    status, lines = validate(capsys, str(spec(sensors, tid)))
    shown = f"{APPROVED / tid}.yaml"
    assert status == 1
    assert lines == [
        f"{shown}:members: missing (the spec schema requires it)",
        f"{shown}:occurrences: -1 is less than the minimum of 0",
        f"{shown}:version: 'one' is not valid: expected a whole number (older specs) or a"
        " semantic version such as 1.2.0",
    ]


def test_a_semantic_version_is_valid(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tid = approved_sensors(capsys)
    edit_spec(spec(sensors, tid), version="1.1.0")
    assert validate(capsys) == (0, [])


def test_ids_files_and_folders_follow_the_convention(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    renamed = sensors / APPROVED / "door-template.yaml"
    spec(sensors, tid).rename(renamed)
    edit_spec(renamed, status="draft")
    status, lines = validate(capsys, str(renamed))
    shown = APPROVED / "door-template.yaml"
    assert status == 1
    assert lines == [
        f"{shown}:id: '{tid}' but the file is door-template.yaml",
        f"{shown}:status: draft but the spec is in approved/, not drafts/",
    ]
    edit_spec(renamed, id="door-template", status="approved")
    status, lines = validate(capsys, str(renamed))
    assert lines == [
        f"{shown}:id: 'door-template' is not like AUTO-YYYYMMDD-NNN",
        f"{shown}:files.0.path: its template file door-template/{SENSORS}.jinja is missing",
        f"{shown}:files: door-template/.globs is missing (the git hook reads it)",
    ]
    (sensors / APPROVED / tid).rename(sensors / APPROVED / "door-template")
    status, lines = validate(capsys, str(renamed))
    assert lines == [f"{shown}:id: 'door-template' is not like AUTO-YYYYMMDD-NNN"]


def test_a_template_file_names_its_spec_and_an_orphan_folder_is_found(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    jinja = sensors / APPROVED / tid / f"{SENSORS}.jinja"
    jinja.write_text(jinja.read_text().replace("(Entity):", "(Entity, Base):"))
    status, lines = validate(capsys, str(jinja))
    assert status == 1 and len(lines) == 4
    assert all(line.startswith(f"{APPROVED / tid}.yaml:members.") for line in lines)
    spec(sensors, tid).unlink()
    status, lines = validate(capsys, str(sensors / ".repetend" / "patterns"))
    assert lines == [f"{APPROVED / tid}.yaml:(file): a template folder without its spec"]


def test_broken_yaml_names_the_line(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tid = approved_sensors(capsys)
    path = spec(sensors, tid)
    path.write_text(path.read_text() + "members: [unclosed\n")
    status, lines = validate(capsys, str(path))
    assert status == 1
    (line,) = lines
    assert line.startswith(f"{APPROVED / tid}.yaml:line ")
    assert "not valid YAML" in line


def test_json_lists_each_problem(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tid = approved_sensors(capsys)
    edit_spec(spec(sensors, tid), destructive="no")
    capsys.readouterr()
    assert main(["validate", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report == {
        "specs": 2,
        "problems": [
            {
                "file": f"{APPROVED / tid}.yaml",
                "key": "destructive",
                "message": "'no' is not of type 'boolean'",
            }
        ],
    }


def test_a_real_process_exits_1_with_the_lines_on_stdout(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    edit_spec(spec(sensors, tid), status="rejected")
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "validate"],
        cwd=sensors,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 1
    assert done.stdout == (
        f"{APPROVED / tid}.yaml:status: rejected but the spec is in approved/, not rejected/\n"
    )
    assert done.stderr == "1 problem(s) in 1 of 2 spec(s)\n"


def test_files_beside_the_specs_are_not_taken_for_specs(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = approved_sensors(capsys)
    patterns = sensors / ".repetend" / "patterns"
    others = [
        patterns / "history" / tid / "1.0.0" / f"{tid}.yaml",
        patterns / "anti_patterns" / "registry.yaml",
        patterns / "approved" / "README.md",
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("not: a spec\n")
    assert validate(capsys, *map(str, others)) == (0, [])
    assert validate(capsys) == (0, [])
    assert validate(capsys, str(patterns / "anti_patterns")) == (0, [])
