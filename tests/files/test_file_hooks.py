"""The file miner's real-time hooks, called the way the git hooks and the watcher call them."""

from __future__ import annotations

from pathlib import Path

import pytest

from repetend.cli import main
from repetend.config import load_config
from repetend.events import Candidate
from repetend.patterns.lifecycle import propose
from repetend.plugins.registry import call_hook, get_plugin_manager
from repetend.plugins.types import SuggestionContext
from repetend.store import open_store
from tests.cli.conftest import git, sensor_module

SLUGS = {"air_quality": "Air quality", "door_lock": "Door lock", "smart_plug": "Smart plug"}


def write_sensors(root: Path, slugs: dict[str, str]) -> list[Path]:
    (root / "sensors").mkdir(exist_ok=True)
    written = []
    for slug, title in slugs.items():
        path = root / "sensors" / f"{slug}.py"
        path.write_text(sensor_module(slug, title))
        written.append(path)
    return written


def files_changed(root: Path, paths: list[Path]) -> list[Candidate]:
    config = load_config(root)
    store = open_store(config)
    try:
        answers = call_hook(
            get_plugin_manager(),
            "repetend_files_changed",
            paths=paths,
            root=root,
            store=store,
            config=config,
        )
    finally:
        store.close()
    return [candidate for answer in answers for candidate in answer]


def approve_sensor_template(root: Path, capsys: pytest.CaptureFixture[str]) -> str:
    write_sensors(root, SLUGS)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "sensors")
    assert main(["mine", "."]) == 0
    store = open_store(load_config(root))
    template = store.candidates(kind="file-template")[0]
    store.close()
    assert main(["candidates", "approve", template.id, "--note", "test"]) == 0
    capsys.readouterr()
    return template.id


def test_the_third_file_of_a_shape_completes_a_family(repo: Path) -> None:
    first_two = write_sensors(repo, dict(list(SLUGS.items())[:2]))
    assert files_changed(repo, first_two) == []
    third = write_sensors(repo, {"smart_plug": "Smart plug"})
    found = files_changed(repo, third)
    assert len(found) == 1
    assert found[0].kind == "file-template"
    assert found[0].occurrences == 3
    assert found[0].spec["path_pattern"] == "sensors/{{ slug }}.py"


def test_a_candidate_proposed_by_capture_gets_its_template_folder(repo: Path) -> None:
    found = files_changed(repo, write_sensors(repo, SLUGS))
    config = load_config(repo)
    store = open_store(config)
    proposal = propose(found, store, config, get_plugin_manager())[0]
    store.close()
    folder = proposal.path.with_suffix("")
    assert (folder / "sensors" / "{{ slug }}.py.jinja").read_text() == found[0].spec["files"][0][
        "template"
    ]


def test_a_staged_file_missing_a_fixed_part_is_reported(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template_id = approve_sensor_template(repo, capsys)
    config = load_config(repo)
    store = open_store(config)
    manager = get_plugin_manager()

    def check(path: str, text: str) -> list[list[str]]:
        return call_hook(
            manager,
            "repetend_check_staged_file",
            path=path,
            text=text,
            root=repo,
            store=store,
            config=config,
        )

    good = sensor_module("fan", "Fan")
    assert check("sensors/fan.py", good) == [[]]
    problems = check("sensors/fan.py", good.replace("@register\n", ""))
    assert len(problems[0]) == 1
    assert "@register" in problems[0][0]
    assert template_id in problems[0][0]
    assert check("docs/readme.md", "# hello\n") == []
    store.close()


def test_a_new_file_gets_a_suggestion_with_values_from_its_path(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    template_id = approve_sensor_template(repo, capsys)
    store = open_store(load_config(repo))
    context = SuggestionContext(
        "file-created", repo, path=repo / "sensors" / "water_leak.py", store=store
    )
    answers = call_hook(get_plugin_manager(), "repetend_suggest", context=context)
    store.close()
    suggestion = answers[0][0]
    assert suggestion.pattern_id == template_id
    assert template_id in suggestion.message
    assert suggestion.command == f"repetend apply {template_id} --set slug=water_leak"
    assert dict(suggestion.values) == {"slug": "water_leak"}
    assert "sensors/air_quality.py" in suggestion.evidence


def test_ignored_files_are_never_indexed(repo: Path) -> None:
    (repo / ".gitignore").write_text("sensors/\n")
    assert files_changed(repo, write_sensors(repo, SLUGS)) == []
    store = open_store(load_config(repo))
    rows = store.query("SELECT path FROM file_index")
    store.close()
    assert rows == []
