"""The fill offer in a real terminal (a pseudo-terminal): y / n / show, each recorded."""

from __future__ import annotations

import contextlib
import ctypes
import os
import pty
import select
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import events, read_until, repetend, wait_for, write

PROMPT = "[y/n/show]"


class Terminal:
    """`repetend watch` attached to a pseudo-terminal."""

    def __init__(
        self, root: Path, argv: tuple[str, ...] = (sys.executable, "-m", "repetend")
    ) -> None:
        self.leader, follower = pty.openpty()
        self.unread = ""
        self.process = subprocess.Popen(
            [*argv, "watch"],
            cwd=root,
            stdin=follower,
            stdout=follower,
            stderr=follower,
            start_new_session=True,
            env={**os.environ, "PYTHONFAULTHANDLER": "1"},
        )
        os.close(follower)
        self.expect("(Ctrl-C to stop)")

    def expect(self, text: str) -> str:
        """Wait for `text` after what earlier calls matched; return the output up to it."""
        if text not in self.unread:
            self.unread = read_until(self.leader, text, timeout=15, already=self.unread)
        output, _, self.unread = self.unread.partition(text)
        return output + text

    def type(self, text: str) -> None:
        os.write(self.leader, text.encode())

    def close(self) -> int:
        """Press Ctrl-C; return the exit code."""
        self.process.send_signal(signal.SIGINT)
        return self.stopped(timeout=30)

    def stopped(self, timeout: float) -> int:
        """Wait for the watcher to exit, reading the terminal meanwhile as a real one would.

        Output nobody reads fills the pseudo-terminal's buffer, and a watcher
        blocked writing its last lines into it would never exit. One that has
        not exited in time fails the test with every thread's stack.
        """
        deadline = time.monotonic() + timeout
        while self.process.poll() is None and time.monotonic() < deadline:
            ready, _, _ = select.select([self.leader], [], [], 0.1)
            if ready:
                try:
                    self.unread += os.read(self.leader, 65536).decode(errors="replace")
                except OSError:  # the watcher closed its side
                    time.sleep(0.05)
        if self.process.poll() is None:  # show where it hangs: every thread's stack
            self.process.send_signal(signal.SIGABRT)
            time.sleep(1)
            with contextlib.suppress(OSError):
                self.unread += os.read(self.leader, 1 << 20).decode(errors="replace")
            os.close(self.leader)
            raise AssertionError(f"the watcher did not stop:\n{self.unread[-6000:]}")
        code = self.process.wait(timeout=1)
        with contextlib.suppress(OSError):  # what it printed last
            while select.select([self.leader], [], [], 0)[0]:
                self.unread += os.read(self.leader, 65536).decode(errors="replace")
        os.close(self.leader)
        return code


@pytest.fixture
def terminal(plugged: Path) -> Iterator[Terminal]:
    repetend(plugged, "init")
    session = Terminal(plugged)
    yield session
    if session.process.poll() is None:
        session.close()


def test_show_then_yes_fills_the_empty_file(plugged: Path, terminal: Terminal) -> None:
    write(plugged, "components/gamma.py", "")
    terminal.expect(f"Fill components/gamma.py from T-test? {PROMPT}")
    terminal.type("show\n")
    terminal.expect("would write components/gamma.py")
    terminal.expect(PROMPT)
    terminal.type("y\n")
    terminal.expect("wrote components/gamma.py")
    assert (plugged / "components/gamma.py").read_text() == "class GammaComponent:\n    pass\n"
    assert not list((plugged / "components").glob(".*"))
    wait_for(lambda: len(events(plugged, "suggest")) == 2)
    shown, accepted = events(plugged, "suggest")
    assert (shown["kind"], accepted["kind"], accepted["filled"]) == (
        "suggestion-shown",
        "suggestion-accepted",
        True,
    )


def test_no_leaves_the_file_empty_and_is_recorded(plugged: Path, terminal: Terminal) -> None:
    write(plugged, "components/delta.py", "")
    terminal.expect(PROMPT)
    terminal.type("n\n")
    wait_for(lambda: len(events(plugged, "suggest")) == 2)
    assert terminal.close() == 0
    assert (plugged / "components/delta.py").read_text() == ""
    kinds = [e["kind"] for e in events(plugged, "suggest")]
    assert kinds == ["suggestion-shown", "suggestion-dismissed"]


