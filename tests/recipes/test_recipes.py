"""`repetend recipes`: approved recipes run step by step, each run a use the measures act on."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone
from pathlib import Path

from tests.recipes.conftest import recipes, uses, write_recipe

PASSING = ["printf '%s\\n' {{ message }} > note.txt", "test -s note.txt"]


def test_a_recipe_runs_its_steps_in_order_and_the_run_is_a_success(repo: Path) -> None:
    recipe = write_recipe(repo, PASSING)
    done = recipes(repo, "run", recipe, "--set", "message=a; touch injected")
    assert done.returncode == 0, done.stderr
    assert done.stdout == (f"{recipe}: 2 step(s) passed in" + done.stdout.split(" in", 1)[1])
    assert "recorded as a success (60 s saved)" in done.stdout
    # The value is one shell word: its `;` is text, not a second command.
    assert (repo / "note.txt").read_text() == "a; touch injected\n"
    assert not (repo / "injected").exists()
    [use] = uses(repo)
    assert (use["pattern_id"], use["version"], use["outcome"]) == (recipe, "1.0.0", "success")
    assert use["seconds_saved"] == 60.0
    assert use["evidence"]["seconds_source"] == "fallback: seconds_per_step 30 x 2 step(s)"
    assert [s["exit_status"] for s in use["evidence"]["steps"]] == [0, 0]
    assert use["evidence"]["steps"][0]["command"] == "printf '%s\\n' 'a; touch injected' > note.txt"


def test_the_first_failing_step_stops_the_run_and_is_its_failure(repo: Path) -> None:
    recipe = write_recipe(repo, ["touch one", "sh -c 'exit 3'", "touch three"])
    done = recipes(repo, "run", recipe)
    assert done.returncode == 3
    assert done.stderr.strip().endswith(
        f"{recipe}: step 2 of 3 failed (exit 3): sh -c 'exit 3'; recorded as a failure"
    )
    assert (repo / "one").exists() and not (repo / "three").exists()
    [use] = uses(repo)
    assert use["outcome"] == "failure" and use["seconds_saved"] == 0.0
    assert (use["evidence"]["failed_step"], use["evidence"]["why"]) == (2, "step 2 exited 3")
    shown = json.loads(recipes(repo, "show", recipe, "--json").stdout)
    assert shown["uses"]["failures"] == 1  # the loop's metrics, as `candidates show` has them
    assert shown["circuit"]["failures_in_a_row"] == 1


def test_a_dry_run_shows_the_commands_and_runs_nothing(repo: Path) -> None:
    recipe = write_recipe(repo, [*PASSING, "rm -rf build"])
    done = recipes(repo, "run", recipe, "--set", "message=hi there", "--dry-run")
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        f"{recipe} would run 3 step(s) in the repository's root:",
        "  1. printf '%s\\n' 'hi there' > note.txt",
        "  2. test -s note.txt",
        "  3. rm -rf build   (destructive: rm -rf in 'rm -rf build')",
    ]
    assert not (repo / "note.txt").exists() and uses(repo) == []


def test_a_destructive_step_is_confirmed_before_anything_runs(repo: Path) -> None:
    recipe = write_recipe(repo, ["touch first", "rm -rf build"])
    (repo / "build").mkdir()
    refused = recipes(repo, "run", recipe)
    assert refused.returncode == 2  # refused as `apply` refuses: bad usage, nothing done
    assert refused.stderr == (
        f"repetend: error: {recipe}: not run: destructive (step 2: rm -rf in 'rm -rf build');"
        " confirm with --yes\n"
    )
    assert not (repo / "first").exists() and (repo / "build").is_dir() and uses(repo) == []
    done = recipes(repo, "run", recipe, "--yes")
    assert done.returncode == 0, done.stderr
    assert not (repo / "build").exists() and [u["outcome"] for u in uses(repo)] == ["success"]


def test_three_failures_open_the_circuit_and_a_failed_trial_quarantines(repo: Path) -> None:
    recipe = write_recipe(repo, ["test -f ok.txt"])
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    at = {"REPETEND_CLOCK": start.isoformat()}
    for _ in range(3):
        assert recipes(repo, "run", recipe, env=at).returncode == 1
    refused = recipes(repo, "run", recipe, env=at)
    assert refused.returncode == 2
    assert refused.stderr.startswith(
        f"repetend: error: {recipe}: not run: its circuit is open (3 failures in a row);"
        " it takes a trial use in 60 s, or use --force to run it anyway"
    )
    assert len(uses(repo)) == 3  # a refused run is no use
    later = {"REPETEND_CLOCK": (start + timedelta(seconds=61)).isoformat()}
    trial = recipes(repo, "run", recipe, env=later)
    assert trial.returncode == 1 and "quarantined: its half-open trial use failed" in trial.stderr
    assert (repo / ".repetend/patterns/quarantined" / f"{recipe}.yaml").exists()
    again = recipes(repo, "run", recipe, env=later)
    assert f"{recipe}: not run: it is quarantined" in again.stderr
    (repo / "ok.txt").write_text("")
    forced = recipes(repo, "run", recipe, "--force", env=later)
    assert forced.returncode == 0, forced.stderr
    assert [u["outcome"] for u in uses(repo)] == ["failure"] * 4 + ["success"]


def test_a_passed_trial_closes_the_circuit(repo: Path) -> None:
    recipe = write_recipe(repo, ["test -f ok.txt"])
    start = datetime.now(timezone.utc) + timedelta(hours=1)
    for _ in range(3):
        recipes(repo, "run", recipe, env={"REPETEND_CLOCK": start.isoformat()})
    (repo / "ok.txt").write_text("")
    later = {"REPETEND_CLOCK": (start + timedelta(seconds=61)).isoformat()}
    trial = recipes(repo, "run", recipe, env=later)
    assert trial.returncode == 0, trial.stderr
    assert "trial use passed; circuit closed" in trial.stderr
    shown = json.loads(recipes(repo, "show", recipe, "--json", env=later).stdout)
    assert shown["circuit"]["state"] == "closed"
    assert uses(repo)[-1]["evidence"]["trial"] is True


def test_json_keeps_stdout_for_the_result_and_a_timeout_is_a_failure(repo: Path) -> None:
    import time

    recipe = write_recipe(repo, ["echo from the step", "sleep 30; true"])  # sh waits on sleep
    began = time.monotonic()
    done = recipes(repo, "run", recipe, "--json", "--timeout", "0.5")
    assert time.monotonic() - began < 15  # the step's group is stopped, its sleep too
    assert done.returncode == 124
    result = json.loads(done.stdout)  # the step's own output went to stderr
    assert "from the step" in done.stderr
    assert (result["outcome"], result["failed_step"], result["why"]) == (
        "failure",
        2,
        "step 2 timed out",
    )


def test_bad_requests_are_one_line_and_run_nothing(repo: Path) -> None:
    recipe = write_recipe(repo, PASSING)
    missing = recipes(repo, "run", recipe)
    assert missing.stderr == (
        f"repetend: error: {recipe}: missing value(s) for message: give --set message=VALUE"
        f" (see `repetend recipes show {recipe}`)\n"
    )
    assert recipes(repo, "run", recipe, "--set", "oops").stderr == (
        "repetend: error: --set 'oops': expected NAME=VALUE\n"
    )
    assert "no recipe 'AUTO-nope'" in recipes(repo, "run", "AUTO-nope").stderr
    assert uses(repo) == []


def test_a_draft_is_not_run_until_approved(repo: Path) -> None:
    recipe = write_recipe(repo, ["touch ran"], status="draft")
    done = recipes(repo, "run", recipe)
    assert done.returncode == 2
    assert f"{recipe}: not run: it is draft, not approved" in done.stderr
    assert not (repo / "ran").exists()


def test_list_and_show_say_what_runs_and_what_cannot(repo: Path) -> None:
    recipe = write_recipe(repo, PASSING)
    shown = json.loads(recipes(repo, "show", recipe, "--json").stdout)
    assert shown["steps"] == PASSING and shown["variables"] == ["message"]
    listed = json.loads(recipes(repo, "list", "--json").stdout)
    assert [(r["id"], r["runnable"], r["steps"]) for r in listed] == [(recipe, "yes", 2)]
    spec = repo / ".repetend/patterns/approved" / f"{recipe}.yaml"
    spec.write_text(spec.read_text().replace("run:", "old_run:"))  # an agent's edit remains
    text = spec.read_text().replace("- printf\n- test\n", "- Edit *.py\n- pytest\n")
    spec.write_text(text)
    [row] = json.loads(recipes(repo, "list", "--json").stdout)
    assert row["runnable"] == "no"
    assert row["why_not"].startswith("step 1 ('Edit *.py') is an agent's tool use, not a command")


def test_a_habit_mined_by_analyze_and_approved_runs_as_a_recipe(repo: Path) -> None:
    from tests.capture.git.gitrepo import repetend
    from tests.sequences.conftest import session_lines

    habit: list[tuple[str, float | None]] = [
        ("touch ran-one", 20.0),
        ("tool:Bash touch ran-two", None),
    ]
    rows = [row for n in range(12) for row in session_lines(f"s{n}", [habit, habit])]
    (repo / "events.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    repetend(repo, "ingest", "jsonl", "events.jsonl")
    found = json.loads(repetend(repo, "analyze", "--json").stdout)["patterns"]
    [pattern] = [p for p in found if p["steps"] == ["touch ran-one", "Bash: touch ran-two"]]
    assert recipes(repo, "run", pattern["id"]).returncode == 2  # a draft: review it first
    repetend(repo, "candidates", "approve", pattern["id"])
    plan = recipes(repo, "run", pattern["id"], "--dry-run").stdout.splitlines()
    assert plan[1:] == ["  1. touch ran-one", "  2. touch ran-two"]  # the agent's shell, too
    done = recipes(repo, "run", pattern["id"])
    assert done.returncode == 0, done.stderr
    assert (repo / "ran-one").exists() and (repo / "ran-two").exists()
    assert [u["outcome"] for u in uses(repo)] == ["success"]


def test_validate_checks_a_recipes_run_list(repo: Path) -> None:
    from tests.capture.git.gitrepo import repetend

    recipe = write_recipe(repo, PASSING, defaults={"message": "hello"})
    assert repetend(repo, "validate", check=False).returncode == 0
    assert recipes(repo, "run", recipe).returncode == 0  # the default fills `message`
    assert (repo / "note.txt").read_text() == "hello\n"
    write_recipe(repo, [""])
    done = repetend(repo, "validate", check=False)
    assert done.returncode == 1 and f"{recipe}.yaml:run.0: " in done.stdout
    refused = recipes(repo, "run", recipe)
    assert refused.returncode == 2
    assert (
        f"{recipe}.yaml:run.0: expected a command line (or a mapping with run:)" in refused.stderr
    )


def test_an_execution_pattern_runs_its_fixed_command_with_its_fixed_inputs(repo: Path) -> None:
    import repetend
    from tests.capture.git.gitrepo import repetend as cli

    for n in range(3):
        with repetend.record(
            "deploy", inputs={"command": "touch deployed-{{ env }}", "env": "staging", "n": n}
        ):
            pass
    [draft] = json.loads(cli(repo, "candidates", "list", "--json").stdout)
    assert draft["kind"] == "execution"
    cli(repo, "candidates", "approve", draft["id"])
    shown = json.loads(recipes(repo, "show", draft["id"], "--json").stdout)
    assert shown["steps"] == ["touch deployed-{{ env }}"]
    assert shown["defaults"]["env"] == "staging"  # a fixed input is the default value
    done = recipes(repo, "run", draft["id"], "--set", "env=production")
    assert done.returncode == 0, done.stderr
    assert (repo / "deployed-production").exists()
    assert recipes(repo, "run", draft["id"]).returncode == 0
    assert (repo / "deployed-staging").exists()


def confirm_on_a_terminal(repo: Path, recipe: str, answer: str) -> tuple[int, str]:
    """`recipes run` with a real terminal as its stdin, answering the question with `answer`."""
    import os
    import pty
    import subprocess
    import sys

    leader, follower = pty.openpty()
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "recipes", "run", recipe],
        cwd=repo,
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    os.close(follower)
    os.write(leader, f"{answer}\n".encode())
    _, err = process.communicate(timeout=60)
    os.close(leader)
    return process.returncode, err


def test_on_a_terminal_the_destructive_steps_are_asked_about(repo: Path) -> None:
    recipe = write_recipe(repo, ["touch first", "rm -rf build"])
    (repo / "build").mkdir()
    status, err = confirm_on_a_terminal(repo, recipe, "n")
    assert status == 2 and "(step 2: rm -rf in 'rm -rf build'). Run it? [y/N]" in err
    assert "not run: the destructive steps were not confirmed" in err
    assert not (repo / "first").exists() and uses(repo) == []
    status, err = confirm_on_a_terminal(repo, recipe, "y")
    assert status == 0, err
    assert (repo / "first").exists() and not (repo / "build").exists()
    assert [u["outcome"] for u in uses(repo)] == ["success"]


def test_time_saved_is_measured_from_the_same_steps_done_by_hand(repo: Path) -> None:
    from tests.capture.git.gitrepo import repetend

    start = datetime.now(timezone.utc) - timedelta(hours=2)
    rows = []
    for n in range(6):
        at = start + timedelta(minutes=10 * n)
        steps = [("git status", 0), ("make lint", 5), ("make docs", 40)]
        if n == 0:  # a step repeated back to back counts once, as the miner counts it
            steps.insert(2, ("make lint", 20))
        for command, offset in steps:
            rows.append(
                {
                    "kind": "command",
                    "session": f"s{n}",
                    "command": command,
                    "time": (at + timedelta(seconds=offset)).isoformat(),
                    "duration_ms": 2000.0,
                }
            )
    (repo / "by-hand.jsonl").write_text("".join(json.dumps(row) + "\n" for row in rows))
    repetend(repo, "ingest", "jsonl", "by-hand.jsonl")
    recipe = write_recipe(repo, ["true", "true"], steps=["make lint", "make docs"])
    assert recipes(repo, "run", recipe).returncode == 0
    [use] = uses(repo)
    source = use["evidence"]["seconds_source"]
    assert source.startswith("measured: median of 6 run(s) by hand (37.0 s) less this run's")
    assert 36.0 < use["seconds_saved"] <= 37.0  # 35 s apart, the last step took 2 s


def test_an_interrupted_run_stops_its_step_and_is_not_recorded(repo: Path) -> None:
    import signal
    import subprocess
    import sys
    import time

    recipe = write_recipe(repo, ["touch started && sleep 30", "touch never"])
    process = subprocess.Popen(
        [sys.executable, "-m", "repetend", "recipes", "run", recipe],
        cwd=repo,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A test runner started in the background may pass SIGINT on ignored: not to this one.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    deadline = time.monotonic() + 30
    while not (repo / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    began = time.monotonic()
    process.send_signal(signal.SIGINT)  # to repetend alone, as `kill -INT` sends it
    _, err = process.communicate(timeout=20)
    assert process.returncode == 130 and "repetend: error: interrupted" in err
    assert time.monotonic() - began < 10  # the step did not run its 30 s
    assert not (repo / "never").exists() and uses(repo) == []
