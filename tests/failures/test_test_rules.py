"""Rules from test fixes and flaky tests: real pytest runs with the plugin, real git snapshots."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.failures.conftest import commit_all, git, known, run

TEST = (
    "from settings import RETRIES, TIMEOUT\n\n\n"
    "def test_timeout():\n"
    "    assert TIMEOUT > 0\n"
    "    assert RETRIES > 0\n"
)
GOOD = "TIMEOUT = 30\nRETRIES = 3\n"
NODE = "test_settings.py::test_timeout"


def pytest_run(root: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A real pytest run in `root` with the repetend plugin; waits until its events are stored."""
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"],
        cwd=root,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=300,
    )
    spool = root / ".repetend" / "spool" / "pytest"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and spool.is_dir() and any(spool.iterdir()):
        time.sleep(0.1)
    return done


@pytest.fixture
def settings(repo: Path) -> Path:
    (repo / "settings.py").write_text(GOOD)
    (repo / "test_settings.py").write_text(TEST)
    (repo / ".gitignore").write_text(".repetend/\n__pycache__/\n")
    (repo / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    commit_all(repo, "settings")
    return repo


def break_and_fix(root: Path) -> None:
    (root / "settings.py").write_text(GOOD.replace("TIMEOUT = 30", "TIMEOUT = 0"))
    assert pytest_run(root).returncode == 1
    (root / "settings.py").write_text(GOOD)
    assert pytest_run(root).returncode == 0


def test_a_test_fixed_by_the_same_one_line_change_three_times_is_healed_in_a_sandbox(
    settings: Path,
) -> None:
    for _ in range(3):
        break_and_fix(settings)
    run(settings, "heal", "--learn")
    (rule,) = known(settings)["rules"]
    assert rule["mode"] == "patch"
    assert rule["steps"] == ["edit settings.py\n<<<\nTIMEOUT = 0\n===\nTIMEOUT = 30\n>>>"]
    (settings / "settings.py").write_text(GOOD.replace("TIMEOUT = 30", "TIMEOUT = 0"))
    failing = pytest_run(settings)
    assert f"repetend: {NODE}: a fix is known ({rule['id']}, draft)" in failing.stdout
    healed = run(settings, "heal", NODE, "--yes")
    assert healed.returncode == 0, healed.stdout + healed.stderr
    assert "in settings.py: 'TIMEOUT = 0' → 'TIMEOUT = 30'" in healed.stdout
    assert "verified; the change is in the working tree" in healed.stdout
    assert (settings / "settings.py").read_text() == GOOD
    assert git(settings, "worktree", "list").count("\n") == 1  # the sandbox is gone


def test_a_wrong_rule_fails_verification_and_the_working_tree_is_untouched(
    settings: Path,
) -> None:
    for _ in range(3):
        break_and_fix(settings)
    run(settings, "heal", "--learn")
    broken = "TIMEOUT = 0\nRETRIES = 0\n"  # the same error, but the rule fixes only one line
    (settings / "settings.py").write_text(broken)
    (settings / "notes.txt").write_text("mine\n")  # untracked work stays as it is
    pytest_run(settings)
    status = git(settings, "status", "--porcelain")
    healed = run(settings, "heal", NODE, "--yes")
    assert healed.returncode == 1
    assert "verification failed" in healed.stdout
    assert (settings / "settings.py").read_text() == broken
    assert git(settings, "status", "--porcelain") == status
    (rule,) = known(settings)["rules"]
    shown = json.loads(run(settings, "candidates", "show", rule["id"], "--json").stdout)
    assert shown["uses"]["failures"] == 1  # the heal counted as a failed use of the rule
    for _ in range(2):
        assert run(settings, "heal", NODE, "--yes").returncode == 1
    refused = run(settings, "heal", NODE, "--yes")  # three failures in a row opened its circuit
    assert refused.returncode == 2  # a usage error, as `apply` says it
    assert f"{rule['id']}: not applied: its circuit is open" in refused.stderr
    asked = run(settings, "heal", NODE, "--force")  # no terminal and no --yes: never applied
    assert asked.returncode != 0 and "confirm on a terminal, or pass --yes" in asked.stderr
    assert (settings / "settings.py").read_text() == broken


FLAKY = (
    "import os, pathlib\n\n\n"
    "def test_sometimes():\n"
    "    counter = pathlib.Path(os.environ['COUNTER'])\n"
    "    count = int(counter.read_text()) if counter.exists() else 0\n"
    "    counter.write_text(str(count + 1))\n"
    "    assert count % 2 == 0, 'odd run'\n"
)


def test_a_test_with_both_outcomes_on_one_tree_state_is_reported_flaky(
    repo: Path, tmp_path: Path
) -> None:
    (repo / "test_flaky.py").write_text(FLAKY)
    (repo / ".gitignore").write_text(".repetend/\n__pycache__/\n")
    (repo / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    commit_all(repo, "flaky")
    env = {"COUNTER": str(tmp_path / "counter")}
    assert pytest_run(repo, env).returncode == 0
    assert pytest_run(repo, env).returncode == 1
    found = json.loads(run(repo, "flaky", "--json").stdout)
    assert [(f["nodeid"], f["flaky"]) for f in found] == [("test_flaky.py::test_sometimes", "yes")]
    assert found[0]["passes"] == 1 and found[0]["failures"] == 1
    run(repo, "heal", "--learn")
    pytest_run(repo, env)  # passes (third run)
    third = pytest_run(repo, env)  # fails again: the summary names it
    assert "repetend: known flaky: test_flaky.py::test_sometimes" in third.stdout
    listed = json.loads(run(repo, "anti-patterns", "list", "--json").stdout)
    assert [(a["kind"], a["cause"]) for a in listed] == [("flaky", "flaky")]


HELPERS = '"""Helpers."""\n\n\ndef helper():\n    return {module}.__name__\n'
HELPER_TEST = "from helpers import helper\n\n\ndef test_helper():\n    assert helper()\n"


def test_a_missing_import_added_three_times_becomes_a_rule_with_the_name_as_a_variable(
    repo: Path,
) -> None:
    (repo / ".gitignore").write_text(".repetend/\n__pycache__/\n")
    (repo / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    (repo / "test_helpers.py").write_text(HELPER_TEST)
    (repo / "helpers.py").write_text('"""Helpers."""\n')
    commit_all(repo, "helpers")
    for module in ("json", "re", "os"):
        (repo / "helpers.py").write_text(HELPERS.format(module=module))
        failed = pytest_run(repo)
        assert f"NameError: name '{module}' is not defined" in failed.stdout
        fixed = HELPERS.format(module=module).replace('"""\n', f'"""\nimport {module}\n', 1)
        (repo / "helpers.py").write_text(fixed)
        assert pytest_run(repo).returncode == 0
        commit_all(repo, module)
    run(repo, "heal", "--learn")
    (rule,) = known(repo)["rules"]
    assert rule["steps"] == [
        'edit helpers.py\n<<<\n"""Helpers."""\n===\n"""Helpers."""\nimport {{ name }}\n>>>'
    ]
    (repo / "helpers.py").write_text(HELPERS.format(module="textwrap"))
    assert pytest_run(repo).returncode == 1
    healed = run(repo, "heal", "test_helpers.py::test_helper", "--yes")
    assert healed.returncode == 0, healed.stdout + healed.stderr
    assert (repo / "helpers.py").read_text().startswith('"""Helpers."""\nimport textwrap\n')
