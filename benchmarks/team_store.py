"""Benchmark: the team store on PostgreSQL (a throw-away cluster made here, on a socket).

1. Sync at once: 8 machines (each its own repository and SQLite store holding
   2,000 events) run `repetend sync` into one PostgreSQL at the same moment, each
   twice over (a retry racing its first push): rows stored, lost, duplicated.
2. `repetend analyze` over 1,000,000 events (analyze_1m's generator) stored in
   SQLite and in PostgreSQL, measured from outside, alternated: the ratio.
3. Sync's foreground cost on a commit: `git commit` with the hooks, with and
   without `team_store`, alternated (the drain that syncs is detached).

    python benchmarks/team_store.py [--events 1000000] [--machines 8] [--per-machine 2000]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from analyze_1m import generate
from common import REPETEND, environment, measured

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/pg_cluster.py

from repetend.events import Event
from repetend.store import SQLiteStore
from repetend.store.postgres import PostgreSQLStore
from tests.pg_cluster import Cluster, start_cluster

COLUMNS = "source, session, kind, tool_name, actor, payload, created_at"


def repository(root: Path, config: str = "") -> Path:
    """A git repository with `.repetend/` and the given config.yaml."""
    root.mkdir(parents=True)
    subprocess.run(["git", "init", "-q", "-b", "main", str(root)], check=True)
    (root / ".repetend").mkdir()
    (root / ".repetend" / "config.yaml").write_text(config)
    return root


def sync_at_once(cluster: Cluster, folder: Path, machines: int, per_machine: int) -> bool:
    """Figure 1: every machine syncs twice at once; True when nothing is lost or doubled."""
    url = cluster.url()
    roots = []
    for n in range(machines):
        root = repository(folder / f"machine{n}", f"team_store: '{url}'\nteam_identity: named\n")
        store = SQLiteStore(root / ".repetend" / "repetend.db")
        events = [
            Event("shell", "command", {"command": f"make {i}", "step": f"make {i % 20}"})
            for i in range(per_machine)
        ]
        store.add_events(events)
        store.close()
        roots.append(root)
    started = time.perf_counter()
    runs = [
        subprocess.Popen([*REPETEND, "sync"], cwd=root, env=environment(), stdout=subprocess.PIPE)
        for root in roots
        for _ in range(2)
    ]
    codes = [run.wait(timeout=600) for run in runs]
    elapsed = time.perf_counter() - started
    team = PostgreSQLStore(url)
    # An event is one machine's (its store id, the first part of sync_key) and one command.
    rows, distinct, stores = team.query(
        "SELECT COUNT(*), COUNT(DISTINCT (split_part(sync_key, ':', 1), payload)),"
        " COUNT(DISTINCT split_part(sync_key, ':', 1)) FROM events"
    )[0]
    team.close()
    expected = machines * per_machine
    lost, doubled = expected - distinct, rows - distinct
    print(
        f"sync at once: {machines} machines x {per_machine:,} events, 2 syncs each at once:"
        f" {rows:,} rows stored from {stores} stores, {lost} lost, {doubled} duplicated,"
        f" exit codes {set(codes)}, {elapsed:.1f} s ({expected / elapsed:,.0f} events/s)"
    )
    exact = rows == expected and stores == machines and lost == 0 and doubled == 0
    return exact and set(codes) == {0}


def analyze_both(cluster: Cluster, folder: Path, count: int) -> float:
    """Figure 2: analyze on SQLite and on PostgreSQL, alternated twice; the ratio of the best."""
    rows = generate(count)
    sqlite_root = repository(folder / "sqlite")
    store = SQLiteStore(sqlite_root / ".repetend" / "repetend.db")
    with store.transaction() as db:
        db.executemany(f"INSERT INTO events ({COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
    store.close()
    url = cluster.url()
    pg_root = repository(folder / "postgres", f"store: '{url}'\n")
    _copy(url, rows)
    del rows
    times: dict[str, list[float]] = {"sqlite": [], "postgresql": []}
    for _ in range(2):
        for name, root in (("sqlite", sqlite_root), ("postgresql", pg_root)):
            figures = measured(
                root, *REPETEND, "analyze", "--hours", "24", "--min-occurrences", "2"
            )
            times[name].append(figures["wall"])
    best = {name: min(values) for name, values in times.items()}
    ratio = best["postgresql"] / best["sqlite"]
    print(
        f"analyze over {count:,} events: SQLite {best['sqlite']:.2f} s, PostgreSQL"
        f" {best['postgresql']:.2f} s (best of 2, alternated) = {ratio:.2f} x SQLite"
    )
    return ratio


def _copy(url: str, rows: list[tuple[str, ...]]) -> None:
    """The rows into the PostgreSQL store with COPY (loading is not what is measured)."""
    import psycopg

    PostgreSQLStore(url).close()  # migrated
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        with cursor.copy(f"COPY events ({COLUMNS}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        cursor.execute("ANALYZE events")


def commit_cost(cluster: Cluster, folder: Path, commits: int = 15) -> float:
    """Figure 3: the median `git commit` with and without a team store; the difference in ms."""
    url = cluster.url()
    plain = repository(folder / "plain")
    team = repository(folder / "team", f"team_store: '{url}'\n")
    for root in (plain, team):
        subprocess.run([*REPETEND, "hooks", "install"], cwd=root, check=True, capture_output=True)
    times: dict[Path, list[float]] = {plain: [], team: []}
    for n in range(commits):
        for root in (plain, team):
            (root / f"f{n}.txt").write_text(f"{n}\n")
            subprocess.run(["git", "add", "-A"], cwd=root, check=True, env=environment())
            started = time.perf_counter()
            subprocess.run(
                ["git", "commit", "-q", "-m", f"c{n}"], cwd=root, check=True, env=environment()
            )
            times[root].append(time.perf_counter() - started)
            # The detached drain (and its sync) must not share the next commit's CPU.
            _quiet(root)
            if root == team:
                _arrived(url, n + 1)
            time.sleep(0.2)
    medians = {root: statistics.median(values) * 1000 for root, values in times.items()}
    extra = medians[team] - medians[plain]
    arrived = _arrived(url, commits)
    print(
        f"git commit with the hooks: {medians[plain]:.1f} ms without a team store,"
        f" {medians[team]:.1f} ms with one (median of {commits}, alternated):"
        f" sync's foreground cost {extra:+.1f} ms; {arrived} of {commits} commits synced"
    )
    return extra


def _quiet(root: Path, patience: float = 30.0) -> None:
    """Wait until the commit spool is empty and no drain is running."""
    spool = root / ".repetend" / "spool"
    deadline = time.monotonic() + patience
    while time.monotonic() < deadline:
        if not spool.is_dir() or not any(p.is_file() for p in spool.rglob("*")):
            return
        time.sleep(0.05)


def _arrived(url: str, commits: int, patience: float = 30.0) -> int:
    """Commits on the team store once the last detached drain has synced (or patience ran out)."""
    deadline = time.monotonic() + patience
    while True:
        store = PostgreSQLStore(url)
        arrived = int(store.query("SELECT COUNT(*) FROM events WHERE source = 'git'")[0][0])
        store.close()
        if arrived >= commits or time.monotonic() > deadline:
            return arrived
        time.sleep(0.2)


def main() -> int:
    """Start a cluster, run the three figures, remove the cluster."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--machines", type=int, default=8)
    parser.add_argument("--per-machine", type=int, default=2000)
    args = parser.parse_args()
    cluster = start_cluster()
    try:
        with tempfile.TemporaryDirectory(prefix="repetend-team-bench-") as name:
            folder = Path(name)
            exact = sync_at_once(cluster, folder / "sync", args.machines, args.per_machine)
            commit_cost(cluster, folder / "commits")
            ratio = analyze_both(cluster, folder / "analyze", args.events)
    finally:
        cluster.remove()
    return 0 if exact and ratio <= 2.0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
