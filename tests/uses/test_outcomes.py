"""Every use is recorded and judged from the commit: success, workaround, failure."""

from __future__ import annotations

from pathlib import Path

from tests.capture.git.gitrepo import repetend, write
from tests.uses.conftest import committed, sensor, uses


def test_a_render_committed_as_it_is_is_a_success_with_the_fallback_time(
    repo: Path, template: str
) -> None:
    repetend(repo, "apply", template, "--set", "slug=fan_coil")
    assert uses(repo) == []  # judged by the commit, not by apply
    committed(repo, "fan coil")
    [use] = uses(repo)
    assert (use["pattern_id"], use["version"], use["outcome"]) == (template, "1.0.0", "success")
    assert use["seconds_saved"] == 30.0
    assert use["evidence"]["seconds_source"] == "fallback: seconds_per_step 30 x 1 file(s)"
    assert use["evidence"]["files"] == [
        {"path": "sensors/fan_coil.py", "why": "committed as rendered"}
    ]


def test_edits_inside_values_succeed_edits_of_fixed_text_are_workarounds(
    repo: Path, template: str
) -> None:
    repetend(repo, "apply", template, "--set", "slug=lamp", "--set", "slug=fan")
    lamp = repo / "sensors" / "lamp.py"
    lamp.write_text(lamp.read_text().replace('name = "lamp"', 'name = "Desk lamp"'))
    fan = repo / "sensors" / "fan.py"
    fan.write_text(fan.read_text().replace("poll_seconds = 30", "poll_seconds = 5"))
    committed(repo, "two")
    lamp_use, fan_use = uses(repo)  # one use per row of values
    assert lamp_use["outcome"] == "success"
    assert lamp_use["evidence"]["files"][0]["why"] == "edited only inside variable values"
    assert fan_use["outcome"] == "workaround"
    [edited] = fan_use["evidence"]["files"]
    assert edited["gone"] == ["poll_seconds = 30"]
    assert edited["edited_lines"] == ["    poll_seconds = 5"]
    path = repo / ".repetend" / "reports" / "evolution" / f"{template}.yaml"
    report = path.read_text()
    assert "sensors/fan.py" in report and "poll_seconds = 5" in report  # kept as an edge case
    assert path.stat().st_mode & 0o777 == 0o600  # it quotes what a person wrote


def test_deleted_and_rewritten_renders_are_failures(repo: Path, template: str) -> None:
    repetend(repo, "apply", template, "--set", "slug=valve", "--set", "slug=pump")
    (repo / "sensors" / "valve.py").unlink()
    write(repo, "sensors/pump.py", '"""Pump."""\n\nPUMP = True\n')
    committed(repo, "pump only")
    outcomes = [(u["outcome"], u["evidence"]["files"][0]["why"]) for u in uses(repo)]
    assert outcomes == [
        ("failure", "deleted"),
        ("failure", "rewritten: most of the fixed text is gone"),
    ]


def test_a_hand_made_member_committed_despite_the_warning_counts_against_the_template(
    repo: Path, template: str
) -> None:
    write(repo, "sensors/good.py", sensor("good"))
    write(repo, "sensors/bad.py", '"""Bad."""\n\nDOMAIN = "bad"\n')
    committed(repo, "by hand")
    found = {u["evidence"]["path"]: u for u in uses(repo)}
    assert found["sensors/good.py"]["outcome"] == "success"
    assert found["sensors/good.py"]["evidence"]["warned_at_commit"] is False
    bad = found["sensors/bad.py"]
    assert bad["outcome"] == "failure"
    assert bad["evidence"]["warned_at_commit"] is True
    assert "@register" in bad["evidence"]["gone"]


def test_no_verify_skips_the_warning_but_not_the_judgement(repo: Path, template: str) -> None:
    import subprocess

    write(repo, "sensors/bad.py", '"""Bad."""\n')
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-q", "--no-verify", "-m", "x"], cwd=repo, check=True)
    from tests.capture.git.gitrepo import spool_empty, wait_for

    wait_for(lambda: spool_empty(repo) and len(uses(repo)) == 1)
    [use] = uses(repo)
    assert use["outcome"] == "failure" and use["evidence"]["warned_at_commit"] is False


def test_time_saved_is_measured_from_hand_made_members_when_the_watcher_saw_them(
    repo: Path, template: str
) -> None:
    from datetime import timedelta

    from repetend.events import Event
    from repetend.store import SQLiteStore
    from tests.uses.conftest import START

    store = SQLiteStore(repo / ".repetend" / "repetend.db")
    for n, minutes in enumerate((4, 6, 20)):  # created, then committed minutes later
        path, made = f"sensors/hand{n}.py", START - timedelta(minutes=30)
        created = {"path": path, "by_hand": True}
        added = timedelta(minutes=minutes)
        store.add_events(
            [
                Event(source="watch", kind="file-created", payload=created, created_at=made),
                Event(
                    source="git", kind="commit", payload={"added": [path]}, created_at=made + added
                ),
            ]
        )
    store.close()
    repetend(repo, "apply", template, "--set", "slug=heater")
    from tests.uses.conftest import clock

    committed(repo, "heater", clock(0))
    [use] = uses(repo)
    assert use["seconds_saved"] == 6 * 60.0  # the median of 4, 6 and 20 minutes
    assert use["evidence"]["seconds_source"] == "measured: median of 3 members made by hand"


def test_a_commit_judged_again_counts_its_hand_made_members_once(repo: Path, template: str) -> None:
    from repetend.capture.git.postcommit import ingest_commit
    from repetend.config import load_config
    from repetend.plugins.registry import get_plugin_manager
    from repetend.store import open_store
    from tests.capture.git.gitrepo import run

    write(repo, "sensors/bad.py", '"""Bad."""\n')
    committed(repo, "bad")
    sha = run(repo, "git", "rev-parse", "HEAD").stdout.strip()
    config = load_config(repo)
    store = open_store(config)
    ingest_commit(sha, store, config, get_plugin_manager())  # as a drain after a locked store
    store.close()
    assert [u["outcome"] for u in uses(repo)] == ["failure"]
