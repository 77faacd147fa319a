"""The pre-commit check's quick answer: no store when nothing moved and nothing is missing.

Real commits with the real file miner: a family is mined and approved, then
new members are committed. `PYTHONPROFILEIMPORTTIME=1` makes every Python the
hook starts list the modules it imports on stderr, which git passes on.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import REPETEND, commit, run, spool_empty, wait_for, write
from tests.cli.conftest import SENSORS, sensor_module

NEW = ("water_leak", "Water leak")


@pytest.fixture
def approved(repo: Path) -> str:
    """`repo` with the sensor family mined and approved, and repetend's hooks installed."""
    for slug, (title, _tags) in SENSORS.items():
        write(repo, f"sensors/{slug}.py", sensor_module(slug, title))
    commit(repo, "sensors")
    run(repo, *REPETEND, "mine", ".")
    (draft,) = (repo / ".repetend" / "patterns" / "drafts").glob("AUTO-*.yaml")
    run(repo, *REPETEND, "candidates", "approve", draft.stem)
    run(repo, *REPETEND, "hooks", "install")
    return draft.stem


def _imports(stderr: str) -> set[str]:
    return {
        line.rsplit("|", 1)[1].strip() for line in stderr.splitlines() if "import time:" in line
    }


def _commit_member(repo: Path, slug: str, title: str, **env: str) -> tuple[int, str]:
    write(repo, f"sensors/{slug}.py", sensor_module(slug, title))
    run(repo, "git", "add", f"sensors/{slug}.py")
    done = subprocess.run(
        ["git", "commit", "-q", "-m", slug],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        check=False,
    )
    wait_for(lambda: spool_empty(repo), timeout=60)
    return done.returncode, done.stderr


def test_a_new_member_lacking_nothing_is_passed_without_the_store(
    repo: Path, approved: str
) -> None:
    code, stderr = _commit_member(repo, "smoke_alarm", "Smoke alarm")  # the full check
    assert (code, "repetend" in stderr) == (0, False)
    code, stderr = _commit_member(repo, *NEW, PYTHONPROFILEIMPORTTIME="1")
    imported = _imports(stderr)
    assert code == 0
    assert "repetend.templates.check" in imported  # Python started and checked the file
    assert not {"repetend.store", "repetend.capture.record", "pluggy"} & imported


def test_a_new_member_lacking_something_is_still_warned_about(repo: Path, approved: str) -> None:
    _commit_member(repo, "smoke_alarm", "Smoke alarm")  # leaves the snapshot
    write(repo, "sensors/water_leak.py", sensor_module(*NEW).replace("@register\n", ""))
    done = commit(repo, "no decorator", "sensors/water_leak.py")
    assert done.returncode == 0
    assert f"missing '@register' required by template {approved}" in done.stderr


def test_a_template_approved_elsewhere_is_checked_at_the_next_commit(
    repo: Path, approved: str
) -> None:
    _commit_member(repo, "smoke_alarm", "Smoke alarm")  # leaves the snapshot
    # A teammate's approved template, pulled: the spec file arrives, the store is not told.
    folder = repo / ".repetend" / "patterns" / "approved"
    pulled = "AUTO-20990101-000001"
    text = (folder / f"{approved}.yaml").read_text().replace(approved, pulled)
    text = text.replace("\nsignature: ", "\nsignature: pulled-", 1)
    write(repo, f".repetend/patterns/approved/{pulled}.yaml", text.replace("register", "enroll"))
    code, stderr = _commit_member(repo, *NEW)
    assert code == 0
    assert f"required by template {pulled}" in stderr
    assert f"required by template {approved}" not in stderr


def test_an_installed_plugin_that_answers_the_check_is_asked(
    repo: Path, approved: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.capture.git.gitrepo import plugin_log
    from tests.installed_plugin import install_test_plugin

    _commit_member(repo, "smoke_alarm", "Smoke alarm")  # leaves the snapshot
    install_test_plugin(tmp_path / "site", monkeypatch)
    monkeypatch.delenv("REPETEND_DISABLE_PLUGINS")  # keep the file miner too
    _commit_member(repo, *NEW, PYTHONPATH=os.environ["PYTHONPATH"])
    checked = [e["path"] for e in plugin_log(repo) if e["hook"] == "check_staged_file"]
    assert checked == ["sensors/water_leak.py"]
