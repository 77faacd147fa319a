"""The watcher's fill is a use of the template, recorded as the watcher's."""

from __future__ import annotations

from pathlib import Path

from tests.capture.git.gitrepo import write
from tests.capture.watch.test_fill import PROMPT, Terminal
from tests.uses.conftest import committed, uses


def test_a_file_filled_by_the_watcher_is_judged_at_its_commit(repo: Path, template: str) -> None:
    terminal = Terminal(repo)
    try:
        write(repo, "sensors/boiler.py", "")
        terminal.expect(f"Fill sensors/boiler.py from {template}? {PROMPT}")
        terminal.type("y\n")
        terminal.expect("wrote sensors/boiler.py")
    finally:
        terminal.close()
    committed(repo, "boiler")
    [use] = uses(repo)
    assert (use["outcome"], use["evidence"]["source"]) == ("success", "watch")
    assert use["evidence"]["files"] == [
        {"path": "sensors/boiler.py", "why": "committed as rendered"}
    ]
