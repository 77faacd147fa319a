"""Filling a file from the watcher never runs code from the repository it watches."""

from __future__ import annotations

import sys
from pathlib import Path

from tests.capture.git.gitrepo import repetend, write
from tests.capture.test_no_repository_code_runs import plant, ran
from tests.capture.watch.test_fill import PROMPT, Terminal


def test_the_apply_a_fill_starts_never_imports_the_repositorys_modules(
    plugged: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran.txt"
    repetend(plugged, "init")
    # Modules the apply command imports; the watcher itself starts as a user starts it (the
    # console script, whose sys.path begins at its own folder), so only the fill could run them.
    plant(plugged, marker, ("click", "jinja2", "yaml"))
    terminal = Terminal(plugged, (str(Path(sys.executable).with_name("repetend")),))
    try:
        write(plugged, "components/gamma.py", "")
        terminal.expect(f"Fill components/gamma.py from T-test? {PROMPT}")
        terminal.type("y\n")
        terminal.expect("wrote components/gamma.py")
    finally:
        terminal.close()
    assert (plugged / "components/gamma.py").read_text() == "class GammaComponent:\n    pass\n"
    assert ran(marker) == []
