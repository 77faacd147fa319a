"""Recovery rules from command fixes: real `repetend run` sessions, real git, the learner."""

from __future__ import annotations

import json
import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from tests.failures.conftest import commit_all, git, known, run, wait_for_rule


def fix_session(root: Path, session: str, module: str) -> None:
    """The app fails for a missing module, the module is installed, the app runs."""
    failed = run(root, "run", "--session", session, "--", "python", "app.py", module)
    assert failed.returncode == 1
    assert f"No module named '{module}'" in failed.stderr  # stderr passed through
    installed = run(root, "run", "--session", session, "--", "python", "tools/install.py", module)
    assert installed.returncode == 0
    again = run(root, "run", "--session", session, "--", "python", "app.py", module)
    assert (again.returncode, again.stdout) == (0, "ok\n")


def test_a_missing_module_fixed_three_times_becomes_a_rule_the_fourth_failure_hears_of(
    project: Path,
) -> None:
    for number, module in enumerate(("alpha", "beta", "gamma")):
        fix_session(project, f"s{number}", module)
    index = wait_for_rule(project)  # learned in the background after the third success
    (rule,) = index["rules"]
    assert rule["steps"] == ["python tools/install.py {{ module }}"]
    assert rule["mode"] == "before"
    fourth = run(project, "run", "--session", "s4", "--", "python", "app.py", "delta")
    assert fourth.returncode == 1
    assert f"repetend: a fix is known ({rule['id']}, draft): python tools/install.py delta" in (
        fourth.stderr
    )
    spec = project / ".repetend" / "patterns" / "self_heal" / f"{rule['id']}.yaml"
    assert "python tools/install.py {{ module }}" in spec.read_text()
    shown = json.loads(run(project, "candidates", "show", rule["id"], "--json").stdout)
    assert shown["kind"] == "recovery" and shown["occurrences"] == 3
    healed = run(project, "heal", "--last", "--yes", "--json")
    result = json.loads(healed.stdout)
    assert (healed.returncode, result["verified"], result["brought_back"]) == (0, True, True)
    assert (project / "site" / "delta.py").read_text() == "VALUE = 1\n"  # brought back
    uses = json.loads(run(project, "candidates", "show", rule["id"], "--json").stdout)
    assert uses["uses"]["uses"] == 1 and uses["uses"]["successes"] == 1
    (active,) = json.loads(run(project, "anti-patterns", "list", "--json").stdout)
    assert active["status"] == "active"
    assert active["evidence"]["recommendation"].startswith(f"recovery rule {rule['id']}")
    later = (datetime.now(timezone.utc) + timedelta(days=20)).isoformat()
    run(project, "heal", "--learn", env={"REPETEND_CLOCK": later})  # not seen since, with a fix
    (resolved,) = json.loads(run(project, "anti-patterns", "list", "--json").stdout)
    assert resolved["status"] == "resolved"


def test_two_examples_are_not_a_rule_and_a_counter_example_keeps_it_from_being_one(
    project: Path,
) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    fix_session(project, "s1", "alpha")
    fix_session(project, "s2", "beta")
    run(project, "heal", "--learn")
    assert known(project)["rules"] == []
    # The install ran, and the app failed with the same error again: a counter-example.
    run(project, "run", "--session", "s3", "--", "python", "app.py", "broken")
    run(project, "run", "--session", "s3", "--", "python", "tools/install.py", "broken")
    again = run(project, "run", "--session", "s3", "--", "python", "app.py", "broken")
    assert "No module named 'broken'" in again.stderr
    fix_session(project, "s4", "delta")
    learned = json.loads(run(project, "heal", "--learn", "--json").stdout)
    assert learned["rules"] == []


def remote(tmp: Path) -> Path:
    bare = tmp / "remote.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    return bare


def test_a_push_without_an_upstream_on_three_branches_gives_a_rule_with_a_branch_variable(
    project: Path, tmp_path: Path
) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    git(project, "remote", "add", "origin", str(remote(tmp_path)))
    for branch in ("feat-1", "feat-2", "fix-3"):
        git(project, "switch", "-q", "-c", branch)
        (project / f"{branch}.txt").write_text(branch)
        commit_all(project, branch)
        failed = run(project, "run", "--session", branch, "--", "git", "push")
        assert failed.returncode == 128 and "has no upstream branch" in failed.stderr
        done = run(
            project,
            "run",
            "--session",
            branch,
            "--",
            "git",
            "push",
            "--set-upstream",
            "origin",
            branch,
        )
        assert done.returncode == 0, done.stderr
    run(project, "heal", "--learn")
    (rule,) = known(project)["rules"]
    assert rule["mode"] == "replace"
    assert rule["steps"] == ["git push --set-upstream origin {{ branch }}"]
    git(project, "switch", "-q", "-c", "feat-4")
    fourth = run(project, "run", "--", "git", "push")
    assert "a fix is known" in fourth.stderr
    assert "git push --set-upstream origin feat-4" in fourth.stderr
    # A push changes more than the working tree: the plan says so before anything runs.
    healed = run(project, "heal", "--yes")
    assert "changes the environment" in healed.stdout
    assert healed.returncode == 0, healed.stderr
    assert "feat-4" in git(project, "ls-remote", "--heads", "origin")


