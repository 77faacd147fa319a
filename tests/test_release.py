"""A release is one tag away: the sdist and wheel build, and twine accepts them."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

from tests.conftest import REPO_ROOT


def test_the_distributions_build_and_pass_twine_check(tmp_path: Path) -> None:
    # pip, inside build, reads the developer's own configuration (its index): the isolation
    # fixture's XDG_CONFIG_HOME is for repetend's user config only
    env = {k: v for k, v in os.environ.items() if k != "XDG_CONFIG_HOME"}
    built = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--outdir",
            str(tmp_path),
            str(REPO_ROOT),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert built.returncode == 0, built.stdout[-2000:] + built.stderr[-2000:]
    wheel, sdist = sorted(tmp_path.glob("*.whl")), sorted(tmp_path.glob("*.tar.gz"))
    assert len(wheel) == 1 and len(sdist) == 1
    checked = subprocess.run(
        [sys.executable, "-m", "twine", "check", "--strict", *map(str, wheel + sdist)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert checked.returncode == 0, checked.stdout + checked.stderr
    names = zipfile.ZipFile(wheel[0]).namelist()
    assert "repetend/py.typed" in names
    assert "repetend/patterns/spec.schema.json" in names  # `repetend validate` reads it
    assert not any(name.startswith("tests/") for name in names)


def test_the_changelog_has_a_section_for_the_version_in_pyproject() -> None:
    version = re.search(r'^version = "([^"]+)"', (REPO_ROOT / "pyproject.toml").read_text(), re.M)
    assert version is not None
    changelog = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    assert f"## [{version.group(1)}]" in changelog
    assert "## [Unreleased]" in changelog
