"""Planted secrets never reach a spool, the store or a spec; secret files are never mined."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from repetend.cli import main
from repetend.redact import REDACTED, is_secret_key, redact_text, redact_value

STRIPE = "sk_live_" + "4eC39HqLyjWDarjtT1zdp7dc"
NPM = "npm_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("sshpass -p hunter22 ssh deploy@host", "hunter22"),
        ("DB_PASS=swordfish ./manage.py migrate", "swordfish"),
        ("export db_pwd='two words'", "two words"),
        (f"npm config set //registry.npmjs.org/:_authToken {NPM}", NPM),
        (f"charge --key {STRIPE}", STRIPE),
        (f'{{"password_hash": "x", "db_pass": "{STRIPE[:10]}"}}', STRIPE[:10]),
        ("ANTHROPIC_API_KEY=sk-ant-api03-" + "b" * 40, "b" * 40),
    ],
)
def test_secrets_in_text_are_masked(text: str, secret: str) -> None:
    masked = redact_text(text)
    assert secret not in masked and REDACTED in masked


@pytest.mark.parametrize("name", ["db_pass", "DB_PASS", "pwd", "dbPwd", "api_key", "key_pass"])
def test_secret_key_names(name: str) -> None:
    assert is_secret_key(name)


@pytest.mark.parametrize("name", ["author", "bypass", "compass", "passthrough", "path"])
def test_ordinary_key_names(name: str) -> None:
    assert not is_secret_key(name)


def test_the_item_after_a_secret_flag_is_masked_whatever_it_looks_like() -> None:
    args = ["deploy", "--token", "plainword", "-v", "--password", "x", "--name", "web"]
    assert redact_value({"args": args}) == {
        "args": ["deploy", "--token", REDACTED, "-v", "--password", REDACTED, "--name", "web"]
    }


def test_values_are_looked_at_as_well_as_names() -> None:
    assert redact_value({"note": f"paid with {STRIPE}", "list": [NPM]}) == {
        "note": f"paid with {REDACTED}",
        "list": [REDACTED],
    }


RECORD = """
import repetend
for n in range(4):
    inputs = {{"db_pass": "{v}", "pwd": "{v}", "args": ["--token", "{w}"], "target": f"t{{n}}"}}
    with repetend.record("deploy", inputs=inputs):
        pass
"""


def test_recorded_secrets_never_reach_the_store_or_a_spec(repo: Path) -> None:
    secret_v, secret_w = "Vv-not-a-pattern-1", "Ww-not-a-pattern-2"
    program = RECORD.format(v=secret_v, w=secret_w)
    subprocess.run([sys.executable, "-c", program], cwd=repo, check=True)
    assert main(["detect"]) == 0
    written = [p.read_bytes() for p in (repo / ".repetend").rglob("*") if p.is_file()]
    assert list((repo / ".repetend" / "patterns").rglob("*.yaml"))  # a draft was written
    for blob in written:
        assert secret_v.encode() not in blob and secret_w.encode() not in blob


SECRET_FILES = (
    "secrets.dev.yml",
    "id_rsa_dev",
    ".npmrc",
    ".pypirc",
    ".git-credentials",
    "kubeconfig",
    ".docker/config.json",
    "terraform.tfvars",
)


def test_files_named_or_shaped_like_secrets_are_never_mined(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in SECRET_FILES:
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(f"name: {name}\nvalue: plain\nother: 1\n")
    for n in range(4):  # a family whose members hold a live key: flagged by their content
        (repo / "billing").mkdir(exist_ok=True)
        (repo / "billing" / f"shop{n}.yml").write_text(f"shop: s{n}\nstripe_key: {STRIPE}\n")
    subprocess.run(["git", "add", "-A"], cwd=repo, check=True)
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"]["secret"] == len(SECRET_FILES) + 4
    assert report["families"] == []
    for spec in (repo / ".repetend" / "patterns").rglob("*"):
        if spec.is_file():
            assert STRIPE not in spec.read_text()