def test_a_failure_that_recurs_becomes_an_anti_pattern_that_can_be_ignored(
    project: Path,
) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    for _ in range(3):
        run(project, "run", "--", "python", "app.py", "yaml_missing")
    run(project, "heal", "--learn")
    (listed,) = json.loads(run(project, "anti-patterns", "list", "--json").stdout)
    assert (listed["id"], listed["status"], listed["cause"]) == (
        "ANTI-PAT-001",
        "active",
        "missing_dependency",
    )
    assert listed["occurrences"] == 3
    folder = project / ".repetend" / "patterns" / "anti_patterns"
    assert "ANTI-PAT-001" in (folder / "registry.yaml").read_text()
    assert "missing_dependency" in (folder / "ANTI-PAT-001.md").read_text()
    shown = run(project, "anti-patterns", "show", "ANTI-PAT-001")
    assert "No module named '{module}'" in shown.stdout
    assert run(project, "anti-patterns", "ignore", "ANTI-PAT-001").returncode == 0
    run(project, "run", "--", "python", "app.py", "yaml_missing")
    run(project, "heal", "--learn")
    (again,) = json.loads(run(project, "anti-patterns", "list", "--json").stdout)
    assert (again["status"], again["occurrences"]) == ("ignored", 4)
    missing = run(project, "anti-patterns", "show", "ANTI-PAT-404")
    assert missing.returncode == 1 and "no anti-pattern 'ANTI-PAT-404'" in missing.stderr


CHECK = "#!/bin/sh\ntest -f ready || { echo 'not ready' >&2; exit 3; }\n"
CYCLE = ["./check.sh", "touch ready", "./check.sh", "rm ready"]


def shell_session(shell: str, root: Path, lines: list[str], tmp: Path) -> str:
    """Run `lines` in an interactive shell that loaded the integration; its stderr."""
    import os
    import sys

    from tests.capture.conftest import require_shell

    require_shell(shell)
    init = tmp / f"init.{shell}"
    init.write_text(run(root, "shell-init", shell).stdout)
    env = {
        **os.environ,
        "HISTFILE": os.devnull,
        "PATH": f"{Path(sys.executable).parent}:" + os.environ["PATH"],
        "REPETEND_FAILURE_HINT_SECONDS": "0",
    }
    argv = {
        "bash": ["bash", "--norc", "--noprofile", "-i"],
        "zsh": ["zsh", "-f", "-i"],
    }[shell]
    script = "\n".join([f"source {init}", *lines, "exit"]) + "\n"
    done = subprocess.run(
        argv, input=script, cwd=root, env=env, capture_output=True, text=True, timeout=120
    )
    return done.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh"])
def test_the_shells_next_prompt_says_a_fix_learned_from_shell_commands(
    project: Path, tmp_path: Path, spool: Path, shell: str
) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    (project / "check.sh").write_text(CHECK)
    (project / "check.sh").chmod(0o755)
    shell_session(shell, project, CYCLE * 3, tmp_path)
    assert run(project, "shell-flush").returncode == 0
    run(project, "heal", "--learn")
    (rule,) = known(project)["rules"]
    assert rule["steps"] == ["touch ready"]  # the shell cannot see stderr: step and exit status
    said = shell_session(shell, project, ["./check.sh", "true"], tmp_path)
    assert f"repetend: a fix is known ({rule['id']}): touch ready" in said
    assert "repetend heal --command" in said


def fish_session(root: Path, lines: list[str], tmp: Path) -> str:
    """Type `lines` into an interactive fish in a terminal (its prompt events need one)."""
    import contextlib
    import os
    import pty
    import select
    import sys
    import time

    from tests.capture.conftest import require_shell

    require_shell("fish")
    init = tmp / "init.fish"
    init.write_text(run(root, "shell-init", "fish").stdout)
    # The last line's output says fish got through them all (closing its terminal would end it).
    typed = "\n".join([f"source {init}", *lines, "echo __repetend_done__", "exit"]) + "\n"
    env = {**os.environ, "TERM": "dumb", "REPETEND_FAILURE_HINT_SECONDS": "0"}
    env["PATH"] = f"{Path(sys.executable).parent}:{env['PATH']}"
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(root)
        os.execvpe("fish", ["fish", "--no-config", "--private", "-i"], env)
    os.write(terminal, typed.encode())
    output = b""
    deadline = time.monotonic() + 120
    with contextlib.suppress(OSError):
        while time.monotonic() < deadline and b"\n__repetend_done__" not in output:
            if select.select([terminal], [], [], 1)[0]:
                chunk = os.read(terminal, 1 << 16)
                if not chunk:
                    break
                output += chunk
    os.close(terminal)
    os.waitpid(pid, 0)
    return output.decode("utf-8", "replace")


