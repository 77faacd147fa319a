"""Benchmark: what the shell integration adds to each prompt (budget: 10 ms).

bash and zsh: runs an interactive shell that reads N commands from a pipe,
with and without `repetend shell-init`, alternating, and compares the median
wall times of the sessions.

fish runs its `fish_preexec`/`fish_postexec` events only when it reads from a
terminal, so it gets a pseudo-terminal: the benchmark types `true`, waits for
the next prompt (its prompt shows `$status_generation`, which only a command
moves, so a redraw of the same prompt is not taken for the next one), and
times each round trip, after a pause like a person's (`--think-ms`). It
prints the median and the mean added per prompt, with and without the
integration alternating.

The integrated runs include everything the integration does: the hooks at
each prompt and the background `repetend shell-flush` every 20 commands,
which stores the commands in a git repository's store (its CPU competes with
the shell on a busy machine, which the fish mean shows).

    python benchmarks/shell_prompt.py [--commands 400] [--runs 5] [--think-ms 100]
"""

from __future__ import annotations

import argparse
import contextlib
import os
import pty
import re
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BUDGET_MS = 10.0
SHELLS = {"bash": ["bash", "--norc", "--noprofile", "-i"], "zsh": ["zsh", "-f", "-i"]}


def session(shell: str, folder: Path, init: Path | None, commands: int) -> float:
    """Wall time of one interactive session running `commands` commands."""
    lines = ([f"source {init}"] if init else []) + ["true"] * commands + ["exit"]
    env = {**os.environ, "HISTFILE": os.devnull, "REPETEND_SPOOL_DIR": str(folder / "spool")}
    started = time.perf_counter()
    subprocess.run(
        SHELLS[shell], input="\n".join(lines) + "\n", cwd=folder, env=env,
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    return time.perf_counter() - started


def measure(shell: str, folder: Path, commands: int, runs: int) -> tuple[float, float]:
    """Median session time with the integration and without it."""
    init = folder / f"init.{shell}"
    init.write_text(shell_init(shell))
    with_hooks, without = [], []
    for _ in range(runs):
        with_hooks.append(session(shell, folder, init, commands))
        without.append(session(shell, folder, None, commands))
    return statistics.median(with_hooks), statistics.median(without)


FISH = ["fish", "--no-config", "--private", "-C", "", "-i"]
# A plain prompt (fish's default asks git for the branch), no title, no greeting.
FISH_SETUP = (
    'function fish_prompt; echo -n "@$status_generation> "; end;'
    " function fish_title; end; set -g fish_greeting"
)
PROMPT = re.compile(rb"@(\d+)> ")


class FishTerminal:
    """An interactive fish in a pseudo-terminal, driven one command at a time."""

    def __init__(self, folder: Path, env: dict[str, str]) -> None:
        self.pid, self.terminal = pty.fork()
        if self.pid == 0:  # the child: the terminal is its controlling terminal and stdio
            os.chdir(folder)
            argv = [FISH_SETUP if a == "" else a for a in FISH]
            os.execvpe(argv[0], argv, {**env, "TERM": "dumb"})
        self.seen, self.generation = b"", -1
        self.next_prompt()

    def run(self, command: str) -> float:
        """Type `command`; seconds until the prompt after it is shown."""
        started = time.perf_counter()
        os.write(self.terminal, command.encode() + b"\n")
        self.next_prompt()
        return time.perf_counter() - started

    def next_prompt(self) -> None:
        """Read until a prompt newer than the last one seen."""
        while True:
            for shown in PROMPT.finditer(self.seen):
                if int(shown.group(1)) > self.generation:
                    self.generation, self.seen = int(shown.group(1)), self.seen[shown.end() :]
                    return
            if not select.select([self.terminal], [], [], 30)[0]:
                sys.exit(f"fish stopped answering: {self.seen[-200:]!r}")
            self.seen += os.read(self.terminal, 1 << 16)

    def close(self) -> None:
        """Type `exit`, read the terminal dry, reap fish."""
        os.write(self.terminal, b"exit\n")
        with contextlib.suppress(OSError):  # EIO once fish has closed the terminal
            while os.read(self.terminal, 1 << 16):
                pass
        os.close(self.terminal)
        os.waitpid(self.pid, 0)


def fish_round_trips(folder: Path, init: Path | None, commands: int, think: float) -> list[float]:
    """Seconds from typing `true` to the next prompt, for each of `commands` commands."""
    env = {**os.environ, "REPETEND_SPOOL_DIR": str(folder / "spool")}
    fish = FishTerminal(folder, env)
    try:
        if init:
            fish.run(f"source {init}")
        trips = []
        for _ in range(commands):
            time.sleep(think)
            trips.append(fish.run("true"))
        return trips
    finally:
        fish.close()


def measure_fish(folder: Path, commands: int, runs: int, think: float) -> None:
    """Print fish's median and mean round trip with the integration and without it."""
    init = folder / "init.fish"
    init.write_text(shell_init("fish"))
    with_hooks: list[float] = []
    without: list[float] = []
    for _ in range(runs):
        with_hooks += fish_round_trips(folder, init, commands, think)
        without += fish_round_trips(folder, None, commands, think)
    for name, pick in (("median", statistics.median), ("mean", statistics.mean)):
        hooked, plain = pick(with_hooks) * 1000, pick(without) * 1000
        print(
            f"fish: {name} prompt round trip over {len(without)} prompts"
            f" ({think * 1000:.0f} ms pause before each): {hooked:.2f} ms with the integration,"
            f" {plain:.2f} ms without: {hooked - plain:.2f} ms added per prompt"
            f" = {(hooked - plain) / BUDGET_MS:.2f} x the 10 ms budget",
            flush=True,
        )


def shell_init(shell: str) -> str:
    """What `repetend shell-init SHELL` prints."""
    return subprocess.run(
        [sys.executable, "-m", "repetend", "shell-init", shell],
        capture_output=True, text=True, check=True,
    ).stdout  # fmt: skip


def main() -> int:
    """Measure every installed shell; print the added milliseconds per prompt."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=400)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--think-ms", type=float, default=100, help="fish: pause per command")
    options = parser.parse_args()
    over = 0
    with tempfile.TemporaryDirectory(prefix="repetend-bench-") as name:
        folder = Path(name)
        subprocess.run(["git", "init", "-q", str(folder)], check=True)
        for shell in SHELLS:
            if shutil.which(shell) is None:
                print(f"{shell}: not installed, not measured")
                continue
            hooked, plain = measure(shell, folder, options.commands, options.runs)
            added = (hooked - plain) / options.commands * 1000
            over += added > BUDGET_MS
            print(
                f"{shell}: {options.commands} prompts in {hooked:.3f} s with the integration,"
                f" {plain:.3f} s without: ratio {hooked / plain:.2f},"
                f" {added:.2f} ms added per prompt = {added / BUDGET_MS:.2f} x the 10 ms budget",
                flush=True,
            )
        if shutil.which("fish") is None:
            print("fish: not installed, not measured")
        else:
            measure_fish(folder, options.commands, options.runs, options.think_ms / 1000)
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
