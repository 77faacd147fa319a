"""Install `repetend_testplugin` as a real entry-point plugin, for this process and subprocesses."""

from __future__ import annotations

import importlib
import os
import shutil
from pathlib import Path

import pytest

from repetend.plugins import registry

SOURCE = Path(__file__).with_name("repetend_testplugin.py")


def install_test_plugin(site: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the plugin and its dist-info in `site`, on sys.path and on PYTHONPATH."""
    site.mkdir(parents=True, exist_ok=True)
    shutil.copy(SOURCE, site / SOURCE.name)
    info = site / "repetend_testplugin-0.1.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: repetend-testplugin\nVersion: 0.1\n"
    )
    (info / "entry_points.txt").write_text("[repetend]\ntestplugin = repetend_testplugin\n")
    monkeypatch.syspath_prepend(str(site))
    paths = [str(site), os.environ.get("PYTHONPATH", "")]
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(p for p in paths if p))
    # The stand-in answers the miner's hooks; the real miner would answer them twice.
    monkeypatch.setenv("REPETEND_DISABLE_PLUGINS", "file-miner")
    importlib.invalidate_caches()
    registry.reset()
    return site
