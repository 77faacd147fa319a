"""A full disk: every write that fails says so in one line, and nothing half-written is left.

The repository lives on a real, small file system (tmpfs, mounted for the test:
root only), filled up with a file until a write fails with ENOSPC. Then the
store, the event spool, the spec files and `apply` each have to write there.
"""

from __future__ import annotations

import errno
import json
import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.files.test_mine_killed import make_corpus

DISK_FULL = "no space left on the device (disk full)"


@pytest.fixture
def disk(tmp_path: Path) -> Iterator[Path]:
    """A 6 MiB tmpfs of the test's own (skipped where mounting one is not allowed)."""
    folder = tmp_path / "disk"
    folder.mkdir()
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=6m", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small file system here: {mounted.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path) -> None:
    """Write into a file on `disk` until the device has no room left."""
    with open(disk / "filler", "ab", buffering=0) as handle:
        try:
            while True:
                handle.write(b"\0" * 4096)
        except OSError as error:
            full = error.errno
    assert full == errno.ENOSPC


def repetend(root: Path, *args: str, store: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, **({"REPETEND_STORE": str(store)} if store else {})}
    return subprocess.run(
        [sys.executable, "-m", "repetend", *args], cwd=root, capture_output=True, text=True, env=env
    )


def leftovers(root: Path) -> list[str]:
    """Temporary files anywhere under `root` (the work tree and `.repetend/`)."""
    names = []
    for path in root.rglob("*"):
        name = path.name
        if ".git" in path.relative_to(root).parts:
            continue
        if name.endswith((".tmp", ".part")) or (name.startswith(".") and ".yaml." in name):
            names.append(str(path.relative_to(root)))
    return names


@pytest.fixture
def mined(disk: Path) -> Path:
    """A repository on `disk`, mined while there was room."""
    (disk / "repo").mkdir()
    root = make_corpus(disk / "repo", families=4)
    done = repetend(root, "mine", ".")
    assert done.returncode == 0, done.stderr
    return root


def only_line(stderr: str) -> str:
    """The one message on stderr (the progress bar's label aside)."""
    lines = [line for line in stderr.splitlines() if line.startswith("repetend")]
    assert len(lines) == 1, stderr
    return lines[0]


def test_mine_on_a_full_disk_says_so_and_leaves_the_specs_as_they_were(
    disk: Path, mined: Path
) -> None:
    specs = {
        p: p.read_bytes() for p in (mined / ".repetend" / "patterns").rglob("*") if p.is_file()
    }
    for family in range(4):  # every family changes: every spec would be rewritten
        for member in (mined / f"area{family}").iterdir():
            member.write_text(member.read_text() + f"extra_{family}: 1\n")
    fill(disk)
    done = repetend(mined, "mine", ".")
    assert done.returncode == 1
    assert DISK_FULL in only_line(done.stderr) and "internal error" not in done.stderr
    assert leftovers(mined) == []
    now = {p: p.read_bytes() for p in (mined / ".repetend" / "patterns").rglob("*") if p.is_file()}
    assert now == specs  # each spec the old one, whole


def test_a_command_recorded_on_a_full_disk_runs_and_warns_in_one_line(
    disk: Path, mined: Path
) -> None:
    fill(disk)
    done = repetend(mined, "run", "--", "sh", "-c", "echo RAN")
    assert (done.returncode, done.stdout) == (0, "RAN\n")
    line = only_line(done.stderr)
    assert DISK_FULL in line and "not kept either" in line
    assert leftovers(mined) == []


def test_apply_on_a_full_disk_says_so_writes_nothing_and_completes_later(
    disk: Path, mined: Path
) -> None:
    (pattern,) = [
        row["id"]
        for row in json.loads(repetend(mined, "templates", "list", "--json").stdout)
        if "area0" in row["path_pattern"]
    ][:1]
    fill(disk)
    like = ("--like", "area0/unit0.yaml", "--set", "slug=fresh")
    done = repetend(mined, "apply", pattern, *like)
    assert done.returncode == 1
    assert DISK_FULL in only_line(done.stderr)
    assert not (mined / "area0" / "fresh.yaml").exists()
    assert leftovers(mined) == []
    (disk / "filler").unlink()  # room again: the same command completes
    again = repetend(mined, "apply", pattern, *like)
    assert again.returncode == 0, again.stderr
    assert (mined / "area0" / "fresh.yaml").is_file()


def test_spec_writes_on_a_full_disk_say_so_and_the_next_mine_completes(
    disk: Path, tmp_path: Path
) -> None:
    # The store on another disk, with room: only the spec files cannot be written.
    store = tmp_path / "elsewhere" / "repetend.db"
    store.parent.mkdir()
    (disk / "repo").mkdir()
    root = make_corpus(disk / "repo", families=4)
    (root / ".repetend").mkdir()
    fill(disk)
    done = repetend(root, "mine", ".", store=store)
    assert done.returncode == 1
    line = only_line(done.stderr)
    assert DISK_FULL in line and "nothing half-written" in line
    assert leftovers(root) == []
    assert not any((root / ".repetend").rglob("*.yaml"))
    (disk / "filler").unlink()
    again = repetend(root, "mine", ".", "--json", store=store)
    assert again.returncode == 0, again.stderr
    assert json.loads(repetend(root, "status", "--json", store=store).stdout)["spec_problems"] == []
    assert len(list((root / ".repetend" / "patterns").glob("*/*.yaml"))) == 4


def test_a_test_run_on_a_full_disk_passes_warns_once_and_leaves_no_half_spool(
    disk: Path,
) -> None:
    project = disk / "project"
    (project / ".repetend").mkdir(parents=True)
    tests = "".join(f"def test_{n}():\n    pass\n\n" for n in range(300))  # several batches
    (project / "test_many.py").write_text(tests)
    fill(disk)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "test_many.py"],
        cwd=project,
        capture_output=True,
        text=True,
        env=env,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    warnings = [line for line in (done.stdout + done.stderr).splitlines() if "repetend" in line]
    assert len(warnings) == 1 and DISK_FULL in warnings[0], warnings
    assert leftovers(project) == []
