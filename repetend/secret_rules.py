"""The token formats and secret key names redaction and mining look for.

Most provider formats and the keyword list are those of Yelp's detect-secrets
1.5.0 (`detect_secrets/plugins/*.py`, Apache License 2.0, Copyright (c) 2018
Yelp, Inc.), ported as plain regular expressions: detect-secrets itself takes
0.3 s to import (and brings requests), too much for a git hook or an agent hook
that starts a fresh Python each time. Its high-entropy detectors are left out:
they flag ordinary identifiers, which would mask half of every command line.
Formats detect-secrets lacks (npm's `npm_…` tokens, Anthropic's `sk-ant-…`,
Stripe test keys) follow their providers' documentation.
"""

from __future__ import annotations

import re

# Key names whose values are secrets (detect-secrets' keyword DENYLIST, `_?` made optional
# separators), matched against the words of a key name (`db_pass`, `DB_PASS`, `dbPass`).
SECRET_KEY_WORDS = (
    "password",
    "passwd",
    "passphrase",
    "pass",
    "pwd",
    "secret",
    "token",
    "apikey",
    "api_key",
    "auth_key",
    "service_key",
    "account_key",
    "db_key",
    "database_key",
    "priv_key",
    "private_key",
    "client_key",
    "access_key",
    "credential",
    "auth",
    "cookie",
    "session_key",
    "contraseña",
    "contrasena",
)

# Provider token formats: text matching one is a secret wherever it appears.
TOKEN_FORMATS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern)
    for pattern in (
        r"(?s)-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(?:-----END [A-Z ]*PRIVATE KEY-----|\Z)",
        r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b",  # AWS access key ids
        r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}\b",  # GitHub
        r"\bgithub_pat_[A-Za-z0-9_]{20,}\b",
        r"\bglpat-[A-Za-z0-9_\-]{20,}\b",  # GitLab
        r"(?i)\bxox(?:a|b|p|o|s|r)-[A-Za-z0-9-]{10,}",  # Slack
        r"https://hooks\.slack\.com/services/T[a-zA-Z0-9_]+/B[a-zA-Z0-9_]+/[a-zA-Z0-9_]+",
        r"\bsk-(?:ant-|proj-)?[A-Za-z0-9_\-]{20,}",  # OpenAI, Anthropic
        r"\b(?:r|s)k_(?:live|test)_[0-9a-zA-Z]{16,}",  # Stripe
        r"\bnpm_[A-Za-z0-9]{36}\b",  # npm access tokens
        r"\bpypi-AgE[A-Za-z0-9_\-]{70,}",  # PyPI (pypi.org and test.pypi.org)
        r"\bSG\.[a-zA-Z0-9_-]{22}\.[a-zA-Z0-9_-]{43}\b",  # SendGrid
        r"\bsq0csp-[0-9A-Za-z\-_]{43}",  # Square OAuth secrets
        r"AccountKey=[a-zA-Z0-9+/=]{88}",  # Azure storage
        r"\bAIza[0-9A-Za-z_\-]{35}\b",  # Google API keys
        r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}",  # JWTs
    )
)

# Lower-cased fragments one of TOKEN_FORMATS needs: text with none of them holds no token
# (redaction's quick test; `_NEEDS` below says which format needs which).
TOKEN_HINTS = (
    "private key",
    "akia",
    "asia",
    "ghp_",
    "gho_",
    "ghu_",
    "ghs_",
    "ghr_",
    "github_pat_",
    "glpat-",
    "xox",
    "hooks.slack.com",
    "sk-",
    "k_live_",
    "k_test_",
    "npm_",
    "pypi-age",
    "sg.",
    "sq0csp-",
    "accountkey=",
    "aiza",
    "eyj",
)


# What each of TOKEN_FORMATS cannot match without, as the text has it (case-insensitive
# formats: lower-cased). Searching only the formats whose own text is there finds the same
# tokens: mining asks of every file, and `msg.` alone used to run all sixteen searches.
_NEEDS: tuple[tuple[bool, tuple[str, ...]], ...] = (
    (False, ("PRIVATE KEY-----",)),
    (False, ("AKIA", "ASIA")),
    (False, ("ghp_", "gho_", "ghu_", "ghs_", "ghr_")),
    (False, ("github_pat_",)),
    (False, ("glpat-",)),
    (True, ("xox",)),
    (False, ("https://hooks.slack.com/services/T",)),
    (False, ("sk-",)),
    (False, ("k_live_", "k_test_")),
    (False, ("npm_",)),
    (False, ("pypi-AgE",)),
    (False, ("SG.",)),
    (False, ("sq0csp-",)),
    (False, ("AccountKey=",)),
    (False, ("AIza",)),
    (False, ("eyJ",)),
)


def holds_token(text: str) -> bool:
    """Whether `text` holds a provider token or a private key (a file never to be mined)."""
    lowered = ""
    for pattern, (folded, needs) in zip(TOKEN_FORMATS, _NEEDS, strict=True):
        if folded and not lowered:
            lowered = text.lower()
        haystack = lowered if folded else text
        if any(needed in haystack for needed in needs) and pattern.search(text):
            return True
    return False
