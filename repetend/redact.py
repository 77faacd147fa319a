"""Redact secrets before anything is stored.

Two nets: values under secret-like key names (`password`, `db_pass`, `pwd`,
`api_key`, `token`, …; see `repetend.secret_rules`) are replaced whole, and
secret-shaped text anywhere (provider tokens, private keys, bearer headers,
credentials in URLs, `--password=…`, `sshpass -p …`, `DB_PASS=…`, the list item
after `--token`) is masked in place. Every capture point (the Python API, commands, agent tool
inputs) passes through `redact_value` or `redact_text`.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from repetend.secret_rules import SECRET_KEY_WORDS, TOKEN_HINTS
from repetend.secret_rules import TOKEN_FORMATS as TOKEN_FORMATS

REDACTED = "[REDACTED]"

# `NAME=value`, `"name": "value"`: masked when NAME is a secret key name (`is_secret_key`).
_ASSIGNMENT = re.compile(r"\b([A-Za-z_][A-Za-z0-9_.\-]*)=(\"[^\"]*\"|'[^']*'|[^\s;&|]+)")
_QUOTED_PAIR = re.compile(r"([\"']?)([A-Za-z_][A-Za-z0-9_.\-]*)\1(\s*:\s*)([\"'])([^\"'\n]+)\4")
_NAME_SPLIT = re.compile(r"[^a-z0-9ñ]+")
Replacement = str | Callable[[re.Match[str]], str]


def _masked_assignment(match: re.Match[str]) -> str:
    name = match.group(1)
    return f"{name}={REDACTED}" if is_secret_key(name) else match.group(0)


def _masked_pair(match: re.Match[str]) -> str:
    quote, name, colon, value_quote = match.group(1, 2, 3, 4)
    if not is_secret_key(name) or match.group(5) == REDACTED:
        return match.group(0)
    return f"{quote}{name}{quote}{colon}{value_quote}{REDACTED}{value_quote}"


_TEXT_PATTERNS: tuple[tuple[re.Pattern[str], Replacement], ...] = (
    *((pattern, REDACTED) for pattern in TOKEN_FORMATS),
    (re.compile(r"(?i)\b(bearer|basic|token)\s+[A-Za-z0-9._~+/\-]{12,}=*"), r"\1 " + REDACTED),
    (re.compile(r"(?i)\b([a-z][a-z0-9+.\-]*://[^\s:/@]+):[^\s@/]+@"), r"\1:" + REDACTED + "@"),
    (
        re.compile(
            r"(?i)(--?(?:password|passwd|pass|pwd|secret|token|api-?key|access-?key)[= ])(\S+)"
        ),
        r"\1" + REDACTED,
    ),
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
    (re.compile(r"(\bsshpass\b[^\n]*?\s-p\s*)(\S+)"), r"\1" + REDACTED),
    (_ASSIGNMENT, _masked_assignment),
    (_QUOTED_PAIR, _masked_pair),
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
        # Short words (`pass`, `pwd`, `auth`) only as whole words: not `bypass` or `author`.
        if word in words or bare in words or (len(bare) > 4 and bare in compact):
            return True
    return False


# Something every pattern above needs to match, lower-cased (a superset): text without
# any of it cannot hold a secret, and skipping the patterns keeps bulk capture (a
# 5,000-test session) cheap. Extend it with every new pattern.
_HINTS = (
    *TOKEN_HINTS, *(w.replace("_", "") for w in SECRET_KEY_WORDS), "key", "bearer", "basic",
    "@", "login", "mysql", "-u", "--user", "sshpass",
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
        return _redact_items(list(value), extra)
    return value


def _redact_items(items: list[Any], extra: tuple[str, ...]) -> list[Any]:
    """A list's items redacted; the item after a secret flag (`--token`, `-p`…) is masked."""
    redacted: list[Any] = []
    for index, item in enumerate(items):
        previous = items[index - 1] if index else None
        if isinstance(item, str) and _secret_flag(previous, extra):
            redacted.append(REDACTED)
        else:
            redacted.append(redact_value(item, extra))
    return redacted


def _secret_flag(item: Any, extra: tuple[str, ...]) -> bool:
    if not isinstance(item, str) or not item.startswith("-") or "=" in item:
        return False
    name = item.lstrip("-")
    return bool(name) and len(item) - len(name) <= 2 and is_secret_key(name, extra)
