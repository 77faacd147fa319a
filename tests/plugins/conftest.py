"""Plugin test fixtures: install real third-party plugins as distributions on sys.path."""

from __future__ import annotations

import sys
import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from repetend.plugins import registry

InstallPlugin = Callable[[str, str], None]


@pytest.fixture
def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> InstallPlugin:
    """Write `module_source` as an installed distribution registering entry point `name`."""
    site = tmp_path / "site-packages"
    site.mkdir()
    monkeypatch.syspath_prepend(str(site))

    def install(name: str, module_source: str) -> None:
        module = name.replace("-", "_")
        (site / f"{module}.py").write_text(textwrap.dedent(module_source), encoding="utf-8")
        info = site / f"{module}-1.2.3.dist-info"
        info.mkdir()
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.2.3\n")
        (info / "entry_points.txt").write_text(f"[repetend]\n{name} = {module}\n")
        registry.reset()

    yield install
    for module in [m for m in sys.modules if m.startswith("plug_")]:
        del sys.modules[module]
