"""`apply` names every missing variable at once, and on a terminal asks for them."""

from __future__ import annotations

import os
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from repetend.cli import cli, main
from tests.cli.conftest import sensor_module
from tests.cli.test_templates import run_json, template_id


@pytest.fixture
def sensor_template(sensors: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """The id of the template learned from the sensor modules (variables slug and name)."""
    run_json(capsys, "mine", ".")
    found = template_id(capsys, "sensors/{{ slug }}.py")
    capsys.readouterr()
    return found


def test_every_missing_variable_is_named_at_once_with_its_examples(
    sensor_template: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["apply", sensor_template]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1
    assert "missing 2 required variables" in error
    assert "'slug' (--set slug=…; examples: 'air_quality'" in error
    assert "'name' (--set name=…; examples: 'Air quality'" in error


def test_asked_for_the_missing_values_it_writes_the_file(
    sensors: Path, sensor_template: str
) -> None:
    result = CliRunner().invoke(cli, ["apply", sensor_template, "--ask"], input="fan\nFan\n")
    assert result.exit_code == 0, result.output
    assert "slug (e.g. 'air_quality', 'door_lock', 'motion_sensor'):" in result.stderr
    assert "name (e.g. 'Air quality'," in result.stderr
    assert result.stdout == "wrote sensors/fan.py\n"
    assert (sensors / "sensors" / "fan.py").read_text() == sensor_module("fan", "Fan")


def test_only_the_missing_values_are_asked(sensors: Path, sensor_template: str) -> None:
    result = CliRunner().invoke(
        cli, ["apply", sensor_template, "--ask", "--set", "slug=fan"], input="Fan\n"
    )
    assert result.exit_code == 0, result.output
    assert "slug (" not in result.stderr
    assert (sensors / "sensors" / "fan.py").read_text() == sensor_module("fan", "Fan")


def test_no_ask_keeps_the_error_on_a_terminal(sensor_template: str) -> None:
    result = CliRunner().invoke(cli, ["apply", sensor_template, "--no-ask"], input="fan\nFan\n")
    assert result.exit_code == 2
    assert "missing 2 required variables" in result.stderr


def test_on_a_real_terminal_it_asks_without_being_told(sensors: Path, sensor_template: str) -> None:
    leader, follower = os.openpty()
    child = subprocess.Popen(
        [sys.executable, "-m", "repetend", "apply", sensor_template],
        stdin=follower,
        stdout=follower,
        stderr=follower,
    )
    os.close(follower)
    os.write(leader, b"lamp\nLamp\n")  # the terminal keeps the lines until they are read
    shown = _read_until_closed(leader)
    assert child.wait(timeout=60) == 0, shown
    assert "slug (e.g." in shown and "wrote sensors/lamp.py" in shown
    assert (sensors / "sensors" / "lamp.py").read_text() == sensor_module("lamp", "Lamp")


def _read_until_closed(leader: int, timeout: float = 60) -> str:
    chunks = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not select.select([leader], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # EIO: the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return b"".join(chunks).decode(errors="replace")