def test_fishs_next_prompt_says_a_known_fix_too(project: Path, tmp_path: Path, spool: Path) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    (project / "check.sh").write_text(CHECK)
    (project / "check.sh").chmod(0o755)
    fish_session(project, CYCLE * 3, tmp_path)
    assert run(project, "shell-flush").returncode == 0
    run(project, "heal", "--learn")
    (rule,) = known(project)["rules"]
    said = fish_session(project, ["./check.sh", "true"], tmp_path)
    hints = (project / ".repetend" / "failures" / "shell-hints.tsv").read_text()
    assert f"repetend: a fix is known ({rule['id']}): touch ready" in said, (hints, said)


def on_a_terminal(root: Path, args: list[str], answers: list[str]) -> str:
    """Run `repetend ARGS…` on a pseudo-terminal, answering its questions; everything it said."""
    import os
    import pty
    import sys
    import time

    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(root)
        os.execv(sys.executable, [sys.executable, "-m", "repetend", *args])
    said = b""
    pending = list(answers)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:
            break
        if not chunk:
            break
        said += chunk
        if pending and said.rstrip().endswith(b"[y/n/show]:"):
            os.write(terminal, pending.pop(0).encode() + b"\n")
    os.waitpid(pid, 0)
    return said.decode("utf-8", "replace")


def test_heal_asks_shows_the_evidence_and_applies_only_on_yes(project: Path) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    for number, module in enumerate(("alpha", "beta", "gamma")):
        fix_session(project, f"s{number}", module)
    run(project, "run", "--", "python", "app.py", "delta")
    said = on_a_terminal(project, ["heal"], ["show", "n"])
    assert "fix: python tools/install.py delta" in said
    # The evidence, one example a line.
    assert "`python app.py alpha` failed, `python tools/install.py alpha` ran, then" in said
    assert "not applied" in said
    assert not (project / "site" / "delta.py").exists()
    said = on_a_terminal(project, ["heal"], ["y"])
    assert "verified; the change is in the working tree" in said
    assert (project / "site" / "delta.py").exists()


def test_a_destructive_fix_is_never_approved_automatically_and_a_safe_one_may_be(
    project: Path,
) -> None:
    (project / ".repetend" / "config.yaml").write_text(
        "learn_in_background: false\nauto_approve_threshold: 0.0\n"
    )
    (project / "build.py").write_text(
        "import pathlib, sys\n"
        "if pathlib.Path('cache/stale').exists():\n"
        "    sys.exit('error: stale cache')\n"
    )
    for number in range(3):
        (project / "cache").mkdir(exist_ok=True)
        (project / "cache" / "stale").write_text("x")
        session = f"b{number}"
        assert run(project, "run", "--session", session, "--", "python", "build.py").returncode
        run(project, "run", "--session", session, "--", "rm", "-rf", "cache")
        assert run(project, "run", "--session", session, "--", "python", "build.py").returncode == 0
    for number, module in enumerate(("alpha", "beta", "gamma")):
        fix_session(project, f"s{number}", module)
    learned = json.loads(run(project, "heal", "--learn", "--json").stdout)
    statuses = {rule["name"]: rule["status"] for rule in learned["rules"]}
    assert statuses == {
        "fix: rm -rf cache": "draft",  # destructive: waits for a person whatever the threshold
        "fix: python tools/install.py {{ module }}": "approved",
    }


def test_heal_without_a_known_fix_says_so_and_exits_1(project: Path) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    nothing = run(project, "heal", "--yes")
    assert nothing.returncode == 1 and "no recorded failure of anything" in nothing.stderr
    run(project, "run", "--", "python", "app.py", "alpha")
    unknown = run(project, "heal", "--yes")
    assert unknown.returncode == 1
    assert "no recovery rule for python app.py alpha: ModuleNotFoundError" in unknown.stderr
    assert json.loads(run(project, "heal", "--json").stdout)["rule"] is None


def test_a_counter_example_after_a_rule_was_made_stops_it_being_suggested(project: Path) -> None:
    (project / ".repetend" / "config.yaml").write_text("learn_in_background: false\n")
    for number, module in enumerate(("alpha", "beta", "gamma")):
        fix_session(project, f"s{number}", module)
    run(project, "heal", "--learn")
    (rule,) = known(project)["rules"]
    run(project, "run", "--session", "s9", "--", "python", "app.py", "broken")
    run(project, "run", "--session", "s9", "--", "python", "tools/install.py", "broken")
    run(project, "run", "--session", "s9", "--", "python", "app.py", "broken")
    run(project, "heal", "--learn")
    assert known(project)["rules"] == []
    shown = json.loads(run(project, "candidates", "show", rule["id"], "--json").stdout)
    assert shown["evidence"] == {"examples": 3, "counter_examples": 1, "alternatives": 0}
    assert shown["confidence"]["parts"]["examples"] < 0.44  # lower than three of three
    assert run(project, "heal", "--yes").returncode == 1  # not offered any more
