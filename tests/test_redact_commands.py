"""Secrets in command lines, as the shell integration and `repetend run` see them."""

from __future__ import annotations

import pytest

from repetend.redact import _TEXT_PATTERNS, redact_text


@pytest.mark.parametrize(
    ("command", "secret"),
    [
        ("mysql --password=hunter2 db", "hunter2"),
        ("mysql --password hunter2 db", "hunter2"),
        ("mysql -u root -phunter2 db", "hunter2"),
        ("export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz012345", "ghp_abcdefghij"),
        ("AWS_SECRET_ACCESS_KEY=abc/def+ghi aws s3 ls", "abc/def+ghi"),
        ("DB_PASSWORD='two words' ./migrate", "two words"),
        ("git clone https://alice:s3cret@example.com/repo.git", "s3cret"),
        ("curl -u alice:hunter2 https://example.com", "hunter2"),
        ("curl -H 'X-Api-Key: abcdef123456' https://example.com", "abcdef123456"),
        ("curl -H 'Authorization: Bearer abcdefghijklmnop' https://x", "abcdefghijklmnop"),
        ("docker login -u bob -p s3cr3tpass registry.example.com", "s3cr3tpass"),
        ("http --auth user:pass123 example.com", "pass123"),
    ],
)
def test_secrets_in_command_lines_are_masked(command: str, secret: str) -> None:
    masked = redact_text(command)
    assert secret not in masked
    assert "[REDACTED]" in masked


@pytest.mark.parametrize(
    "command",
    ["git commit -m 'fix: secret handling'", "curl -u alice https://x", "pytest -k token_refresh"],
)
def test_ordinary_commands_are_left_alone(command: str) -> None:
    assert redact_text(command) == command


def every_pattern(text: str) -> str:
    for pattern, replacement in _TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


SAMPLES = [
    "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----",
    "AKIAABCDEFGHIJKLMNOP",
    "ASIAABCDEFGHIJKLMNOP",
    "ghp_abcdefghijklmnopqrstuvwxyz",
    "github_pat_abcdefghijklmnopqrstuvwxyz",
    "glpat-abcdefghijklmnopqrstuvwxyz",
    "xoxb-1234567890-abcdef",
    "sk-ant-abcdefghijklmnopqrstuvwxyz",
    "AIzaSyA1234567890abcdefghijklmnopqrstuv",
    "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.abcdefghijkl",
    "Basic dXNlcjpwYXNzd29yZA==",
    "https://u:p@host",
    "--secret=x --api-key y --access-key z",
    "MY_CREDENTIALS=abc",
    '"db_auth": "xyz"',
    "X-Auth-Token: abc",
    "--proxy-user a:b",
    "podman login -p pw",
    "tests/test_m1.py::test_7[a-b]",
]


@pytest.mark.parametrize("text", SAMPLES)
def test_the_quick_check_never_skips_a_secret(text: str) -> None:
    assert redact_text(text) == every_pattern(text)
