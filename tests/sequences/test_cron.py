"""scripts/cron/daily_pattern_analysis.sh: runs the analysis, logs, rotates its log."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.conftest import REPO_ROOT
from tests.sequences.conftest import session_lines

SCRIPT = REPO_ROOT / "scripts" / "cron" / "daily_pattern_analysis.sh"
HABIT = [("ruff check .", 800.0), ("pytest -q", 4000.0)]


def cron(repo: Path, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["bash", str(SCRIPT), str(repo)],
        env={**os.environ, "REPETEND_BIN": f"{sys.executable} -m repetend", **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_the_cron_wrapper_analyses_reports_and_logs(
    repo: Path, ingest: Callable[[list[dict[str, Any]]], None]
) -> None:
    rows = []
    for number in range(8):
        rows += session_lines(f"s{number}", [HABIT, HABIT])
    ingest(rows)
    done = cron(repo)
    assert done.returncode == 0, done.stderr
    log = (repo / ".repetend" / "logs" / "daily_pattern_analysis.log").read_text()
    assert "repetend analyze --hours 24 --min-occurrences 2" in log
    assert "ruff check → pytest" in log
    assert "=== exit status 0" in log
    assert list((repo / ".repetend" / "reports").glob("sequences-*.md"))
    assert (repo / ".repetend" / "logs" / "notifications.log").exists()


def test_the_log_is_rotated_and_old_logs_dropped(repo: Path) -> None:
    for _ in range(4):
        assert cron(repo, REPETEND_LOG_MAX_BYTES="1", REPETEND_LOG_KEEP="2").returncode == 0
    logs = sorted(p.name for p in (repo / ".repetend" / "logs").glob("daily_pattern_analysis*"))
    assert logs == [
        "daily_pattern_analysis.log",
        "daily_pattern_analysis.log.1",
        "daily_pattern_analysis.log.2",
    ]


def test_a_failing_analysis_exits_non_zero_with_the_reason_logged(repo: Path) -> None:
    (repo / ".repetend").mkdir(exist_ok=True)
    (repo / ".repetend" / "config.yaml").write_text("hourly_rate: lots\n")
    done = cron(repo)
    assert done.returncode == 2
    log = (repo / ".repetend" / "logs" / "daily_pattern_analysis.log").read_text()
    assert "hourly_rate" in log
    assert "=== exit status 2" in log
