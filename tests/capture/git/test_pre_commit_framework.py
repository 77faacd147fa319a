"""repetend through the real pre-commit framework: `try-repo`, then installed hooks and commits.

The framework installs repetend from a git repository, so the tests commit a
copy of this working tree (its tracked and untracked, not ignored files) to a
temporary repository and point the framework at that.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import REPETEND, events, run, spool_empty, wait_for, write
from tests.conftest import REPO_ROOT

PRE_COMMIT = [sys.executable, "-m", "pre_commit"]
TEMPLATE = "id: T-test\nmatch: 'services/*.toml'\nrequires: ['name =']\n"


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A committed copy of this working tree; returns its path and commit sha."""
    target = tmp_path_factory.mktemp("repetend-hook-repo")
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO_ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for relative in filter(None, listed.split("\x00")):
        source = REPO_ROOT / relative
        if source.is_file():
            (target / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target / relative)
    env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t"}
    for argv in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "snapshot"]):
        subprocess.run(
            ["git", "-c", "user.email=t@e", "-c", "user.name=t", *argv],
            cwd=target,
            check=True,
            env={**_env(), **env},
        )
    sha = subprocess.run(
        ["git", "rev-parse", "HEAD"], cwd=target, capture_output=True, text=True, check=True
    ).stdout.strip()
    return target, sha


def _env() -> dict[str, str]:
    import os

    return dict(os.environ)


@pytest.fixture
def framework_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """One pre-commit cache for the module, so repetend is installed into it once."""
    home = tmp_path_factory.getbasetemp() / "pre-commit-home"
    monkeypatch.setenv("PRE_COMMIT_HOME", str(home))


