"""The documentation names every setting with its real default."""

from __future__ import annotations

import re

from repetend.config import SETTINGS
from tests.conftest import REPO_ROOT


def test_configuration_reference_lists_every_setting_with_its_default() -> None:
    page = (REPO_ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| `([^`]*)` \|", page, re.M))
    assert set(rows) == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        shown = {"": '""', "[]": "[]"}.get(str(setting.default), str(setting.default))
        assert rows[setting.name] in (shown, str(setting.default)), setting.name
        assert f"`{setting.env_var}`" in page


def _setup_blocks() -> list[str]:
    readme = (REPO_ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Set up", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^```console\n(.*?)^```", section, re.M | re.S)


def test_the_readme_sets_up_in_a_virtual_environment_and_mines_the_users_repository() -> None:
    use, develop = _setup_blocks()  # exactly two set-up blocks
    for block in (use, develop):
        assert block.startswith("python3 -m venv "), block
    assert "cd " in use and use.rstrip().endswith("repetend mine .")
    assert develop.splitlines()[-1] == 'python -m pip install -e ".[test]" && python -m pytest'


def test_ci_runs_the_readmes_test_install_word_for_word() -> None:
    ci = (REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    install, test = _setup_blocks()[1].splitlines()[-1].split(" && ")
    assert install in ci and test in ci
