"""Failure evidence: the signature of a failed command, tool use or record() call.

A failed command's last stderr lines are reduced to one bounded, redacted
signature: the error line (the last line that reads like an error, else the
last line), with

- secrets redacted first (`repetend.redact`);
- values the context knows (the git branch) written as `{branch}`;
- quoted values (`No module named 'yaml'`) written as `'{module}'` and kept
  as the signature's `values`, named after the word before them (`module`),
  so the same error about another name gives the same signature and a fix can
  take the name back as a variable;
- the volatile rest masked as for test errors: numbers, paths, hex, times.

The digest covers the failure kind, the command's step (`git push`, `pytest`)
and that message. Only the message, up to `MAX_LINES` masked lines of
context and the values are kept: never the whole output.
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from repetend.failures.signatures import MAX_MESSAGE, normalise_message, split_exception
from repetend.redact import redact_text

TAIL_BYTES = 8192  # how much of a command's stderr is looked at (its end)
MAX_LINES = 5  # masked lines of context kept beside the error line
MAX_LINE = 200
MAX_VALUE = 120

_ANSI = re.compile(r"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b\][^\x07]*\x07|\r")
_ERRORISH = re.compile(
    r"(?:^|\s)(?:[A-Za-z_][\w.]*(?:Error|Exception|Exit)\b:?|error\b|fatal\b|E\s{2,}|"
    r"FAILED|ERROR|command not found|not found|No such file|Permission denied|denied)",
    re.I,
)
_QUOTED = re.compile(r"'([^'\n]{1,120})'|\"([^\"\n]{1,120})\"|‘([^’\n]{1,120})’|`([^`\n]{1,120})`")
_PATH = re.compile(r"(?<![\w<{])(?:~|\.{1,2})?(?:/[\w.@+\-]+){2,}/?")
_STOP_WORDS = "named called the a an for of in to at is not found on with from by no unknown"
_STOP = frozenset((_STOP_WORDS + " invalid missing could cannot").split())
_WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def tail_lines(data: bytes) -> list[str]:
    """The non-empty lines of the end of a command's stderr, escapes and carriage returns gone."""
    text = data[-TAIL_BYTES:].decode("utf-8", "replace")
    return [line.strip() for line in _ANSI.sub("", text).splitlines() if line.strip()]


def error_line(lines: list[str]) -> str:
    """The line that says what went wrong: the last that reads like an error, else the last."""
    for line in reversed(lines):
        if _ERRORISH.search(line):
            return line
    return lines[-1] if lines else ""


def command_failure(
    stderr: bytes,
    step: str,
    exit_status: int,
    *,
    kind: str = "command",
    context: dict[str, str] | None = None,
) -> dict[str, Any]:
    """The failure signature of a command from the end of its stderr (see the module doc)."""
    lines = tail_lines(stderr)
    line = error_line(lines)
    if not line:  # nothing on stderr (or the shell, which cannot see it): the exit status says
        return failure_record(kind, step, f"exit status {exit_status}", context=context, raw=True)
    context_lines = [_mask(redact_text(x), context or {})[0] for x in lines[-MAX_LINES:]]
    return failure_record(kind, step, line, context=context, lines=context_lines)


def failure_record(
    kind: str,
    subject: str,
    text: str,
    *,
    context: dict[str, str] | None = None,
    lines: list[str] | None = None,
    raw: bool = False,
) -> dict[str, Any]:
    """The stored failure: `signature` (digest), `type`, `message`, `values`, `lines`, `context`.

    `raw`: `text` is repetend's own (`exit status 127`), kept as it is.
    """
    context = {k: v for k, v in (context or {}).items() if v}
    message, values = (text, {}) if raw else _mask(redact_text(text), context)
    error_type = split_exception(text)[0] if text else "Error"
    # The subject names the value too (`python app.py yaml`): masked the same way.
    digest = signature_digest(kind, _masked_subject(subject, {**context, **values}), message)
    body: dict[str, Any] = {
        "signature": digest,
        "type": error_type,
        "message": message,
        "values": values,
    }
    if lines:
        body["lines"] = [line[:MAX_LINE] for line in lines]
    if context:
        body["context"] = context
    return body


def shape_of_test_error(error: dict[str, Any]) -> dict[str, Any]:
    """A test error by its shape: which test it was is left out, where it failed is kept.

    The message is masked as a command's is (quoted values become variables); the
    crash's file (not its line) and its failing statement, with the same values
    written as variables, are part of the signature, so `assert <n> > <n>` in
    `settings_test.py` is not the same failure as in another file.
    """
    text = f"{error.get('type', 'Error')}: {error.get('message', '')}"
    record = failure_record("test", "", text)
    statement = str(error.get("statement", ""))
    for name, value in record["values"].items():
        if len(value) >= 2:
            statement = re.sub(rf"(?<![\w.]){re.escape(value)}(?!\w)", "{" + name + "}", statement)
    where = str(error.get("location", "")).rsplit(":", 1)[0]
    record["signature"] = signature_digest("test", where, f"{record['message']}\x1f{statement}")
    return record


def signature_digest(kind: str, subject: str, message: str) -> str:
    """A short stable hash of a failure's kind, subject (step, test, tool) and masked message."""
    text = "\x1f".join((kind, " ".join(subject.split()), message))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def _masked_subject(subject: str, values: dict[str, str]) -> str:
    words = subject.split()
    for name, value in values.items():
        words = ["{" + name + "}" if word == value else word for word in words]
    return " ".join(words)


def _mask(text: str, context: dict[str, str]) -> tuple[str, dict[str, str]]:
    """`text` with context values, quoted values and volatile parts masked; the values taken."""
    text = " ".join(text.split())[: MAX_MESSAGE * 2]
    for name, value in sorted(context.items(), key=lambda item: -len(item[1])):
        if len(value) >= 2:
            text = re.sub(rf"(?<![\w\-./]){re.escape(value)}(?![\w\-/])", "{" + name + "}", text)
    values: dict[str, str] = {}
    text = _PATH.sub("<path>", text)

    def take(match: re.Match[str]) -> str:
        value = next(group for group in match.groups() if group is not None)
        quote = match.group(0)[0]
        if value.startswith(("<", "{")) or len(value) > MAX_VALUE:
            return match.group(0)
        name = _unique(_name_before(text[: match.start()], text), values)
        values[name] = value
        return f"{quote}{{{name}}}{match.group(0)[-1]}"

    text = _QUOTED.sub(take, text)
    return normalise_message(text), values


def _name_before(head: str, whole: str) -> str:
    """A variable's name: the last meaningful word before it (`module` in `No module named`)."""
    words = [str(w).lower() for w in _WORD.findall(head)[-4:]]
    for word in reversed(words):
        if word not in _STOP and not word.endswith(("error", "exception")) and len(word) > 1:
            return word
    found = re.match(r"\s*([A-Za-z_]\w*?)(?:Error|Exception)\b", whole)
    return str(found.group(1)).lower() if found else "value"


def _unique(name: str, taken: dict[str, str]) -> str:
    if name not in taken:
        return name
    number = 2
    while f"{name}_{number}" in taken:
        number += 1
    return f"{name}_{number}"
