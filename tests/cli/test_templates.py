"""`repetend mine`, `templates`, `apply` and `export` on a real git repository."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from repetend.cli import main
from repetend.files.candidates import WEIGHTS
from repetend.patterns.confidence import weighted_geometric_mean, wilson_lower_bound
from tests.cli.conftest import sensor_module
from tests.conftest import CORPORA


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> object:
    capsys.readouterr()
    assert main([*args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def template_id(capsys: pytest.CaptureFixture[str], pattern: str) -> str:
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    return next(str(t["id"]) for t in listed if t["path_pattern"] == pattern)


def test_mine_finds_both_families_and_skips_what_it_must(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    patterns = {f["path_pattern"] for f in report["families"]}
    assert patterns == {"sensors/{{ slug }}.py", "manifests/{{ slug }}.json"}
    assert report["skipped"] == {
        "secret": 1,
        "over 1 MiB": 1,
        "symlink outside the repository": 1,
        "binary": 1,
        "empty": 1,
    }
    assert report["files"] == 9  # the 8 family files and .gitignore: nothing ignored
    spec_files = list((sensors / ".repetend" / "patterns" / "drafts").glob("*.yaml"))
    assert len(spec_files) == 2
    for spec in spec_files:
        folder = spec.with_suffix("")
        assert list(folder.rglob("*.jinja")), folder


def test_case_forms_of_the_slug_are_one_variable(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    shown = run_json(capsys, "templates", "show", template_id(capsys, "sensors/{{ slug }}.py"))
    assert isinstance(shown, dict)
    source = shown["files"][0]["template"]
    assert "{{ slug | pascal }}" in source
    assert "{{ slug | kebab }}" in source
    assert 'DOMAIN = "{{ slug }}"' in source
    names = [v["name"] for v in shown["variables"]]
    assert names.count("slug") == 1
    assert "name" in names


def test_apply_renders_a_new_member(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["apply", tid, "--set", "slug=water_leak", "--set", "name=Water leak"]) == 0
    written = (sensors / "sensors" / "water_leak.py").read_text()
    assert written == sensor_module("water_leak", "Water leak")


def test_apply_dry_run_force_and_refusals(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["apply", tid, "--set", "slug=fan", "--set", "name=Fan", "--dry-run"]) == 0
    assert "would write" in capsys.readouterr().out
    assert not (sensors / "sensors" / "fan.py").exists()
    before = (sensors / "sensors" / "door_lock.py").read_text()
    assert main(["apply", tid, "--set", "slug=door_lock", "--set", "name=X"]) == 2
    assert "exists (use --force" in capsys.readouterr().err
    assert (sensors / "sensors" / "door_lock.py").read_text() == before
    assert main(["apply", tid, "--set", "slug=door_lock", "--set", "name=X", "--force"]) == 0
    assert 'name = "X"' in (sensors / "sensors" / "door_lock.py").read_text()
    assert main(["apply", tid, "--set", "slug=../../evil", "--set", "name=E"]) == 2
    assert "outside the repository" in capsys.readouterr().err
    assert not (sensors.parent / "evil.py").exists()


def test_missing_required_variable_is_one_line_naming_it(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    capsys.readouterr()
    assert main(["apply", tid, "--set", "slug=fan"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "missing required variable 'name'" in error
    assert "'Air quality'" in error


def test_apply_from_a_values_file_writes_every_row(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "manifests/{{ slug }}.json")
    rows = [
        {"slug": "fan", "name": "Fan", "tags": ["air", "comfort"]},
        {"slug": "lamp", "name": "Lamp", "tags": ["light"]},
    ]
    (sensors / "values.yaml").write_text(yaml.safe_dump(rows))
    assert main(["apply", tid, "--from", "values.yaml"]) == 0
    fan = json.loads((sensors / "manifests" / "fan.json").read_text())
    assert fan == {"name": "Fan", "domain": "fan", "tags": ["air", "comfort"]}
    assert json.loads((sensors / "manifests" / "lamp.json").read_text())["tags"] == ["light"]


def test_export_copier_writes_questions_and_files(
    sensors: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "manifests/{{ slug }}.json")
    assert main(["export", tid, "--format", "copier", "-o", str(tmp_path / "out")]) == 0
    questions = yaml.safe_load((tmp_path / "out" / "copier.yml").read_text())
    assert questions["_templates_suffix"] == ".jinja"
    assert {"slug", "name"} <= set(questions)
    assert (tmp_path / "out" / "manifests" / "{{ slug }}.json.jinja").is_file()


def test_second_mine_rereads_only_changed_files(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = run_json(capsys, "mine", ".")
    again = run_json(capsys, "mine", ".")
    assert isinstance(first, dict)
    assert isinstance(again, dict)
    assert first["read"] == first["files"]
    assert again["read"] == 0
    assert again["relearned"] == 0
    (sensors / "sensors" / "smart_plug.py").write_text(sensor_module("smart_plug", "Plug"))
    third = run_json(capsys, "mine", ".")
    assert isinstance(third, dict)
    assert third["read"] == 1
    assert third["relearned"] == 1


def test_a_member_that_still_fits_is_refitted_not_realigned(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    (sensors / "sensors" / "fan.py").write_text(sensor_module("fan", "Fan"))
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    assert report["read"] == 1
    shown = run_json(capsys, "templates", "show", template_id(capsys, "sensors/{{ slug }}.py"))
    assert isinstance(shown, dict)
    assert shown["learned"] == "refit"
    assert "sensors/fan.py" in shown["members"]
    assert shown["occurrences"] == 5


def test_mine_takes_another_repository_as_its_path(
    sensors: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(sensors.parent)
    report = run_json(capsys, "mine", str(sensors))
    assert isinstance(report, dict)
    assert report["files"] == 9
    assert (sensors / ".repetend" / "repetend.db").is_file()


def test_exported_case_forms_render_with_plain_jinja_as_copier_does(
    sensors: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from jinja2 import Environment, StrictUndefined

    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["export", tid, "-o", str(tmp_path / "out")]) == 0
    assert "note:" not in capsys.readouterr().err
    exported = (tmp_path / "out" / "sensors" / "{{ slug }}.py.jinja").read_text()
    copier_like = Environment(keep_trailing_newline=True, undefined=StrictUndefined)
    rendered = copier_like.from_string(exported).render(slug="water_leak", name="Water leak")
    assert rendered == sensor_module("water_leak", "Water leak")


def test_a_private_key_is_skipped_whatever_its_name(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    body = "-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----\n"
    for name in ("deploy.txt", "backup.txt", "old.txt"):
        (sensors / name).write_text(body)
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    assert report["skipped"]["secret"] == 4  # .env by its name, three keys by their content
    assert report["files"] == 9


def test_repeated_set_values_make_rows(sensors: Path, capsys: pytest.CaptureFixture[str]) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    sets = ["slug=fan", "name=Fan", "slug=lamp", "name=Lamp"]
    assert main(["apply", tid, *(f"--set={s}" for s in sets)]) == 0
    assert (sensors / "sensors" / "fan.py").read_text() == sensor_module("fan", "Fan")
    assert (sensors / "sensors" / "lamp.py").read_text() == sensor_module("lamp", "Lamp")
    assert (
        main(
            [
                "apply",
                tid,
                "--set=slug=a",
                "--set=slug=b",
                "--set=name=X",
                "--set=name=Y",
                "--set=name=Z",
            ]
        )
        == 2
    )
    assert "same number of times" in capsys.readouterr().err


def test_a_prose_family_that_round_trips_has_a_confidence_from_its_shown_parts(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rfcs = sorted((CORPORA / "rust-rfcs" / "text").glob("*.md"))[-12:]  # not the "Moved to" note
    (repo / "text").mkdir()
    for rfc in rfcs:
        (repo / "text" / rfc.name).write_bytes(rfc.read_bytes())
    run_json(capsys, "mine", ".")
    shown = run_json(capsys, "templates", "show", template_id(capsys, "text/{{ slug }}.md"))
    assert isinstance(shown, dict)
    parts = shown["confidence"]["parts"]
    assert parts["round_trip_rate"] == 1.0
    assert parts["examples"] == round(wilson_lower_bound(12, 12), 4)
    expected = weighted_geometric_mean(parts, WEIGHTS)
    assert shown["confidence"]["score"] == expected
    assert expected > 0.0  # the product of the parts was 0.00 for prose
    # an outline of headings and one slot per section: it writes little of an RFC
    assert parts["yield"] < 0.2
    assert shown["status"] == "rejected"


def test_templates_list_shows_the_family_and_filters_by_confidence(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    listed = run_json(capsys, "templates", "list")
    assert isinstance(listed, list)
    assert {t["family"] for t in listed} == {"sensors/*.py", "manifests/*.json"}
    lowest = min(t["confidence"] for t in listed)
    kept = run_json(capsys, "templates", "list", "--min-confidence", str(lowest + 0.0001))
    assert isinstance(kept, list) and len(kept) == len(listed) - 1
    assert main(["templates", "list"]) == 0
    header, *rows = capsys.readouterr().out.splitlines()
    assert header.split()[-2:] == ["pattern", "family"]
    assert {row.split()[-1] for row in rows} == {"sensors/*.py", "manifests/*.json"}
    assert main(["templates", "list", "--min-confidence", "1"]) == 0
    assert capsys.readouterr().out.startswith("No templates at that confidence (2 below it")


def test_an_absolute_path_for_a_path_variable_is_refused_not_moved_into_a_folder(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    tid = template_id(capsys, "sensors/{{ slug }}.py")
    assert main(["apply", tid, "--set", "slug=/tmp/evil", "--set", "name=E", "--dry-run"]) == 2
    assert capsys.readouterr().err == (
        "repetend: error: refused: slug = '/tmp/evil' is an absolute path; the file's path uses"
        " it, so give a name inside the repository\n"
    )
    assert main(["apply", tid, "--set", "slug=fan", "--set", "name=/usr/bin/x", "--dry-run"]) == 0
