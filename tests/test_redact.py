"""Secrets are masked before storage; ordinary text is left alone."""

from __future__ import annotations

import pytest

from repetend.redact import REDACTED, is_secret_key, redact_text, redact_value


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        (
            "export GITHUB_TOKEN=ghp_abcdefghijklmnopqrstuvwxyz0123",
            "ghp_abcdefghijklmnopqrstuvwxyz0123",
        ),
        ("aws s3 ls --profile x AKIAABCDEFGHIJKLMNOP", "AKIAABCDEFGHIJKLMNOP"),
        ("psql postgresql://admin:hunter2@db.internal/app", "hunter2"),
        ("mysql -u root --password=pa55 app", "pa55"),
        ("deploy --token abc123def456", "abc123def456"),
        ("DB_PASSWORD=swordfish ./run.sh", "swordfish"),
        ('{"api_key": "k-123456789"}', "k-123456789"),
        (
            "curl -H 'Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJlMTIz'",
            "eyJzdWIiOiIxIn0",
        ),
        ("OPENAI_API_KEY=sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa", "sk-proj-aaaaaaaaaaaaaaaaaaaaaaaa"),
        ("xoxb-1234567890-abcdefghij", "xoxb-1234567890-abcdefghij"),
        ("-----BEGIN RSA PRIVATE KEY-----\nMIIE\n-----END RSA PRIVATE KEY-----", "MIIE"),
    ],
)
def test_secret_shaped_text_is_masked(text: str, secret: str) -> None:
    masked = redact_text(text)
    assert secret not in masked
    assert REDACTED in masked


@pytest.mark.parametrize(
    "text",
    ["git commit -m 'fix tokenizer'", "pytest tests/test_auth.py -k password_reset", "make build"],
)
def test_ordinary_commands_are_unchanged(text: str) -> None:
    assert redact_text(text) == text


@pytest.mark.parametrize(
    ("name", "secret"),
    [
        ("password", True),
        ("db_password", True),
        ("X-Api-Key", True),
        ("authToken", True),
        ("client_secret", True),
        ("author", False),
        ("filename", False),
    ],
)
def test_secret_key_names(name: str, secret: bool) -> None:
    assert is_secret_key(name) is secret


def test_nested_values_and_extra_keys() -> None:
    value = {"env": {"PASSWORD": "x", "HOME": "/root"}, "args": ["--token=abcdef"], "pin": "1234"}
    assert redact_value(value, extra_keys=["pin"]) == {
        "env": {"PASSWORD": REDACTED, "HOME": "/root"},
        "args": [f"--token={REDACTED}"],
        "pin": REDACTED,
    }