def test_try_repo_runs_the_propose_hook_on_staged_files(
    plugged: Path, hook_repo: tuple[Path, str], framework_home: None
) -> None:
    write(plugged, ".repetend/patterns/approved/T-test.yaml", TEMPLATE)
    write(plugged, "services/web.toml", "port = 80\n")
    run(plugged, "git", "add", "services/web.toml")
    done = run(plugged, *PRE_COMMIT, "try-repo", str(hook_repo[0]), "repetend-propose", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Passed" in done.stdout
    assert "services/web.toml: T-test: missing `name =`" in done.stdout


def test_installed_framework_hooks_check_and_capture_real_commits(
    plugged: Path, hook_repo: tuple[Path, str], framework_home: None
) -> None:
    path, sha = hook_repo
    config = (
        f"repos:\n- repo: {path}\n  rev: {sha}\n  hooks:\n"
        "  - id: repetend-propose\n  - id: repetend-capture\n"
    )
    write(plugged, ".pre-commit-config.yaml", config)
    write(plugged, ".repetend/patterns/approved/T-test.yaml", TEMPLATE)
    install = run(
        plugged, *PRE_COMMIT, "install", "--hook-type", "pre-commit", "--hook-type", "post-commit"
    )
    assert "post-commit" in install.stdout
    write(plugged, "services/web.toml", "port = 80\n")
    run(plugged, "git", "add", ".pre-commit-config.yaml", "services/web.toml")
    done = run(plugged, "git", "commit", "-m", "web", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "missing `name =`" in done.stdout + done.stderr
    wait_for(lambda: spool_empty(plugged) and bool(events(plugged, "git")), timeout=60)
    (commit,) = events(plugged, "git")
    assert commit["added"] == [".pre-commit-config.yaml", "services/web.toml"]
    assert commit["subject"] == "web"


def test_the_validate_hook_blocks_a_commit_whose_template_breaks_its_members(
    repo: Path, hook_repo: tuple[Path, str], framework_home: None
) -> None:
    from tests.cli.conftest import SENSORS, sensor_module

    for slug, (title, _tags) in SENSORS.items():
        write(repo, f"sensors/{slug}.py", sensor_module(slug, title))
    run(repo, "git", "add", "-A")
    run(repo, "git", "commit", "-qm", "sensors")
    run(repo, *REPETEND, "mine", ".")
    (draft,) = (repo / ".repetend" / "patterns" / "drafts").glob("AUTO-*.yaml")
    run(repo, *REPETEND, "candidates", "approve", draft.stem)
    path, sha = hook_repo
    write(repo, ".pre-commit-config.yaml", _config(path, sha, "repetend-validate"))
    run(repo, *PRE_COMMIT, "install")
    run(repo, "git", "add", "-A")
    done = run(repo, "git", "commit", "-m", "approve the sensor template", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    jinja = next((repo / ".repetend" / "patterns" / "approved" / draft.stem).rglob("*.jinja"))
    jinja.write_text(jinja.read_text().replace("(Entity):", "(Entity, Base):"))
    run(repo, "git", "add", "-A")
    done = run(repo, "git", "commit", "-m", "a broken edit", check=False)
    assert done.returncode == 1
    spec = f".repetend/patterns/approved/{draft.stem}.yaml"
    output = done.stdout + done.stderr  # git shows the hook's output on stderr
    assert f"{spec}:members.0: sensors/air_quality.py is no longer reproduced" in output
    assert "Failed" in output


def _config(path: Path, sha: str, *hooks: str) -> str:
    listed = "".join(f"  - id: {hook}\n" for hook in hooks)
    return f"repos:\n- repo: {path}\n  rev: {sha}\n  hooks:\n{listed}"


# Every Python that starts with this on PYTHONPATH notes its command line.
STARTS = """\
import os, sys
with open(os.environ["PYTHON_STARTS"], "a") as log:
    log.write(repr(sys.orig_argv) + "\\n")
"""


def test_a_commit_with_nothing_to_check_starts_no_python_of_repetends(
    plugged: Path, hook_repo: tuple[Path, str], framework_home: None, tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    path, sha = hook_repo
    write(plugged, ".pre-commit-config.yaml", _config(path, sha, "repetend-propose"))
    run(plugged, "git", "add", ".pre-commit-config.yaml")
    run(plugged, "git", "commit", "-qm", "config")  # no framework hook yet
    run(plugged, *PRE_COMMIT, "install", "--install-hooks")
    starts = tmp_path / "starts"
    write(tmp_path, "watch/sitecustomize.py", STARTS)
    monkeypatch.setenv("PYTHONPATH", f"{tmp_path / 'watch'}:{_env()['PYTHONPATH']}")
    monkeypatch.setenv("PYTHON_STARTS", str(starts))
    write(plugged, "notes/one.txt", "one new file that fits no approved template\n")
    run(plugged, "git", "add", "notes/one.txt")
    done = run(plugged, "git", "commit", "-m", "one note", check=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "repetend" in done.stdout + done.stderr  # the framework ran the hook: Passed
    lines = starts.read_text().splitlines()
    assert lines and all("pre_commit" in line for line in lines), lines  # the framework's own


def test_the_shipped_framework_entry_is_what_scripts_py_writes() -> None:
    from repetend.capture.git.scripts import FRAMEWORK_ENTRY, framework_script

    shipped = REPO_ROOT / "scripts" / FRAMEWORK_ENTRY
    assert shipped.read_text() == framework_script(), "run python -m repetend.capture.git.scripts"
    assert shipped.stat().st_mode & 0o111


def test_the_framework_entry_says_how_it_is_used_and_when_no_python_is_found(
    tmp_path: Path,
) -> None:
    from repetend.capture.git.scripts import framework_script

    script = write(tmp_path, "bin/repetend-hook", framework_script())
    script.chmod(0o755)
    wrong = run(tmp_path, str(script), "pre-push", check=False)
    assert (wrong.returncode, wrong.stderr) == (2, "usage: repetend-hook pre-commit|post-commit\n")
    alone = run(tmp_path, str(script), "pre-commit", check=False)
    assert alone.returncode == 0
    assert alone.stderr == f"repetend: no Python found beside {script} (pre-commit skipped)\n"
    write(tmp_path, "bin/repetend", f"#!{sys.executable}\n")  # as pip writes a console script
    found = run(tmp_path, str(script), "pre-commit", check=False)  # not a repository: no files
    assert (found.returncode, found.stderr) == (0, "")


@pytest.mark.parametrize("form", ["env", "sh-exec"])
def test_the_framework_entry_finds_python_in_every_form_pip_writes_a_console_script(
    tmp_path: Path, form: str
) -> None:
    from repetend.capture.git.scripts import framework_script

    script = write(tmp_path, "bin/repetend-hook", framework_script())
    script.chmod(0o755)
    venv = tmp_path / "a venv with spaces"  # this test run's environment, by another name
    venv.symlink_to(Path(sys.prefix))
    spaced = venv / "bin" / "python"
    if form == "env":  # `#!/usr/bin/env python`, the interpreter found on PATH
        head = "#!/usr/bin/env python\n"
    else:  # a path with spaces: pip writes `#!/bin/sh` and a line that execs the interpreter
        head = f"#!/bin/sh\n'''exec' \"{spaced}\" \"$0\" \"$@\"\n' '''\n"
    write(tmp_path, "bin/repetend", head)
    repo = tmp_path / "repo"
    repo.mkdir()
    run(repo, "git", "init", "-q")
    write(repo, "one.py", "x = 1\n")
    write(repo, "two.py", "x = 2\n")
    run(repo, "git", "add", ".")  # two added files: Python starts to check them
    env_path = f"{spaced.parent}:{os.environ['PATH']}"
    done = subprocess.run(
        [str(script), "pre-commit"],
        cwd=repo,
        env={**os.environ, "PATH": env_path},
        capture_output=True,
        text=True,
    )
    assert (done.returncode, done.stderr) == (0, "")
