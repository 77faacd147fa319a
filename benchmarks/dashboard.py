"""The dashboard over a big store: each page's server time, the live stream's delay, memory.

A repository's store gets 100,000 events, 1,000 patterns (file templates, executions and
sequences; a third approved, half drafts) and 20,000 uses; then `repetend dashboard` runs
as a user starts it and every page is fetched over loopback HTTP (the time includes the
request and the answer's transfer: what a browser waits for the HTML). The live panel's
delay is from `record_event()` returning in this process to the event arriving on an open
`/api/events/stream`. Targets (issue 16): page p95 <= 200 ms, stream p95 <= 500 ms.

    python benchmarks/dashboard.py [--events 100000] [--patterns 1000] [--runs 40]
"""

from __future__ import annotations

import argparse
import http.client
import json
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from common import environment, percentile, sh

from repetend.events import Candidate, Event, utcnow
from repetend.store import PatternUse, SQLiteStore

KINDS = ("file-template", "execution", "sequence")


def fill(root: Path, events: int, patterns: int) -> list[str]:
    """The store's rows; returns the pattern ids."""
    store = SQLiteStore(root / ".repetend" / "repetend.db")
    now = utcnow()
    for start in range(0, events, 5000):
        batch = [
            Event("git" if n % 3 else "pytest", "commit" if n % 3 else "test",
                  {"subject": f"change {n}", "files": [f"src/m{n % 97}.py"]},
                  created_at=now - timedelta(seconds=events - n))
            for n in range(start, min(events, start + 5000))
        ]  # fmt: skip
        store.add_events(batch)
    ids = [store.save_candidate(pattern(n)).id for n in range(patterns)]
    for n, pattern_id in enumerate(ids):
        if n % 3 == 0:
            store.set_status(pattern_id, "approved", actor="bench")
        elif n % 2 == 0:
            store.set_status(pattern_id, "rejected", actor="bench")
    for n in range(20_000):
        outcome = "failure" if n % 9 == 0 else "success"
        at = now - timedelta(hours=n % (24 * 80))
        store.record_use(PatternUse(ids[(n * 3) % len(ids)], outcome, seconds_saved=90, at=at))
    store.close()
    return ids


def pattern(n: int) -> Candidate:
    """One stored pattern with a spec of a realistic size."""
    kind = KINDS[n % 3]
    members = [f"pkg{n}/member_{i}.py" for i in range(6)]
    spec = {
        "family": f"pkg{n}/*.py",
        "members": members,
        "variables": [{"name": "slug", "type": "str", "examples": ["a", "b"], "required": True}],
        "files": [{"path": f"pkg{n}/{{{{ slug }}}}.py", "template": "x = '{{ slug }}'\n" * 40}],
    }
    return Candidate(
        kind=kind, signature=f"sig-{n}", name=f"pattern {n}", confidence=(n % 100) / 100,
        evidence=[{"path": m} for m in members], spec=spec, occurrences=6,
        description=f"Files like pkg{n}/*.py",
    )  # fmt: skip


def start(root: Path) -> tuple[subprocess.Popen[str], str, int]:
    """`repetend dashboard` in `root`: the process, its host and port."""
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "dashboard"], cwd=root, env=environment(),
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert process.stdout is not None
    address = process.stdout.readline().split()[2]
    host, port = address.removeprefix("http://").rstrip("/").split(":")
    return process, host, int(port)


def page_times(
    host: str, port: int, paths: list[str], runs: int, write: Callable[[], None] | None = None
) -> dict[str, tuple[list[float], list[float]]]:
    """Per path, `runs` times: the server's time (its Server-Timing) and the client's (ms).

    With `write`, it runs before each request (another process capturing meanwhile), so
    nothing the server kept from an earlier read is still good.
    """
    times: dict[str, tuple[list[float], list[float]]] = {path: ([], []) for path in paths}
    for n in range(runs + 3):
        for path in paths:
            if write is not None:
                write()
            connection = http.client.HTTPConnection(host, port, timeout=30)
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            waited = (time.perf_counter() - began) * 1000
            connection.close()
            assert response.status == 200, (path, response.status)
            if n >= 3:  # warm-up runs are not counted
                server = float(response.getheader("server-timing", "").partition("dur=")[2])
                times[path][0].append(server)
                times[path][1].append(waited)
    return times


