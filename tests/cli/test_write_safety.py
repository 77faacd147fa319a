"""Where repetend writes, and with which modes: never into .git, never through a planted link."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from repetend.cli import main
from tests.plugins.conftest import InstallPlugin, install_plugin  # noqa: F401 - a fixture

BOOM = """
import click
from repetend.plugins import hookimpl

@hookimpl
def repetend_register_commands(cli):
    @cli.command()
    def boom():
        '''Fail with a bug.'''
        raise RuntimeError("a bug, on purpose")
"""


def mined_template(capsys: pytest.CaptureFixture[str], pattern: str) -> str:
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    capsys.readouterr()
    assert main(["templates", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    return next(str(t["id"]) for t in listed if t["path_pattern"] == pattern)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


@pytest.mark.parametrize(
    "slug", ["../.git/config", "../.git/hooks/pre-commit", "../gitlink/hooks/post-commit"]
)
def test_apply_never_writes_inside_git_whatever_the_values(
    sensors: Path, capsys: pytest.CaptureFixture[str], slug: str
) -> None:
    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    os.symlink(".git", sensors / "gitlink")  # a link into .git is .git too
    before = snapshot(sensors / ".git")
    code = main(["apply", tid, "--set", f"slug={slug}", "--set", "name=X", "--force"])
    assert code == 2
    assert "inside the repository's .git" in capsys.readouterr().err
    assert snapshot(sensors / ".git") == before


@pytest.mark.parametrize("umask", [0o022, 0o077])
def test_apply_honours_the_umask_and_the_templates_executable_bit(
    sensors: Path, capsys: pytest.CaptureFixture[str], umask: int
) -> None:
    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    old = os.umask(umask)
    try:
        assert main(["apply", tid, "--set", "slug=fan", "--set", "name=Fan"]) == 0
        (source,) = (sensors / ".repetend" / "patterns").rglob("sensors/{{ slug }}.py.jinja")
        source.chmod(0o755)  # the template of a script
        assert main(["apply", tid, "--set", "slug=lamp", "--set", "name=Lamp"]) == 0
    finally:
        os.umask(old)
    assert stat.S_IMODE((sensors / "sensors" / "fan.py").stat().st_mode) == 0o666 & ~umask
    assert stat.S_IMODE((sensors / "sensors" / "lamp.py").stat().st_mode) == 0o777 & ~umask


@pytest.mark.parametrize("opted_in", [True, False])
def test_an_internal_error_is_logged_privately_never_through_a_planted_link(
    repo: Path,
    install_plugin: InstallPlugin,  # noqa: F811 - the fixture imported above
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    opted_in: bool,
) -> None:
    install_plugin("plug-boom", BOOM)
    if not opted_in:
        (repo / ".repetend").rmdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("precious\n")
    planted = Path("/tmp/repetend-error.log")  # the fixed name older versions wrote
    planted.unlink(missing_ok=True)
    planted.symlink_to(victim)
    try:
        assert main(["boom"]) == 3
    finally:
        planted.unlink(missing_ok=True)
    error = capsys.readouterr().err
    assert "internal error: RuntimeError: a bug, on purpose" in error
    log = Path(error.split("(traceback in ")[1].split(")")[0])
    expected = repo / ".repetend" / "logs" if opted_in else tmp_path / "cache" / "repetend" / "logs"
    assert log.parent == expected
    assert stat.S_IMODE(log.stat().st_mode) == 0o600
    assert stat.S_IMODE(log.parent.stat().st_mode) == 0o700
    assert "a bug, on purpose" in log.read_text()
    assert victim.read_text() == "precious\n"


def test_what_may_hold_captured_text_is_for_the_owner_only(repo: Path, tmp_path: Path) -> None:
    program = "import repetend\nwith repetend.record('deploy', inputs={'env': 'prod'}):\n    pass\n"
    (repo / ".repetend").rmdir()  # made by `hooks install`, as for a user
    subprocess.run([sys.executable, "-m", "repetend", "hooks", "install"], cwd=repo, check=True)
    subprocess.run([sys.executable, "-c", program], cwd=repo, check=True)
    (repo / "a.txt").write_text("a\n")
    subprocess.run(["git", "add", "a.txt"], cwd=repo, check=True)
    subprocess.run(["git", "commit", "-qm", "a"], cwd=repo, check=True, capture_output=True)
    state = repo / ".repetend"
    private = [state / "repetend.db", *state.glob("repetend.db-*"), *state.rglob("*.log")]
    folders = [state, *(p for p in state.rglob("*") if p.is_dir() and "patterns" not in p.parts)]
    assert {stat.S_IMODE(p.stat().st_mode) for p in private} == {0o600}
    assert {stat.S_IMODE(p.stat().st_mode) for p in folders} == {0o700}


def test_two_rows_that_render_one_path_are_refused_naming_both(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    argv = ["apply", tid, "--set", "slug=fan", "--set", "slug=lamp", "--set", "slug=fan"]
    assert main([*argv, "--set", "name=X"]) == 2
    assert "rows 1 and 3 both render sensors/fan.py" in capsys.readouterr().err
    assert not (sensors / "sensors" / "fan.py").exists()
    assert not (sensors / "sensors" / "lamp.py").exists()


def test_purge_keeps_the_audit_trail_of_patterns_that_still_exist(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import sqlite3

    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    db = sqlite3.connect(sensors / ".repetend" / "repetend.db")
    db.execute("UPDATE audit_log SET created_at = '2000-01-01T00:00:00+00:00'")
    db.execute(
        "INSERT INTO audit_log (pattern_id, from_status, to_status, actor, note, created_at)"
        " VALUES ('AUTO-20000101-001', '', 'draft', 'x', 'gone', '2000-01-01T00:00:00+00:00')"
    )
    db.commit()
    db.close()
    assert main(["purge", "--apply"]) == 0
    db = sqlite3.connect(sensors / ".repetend" / "repetend.db")
    left = {row[0] for row in db.execute("SELECT pattern_id FROM audit_log")}
    db.close()
    assert tid in left and "AUTO-20000101-001" not in left


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'x' * 10**10 }}",
        "{{ 10 ** 100000 }}",
        "{% include 'other.jinja' %}",
        "{% for i in range(10**9) %}x{% endfor %}",
        "{{ ''.__class__.__mro__ }}",
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "{% for i in range(99999) %}{% for j in range(99999) %}x{% endfor %}{% endfor %}",
    ],
)
def test_hand_edited_templates_give_one_line_never_a_hang(source: str) -> None:
    import time

    from repetend.errors import UsageError
    from repetend.templates.safe_render import bounded_render

    started = time.monotonic()
    with pytest.raises(UsageError, match=r"^T-1: (cannot render|refused)") as raised:
        bounded_render("T-1", source, {})
    assert "\n" not in str(raised.value)
    assert time.monotonic() - started < 15


@pytest.mark.parametrize(("slug", "why"), [("a" * 300, "303 characters"), ("a\0b", "NUL")])
def test_odd_values_for_a_file_name_are_one_line(
    sensors: Path, capsys: pytest.CaptureFixture[str], slug: str, why: str
) -> None:
    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    assert main(["apply", tid, "--set", f"slug={slug}", "--set", "name=X"]) == 2
    error = capsys.readouterr().err
    assert why in error and "internal error" not in error


def test_apply_renders_the_hand_edited_jinja_file(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    (source,) = (sensors / ".repetend" / "patterns").rglob("sensors/{{ slug }}.py.jinja")
    source.write_text("# edited by hand\n" + source.read_text())
    assert main(["apply", tid, "--set", "slug=fan", "--set", "name=Fan"]) == 0
    assert (sensors / "sensors" / "fan.py").read_text().startswith("# edited by hand\n")
    source.write_text("{{ 'x' * 10**10 }}")  # an edit that would hang: one line instead
    assert main(["apply", tid, "--set", "slug=lamp", "--set", "name=Lamp"]) == 2
    assert "cannot render" in capsys.readouterr().err


def test_after_a_kill_during_apply_the_re_run_completes_and_no_temp_file_is_left(
    sensors: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import signal
    import time

    import yaml

    tid = mined_template(capsys, "sensors/{{ slug }}.py")
    rows = [{"slug": f"gadget_{n:04d}", "name": f"Gadget {n}"} for n in range(1500)]
    (sensors / "rows.yaml").write_text(yaml.safe_dump(rows))
    argv = [sys.executable, "-m", "repetend", "apply", tid, "--from", "rows.yaml"]
    run = subprocess.Popen(argv, cwd=sensors, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while len(list((sensors / "sensors").glob("gadget_*.py"))) < 20:
        assert run.poll() is None and time.monotonic() < deadline, "apply ended before the kill"
        time.sleep(0.01)
    run.send_signal(signal.SIGKILL)
    run.wait()
    assert run.stderr is not None
    run.stderr.close()
    written = len(list((sensors / "sensors").glob("gadget_*.py")))
    assert 20 <= written < 1500
    assert [p.name for p in (sensors / "sensors").iterdir() if p.name.startswith(".")] == []
    again = subprocess.run(argv, cwd=sensors, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert len(list((sensors / "sensors").glob("gadget_*.py"))) == 1500
    assert not list((sensors / ".repetend" / "tmp").iterdir())
