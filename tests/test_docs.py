"""The documentation names every setting with its real default."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from repetend.settings import SETTINGS
from tests.conftest import REPO_ROOT


def test_configuration_reference_lists_every_setting_with_its_default() -> None:
    page = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| `([^`]*)` \|", page, re.M))
    assert set(rows) == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        shown = {"": '""', "[]": "[]"}.get(str(setting.default), str(setting.default))
        assert rows[setting.name] in (shown, str(setting.default)), setting.name
        assert f"`{setting.env_var}`" in page


def _setup_blocks() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```console\n(.*?)^```", section, re.M | re.S)


def test_the_readme_sets_up_in_a_virtual_environment_and_mines_the_users_repository() -> None:
    use, develop = _setup_blocks()  # exactly two set-up blocks
    for block in (use, develop):
        assert block.startswith("python3 -m venv "), block
    assert "cd " in use and use.rstrip().endswith("repetend mine .")
    assert develop.splitlines()[-1] == 'python -m pip install -e ".[test]" && python -m pytest'


def test_ci_runs_the_readmes_test_install_word_for_word() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install, test = _setup_blocks()[1].splitlines()[-1].split(" && ")
    assert install in ci and test in ci


# -- every `console` transcript in README.md and docs/ that can run offline, run -------------

PAGES = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").glob("*.md"))]
HOME = "/home/me/project"  # where the transcripts say they ran


def transcripts() -> list[tuple[str, str, str]]:
    """(page, key, block) for each console block with a `$ repetend` line; key: its first lines."""
    found = []
    for page in PAGES:
        text = page.read_text(encoding="utf-8")
        for block in re.findall(r"^ *```console\n(.*?)^ *```", text, re.M | re.S):
            if re.search(r"^\$ repetend ", block, re.M):
                key = "\n".join(block.splitlines()[:2])
                found.append((page.relative_to(REPO_ROOT).as_posix(), key, block))
    return found


def _bad_config(key: str) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / ".repetend").mkdir()
        (root / ".repetend" / "config.yaml").write_text(key)

    return write


def _events_file(name: str, lines: list[str]) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / ".repetend").mkdir()  # a repository that uses repetend (`repetend init`)
        (root / name).write_text("".join(line + "\n" for line in lines))

    return write


CI_EVENTS = [
    '{"kind": "command", "session": "ci-812", "command": "make test", "exit_status": 0}',
    '{"kind": "command", "session": "ci-812", "command": "make lint", "exit_status": 0}',
    '{"kind": "deploy", "session": "ci-812", "payload": {"env": "staging"}}',
]
# What each runnable transcript needs beside a fresh git repository, by page and first lines.
SETUPS: dict[tuple[str, str], Callable[[Path], None]] = {
    (
        "docs/configuration.md",
        "$ repetend status\nrepetend: error: .repetend/config.yaml: similarity_threshold = 'high'"
        " is not valid (expected a number from 0 to 1)",
    ): _bad_config("similarity_threshold: high\n"),
    (
        "docs/configuration.md",
        "$ repetend status\nrepetend: error: .repetend/config.yaml: unknown key"
        " 'similarity_treshold' (did you mean 'similarity_threshold'?)",
    ): _bad_config("similarity_treshold: 0.5\n"),
    (
        "docs/capture.md",
        "$ repetend ingest jsonl ci-events.jsonl\nstored 3 event(s) from ci-events.jsonl",
    ): _events_file("ci-events.jsonl", CI_EVENTS),
    (
        "docs/capture.md",
        "$ repetend ingest jsonl events.jsonl\n"
        "repetend: error: events.jsonl:2: 'session' is missing (expected a non-empty string)",
    ): _events_file("events.jsonl", [CI_EVENTS[0], '{"kind": "command", "command": "ls"}']),
    (
        "docs/hooks.md",
        f"$ repetend hooks install\npre-commit: installed at {HOME}/.git/hooks/pre-commit",
    ): lambda root: None,
    (
        "docs/capture.md",
        f"$ repetend ingest claude-code --install\n{HOME}/.claude/settings.json: repetend hooks"
        " merged (7 added); other hooks kept",
    ): lambda root: None,
    (
        "docs/reports.md",
        "$ repetend report --week 2026-W60\n"
        "repetend: error: --week: 2026 has no week 60 (its ISO weeks are 1 to 53)",
    ): lambda root: None,
}
# The others, each by page and first lines, and why it cannot run here as written.
CORPUS = "mines GitHub's whole starter-workflows (505 files), too big to keep in tests/data"
NOT_RUN: dict[tuple[str, str], str] = {
    ("README.md", "$ repetend mine .                                 # here on GitHub's"
     " starter-workflows\n505 files mined (505 read), skipped: none."): CORPUS,
    ("README.md", "$ repetend candidates list\nid                 kind       status  conf  seen"
     "  name"): "runs the record() loop first: test_the_readme_s_record_example_… runs it",
    ("README.md", "$ repetend watch\nrepetend: components/gamma.py matches template"
     " AUTO-20261121-c41d9e (component module)"): "a watcher that waits for a file, and Ctrl-C",
    ("README.md", "$ repetend analyze --dry-run --verbose      # or daily:"
     " scripts/cron/daily_pattern_analysis.sh\n  AUTO-20261121-c41d9e  pending review — not"
     " auto-approved: 24 occurrences < 200; …"): "needs a day of captured habits",
    ("docs/analyze.md", "$ repetend analyze --hours 24 --min-occurrences 2\nPattern analysis of"
     " the last 24 h"): "needs a day of captured sessions",
    ("docs/capture.md", "$ repetend run -- make test\n$ repetend run --session release --"
     " ./scripts/publish.sh --dry-run"): "runs the project's own make and scripts",
    ("docs/capture.md", "$ repetend log --source pytest --failed --since 1d\n$ repetend events"
     " --source shell --json | jq -r '.[].payload.command'"): "needs captured events; no output",
    ("docs/capture.md", "$ repetend ingest claude-code --print-config\n{"):
        "output abbreviated ([...]); test_agent.py runs the printed block",
    ("docs/capture.md", "$ repetend ingest jsonl ci-events.jsonl\n$ my-orchestrator --events |"
     " repetend ingest jsonl -"): "forms with a made-up producer, no output",
    ("docs/guide.md", "$ repetend candidates list [--status draft] [--kind execution] [--json]"
     "\n$ repetend candidates show AUTO-20261121-ee8c10 [--json]       # spec, evidence,"
     " history"): "a list of forms with [options], not a transcript",
    ("docs/hooks.md", "$ repetend watch\nrepetend: watching /home/me/project (Ctrl-C to stop)"):
        "a watcher that waits for files, and Ctrl-C",
    ("docs/hooks.md", "$ repetend watch --json | jq -c 'select(.event == \"suggestion-shown\")"
     " | .command'\n\"repetend apply AUTO-20261121-c41d9e --set slug=gamma\""):
        "a watcher, and an approved template of an earlier mine",
    ("docs/loop.md", "$ repetend apply AUTO-20261203-001 --set slug=fan\nrepetend: error:"
     " AUTO-20261203-001: not applied: its circuit is open (3 failures in a row); it takes a"
     " trial use in 42 s, or use --force to apply it anyway"): "a template whose circuit opened",
    ("docs/loop.md", "$ repetend candidates rollback AUTO-20261203-001\nAUTO-20261203-001 rolled"
     " back from 1.1.0 to 1.0.0: .repetend/patterns/approved/AUTO-20261203-001.yaml"):
        "a template with two approved versions",
    ("docs/loop.md", "$ repetend recipes list\n$ repetend recipes show AUTO-20261204-a1b2c3"
     "          # steps, variables, standing"): "forms with comments, ids of an approved recipe",
    ("docs/teams.md", "$ export REPETEND_STORE=postgresql://team_payments@db/repetend\n$ repetend"
     " report --week last                     # the team's: 2026-W49.md"):
        "a team store on a PostgreSQL server (tests/team/test_views.py runs them)",
    ("docs/reports.md", "$ repetend report                          # the week before this one"
     "\n$ repetend report --week 2026-W49 [--json]"): "forms with [options] and comments",
    ("docs/reports.md", "$ repetend archive                          # which approved patterns"
     " would be archived\n$ repetend archive --unused-days 90 --apply [--actor NAME] [--json]"):
        "forms with [options] and comments",
    ("docs/templates.md", "$ repetend mine .                       # on GitHub's"
     " starter-workflows\n505 files mined (505 read), skipped: none."): CORPUS,
    ("docs/templates.md", "$ repetend templates check AUTO-20261203-004\nAUTO-20261203-004"
     " (ci/properties/{{ slug }}.properties.json)"): CORPUS,
    ("docs/validation.md", "$ repetend validate                        # every spec under"
     " .repetend/patterns/\n$ repetend validate PATH… [--json]"): "forms with PATH…",
    ("docs/validation.md", "$ repetend review [--kind file-template] [--actor NAME]\n$ repetend"
     " review --stats [--json]"): "forms with [options]",
}  # fmt: skip


def test_every_transcript_is_run_or_says_why_not() -> None:
    found = {(page, key) for page, key, _ in transcripts()}
    for example in found:
        assert example in SETUPS or example in NOT_RUN, example
    assert not set(SETUPS) & set(NOT_RUN)
    assert set(SETUPS) | set(NOT_RUN) <= found  # none went stale


@pytest.mark.parametrize(("page", "key"), list(SETUPS), ids=[p for p, _ in SETUPS])
def test_a_transcript_prints_what_the_page_says(
    page: str, key: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (block,) = [b for p, k, b in transcripts() if (p, k) == (page, key)]
    root = tmp_path / "project"
    root.mkdir()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    SETUPS[(page, key)](root)
    env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    for command, expected in _steps(block):
        done = subprocess.run(
            ["bash", "-c", command], cwd=root, env=env, capture_output=True, text=True, timeout=60
        )
        shown = (done.stdout + done.stderr).replace(str(root), HOME)
        assert _squeezed(shown) == _squeezed("\n".join(expected)), command


def _steps(block: str) -> list[tuple[str, list[str]]]:
    steps: list[tuple[str, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
    return steps


def _squeezed(text: str) -> list[str]:
    """Lines with runs of spaces as one (table columns widen with the folder's name)."""
    return [re.sub(r"\s+", " ", line).strip() for line in text.strip().splitlines()]


def test_the_readme_s_record_example_proposes_the_candidate_it_shows(tmp_path: Path) -> None:
    """The tour's `repetend.record` loop, run as written, then `repetend candidates list`."""
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    (program,) = [
        b for b in re.findall(r"^```python\n(.*?)^```", readme, re.M | re.S) if "for i" in b
    ]
    shown = readme.split("$ repetend candidates list\n", 1)[1].splitlines()[:2]
    root = tmp_path / "project"
    (root / ".repetend").mkdir(parents=True)  # a repository that uses repetend
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run([sys.executable, "-c", program], cwd=root, check=True, capture_output=True)
    listed = subprocess.run(
        [sys.executable, "-m", "repetend", "candidates", "list"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    today = re.sub(r"AUTO-\d{8}-", "AUTO-20261121-", listed)
    assert _squeezed(today) == _squeezed("\n".join(shown))