def stream_delays(root: Path, host: str, port: int, runs: int) -> list[float]:
    """Milliseconds from `record_event` returning here to the event on the stream."""
    import repetend

    arrived: dict[str, float] = {}
    connection = http.client.HTTPConnection(host, port, timeout=30)
    connection.request("GET", "/api/events/stream")
    response = connection.getresponse()

    def read() -> None:
        while len(arrived) < runs:
            line = response.readline().decode()
            if line.startswith("data: "):
                subject = json.loads(line[6:])["summary"]
                arrived.setdefault(subject, time.perf_counter())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    time.sleep(0.5)
    sent: dict[str, float] = {}
    for n in range(runs):
        subject = f"bench event {n}"
        repetend.record_event("git", "commit", {"subject": subject}, root=root)
        sent[subject] = time.perf_counter()
        time.sleep(0.05 + (n % 7) * 0.013)  # spread over the poll interval
    reader.join(timeout=10)
    connection.close()
    return [(arrived[s] - t) * 1000 for s, t in sent.items() if s in arrived]


def memory_mb(pid: int) -> tuple[float, float]:
    """The server's resident and peak resident memory (MB)."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def main() -> None:
    """Fill a store, serve it, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--patterns", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=40)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "repo"
        root.mkdir()
        sh(root, "git", "init", "-q", "-b", "main")
        sh(root, sys.executable, "-m", "repetend", "init")
        began = time.perf_counter()
        ids = fill(root, options.events, options.patterns)
        print(f"store: {options.events} events, {len(ids)} patterns, 20000 uses"
              f" ({time.perf_counter() - began:.1f} s to fill)")  # fmt: skip
        process, host, port = start(root)
        try:
            report(root, host, port, process.pid, ids, options.runs)
        finally:
            process.terminate()
            process.wait(timeout=20)


def report(root: Path, host: str, port: int, pid: int, ids: list[str], runs: int) -> None:
    """Measure and print each figure against its target."""
    paths = [
        "/dashboard/overview",
        "/dashboard/library",
        "/dashboard/library?q=pattern+9&status=approved",
        f"/dashboard/library/{ids[0]}",
        "/dashboard/candidates",
        "/dashboard/anti-patterns",
        "/api/patterns/active",
        "/api/patterns/candidates",
        f"/api/patterns/{ids[0]}/stats",
        "/api/events",
    ]
    import repetend

    def capture() -> None:
        repetend.record_event("git", "commit", {"subject": "meanwhile"}, root=root)

    for label, write in (("store unchanged", None), ("a capture before each request", capture)):
        times = page_times(host, port, paths, runs, write)
        print(f"\n{label}:\n{'page':<52}{'server p50':>11}{'p95':>7}{'client p95':>11}")
        for path, (server, client) in times.items():
            print(
                f"{path:<52}{percentile(server, 0.5):>11.1f}{percentile(server, 0.95):>7.1f}"
                f"{percentile(client, 0.95):>11.1f}"
            )
        worst = max(percentile(server, 0.95) for server, _ in times.values())
        verdict = "ok" if worst <= 200 else "MISSED"
        print(f"worst page p95 {worst:.1f} ms (target <= 200): {verdict}")
    delays = stream_delays(root, host, port, runs)
    p95 = percentile(delays, 0.95)
    print(f"stream: {len(delays)}/{runs} delivered, p50 {percentile(delays, 0.5):.0f} ms,"
          f" p95 {p95:.0f} ms (target <= 500): {'ok' if p95 <= 500 else 'MISSED'}")  # fmt: skip
    resident, peak = memory_mb(pid)
    print(f"server memory: {resident:.0f} MB resident, {peak:.0f} MB peak")


if __name__ == "__main__":
    main()
