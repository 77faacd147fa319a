"""Precision and recall of recovery rules on a replay of a recorded session log.

`benchmarks/data/recovery_sessions.jsonl` holds sessions of commands (the command,
its exit status, the stderr of a failure, the branch) and, on its first line, the
fixes repeated in it (`truth`). The log is replayed into a fresh repository's store
as `repetend run` would have stored it (the failure signatures made from the
stderr, as the capture does), then `repetend heal --learn --json` learns. Prints:
precision (proposed rules that are a true repeated fix) and recall (repeated
fixes found).
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta, timezone
from pathlib import Path

LOG = Path(__file__).parent / "data" / "recovery_sessions.jsonl"
START = datetime(2026, 12, 1, 9, 0, tzinfo=timezone.utc)


def replay(root: Path) -> list[dict[str, object]]:
    from repetend.capture.commands import command_payload
    from repetend.events import Event
    from repetend.failures.evidence import command_failure
    from repetend.store import SQLiteStore

    lines = LOG.read_text().splitlines()
    truth = json.loads(lines[0])["truth"]
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    events = []
    now = datetime.now(timezone.utc) - timedelta(days=2)
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
        events.append(
            Event(
                "run",
                "command",
                payload,
                session=item["session"],
                created_at=now + timedelta(seconds=item["t"]),
            )
        )
    store.add_events(events)
    store.close()
    return truth


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / ".repetend").mkdir()
        (root / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
        truth = replay(root)
        done = subprocess.run(
            [sys.executable, "-m", "repetend", "heal", "--learn", "--json"],
            cwd=root,
            capture_output=True,
            text=True,
            check=True,
        )
        learned = json.loads(done.stdout)
        known = json.loads((root / ".repetend" / "failures" / "known.json").read_text())
    proposed = [(rule["steps"], rule.get("when", {})) for rule in known["rules"]]
    expected = [(item["fix"], item.get("when", {})) for item in truth]
    right = [steps for steps in proposed if steps in expected]
    found = [fix for fix in expected if fix in proposed]
    print(f"replayed {LOG.name}: {len(learned['rules'])} rule(s) proposed")
    for steps, when in proposed:
        verdict = "right" if (steps, when) in expected else "WRONG"
        print(f"  {verdict}: {' && '.join(steps)}" + (f" (when {when})" if when else ""))
    for steps, when in expected:
        if (steps, when) not in proposed:
            print(f"  missed: {' && '.join(steps)}" + (f" (when {when})" if when else ""))
    precision = len(right) / len(proposed) if proposed else 0.0
    print(
        f"precision {len(right)}/{len(proposed)} = {precision:.2f};"
        f" recall {len(found)}/{len(expected)} = {len(found) / len(expected):.2f}"
    )


if __name__ == "__main__":
    main()
