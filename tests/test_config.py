"""Configuration: defaults, files, environment, errors, the kill switch."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from repetend.cli import cli
from repetend.config import load_config
from repetend.errors import ConfigError
from repetend.settings import SETTINGS


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def test_defaults_are_the_seeds_thresholds(repo: Path) -> None:
    config = load_config()
    assert config.root == repo
    assert config.min_examples == 3
    assert config.lookback_days == 30
    assert config.retention_days == 90
    assert config.auto_approve_threshold == 0.75
    assert config.similarity_threshold == 0.75
    assert config.store_path == repo / ".repetend" / "repetend.db"
    assert set(config.sources.values()) == {"default"}


def test_later_sources_win_and_each_value_names_its_source(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(repo / "pyproject.toml", "[tool.repetend]\nmin_examples = 4\nlookback_days = 7\n")
    write(repo / ".repetend" / "config.yaml", "min_examples: 5\n")
    monkeypatch.setenv("REPETEND_RETENTION_DAYS", "10")
    (repo / "sub").mkdir()
    config = load_config(repo / "sub")
    assert config.root == repo
    assert (config.min_examples, config.lookback_days, config.retention_days) == (5, 7, 10)
    assert config.sources["min_examples"] == ".repetend/config.yaml"
    assert config.sources["lookback_days"] == "pyproject.toml [tool.repetend]"
    assert config.sources["retention_days"] == "environment REPETEND_RETENTION_DAYS"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.repetend]\nmin_exampels = 3\n", "unknown key 'min_exampels'"),
        ("[tool.repetend]\nmin_examples = 'three'\n", "min_examples = 'three' is not valid"),
        ("[tool.repetend]\nauto_approve_threshold = 1.5\n", "out of range"),
        ("[tool.repetend]\nmin_examples = true\n", "expected an integer"),
        ("[tool.repetend\n", "cannot be read as TOML"),
    ],
)
def test_bad_pyproject_is_one_line_naming_file_and_key(repo: Path, text: str, message: str) -> None:
    write(repo / "pyproject.toml", text)
    with pytest.raises(ConfigError, match=r"pyproject\.toml") as raised:
        load_config()
    assert message in str(raised.value)
    assert "\n" not in str(raised.value)


def test_bad_config_exits_2_with_one_line(repo: Path) -> None:
    write(repo / ".repetend" / "config.yaml", "similarity_threshold: high\n")
    result = CliRunner().invoke(cli, ["config"])
    assert result.exit_code == 2
    assert result.stderr.strip() == (
        "repetend: error: .repetend/config.yaml: similarity_threshold = 'high' is not valid"
        " (expected a number from 0 to 1)"
    )


def test_bad_environment_value_names_the_variable(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_MIN_EXAMPLES", "1")
    with pytest.raises(ConfigError, match="environment REPETEND_MIN_EXAMPLES: min_examples"):
        load_config()


def test_yaml_that_is_not_a_mapping_is_refused(repo: Path) -> None:
    write(repo / ".repetend" / "config.yaml", "- a\n- b\n")
    with pytest.raises(ConfigError, match="expected a mapping"):
        load_config()


def test_list_settings_come_from_comma_separated_environment(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("REPETEND_REDACT_KEYS", "pin, otp")
    assert load_config().redact_keys == ["pin", "otp"]


@pytest.mark.parametrize("variable", ["REPETEND_DISABLE", "DISABLE_PATTERN_AUTOMATION"])
def test_kill_switch_is_reported_by_commands(
    repo: Path, monkeypatch: pytest.MonkeyPatch, variable: str
) -> None:
    monkeypatch.setenv(variable, "1")
    config = load_config()
    assert config.disabled and config.disabled_by == variable
    result = CliRunner().invoke(cli, ["detect"])
    assert result.exit_code == 0
    assert f"repetend is off ({variable}=1)" in result.stderr


def test_config_command_lists_every_setting_with_json(repo: Path) -> None:
    write(repo / "pyproject.toml", "[tool.repetend]\nmin_examples = 4\n")
    result = CliRunner().invoke(cli, ["config", "--json"])
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert set(data) == {s.name for s in SETTINGS}
    assert data["min_examples"] == {"value": 4, "source": "pyproject.toml [tool.repetend]"}


PROBE_CONFIG = """
import sys
from repetend.config import load_config
config = load_config()
print(config.min_examples, config.sources["min_examples"], "yaml" in sys.modules)
"""


def test_the_config_file_is_parsed_once_and_again_only_when_it_changes(repo: Path) -> None:
    def probe() -> str:
        done = subprocess.run(
            [sys.executable, "-c", PROBE_CONFIG], capture_output=True, text=True, check=True
        )
        return done.stdout.strip()

    write(repo / ".repetend" / "config.yaml", "min_examples: 4  # four\n")
    assert probe() == "4 .repetend/config.yaml True"  # parsed, and remembered
    assert probe() == "4 .repetend/config.yaml False"  # the same bytes: PyYAML not needed
    write(repo / ".repetend" / "config.yaml", "min_examples: 5\n")
    assert probe() == "5 .repetend/config.yaml True"
    cache = repo / ".repetend" / "cache" / "config.yaml.json"
    cache.write_text("{damaged", encoding="utf-8")
    assert probe() == "5 .repetend/config.yaml True"
    assert subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=all"],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.splitlines() == ["?? .repetend/config.yaml"]  # the cache stays out of git


def test_a_user_config_sits_below_the_repository_s(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "xdg" / "repetend" / "config.yaml"
    write(user, "min_examples: 6\nlookback_days: 9\nstrict: true\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    write(repo / ".repetend" / "config.yaml", "min_examples: 4\n")
    config = load_config()
    assert (config.min_examples, config.lookback_days, config.strict) == (4, 9, True)
    assert config.sources["min_examples"] == ".repetend/config.yaml"
    assert config.sources["lookback_days"] == str(user)
    shown = CliRunner().invoke(cli, ["config"]).stdout
    assert str(user) in shown


def test_a_bad_user_config_names_its_file(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    user = tmp_path / "xdg" / "repetend" / "config.yaml"
    write(user, "min_examples: [\n")
    with pytest.raises(ConfigError) as raised:
        load_config()
    assert str(raised.value).startswith(f"{user}: cannot be read as YAML")


@pytest.mark.parametrize(
    ("key", "hint"),
    [
        ("similarity_treshold", "did you mean 'similarity_threshold'?"),
        ("min_exampels", "did you mean 'min_examples'?"),
        ("colour", "expected one of: "),
    ],
)
def test_a_misspelt_key_gets_a_did_you_mean(repo: Path, key: str, hint: str) -> None:
    write(repo / ".repetend" / "config.yaml", f"{key}: 1\n")
    with pytest.raises(ConfigError) as raised:
        load_config()
    assert str(raised.value).startswith(f".repetend/config.yaml: unknown key {key!r} ({hint}")