def test_a_file_with_content_gets_the_command_but_no_offer(
    plugged: Path, terminal: Terminal
) -> None:
    write(plugged, "components/epsilon.py", "class Written: pass\n")
    output = terminal.expect("run:      repetend test-apply T-test --set name=epsilon")
    write(plugged, "components/zeta.py", "")
    output += terminal.expect(PROMPT)
    assert output.count(PROMPT) == 1
    assert "Fill components/zeta.py" in output


def test_a_failing_apply_leaves_the_empty_file_as_it_was(plugged: Path, terminal: Terminal) -> None:
    write(plugged, "components/broken.py", "")
    terminal.expect(PROMPT)
    terminal.type("y\n")
    terminal.expect("could not fill broken.py: Error: T-test cannot render `broken`")
    assert (plugged / "components/broken.py").read_text() == ""
    assert sorted(p.name for p in (plugged / "components").iterdir()) == ["broken.py"]
    wait_for(lambda: len(events(plugged, "suggest")) == 2)
    accepted = events(plugged, "suggest")[1]
    assert (accepted["kind"], accepted["filled"]) == ("suggestion-accepted", False)


def test_ctrl_c_at_the_prompt_stops_the_watch_whichever_thread_receives_it(
    plugged: Path, terminal: Terminal
) -> None:
    write(plugged, "components/eta.py", "")
    terminal.expect(PROMPT)
    time.sleep(0.3)  # the prompt is waiting for an answer now
    # The kernel hands a process's SIGINT to any thread that does not block it; one
    # received by a watchdog thread must still end the main thread's wait for a line
    # (so must one received just before that wait begins, the usual way it was lost).
    others = [int(t) for t in os.listdir(f"/proc/{terminal.process.pid}/task")]
    others.remove(terminal.process.pid)
    assert others, "the watcher runs its observer in threads of its own"
    assert (
        ctypes.CDLL(None, use_errno=True).tgkill(terminal.process.pid, others[0], signal.SIGINT)
        == 0
    )
    assert terminal.stopped(timeout=5) == 0
    assert terminal.unread.endswith("\nrepetend: stopped watching\r\n")
    assert (plugged / "components/eta.py").read_text() == ""


def test_an_answer_not_offered_asks_again(plugged: Path, terminal: Terminal) -> None:
    write(plugged, "components/theta.py", "")
    terminal.expect(PROMPT)
    terminal.type("maybe\n")
    terminal.expect("Error: 'maybe' is not one of 'y', 'n', 'show'.")
    terminal.expect(PROMPT)
    terminal.type("N\n")
    wait_for(lambda: len(events(plugged, "suggest")) == 2)
    assert events(plugged, "suggest")[1]["kind"] == "suggestion-dismissed"


def test_end_of_input_at_the_prompt_stops_the_watch(plugged: Path, terminal: Terminal) -> None:
    write(plugged, "components/iota.py", "")
    terminal.expect(PROMPT)
    terminal.type("\x04")  # Ctrl-D on an empty line
    assert terminal.stopped(timeout=10) == 0
    assert "repetend: stopped watching" in terminal.unread


def test_ctrl_c_while_filling_leaves_the_empty_file_in_place(
    plugged: Path, terminal: Terminal
) -> None:
    write(plugged, "components/slow.py", "")  # the test plugin's apply takes a minute for `slow`
    terminal.expect(PROMPT)
    terminal.type("y\n")
    aside = plugged / "components/.slow.py.repetend-empty"
    wait_for(aside.exists, timeout=10)
    time.sleep(0.5)  # apply is running now
    os.killpg(terminal.process.pid, signal.SIGINT)  # a terminal's Ctrl-C: the whole group
    assert terminal.stopped(timeout=15) == 0
    assert (plugged / "components/slow.py").read_text() == ""
    assert not aside.exists()
