"""kill -9 during `repetend mine`, at random moments: the next mine leaves specs and rows agreeing.

A real `mine` subprocess on a repository of 60 families is killed at a random
moment of its run, again and again, each time on a fresh copy; then a whole
`mine` runs. Afterwards every candidate row has its spec file in the folder of
its status (and a file template its template folder), and every spec file has
its row.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

FAMILIES = 60
ROUNDS = 20  # at most; the loop ends once `HITS` kills left something to repair
HITS = 3
FOLDERS = {
    "draft": "drafts",
    "approved": "approved",
    "rejected": "rejected",
    "quarantined": "quarantined",
}
WORDS = ("alpha", "beta", "gamma", "delta", "epsilon", "zeta")


def make_corpus(root: Path, families: int = FAMILIES) -> Path:
    """A committed repository of `families` families, five YAML files each."""
    for family in range(families):
        keys = [f"{WORDS[family % len(WORDS)]}_{family}_{k}" for k in range(6)]
        folder = root / f"area{family}"
        folder.mkdir(parents=True)
        for member in range(5):
            lines = [f"# settings for unit {member} of area {family}"]
            lines += [
                f"{key}: {WORDS[(member + k) % len(WORDS)]}-{member}" for k, key in enumerate(keys)
            ]
            (folder / f"unit{member}.yaml").write_text("\n".join(lines) + "\n")
    git = ["git", "-c", "user.email=t@example.com", "-c", "user.name=t"]
    subprocess.run(["git", "init", "-q", "-b", "main"], cwd=root, check=True)
    subprocess.run(["git", "add", "-A"], cwd=root, check=True)
    subprocess.run([*git, "commit", "-q", "-m", "corpus"], cwd=root, check=True)
    return root


def repetend(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "repetend", *args], cwd=root, capture_output=True, text=True
    )


def mine(root: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "repetend", "mine", ".", "--json"],
        cwd=root,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def disagreements(root: Path) -> list[str]:
    """Rows without their spec (or template folder), and spec files without their row."""
    state = root / ".repetend"
    db = sqlite3.connect(state / "repetend.db")
    try:
        rows = db.execute("SELECT id, status, kind FROM candidates").fetchall()
    finally:
        db.close()
    patterns = state / "patterns"
    problems = []
    for pattern_id, status, kind in rows:
        folder = patterns / FOLDERS[status]
        if not (folder / f"{pattern_id}.yaml").is_file():
            problems.append(f"row {pattern_id} ({status}): no spec file")
        template = folder / pattern_id
        if kind == "file-template" and not (
            list(template.rglob("*.jinja")) and (template / ".globs").is_file()
        ):
            problems.append(f"row {pattern_id} ({status}): no template files")
    problems += [f"{p.relative_to(root)}: left over" for p in patterns.rglob(".*.part-*")]
    known = {(pattern_id, FOLDERS[status]) for pattern_id, status, _ in rows}
    for spec in patterns.glob("*/*.yaml"):
        if (spec.stem, spec.parent.name) not in known:
            problems.append(f"{spec.relative_to(root)}: no row")
    return problems


def rows(root: Path) -> int:
    path = root / ".repetend" / "repetend.db"
    if not path.is_file():
        return 0
    db = sqlite3.connect(path)
    try:
        return int(db.execute("SELECT count(*) FROM candidates").fetchone()[0])
    except sqlite3.Error:  # killed before the tables were made
        return 0
    finally:
        db.close()


def first_row(root: Path, process: subprocess.Popen[bytes]) -> float:
    """Wait until the run has stored its first candidate row; return the time (or its end)."""
    while process.poll() is None and not rows(root):
        time.sleep(0.002)
    return time.monotonic()


def test_the_next_mine_repairs_whatever_a_kill_left(tmp_path: Path) -> None:
    corpus = make_corpus(tmp_path / "corpus")
    calibrate = tmp_path / "calibrate"
    shutil.copytree(corpus, calibrate)
    whole = mine(calibrate)
    stored = first_row(calibrate, whole)
    assert whole.wait(timeout=300) == 0
    tail = time.monotonic() - stored  # from the first row stored to the end: specs, folders
    assert disagreements(calibrate) == []
    chance = random.Random(int(os.environ.get("REPETEND_KILL_SEED", "11")))
    outcomes = []
    reported = False
    for round_ in range(ROUNDS):
        if sum(o.endswith("missing") for o in outcomes) >= HITS:
            break
        root = tmp_path / f"round{round_}"
        shutil.copytree(corpus, root)
        victim = mine(root)
        first_row(root, victim)  # the moments that matter start here
        time.sleep(chance.uniform(0, 0.7) * tail)
        victim.send_signal(signal.SIGKILL)
        victim.wait(timeout=60)
        left = disagreements(root)
        outcomes.append(f"{len(left)} missing" if left else "whole")
        if left and not reported:  # `status` and `validate` say so before anything repairs
            reported = True
            said = json.loads(repetend(root, "status", "--json").stdout)["spec_problems"]
            assert said and all("`repetend mine`" in line for line in said)
            checked = repetend(root, "validate", "--json")
            assert checked.returncode == 1
            assert any("stopped run" in p["message"] or "template folder" in p["message"]
                       for p in json.loads(checked.stdout)["problems"])  # fmt: skip
        again = repetend(root, "mine", ".", "--json")
        assert again.returncode == 0, again.stderr
        assert disagreements(root) == [], f"round {round_}: {disagreements(root)[:5]}"
        if left:
            rows_left = {p.split()[1] for p in left if p.startswith("row ")}
            assert len(json.loads(again.stdout)["repaired"]) == len(rows_left)
        assert json.loads(repetend(root, "status", "--json").stdout)["spec_problems"] == []
        shutil.rmtree(root)
    print(f"kills {tail:.2f} s from the end:", ", ".join(outcomes))
    assert any(o.endswith("missing") for o in outcomes), f"no kill hit the window: {outcomes}"
