"""What the watcher ignores, and how a batch of paths is classified."""

from __future__ import annotations

from pathlib import Path

import pytest

from repetend.capture.watch.changes import classify
from repetend.capture.watch.filters import is_noise


@pytest.mark.parametrize(
    "path",
    [
        ".git/index",
        "src/__pycache__/x.pyc",
        "node_modules/a/index.js",
        "build/lib/x.py",
        "pkg.egg-info/PKG-INFO",
        ".repetend/repetend.db",
        "src/.main.py.swp",
        "src/main.py~",
        "src/#main.py#",
        "src/.#main.py",
        "src/4913",
        "src/main.py___jb_tmp___",
        "src/.main.py.repetend-empty",
        "notes.txt.tmp",
    ],
)
def test_noise(path: str) -> None:
    assert is_noise(path)


@pytest.mark.parametrize(
    "path", ["src/main.py", "docs/build.md", "components/light/manifest.json", "Makefile"]
)
def test_work(path: str) -> None:
    assert not is_noise(path)


def test_classify_uses_the_net_result(tmp_path: Path) -> None:
    (tmp_path / "saved.py").write_text("after a rename over it")
    (tmp_path / "new.py").write_text("")
    (tmp_path / "folder").mkdir()
    known = {"saved.py", "removed.py", "gone/a.py", "gone/b.py", "folder/kept.py"}
    changes = classify(
        {"saved.py", "new.py", "removed.py", "gone", "temp-that-came-and-went", "folder"},
        known,
        tmp_path,
    )
    assert changes.created == ["new.py"]
    assert changes.modified == ["saved.py"]
    assert changes.deleted == ["gone/a.py", "gone/b.py", "removed.py"]
    assert known == {"saved.py", "new.py", "folder/kept.py"}
