"""Outside a git repository, `mine` honours the folder's `.gitignore` files as git would."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from repetend.cli import main
from tests.cli.conftest import sensor_module


def note(slug: str) -> str:
    return sensor_module(slug.replace("-", "_"), slug.replace("-", " ").title())


@pytest.fixture
def plain(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder that is not a git repository, with ignored files beside a family."""
    root = tmp_path / "plain"
    for folder in ("notes", "build/notes", "notes/private"):
        (root / folder).mkdir(parents=True)
    for slug in ("alpha", "beta", "gamma", "delta", "scratch-one", "keep-this"):
        (root / "notes" / f"{slug}.py").write_text(note(slug))
    for slug in ("one", "two", "three"):  # a whole family git would never show
        (root / "build" / "notes" / f"{slug}.py").write_text(note(slug))
        (root / "notes" / "private" / f"{slug}.py").write_text(note(slug))
    (root / ".gitignore").write_text("build/\n")
    (root / "notes" / ".gitignore").write_text("scratch-*.py\nkeep-*.py\n!keep-this.py\nprivate/\n")
    monkeypatch.chdir(root)
    return root


def test_ignored_files_and_folders_are_not_mined(
    plain: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert [f["path_pattern"] for f in report["families"]] == ["notes/{{ slug }}.py"]
    spec = json.loads(_show(capsys, report["families"][0]["id"]))
    members = sorted(spec["members"])
    assert members == [f"notes/{s}.py" for s in ("alpha", "beta", "delta", "gamma", "keep-this")]
    assert report["files"] == 7  # the five notes and the two .gitignore files


def _show(capsys: pytest.CaptureFixture[str], template: str) -> str:
    assert main(["templates", "show", template, "--json"]) == 0
    return capsys.readouterr().out
