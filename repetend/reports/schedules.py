"""The GitHub Actions workflow that `repetend init --ci github` writes: three schedules.

Detection every six hours, the weekly report on Monday mornings, and the
monthly clean-up (archive patterns unused for 90 days, purge old events). Each
job runs for its own schedule (or when started by hand with its name); the store
is carried between runs in the Actions cache, and what changed is uploaded as an
artifact for a person to review and commit.
"""

from __future__ import annotations

from pathlib import Path

from repetend.fileio import atomic_write
from repetend.reports.actions import ARCHIVE_DAYS

WORKFLOW_PATH = Path(".github/workflows/repetend.yml")
DETECT_CRON = "0 */6 * * *"
WEEKLY_CRON = "0 7 * * 1"
MONTHLY_CRON = "0 5 1 * *"
SCHEDULES = {"detect": DETECT_CRON, "weekly-report": WEEKLY_CRON, "monthly-cleanup": MONTHLY_CRON}

_SET_UP = """\
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - uses: actions/setup-python@v5
        with:
          python-version: "3.12"
      - run: python -m pip install repetend
      - uses: actions/cache@v4
        with:
          path: .repetend/repetend.db*
          key: repetend-store-${{ github.run_id }}
          restore-keys: repetend-store-
"""


def _job(name: str, steps: str, artifact: str) -> str:
    return (
        f"  {name}:\n"
        f"    if: github.event.schedule == '{SCHEDULES[name]}' || inputs.job == '{name}'\n"
        f"{_SET_UP}{steps}"
        "      - uses: actions/upload-artifact@v4\n"
        "        with:\n"
        f"          name: repetend-{name}-${{{{ github.run_id }}}}\n"
        f"          path: {artifact}\n"
    )


def workflow_text() -> str:
    """The workflow file, YAML as a person would write it."""
    head = f"""\
# repetend's schedules, written by `repetend init --ci github` (edit freely):
#   every 6 hours       detection: mine the repository and run every detector
#   Mondays at 07:00    the weekly report of the week before
#   the 1st at 05:00    clean-up: archive patterns unused for {ARCHIVE_DAYS} days, purge old events
# The store is kept between runs in the Actions cache; new drafts, archived patterns and
# reports are uploaded as artifacts, to review and commit.
name: repetend
on:
  schedule:
    - cron: "{DETECT_CRON}"
    - cron: "{WEEKLY_CRON}"
    - cron: "{MONTHLY_CRON}"
  workflow_dispatch:
    inputs:
      job:
        description: The schedule to run now
        type: choice
        options: [detect, weekly-report, monthly-cleanup]
        default: detect
permissions:
  contents: read
concurrency:
  group: repetend-store  # one job at a time writes the store
  cancel-in-progress: false
jobs:
"""
    detect = "      - run: repetend mine .\n      - run: repetend detect\n"
    weekly = "      - run: repetend report --week last\n"
    archive = f"repetend archive --unused-days {ARCHIVE_DAYS} --apply --actor github-actions"
    monthly = f"      - run: {archive}\n      - run: repetend purge --apply\n"
    return head + "\n".join(
        [
            _job("detect", detect, ".repetend/patterns/"),
            _job("weekly-report", weekly, ".repetend/reports/weekly/"),
            _job("monthly-cleanup", monthly, ".repetend/patterns/"),
        ]
    )


def write_workflow(root: Path) -> tuple[Path, bool]:
    """Write the workflow unless the repository has one already; its path, and whether written."""
    path = root / WORKFLOW_PATH
    if path.exists():
        return path, False
    atomic_write(path, workflow_text())
    return path, True
