"""The recorded session log of benchmarks/recovery_replay.py, replayed: the rules it must give."""

from __future__ import annotations

import json
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

from repetend.capture.commands import command_payload
from repetend.events import Event
from repetend.failures.evidence import command_failure
from repetend.store import SQLiteStore
from tests.conftest import REPO_ROOT
from tests.failures.conftest import known, run

LOG = REPO_ROOT / "benchmarks" / "data" / "recovery_sessions.jsonl"


def replay(root: Path) -> list[dict[str, object]]:
    """Store the log's commands as `repetend run` would have; its truth."""
    lines = LOG.read_text().splitlines()
    start = datetime.now(timezone.utc) - timedelta(days=2)
    events = []
    for line in lines[1:]:
        item = json.loads(line)
        payload = command_payload(item["command"], str(root), item["exit_status"], 100.0)
        if item["exit_status"]:
            payload["failure"] = command_failure(
                item["stderr"].encode(),
                payload["step"],
                item["exit_status"],
                context={"branch": item["branch"]},
            )
        at = start + timedelta(seconds=item["t"])
        events.append(Event("run", "command", payload, session=item["session"], created_at=at))
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    store.add_events(events)
    store.close()
    return list(json.loads(lines[0])["truth"])


def test_the_replayed_log_gives_its_repeated_fixes_and_a_value_bound_rule_only_for_its_value(
    repo: Path,
) -> None:
    (repo / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    truth = replay(repo)
    assert run(repo, "heal", "--learn").returncode == 0
    rules = known(repo)["rules"]
    proposed = [(r["steps"], r.get("when", {})) for r in rules]
    for item in truth:  # every repeated fix is found
        assert (item["fix"], item.get("when", {})) in proposed
    assert len(proposed) == len(truth) + 1  # and one coincidence: `git pull` before `pytest -q`
    tb = "ModuleNotFoundError: No module named '{}'\n"
    for module, fix in (
        ("yaml", "python -m pip install pyyaml"),
        ("numpy", "python -m pip install numpy"),
    ):
        failed = run(
            repo,
            "run",
            "--",
            sys.executable,
            "-c",
            f"import sys; sys.stderr.write({tb.format(module)!r}); sys.exit(1)",
        )
        assert failed.returncode == 1
        # Another command than the log's: no hint. The rule is for `python manage.py runserver`.
        assert "a fix is known" not in failed.stderr
        failure = command_failure(tb.format(module).encode(), "python manage.py runserver", 1)
        from repetend.failures.known import hint

        assert f": {fix} —" in hint(known(repo), failure, "heal")
