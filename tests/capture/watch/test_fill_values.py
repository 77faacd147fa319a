"""The watcher offers to fill only what a learned template can render, asking for the rest."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.capture.git.gitrepo import commit, repetend, write
from tests.capture.watch.test_fill import PROMPT, Terminal
from tests.cli.conftest import SENSORS, WORKFLOWS, sensor_module, workflow


def approve(root: Path, pattern: str) -> str:
    """Approve the template `repetend mine` learned for `pattern`; return its id."""
    listed = json.loads(repetend(root, "templates", "list", "--json").stdout)
    found = next(str(t["id"]) for t in listed if t["path_pattern"] == pattern)
    repetend(root, "candidates", "approve", found)
    return found


@pytest.fixture
def learned(repo: Path) -> tuple[Path, str, str]:
    """Sensor modules (slug from the path, name in the text) and workflows (a list of steps)."""
    for slug, (title, _) in SENSORS.items():
        write(repo, f"sensors/{slug}.py", sensor_module(slug, title))
    for slug, steps in WORKFLOWS.items():
        write(repo, f"workflows/{slug}.yml", workflow(slug, steps))
    commit(repo, "families", ".")
    repetend(repo, "mine", ".")
    sensors = approve(repo, "sensors/{{ slug }}.py")
    workflows = approve(repo, "workflows/{{ slug }}.yml")
    return repo, sensors, workflows


@pytest.fixture
def terminal(learned: tuple[Path, str, str]) -> Iterator[Terminal]:
    session = Terminal(learned[0])
    yield session
    if session.process.poll() is None:
        session.close()


def test_yes_asks_for_what_the_path_does_not_give_and_fills_the_file(
    learned: tuple[Path, str, str], terminal: Terminal
) -> None:
    root, sensors, _ = learned
    write(root, "sensors/gamma_ray.py", "")
    shown = terminal.expect(f"Fill sensors/gamma_ray.py from {sensors}? {PROMPT}")
    assert f"run:      repetend apply {sensors} --set slug=gamma_ray" in shown
    assert "needs:    name" in shown
    terminal.type("show\n")
    terminal.expect("would write sensors/gamma_ray.py")
    terminal.expect(PROMPT)
    terminal.type("y\n")
    terminal.expect("name (e.g. 'Air quality', 'Door lock', 'Motion sensor'): ")
    terminal.type("Gamma ray\n")
    terminal.expect("wrote sensors/gamma_ray.py")
    assert (root / "sensors/gamma_ray.py").read_text() == sensor_module("gamma_ray", "Gamma ray")


def test_no_offer_for_a_template_that_needs_a_list_of_items(
    learned: tuple[Path, str, str], terminal: Terminal
) -> None:
    root, sensors, workflows = learned
    write(root, "workflows/deploy.yml", "")
    output = terminal.expect(f"matches template {workflows}")
    write(root, "sensors/lamp.py", "")  # the next offer shows that none came for deploy.yml
    output += terminal.expect(PROMPT)
    assert "Fill workflows/deploy.yml" not in output
    assert f"Fill sensors/lamp.py from {sensors}?" in output
    assert (root / "workflows/deploy.yml").read_text() == ""
