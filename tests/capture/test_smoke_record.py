"""The seeds' scenario: three similar executions give exactly one draft with two variables."""

from __future__ import annotations

from pathlib import Path

import yaml

import repetend


def test_three_file_creations_make_one_draft(repo: Path) -> None:
    for i in range(3):
        with repetend.record(
            "file_creation", inputs={"filename": f"test_{i}.txt", "content": f"body {i}"}
        ):
            pass
    drafts = sorted((repo / ".repetend" / "patterns").rglob("AUTO-*.yaml"))
    assert len(drafts) == 1
    spec = yaml.safe_load(drafts[0].read_text())
    assert set(spec["variables"]) == {"filename", "content"}
    assert spec["variables"]["filename"]["pattern"] == "test_{n}.txt"
