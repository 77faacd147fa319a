"""A repository with a family of sensor integrations, committed with real git."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

SENSORS = {
    "air_quality": ("Air quality", ["air", "health"]),
    "door_lock": ("Door lock", ["security"]),
    "motion_sensor": ("Motion sensor", ["security", "presence"]),
    "smart_plug": ("Smart plug", ["power"]),
}


def sensor_module(slug: str, title: str) -> str:
    """A Python module of the family: the slug appears as snake, Pascal and kebab case."""
    pascal = "".join(word.capitalize() for word in slug.split("_"))
    return (
        f'"""The {title} integration."""\n\n'
        "from homeauto import Entity, register\n\n"
        f'DOMAIN = "{slug}"\n\n\n'
        "@register\n"
        f"class {pascal}(Entity):\n"
        f'    name = "{title}"\n'
        f'    url = "https://example.com/{slug.replace("_", "-")}"\n'
    )


def git(root: Path, *args: str) -> None:
    """Run git in `root`, quietly."""
    subprocess.run(["git", *args], cwd=root, check=True, capture_output=True)


@pytest.fixture
def sensors(repo: Path) -> Path:
    """The repo, with four sensor modules and manifests, and files that must not be mined."""
    for slug, (title, tags) in SENSORS.items():
        (repo / "sensors").mkdir(exist_ok=True)
        (repo / "sensors" / f"{slug}.py").write_text(sensor_module(slug, title))
        manifest = {"name": title, "domain": slug, "tags": tags}
        (repo / "manifests").mkdir(exist_ok=True)
        (repo / "manifests" / f"{slug}.json").write_text(json.dumps(manifest, indent=2) + "\n")
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "ignored").mkdir()
    for n in range(3):
        (repo / "ignored" / f"copy{n}.py").write_text(sensor_module(f"copy{n}", "Copy"))
    (repo / ".env").write_text("TOKEN=abc\n")
    (repo / "sensors" / "__init__.py").write_text("")
    (repo / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0\0binary")
    (repo / "big.txt").write_text("x" * (1024 * 1024 + 1))
    os.symlink("/etc/hostname", repo / "outside")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "sensors")
    return repo


Step = tuple[str, str, str, tuple[str, str] | None]  # name, `uses` or `run`, value, `with:` entry
WORKFLOWS: dict[str, list[Step]] = {
    "lint": [
        ("Check out", "uses", "actions/checkout@v4", None),
        ("Lint", "run", "make lint", None),
    ],
    "test": [
        ("Check out", "uses", "actions/checkout@v4", None),
        ("Set up Python", "uses", "actions/setup-python@v5", ("python-version", "'3.12'")),
        ("Test", "run", "pytest -q", None),
    ],
    "docs": [
        ("Check out", "uses", "actions/checkout@v4", None),
        ("Build docs", "run", "make docs", None),
        ("Publish", "uses", "actions/upload-pages-artifact@v3", ("path", "site")),
    ],
    "build": [("Check out", "uses", "actions/checkout@v4", None), ("Build", "run", "make", None)],
    "release": [
        ("Check out", "uses", "actions/checkout@v4", ("fetch-depth", "0")),
        ("Release", "run", "make release", None),
    ],
}


# A top-level key only some workflows have (and with a different value in each)
RUN_NAMES = {"lint": "Lint by ${{ github.actor }}", "test": "Tests of ${{ github.sha }}"}


def workflow(slug: str, steps: list[Step], run_name: str = "") -> str:
    """A GitHub workflow whose steps differ in number, keys and `with:` blocks."""
    body = ""
    for name, key, value, with_ in steps:
        body += f"      - name: {name}\n        {key}: {value}\n"
        if with_:
            body += f"        with:\n          {with_[0]}: {with_[1]}\n"
    top = f"name: {slug.capitalize()}\n" + (f"run-name: {run_name}\n" if run_name else "")
    return (
        f"{top}\non:\n  push:\n    branches: [main]\n\n"
        f"jobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n{body}"
    )


@pytest.fixture
def workflows(repo: Path) -> Path:
    """The repo, with five workflows whose steps differ, committed."""
    (repo / "workflows").mkdir()
    for slug, steps in WORKFLOWS.items():
        text = workflow(slug, steps, RUN_NAMES.get(slug, ""))
        (repo / "workflows" / f"{slug}.yml").write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "workflows")
    return repo
