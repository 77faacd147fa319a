"""Time from a file's creation to the watcher's printed suggestion (budget: p95 ≤ 200 ms).

`repetend watch --no-prompt` runs as a subprocess in a repository of 5,000
files that `repetend mine .` has learned a template from, one template
approved; the real suggester (the file miner's) answers. The benchmark creates
100 new files that fit the approved template, one at a time, and waits for
each one's suggestion line. Baseline from the same run: a bare
watchdog observer's latency from creation to its event handler, the floor
any watcher built on watchdog has. The default debounce (50 ms) is included.

    python benchmarks/watch_latency.py [--creations 100]
"""

from __future__ import annotations

import argparse
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import approve_template_for, environment, make_repo, median, percentile
from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer


def approve_a_template(root: Path) -> str:
    """Mine the repository, approve the template the new `pkg001/` modules fit, return its id."""
    return str(approve_template_for(root, "pkg001/module_30000.py")["id"])


def watcher_latencies(root: Path, template: str, creations: int) -> list[float]:
    """Milliseconds from each creation to the suggestion of `template` for it."""
    env = {**environment(), "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "watch", "--no-prompt"],
        cwd=root,
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        text=True,
    )
    lines: queue.Queue[tuple[float, str]] = queue.Queue()
    reader = threading.Thread(target=_read, args=(process, lines), daemon=True)
    reader.start()
    _wait_for(lines, "(Ctrl-C to stop)")
    latencies = []
    for i in range(creations):
        started = time.perf_counter()
        name = f"module_{30_000 + i:05d}"
        (root / "pkg001" / f"{name}.py").write_text("")
        seen_at = _wait_for(lines, f"{name}.py matches template {template}")
        latencies.append((seen_at - started) * 1000)
    process.terminate()
    process.wait(timeout=10)
    return latencies


def _read(process: subprocess.Popen[str], lines: queue.Queue[tuple[float, str]]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        lines.put((time.perf_counter(), line))


def _wait_for(lines: queue.Queue[tuple[float, str]], text: str) -> float:
    while True:
        seen_at, line = lines.get(timeout=30)
        if text in line:
            return seen_at


class _Stamp(FileSystemEventHandler):
    def __init__(self) -> None:
        self.events: queue.Queue[tuple[float, str]] = queue.Queue()

    def on_created(self, event: FileSystemEvent) -> None:
        self.events.put((time.perf_counter(), os.fsdecode(event.src_path)))


def bare_latencies(folder: Path, creations: int) -> list[float]:
    """Milliseconds from each creation to a bare watchdog handler's call."""
    handler = _Stamp()
    observer = Observer()
    observer.schedule(handler, str(folder), recursive=True)
    observer.start()
    latencies = []
    try:
        for i in range(creations):
            target = folder / f"bare_{i:03d}.py"
            started = time.perf_counter()
            target.write_text("")
            while True:
                seen_at, path = handler.events.get(timeout=30)
                if path == str(target):
                    break
            latencies.append((seen_at - started) * 1000)
    finally:
        observer.stop()
        observer.join()
    return latencies


def main() -> None:
    """Measure both, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=5000)
    parser.add_argument("--creations", type=int, default=100)
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = make_repo(Path(folder) / "repo", options.files)
        config = root / ".repetend" / "config.yaml"
        config.parent.mkdir(parents=True, exist_ok=True)
        config.write_text("auto_approve_threshold: 1.0\n")  # the approval is the benchmark's own
        template = approve_a_template(root)
        watched = watcher_latencies(root, template, options.creations)
        bare_folder = Path(folder) / "bare"
        bare_folder.mkdir()
        bare = bare_latencies(bare_folder, options.creations)
    print(f"creation -> printed suggestion, {options.creations} creations, {options.files} files")
    print(f"{'':<28}{'median':>9}{'p95':>9}{'max':>9}")
    for label, values in (("bare watchdog handler", bare), ("repetend watch", watched)):
        print(
            f"{label:<28}{median(values):>7.1f}ms{percentile(values, 0.95):>7.1f}ms"
            f"{max(values):>7.1f}ms"
        )
    print(
        f"repetend p95 / bare p95: {percentile(watched, 0.95) / percentile(bare, 0.95):.1f}"
        f"   (the debounce alone is 50 ms)"
    )


if __name__ == "__main__":
    main()
