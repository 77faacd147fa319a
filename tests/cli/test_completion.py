"""Shell completion (click's): template and candidate ids come from the store, read only."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

import repetend
from repetend.cli import main
from tests.cli.test_commands import make_candidate
from tests.cli.test_templates import run_json, template_id


def complete(words: str, cwd: Path, shell: str = "bash") -> list[str]:
    """What `repetend` offers for the last word of `words`, as a real shell would ask."""
    env = {
        **os.environ,
        "_REPETEND_COMPLETE": f"{shell}_complete",
        "COMP_WORDS": words,
        "COMP_CWORD": str(len(words.split()) - (0 if words.endswith(" ") else 1)),
    }
    done = subprocess.run(
        [sys.executable, "-c", "from repetend.cli import cli; cli(prog_name='repetend')"],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return [line.split(",", 1)[1] for line in done.stdout.splitlines() if line]


def test_candidate_ids_complete(repo: Path) -> None:
    candidate = make_candidate(repo)
    assert complete("repetend candidates approve AUTO", repo) == [candidate]
    assert complete("repetend candidates show X", repo) == []


def test_template_ids_complete_and_only_templates(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    run_json(capsys, "mine", ".")
    ids = sorted(str(t["id"]) for t in run_json(capsys, "templates", "list"))  # type: ignore[union-attr]
    for i in range(3):  # an execution candidate: not a template
        with repetend.record("job", inputs={"name": f"n{i}"}):
            pass
    (execution,) = run_json(capsys, "candidates", "list", "--kind", "execution")  # type: ignore[misc]
    assert execution["id"] in complete("repetend candidates show ", sensors)
    assert complete("repetend apply ", sensors) == ids
    assert complete("repetend templates show ", sensors) == ids
    assert template_id(capsys, "sensors/{{ slug }}.py") in complete("repetend export A", sensors)


def test_completing_outside_a_repository_offers_nothing_and_creates_nothing(
    tmp_path: Path,
) -> None:
    outside = tmp_path / "plain"
    outside.mkdir()
    assert complete("repetend candidates show ", outside) == []
    assert list(outside.iterdir()) == []


def test_the_completion_script_is_click_s(repo: Path) -> None:
    env = {**os.environ, "_REPETEND_COMPLETE": "bash_source"}
    script = subprocess.run(
        [sys.executable, "-m", "repetend"], env=env, capture_output=True, text=True, check=False
    ).stdout
    assert "_repetend_completion()" in script and "complete -o nosort -F" in script
    assert main(["--help"]) == 0
