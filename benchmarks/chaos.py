"""Chaos: every kind of writer against one store, while a killer and a locker get in the way.

For `--seconds` (default 60) these run at once in one git repository with the
hooks installed:

- `record`: processes that call `repetend.record_event` 200 times each and print
  every id the call accepted (returned True), so a kill mid-way keeps its ledger;
- `commit`: `git commit` of a new file, one after another, each commit timed;
- `pytest`: `pytest -n 2` over a fresh test file of 20 tests per run;
- `agent`: the agent hook (the command `repetend ingest claude-code --print-config`
  installs) given a PreToolUse and a PostToolUse payload with a fresh tool-use id;
- `watch`: one `repetend watch --no-prompt` (restarted when killed);
- `mine`: `repetend mine .` again and again;
- the killer: every 0.2-2 s, SIGKILL to one random running writer process or drain;
- the locker: holds the store's write lock (`BEGIN IMMEDIATE`) for random spells.

Then the killer and locker stop, one command ingests whatever was spooled, and
the store is read: every accepted record id, every commit `git` made, every test
of every finished pytest run and every finished agent call must be there (lost
counts those that are not); no commit may have waited longer than
`capture_timeout` + 1 s; `PRAGMA integrity_check` must say ok; after one more
`repetend mine .` the spec files and the candidate rows must agree.

    python benchmarks/chaos.py [--seconds 60] [--seed 1]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from common import REPETEND, environment, make_repo, sh

RECORDER = """
import sys, repetend
prefix = sys.argv[1]
for i in range(200):
    if repetend.record_event("chaos", "tick", {"chaos_id": f"{prefix}-{i}"}):
        print(f"{prefix}-{i}", flush=True)
