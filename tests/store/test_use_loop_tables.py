"""The use loop's tables: renders waiting for a commit, circuits, alerts, pre-commit verdicts."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

from repetend.store import SQLiteStore
from repetend.store.base import Circuit, Render


def test_renders_wait_until_judged_and_batches_group_them(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "r.db")
    store.add_renders(
        [
            Render("P", "a.py", "d1", ["l1", "l2"], batch="b1", version="1.0.0", trial=True),
            Render("P", "b.py", "d2", ["l3"], batch="b1", version="1.0.0"),
            Render("Q", "c.py", "d3", [], batch="b2"),
        ]
    )
    assert [r.path for r in store.pending_renders()] == ["a.py", "b.py", "c.py"]
    assert [r.path for r in store.pending_renders(["c.py"])] == ["c.py"]
    first = store.pending_renders(["a.py"])[0]
    assert (first.lines, first.trial, first.version) == (["l1", "l2"], True, "1.0.0")
    assert first.id is not None
    store.judge_render(first.id, "failure", {"why": "deleted"})
    assert [r.path for r in store.pending_renders()] == ["b.py", "c.py"]
    outcomes = [(r.path, r.outcome, r.evidence) for r in store.batch_renders("b1")]
    assert outcomes == [("a.py", "failure", {"why": "deleted"}), ("b.py", "", {})]
    store.close()


def test_circuits_alerts_and_checks_are_kept(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "c.db")
    assert store.circuit("P") == Circuit("P")
    opened = datetime(2026, 12, 3, 12, tzinfo=timezone.utc)
    store.save_circuit(Circuit("P", "open", 3, opened, "3 failures in a row"))
    assert store.circuit("P") == Circuit("P", "open", 3, opened, "3 failures in a row")
    store.save_circuit(Circuit("P"))
    assert store.circuit("P").state == "closed"
    store.add_alert("P", "HIGH", "HIGH: P: circuit open", at=opened)
    assert store.alerts("P") == [("P", "HIGH", "HIGH: P: circuit open", opened)]
    assert store.alerts("Q") == []
    store.note_checks([("a.py", "blob1", True)])
    store.note_checks([("a.py", "blob2", False), ("b.py", "blob3", True)])
    assert store.checks(["a.py", "b.py", "c.py"]) == {
        "a.py": ("blob2", False),
        "b.py": ("blob3", True),
    }
    store.close()
