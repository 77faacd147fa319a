"""A virtual environment of the test's own that can run repetend, to move and rename in tests."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
from pathlib import Path

import repetend


def make_venv(folder: Path) -> Path:
    """A venv at `folder` that imports this repetend; its `bin/repetend` as pip would write it.

    No pip install (slow, and offline here): a `.pth` line adds the site folder this
    test runs from, whose own `.pth` files make repetend (editable or not) importable.
    """
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(folder)], check=True)
    python = folder / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    ours = {sysconfig.get_paths()["purelib"], str(Path(repetend.__file__).parents[1])}
    lines = [f"import site; site.addsitedir({entry!r})" for entry in sorted(ours)]
    (Path(purelib) / "here.pth").write_text("\n".join(lines) + "\n")
    script = folder / "bin" / "repetend"
    script.write_text(f"#!{python}\nimport sys\nfrom repetend.cli import main\nsys.exit(main())\n")
    script.chmod(0o755)
    return folder


def path_without_repetend() -> str:
    """PATH with every folder that holds a `repetend` command left out."""
    folders = os.environ.get("PATH", "").split(os.pathsep)
    return os.pathsep.join(f for f in folders if f and not (Path(f) / "repetend").exists())


def with_repetend_on_path(folder: Path | None = None) -> dict[str, str]:
    """The environment with `folder/bin` (default: this interpreter's folder) first on PATH."""
    first = str(folder / "bin") if folder else str(Path(sys.executable).parent)
    return {**os.environ, "PATH": os.pathsep.join([first, path_without_repetend()])}
