"""Redact secrets before anything is stored.

Two nets: values under secret-like key names (`password`, `api_key`, `token`, …)
are replaced whole, and secret-shaped text anywhere (provider tokens, private
keys, bearer headers, credentials in URLs, `--password=…`, `SECRET_KEY=…`) is
masked in place. Every capture point (the Python API, commands, agent tool
inputs) passes through `redact_value` or `redact_text`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable, Mapping
from typing import Any

REDACTED = "[REDACTED]"

SECRET_KEY_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "secret",
    "token",
    "apikey",
    "api_key",
    "access_key",
    "private_key",
    "credential",
    "auth",
    "cookie",
    "session_key",
)
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
_SECRET_NAME = (
    r"[A-Za-z0-9_]*"
    r"(?:PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH)"
    r"[A-Za-z0-9_]*"
)

_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(
            r"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)", re.S
        ),
        REDACTED,
    ),
    (re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"), REDACTED),
    (re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b"), REDACTED),
    (re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}\b"), REDACTED),
    (re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}\b"), REDACTED),
    (re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}\b"), REDACTED),
    (re.compile(r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}\b"), REDACTED),
    (re.compile(r"\bAIza[0-9A-Za-z_\-]{35}\b"), REDACTED),
    (re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}\b"), REDACTED),
    (re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/\-]{12,}=*"), r"\1 " + REDACTED),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]+):[^\s@/]+@"), r"\1:" + REDACTED + "@"),
    (
        re.compile(r"(?i)(--?(?:password|passwd|pass|secret|token|api-?key|access-?key)[= ])(\S+)"),
        r"\1" + REDACTED,
    ),
    (re.compile(r"\b(" + _SECRET_NAME + r")=(\"[^\"]*\"|'[^']*'|\S+)", re.I), r"\1=" + REDACTED),
    # Command lines: HTTP headers, user:password options, registry logins, mysql -pSECRET.
    (
        re.compile(
            r"(?i)\b((?:x-)?(?:api-?key|auth-?token|access-?token|secret-?key)\s*:\s*)"
            r"([^\s\"']+)"
        ),
        r"\1" + REDACTED,
    ),
    (
        re.compile(r"(?i)((?:^|\s)(?:-u|--user|--auth|--proxy-user)[= ]\s*[^\s:]+:)(\S+)"),
        r"\1" + REDACTED,
    ),
    (
        re.compile(
            r"(?i)(\b(?:docker|podman|helm|oras|buildah)\b[^\n]*?\blogin\b[^\n]*?\s-p[= ]\s*)(\S+)"
        ),
        r"\1" + REDACTED,
    ),
    (re.compile(r"(\bmysql(?:dump|admin)?\b[^\n]*?\s-p)(\S+)"), r"\1" + REDACTED),
    (
        re.compile(r"(?i)([\"']?" + _SECRET_NAME + r"[\"']?\s*:\s*)([\"'])[^\"']+\2"),
        r"\1\2" + REDACTED + r"\2",
    ),
)


def is_secret_key(name: str, extra: Iterable[str] = ()) -> bool:
    """Whether a key name (`db_password`, `X-Api-Key`, `authToken`) names a secret."""
    return _is_secret_key(str(name), tuple(extra))


@functools.lru_cache(maxsize=4096)  # the same few key names come back in every payload
def _is_secret_key(name: str, extra: tuple[str, ...]) -> bool:
    lowered = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", str(name)).lower()
    joined = _NAME_SPLIT.sub("_", lowered).strip("_")
    compact = joined.replace("_", "")
    words = set(joined.split("_"))
    for word in (*SECRET_KEY_WORDS, *(w.lower() for w in extra)):
        bare = word.replace("_", "")
        if word in words or (len(bare) > 4 and bare in compact):
            return True
    return False


# Something every pattern above needs to match, lower-cased (a superset): text without
# any of it cannot hold a secret, and skipping the patterns keeps bulk capture (a
# 5,000-test session) cheap. Extend it with every new pattern.
_HINTS = (
    "key", "akia", "asia", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "glpat-",
    "xox", "sk-", "aiza", "eyj", "bearer", "basic", "token", "@", "passw", "-pass", "secret",
    "auth", "credential", "login", "mysql", "-u", "--user",
)  # fmt: skip


def _may_hold_secret(text: str) -> bool:
    lowered = text.lower()
    return any(hint in lowered for hint in _HINTS)


def redact_text(text: str) -> str:
    """Mask every secret-shaped part of `text`."""
    if not _may_hold_secret(text):
        return text
    for pattern, replacement in _TEXT_PATTERNS:
        text = pattern.sub(replacement, text)
    return text


def redact_value(value: Any, extra_keys: Iterable[str] = ()) -> Any:
    """Return a copy of `value` with secrets redacted, recursing into mappings and lists."""
    extra = tuple(extra_keys)
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, (dict, Mapping)):
        return {
            key: REDACTED
            if is_secret_key(str(key), extra) and item not in (None, "")
            else redact_value(item, extra)
            for key, item in value.items()
        }
    if isinstance(value, (list, tuple)):
        return [redact_value(item, extra) for item in value]
    return value
