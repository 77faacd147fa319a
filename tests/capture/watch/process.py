"""Run `repetend watch` as a real subprocess and read what it prints."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path


class WatchProcess:
    """A running `repetend watch`, its output collected line by line by a reader thread."""

    def __init__(self, root: Path, *args: str, launcher: list[str] | None = None) -> None:
        env = {**os.environ, "PYTHONUNBUFFERED": "1"}
        self.process = subprocess.Popen(
            [*(launcher or [sys.executable]), "-m", "repetend", "watch", *args],
            cwd=root,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            env=env,
        )
        self.lines: queue.Queue[str] = queue.Queue()
        self.seen: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        self.expect("(Ctrl-C to stop)")

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def expect(self, text: str, timeout: float = 10.0) -> str:
        """Wait for a line containing `text`; return it."""
        deadline = time.monotonic() + timeout
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{text!r} not printed; got: {self.seen}")
            try:
                line = self.lines.get(timeout=left)
            except queue.Empty:
                continue
            self.seen.append(line)
            if text in line:
                return line

    def quiet_for(self, seconds: float) -> list[str]:
        """Whatever is printed within `seconds` (used to show nothing is)."""
        time.sleep(seconds)
        printed = []
        while not self.lines.empty():
            printed.append(self.lines.get())
        self.seen.extend(printed)
        return printed

    def interrupt(self) -> int:
        """Press Ctrl-C; return the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.finished(timeout=30)

    def finished(self, timeout: float) -> int:
        """Wait for the watcher to exit by itself; return the exit code."""
        code = self.process.wait(timeout=timeout)
        self.reader.join(timeout=5)
        assert self.process.stdout is not None
        self.process.stdout.close()
        while not self.lines.empty():
            self.seen.append(self.lines.get())
        return code
