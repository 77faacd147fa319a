"""The entry-point cache: a hook starts without reading metadata, and installs are never missed."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

from repetend.plugins import registry
from tests.plugins.conftest import InstallPlugin

PLUGIN = """
from repetend.plugins import hookimpl

@hookimpl
def repetend_notify(notification, config):
    pass
"""

PROBE = """
import sys
from repetend.plugins import registry
names = sorted(name for name, _ in registry.get_plugin_manager().list_name_plugin())
print(" ".join(names))
print("importlib.metadata" in sys.modules)
"""


def loaded() -> set[str]:
    registry.reset()
    return {name for name, _ in registry.get_plugin_manager().list_name_plugin()}


def cache_files() -> list[Path]:
    return sorted((Path(os.environ["XDG_CACHE_HOME"]) / "repetend").glob("entry-points-*.json"))


def test_a_plugin_installed_after_the_cache_was_written_loads(
    repo: Path, install_plugin: InstallPlugin
) -> None:
    before = loaded()
    assert "file-miner" in before and cache_files()
    install_plugin("plug-late", PLUGIN)
    assert loaded() == before | {"plug-late"}


def test_an_uninstalled_plugin_stops_loading(
    repo: Path, tmp_path: Path, install_plugin: InstallPlugin
) -> None:
    install_plugin("plug-gone", PLUGIN)
    assert "plug-gone" in loaded()
    site = tmp_path / "site-packages"
    shutil.rmtree(site / "plug_gone-1.2.3.dist-info")
    (site / "plug_gone.py").unlink()
    assert "plug-gone" not in loaded()


def test_a_second_process_loads_the_same_plugins_without_reading_metadata(
    repo: Path, tmp_path: Path
) -> None:
    def probe(folder: Path) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", PROBE], cwd=folder, capture_output=True, text=True, check=True
        )
        return done.stdout.split("\n")

    elsewhere = tmp_path / "another-repository"
    elsewhere.mkdir()
    # The current folder is on sys.path; the cache is shared however many there are.
    first, second = probe(repo), probe(elsewhere)
    assert first[1] == "True"  # the first process scanned the installed distributions
    assert second[1] == "False"
    assert second[0] == first[0] and "file-miner" in first[0].split()


def test_a_damaged_cache_is_rebuilt(repo: Path) -> None:
    expected = loaded()
    [cache] = cache_files()
    cache.write_text("{not json", encoding="utf-8")
    assert loaded() == expected
    assert json.loads(cache.read_text(encoding="utf-8"))["points"]
