"""The commit check through real git commits: it names the lines a new file lacks, and only
from approved templates."""

from __future__ import annotations

import json
from pathlib import Path

from tests.capture.git.gitrepo import commit, repetend, run, spool_empty, wait_for, write

MODULE = '''"""The {title} sensor."""

import logging

from app.base import Sensor, register

_LOGGER = logging.getLogger(__name__)


@register
@dataclass
class {cls}Sensor(Sensor):
    name = "{name}"
'''


def module(name: str) -> str:
    return MODULE.format(name=name, title=name.title(), cls=name.title())


def three_sensors(repo: Path) -> str:
    repetend(repo, "hooks", "install")
    write(repo, "README.md", "app\n")
    commit(repo, "start")
    for name in ("alpha", "beta", "gamma"):
        write(repo, f"sensors/{name}.py", module(name))
        assert commit(repo, f"add {name}").returncode == 0
    wait_for(lambda: spool_empty(repo))
    [template] = json.loads(repetend(repo, "templates", "list", "--json").stdout)
    return str(template["id"])


def commit_without_a_decorator(repo: Path) -> str:
    write(repo, "sensors/delta.py", module("delta").replace("@dataclass\n", ""))
    run(repo, "git", "add", "sensors/delta.py")
    done = run(repo, "git", "commit", "-q", "-m", "add delta", check=False)
    assert done.returncode == 0  # a warning, not a block (strict is off)
    return done.stderr


def test_a_missing_decorator_is_the_only_line_reported(repo: Path) -> None:
    tid = three_sensors(repo)
    repetend(repo, "candidates", "approve", tid, "--note", "yes")
    warned = commit_without_a_decorator(repo)
    assert "sensors/delta.py: missing '@dataclass' required by template" in warned
    assert "import logging" not in warned
    assert "'class" not in warned
    assert warned.count("missing") == 1


def test_a_draft_template_does_not_warn(repo: Path) -> None:
    three_sensors(repo)
    assert "missing" not in commit_without_a_decorator(repo)