"""
TESTS = "def test_{run}_{i}():\n    assert {i} >= 0\n"


@dataclass
class Ledger:
    """What the writers tried and what they were told was accepted."""

    tried: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    killed: Counter[str] = field(default_factory=Counter)
    records: set[str] = field(default_factory=set)
    commits: dict[str, float] = field(default_factory=dict)  # sha -> seconds it took
    pytest_runs: list[str] = field(default_factory=list)
    agent_calls: list[str] = field(default_factory=list)
    lock = threading.Lock()


class Chaos:
    """The writers, the killer and the locker, sharing one stop flag and one process list."""

    def __init__(self, root: Path, seconds: float, rng: random.Random) -> None:
        self.root, self.rng, self.ledger = root, rng, Ledger()
        self.deadline = time.monotonic() + seconds
        self.running: dict[int, tuple[str, subprocess.Popen[str]]] = {}
        self.env = environment()
        self.agent = agent_command(root)

    def live(self) -> bool:
        return time.monotonic() < self.deadline

    def spawn(self, kind: str, argv: list[str], stdin: str | None = None) -> tuple[int, str, float]:
        """Run one writer process, killable meanwhile; its exit code, output and seconds."""
        started = time.monotonic()
        process = subprocess.Popen(
            argv, cwd=self.root, env=self.env, text=True,
            stdin=subprocess.PIPE if stdin is not None else subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        with self.ledger.lock:
            self.running[process.pid] = (kind, process)
        out, _ = process.communicate(stdin)
        with self.ledger.lock:
            self.running.pop(process.pid, None)
            self.ledger.tried[kind] += 1
            if process.returncode == -signal.SIGKILL:
                self.ledger.killed[kind] += 1
        return process.returncode, out, time.monotonic() - started

    # -- writers ---------------------------------------------------------------------------

    def records(self, number: int) -> None:
        k = 0
        while self.live():
            k += 1
            code, out, _ = self.spawn("record", [sys.executable, "-c", RECORDER, f"w{number}-{k}"])
            accepted = set(out.split())
            with self.ledger.lock:
                self.ledger.records |= accepted
                if code == 0:  # a finished writer whose calls said no (a killed one just stopped)
                    self.ledger.refused["record"] += 200 - len(accepted)

    def commits(self) -> None:
        k = 0
        while self.live():
            k += 1
            path = self.root / "notes" / f"note_{k:05d}.txt"
            path.parent.mkdir(exist_ok=True)
            path.write_text(f"note {k}\n")
            subprocess.run(["git", "add", str(path)], cwd=self.root, env=self.env, check=False)
            code, _, took = self.spawn("commit", ["git", "commit", "-q", "-m", f"note {k}"])
            if code == -signal.SIGKILL:  # git itself was killed: clear its lock, as one would
                (self.root / ".git" / "index.lock").unlink(missing_ok=True)
            if code == 0:
                sha = sh(self.root, "git", "rev-parse", "HEAD").strip()
                self.ledger.commits[sha] = took

    def pytest_runs(self) -> None:
        k = 0
        while self.live():
            k += 1
            test = self.root / "chaos_tests" / f"test_run{k}.py"
            test.parent.mkdir(exist_ok=True)
            test.write_text("".join(TESTS.format(run=k, i=i) for i in range(20)))
            argv = [sys.executable, "-m", "pytest", "-q", "-n", "2", str(test)]
            code, _, _ = self.spawn("pytest", argv)
            if code == 0:
                self.ledger.pytest_runs.append(test.name)

    def agent_calls(self) -> None:
        k = 0
        while self.live():
            k += 1
            use = f"toolu_chaos_{k:05d}"
            ok = True
            for event in ("PreToolUse", "PostToolUse"):
                payload = {"hook_event_name": event, "session_id": "chaos", "tool_use_id": use,
                           "tool_name": "Bash", "tool_input": {"command": f"echo {k}"},
                           "tool_response": {"stdout": str(k)}, "cwd": str(self.root)}  # fmt: skip
                code, _, _ = self.spawn("agent", self.agent, stdin=json.dumps(payload))
                ok = ok and code == 0
            if ok:
                self.ledger.agent_calls.append(use)

    def watcher(self) -> None:
        while self.live():
            self.spawn("watch", [*REPETEND, "watch", "--no-prompt", "--polling"])

    def miner(self) -> None:
        while self.live():
            self.spawn("mine", [*REPETEND, "mine", "."])

    # -- what gets in the way --------------------------------------------------------------

    def killer(self) -> None:
        while self.live():
            time.sleep(self.rng.uniform(0.2, 2.0))
            with self.ledger.lock:
                pids = [p.pid for kind, p in self.running.values() if kind != "watch"]
            pids += drain_pids()
            if pids:
                pid = self.rng.choice(pids)
                try:
                    os.kill(pid, signal.SIGKILL)
                    self.ledger.tried["kill"] += 1
                except ProcessLookupError:  # it ended on its own meanwhile
                    pass

    def locker(self) -> None:
        store = self.root / ".repetend" / "repetend.db"
        while self.live():
            time.sleep(self.rng.uniform(0.5, 3.0))
            db = sqlite3.connect(store, timeout=30, isolation_level=None)
            try:
                db.execute("BEGIN IMMEDIATE")
                self.ledger.tried["lock"] += 1
                time.sleep(
                    min(self.rng.uniform(0.5, 8.0), max(0.0, self.deadline - time.monotonic()))
                )
                db.execute("COMMIT")
            except sqlite3.OperationalError:
                pass
            finally:
                db.close()


def agent_command(root: Path) -> list[str]:
    """The agent hook command repetend tells users to install, split into its words."""
    # --user: the block for ~/.claude, with this interpreter as the fallback off PATH
    printed = json.loads(sh(root, *REPETEND, "ingest", "claude-code", "--print-config", "--user"))
    return shlex.split(str(printed["hooks"]["PostToolUse"][0]["hooks"][0]["command"]))


def drain_pids() -> list[int]:
    """Processes running `repetend hooks drain` (the post-commit hook's background work)."""
    found = []
    for name in os.listdir("/proc"):
        if name.isdigit():
            try:
                line = Path(f"/proc/{name}/cmdline").read_bytes()
                if b"repetend.capture.git.drain" in line or b"hooks\0drain" in line:
                    found.append(int(name))
            except OSError:
                continue
    return found


def verify(root: Path, ledger: Ledger, capture_timeout: float) -> bool:
    """Ingest what was spooled, read the store, print the figures; whether everything held."""
    time.sleep(3)  # the last background drains and pytest stores finish or die
    sh(root, *REPETEND, "hooks", "drain")
    sh(root, *REPETEND, "status")
    sh(root, *REPETEND, "mine", ".")
    db = sqlite3.connect(root / ".repetend" / "repetend.db")
    payloads = [(s, p) for s, p in db.execute("SELECT source, payload FROM events")]
    records = {json.loads(p).get("chaos_id") for s, p in payloads if s == "chaos"}
    commits = {json.loads(p).get("sha") for s, p in payloads if s == "git"}
    tests = Counter(
        str(json.loads(p).get("nodeid", "")).split("::")[0].rsplit("/", 1)[-1]
        for s, p in payloads
        if s == "pytest"
    )
    agent = " ".join(p for s, p in payloads if s == "claude-code")
    lost = {
        "record": len(ledger.records - records),
        "commit": len(set(ledger.commits) - commits),
        "pytest": sum(20 - min(20, tests[name]) for name in ledger.pytest_runs),
        "agent": sum(use not in agent for use in ledger.agent_calls),
    }
    accepted = {
        "record": len(ledger.records),
        "commit": len(ledger.commits),
        "pytest": 20 * len(ledger.pytest_runs),
        "agent": len(ledger.agent_calls),
    }
    integrity = db.execute("PRAGMA integrity_check").fetchone()[0]
    mismatched = spec_mismatches(root, db)
    db.close()
    print(f"{'writer':<8}{'runs':>7}{'killed':>8}{'accepted':>10}{'refused':>9}{'lost':>6}")
    for kind in ("record", "commit", "pytest", "agent", "watch", "mine"):
        runs, killed, refused = ledger.tried[kind], ledger.killed[kind], ledger.refused[kind]
        print(f"{kind:<8}{runs:>7}{killed:>8}{accepted.get(kind, 0):>10}{refused:>9}"
              f"{lost.get(kind, 0):>6}")  # fmt: skip
    longest = max(ledger.commits.values(), default=0.0)
    print(f"kills sent: {ledger.tried['kill']}; lock spells: {ledger.tried['lock']}")
    print(f"longest commit: {longest:.2f} s (limit: capture_timeout {capture_timeout:.0f} s + 1 s)")
    print(f"integrity_check: {integrity}; specs and candidate rows disagreeing: {mismatched}")
    return (
        not any(lost.values())
        and longest <= capture_timeout + 1
        and integrity == "ok"
        and (mismatched == 0)
    )


def spec_mismatches(root: Path, db: sqlite3.Connection) -> int:
    """Candidate rows whose spec file is missing, plus spec files no row knows."""
    rows = {str(path) for (path,) in db.execute("SELECT spec_path FROM candidates") if path}
    patterns = root / ".repetend" / "patterns"
    files = (
        {str(p.relative_to(root)) for p in patterns.glob("*/*.yaml")}
        if patterns.is_dir()
        else set()
    )
    missing = sum(not (root / path).is_file() and not Path(path).is_file() for path in rows)
    unknown = len({f for f in files if f not in rows and str(root / f) not in rows})
    return missing + unknown


def main() -> int:
    """Set up, let loose, verify."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_repo(Path(folder) / "repo", 300)
        sh(root, *REPETEND, "init")
        sh(root, *REPETEND, "hooks", "install")
        capture_timeout = float(
            json.loads(sh(root, *REPETEND, "config", "--json"))["capture_timeout"]["value"]
        )
        chaos = Chaos(root, options.seconds, random.Random(options.seed))
        workers = [threading.Thread(target=chaos.records, args=(n,)) for n in range(4)]
        for job in (chaos.commits, chaos.pytest_runs, chaos.agent_calls, chaos.watcher,
                    chaos.miner, chaos.killer, chaos.locker):  # fmt: skip
            workers.append(threading.Thread(target=job))
        print(f"chaos for {options.seconds:.0f} s, seed {options.seed}, "
              f"load {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")  # fmt: skip
        for worker in workers:
            worker.start()
        time.sleep(options.seconds)
        with chaos.ledger.lock:
            for kind, process in chaos.running.values():
                if kind == "watch":
                    process.terminate()
        for worker in workers:
            worker.join()
        held = verify(root, chaos.ledger, capture_timeout)
    print("held" if held else "NOT HELD")
    return 0 if held else 1


if __name__ == "__main__":
    raise SystemExit(main())
