"""The public API surface: what `import repetend` promises."""

from __future__ import annotations

from pathlib import Path

import repetend


def test_public_names() -> None:
    assert set(repetend.__all__) == {
        "Config",
        "Recording",
        "RepetendWarning",
        "__version__",
        "load_config",
        "record",
        "record_event",
    }
    assert repetend.__version__.count(".") >= 2


def test_load_config_finds_the_repository_from_a_subfolder(repo: Path) -> None:
    nested = repo / "a" / "b"
    nested.mkdir(parents=True)
    config = repetend.load_config(nested)
    assert config.root == repo
    assert config.patterns_dir == repo / ".repetend" / "patterns"
