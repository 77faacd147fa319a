"""What `repetend mine` prints: its own table, not a notifier line per family as well."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from repetend.cli import main
from tests.plugins.conftest import InstallPlugin, install_plugin  # noqa: F401 - a fixture

LISTENER = """
from repetend.plugins import hookimpl

HEARD = []

@hookimpl
def repetend_notify(notification, config):
    HEARD.append((notification.message, notification.caller_reports))
"""


def test_mine_prints_the_table_and_no_line_per_new_pattern(sensors: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "mine", "."],
        cwd=sensors,
        capture_output=True,
        text=True,
        check=True,
    )
    assert "sensors/{{ slug }}.py" in done.stdout
    assert "manifests/{{ slug }}.json" in done.stdout
    assert "2 families, 2 relearned." in done.stdout
    assert "Specs are under .repetend/patterns/; see `repetend templates show ID`." in done.stdout
    assert "new pattern" not in done.stdout + done.stderr
    assert len(list((sensors / ".repetend" / "patterns" / "drafts").glob("*.yaml"))) == 2


def test_a_third_party_notifier_still_hears_each_new_pattern(
    sensors: Path,
    install_plugin: InstallPlugin,  # noqa: F811 - the fixture imported above
    capsys: pytest.CaptureFixture[str],
) -> None:
    install_plugin("plug-listener", LISTENER)
    assert main(["mine", "."]) == 0
    import plug_listener  # type: ignore[import-not-found]

    messages = [message for message, _ in plug_listener.HEARD]
    assert len(messages) == 2
    assert all(message.startswith("new pattern AUTO-") for message in messages)
    assert all(caller_reports for _, caller_reports in plug_listener.HEARD)
    assert "new pattern" not in capsys.readouterr().err
