"""Values that travel through plugin hooks: verdicts, suggestions, notifications."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from repetend.events import Candidate

VerdictName = Literal["approve", "pending", "reject"]


@dataclass(frozen=True)
class Verdict:
    """What a classifier decided about a candidate, and why."""

    decision: VerdictName
    reason: str
    classifier: str = ""


@dataclass
class SuggestionContext:
    """The moment of work a suggester is asked about.

    `trigger` names what happened (`file-created`, `command`, `test-failure`, …),
    `path` is the file concerned (if any), `details` carries the rest, and
    `store` is the open event store to consult.
    """

    trigger: str
    root: Path
    path: Path | None = None
    details: dict[str, Any] = field(default_factory=dict)
    store: Any = None


@dataclass(frozen=True)
class Suggestion:
    """A pattern that applies now: what matched, the evidence, and the command that uses it.

    `values` are the variable values already inferred (from the path, say), so a
    front end can offer to fill the file; `command` is the shell command that
    applies the pattern with those values. `questions` are the required values
    still missing, each `(name, hint)`, for the front end to ask for (the command
    takes each as `--set NAME=VALUE`); `fillable` is False when one of them cannot
    be typed at a prompt (a list of items), so filling is not offered.
    """

    pattern_id: str
    message: str
    command: str = ""
    evidence: tuple[str, ...] = ()
    score: float = 0.0
    values: tuple[tuple[str, str], ...] = ()
    questions: tuple[tuple[str, str], ...] = ()
    fillable: bool = True


@dataclass(frozen=True)
class Notification:
    """Something a person should hear about a candidate or pattern.

    `caller_reports` is true when the command that proposed the candidate shows
    it to the person itself (`repetend mine` prints a table of every family): a
    notifier that writes to the same terminal stays quiet, the others act as usual.
    """

    event: str
    message: str
    candidate: Candidate | None = None
    level: Literal["info", "warning"] = "info"
    caller_reports: bool = False


@dataclass(frozen=True)
class FileSignature:
    """The structural fingerprint of one file: its language and a set of features.

    Features are short strings (`key:/name:str`, `heading:summary`, `import:os`, …);
    two files made to the same shape share most of them, whatever their values.
    """

    language: str
    features: frozenset[str]
