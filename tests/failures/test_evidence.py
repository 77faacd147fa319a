"""Failure evidence from `repetend run`: what is kept of stderr, redacted, masked, bounded."""

from __future__ import annotations

import json
import os
import pty
import sys
from pathlib import Path

from tests.capture.conftest import stored_events
from tests.failures.conftest import run

NOISY = (
    "import sys\n"
    "for n in range(5000):\n"
    "    sys.stderr.write(f'progress {n} of 5000 at 12:00:{n % 60:02d}\\n')\n"
    "sys.stderr.write('Traceback (most recent call last):\\n')\n"
    "sys.stderr.write('  File \"/home/alice/secret-project/app.py\", line 9\\n')\n"
    "sys.stderr.write(\"KeyError: 'DATABASE_URL' (password=hunter2 at 0x7f3a2b)\\n\")\n"
    "sys.exit(2)\n"
)


def test_a_failed_command_keeps_a_small_redacted_masked_signature_of_its_stderr_end(
    repo: Path,
) -> None:
    done = run(repo, "run", "--", sys.executable, "-c", NOISY)
    assert done.returncode == 2
    assert done.stderr.count("progress") == 5000  # everything passed through
    (event,) = stored_events(repo, "run")
    failure = event.payload["failure"]
    assert failure["message"] == "KeyError: '{key}' (password=[REDACTED] at <hex>)"
    assert failure["values"] == {"key": "DATABASE_URL"}
    assert failure["type"] == "KeyError"
    assert len(failure["lines"]) == 5
    text = json.dumps(failure)
    assert "hunter2" not in text and "alice" not in text  # redacted; the path masked
    assert len(text) < 2000  # bounded: never the whole output
    again = run(repo, "run", "--", sys.executable, "-c", NOISY.replace("DATABASE_URL", "HOME_DIR"))
    assert again.returncode == 2
    first, second = (e.payload["failure"]["signature"] for e in stored_events(repo, "run"))
    assert first == second  # another key, the same failure


def test_a_passing_command_keeps_nothing_and_failure_evidence_false_leaves_stderr_alone(
    repo: Path,
) -> None:
    assert run(repo, "run", "--", sys.executable, "-c", "import sys; sys.stderr.write('hi\\n')")
    (event,) = stored_events(repo, "run")
    assert "failure" not in event.payload
    (repo / ".repetend" / "config.yaml").write_text("failure_evidence: false\n")
    done = run(repo, "run", "--", sys.executable, "-c", "import sys; sys.exit('boom')")
    assert (done.returncode, done.stderr) == (1, "boom\n")
    failed = stored_events(repo, "run")[-1].payload["failure"]
    assert failed["message"] == "exit status 1"  # the exit status is all it has


def test_the_command_still_sees_a_terminal_on_stderr_when_repetend_has_one(repo: Path) -> None:
    code = "import sys; print(sys.stderr.isatty(), file=sys.stderr); sys.exit(3)"
    pid, terminal = pty.fork()
    if pid == 0:
        os.chdir(repo)
        os.execv(
            sys.executable,
            [sys.executable, "-m", "repetend", "run", "--", sys.executable, "-c", code],
        )
    output = b""
    while True:
        try:
            chunk = os.read(terminal, 4096)
        except OSError:
            break
        if not chunk:
            break
        output += chunk
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 3
    assert b"True" in output
    (event,) = stored_events(repo, "run")
    assert event.payload["failure"]["message"] == "True"


def test_a_failure_in_a_repository_that_did_not_opt_in_creates_nothing_there(
    tmp_path: Path,
) -> None:
    import subprocess

    plain = tmp_path / "plain"
    plain.mkdir()
    subprocess.run(["git", "init", "-q", str(plain)], check=True)
    done = run(plain, "run", "--", sys.executable, "-c", "import sys; sys.exit('no')")
    assert done.returncode == 1
    done = run(plain, "run", "--", sys.executable, "-c", "pass")
    assert done.returncode == 0
    assert not (plain / ".repetend").exists()
