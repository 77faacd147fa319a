"""Show suggestions at the moment of work, once each, and record what the developer did with them.

A suggestion is identified by its pattern and command; one shown within
`suggestion_window_minutes` (in this process or any other, as recorded in
the store) is not shown again. Every suggestion shown, accepted or dismissed
is an event (source `suggest`), so its usefulness can be measured.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

import click
import pluggy

from repetend.config import Config
from repetend.events import utcnow
from repetend.plugins.registry import call_hook
from repetend.plugins.types import Suggestion, SuggestionContext
from repetend.store.sqlite import SQLiteStore
from repetend.suggest.fill import FillOffer

Echo = Callable[[str], None]


Recorder = Callable[[str, Mapping[str, Any]], object]
"""Stores one `suggest` event: its kind and payload."""


def suggestion_key(suggestion: Suggestion) -> str:
    """What makes two suggestions the same one: the pattern and the command."""
    text = f"{suggestion.pattern_id}\x00{suggestion.command}"
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:16]


@dataclass
class SuggestionPresenter:
    """Asks the suggesters about one moment of work and shows the answers worth showing.

    `filled` tells whether the last `present` filled a file (so its own writes are not
    taken for new work by hand). `record` stores what was shown and what the developer
    did with it (capture's `record_event` for the `suggest` source, given by the caller:
    suggestions sit below capture and do not record by themselves).
    """

    config: Config
    store: SQLiteStore
    manager: pluggy.PluginManager
    interactive: bool = False
    echo: Echo = click.echo
    filled: bool = False
    record: Recorder = field(kw_only=True)
    _shown: dict[str, float] = field(default_factory=dict)

    def ask(self, trigger: str, path: Path | None) -> list[Suggestion]:
        """The suggestions the plugins make for `path`, best first (not yet filtered)."""
        context = SuggestionContext(
            trigger, self.config.root, path, details={"config": self.config}, store=self.store
        )
        answers = call_hook(self.manager, "repetend_suggest", context=context)
        found = [s for answer in answers for s in answer if isinstance(s, Suggestion)]
        return sorted(found, key=lambda s: -s.score)

    def present(self, trigger: str, path: Path | None, suggestions: list[Suggestion]) -> int:
        """Show each suggestion not shown within the window; return how many were shown."""
        self.filled = False
        fresh = [s for s in suggestions if not self._recently_shown(suggestion_key(s))]
        for suggestion in fresh:
            self._show(trigger, path, suggestion)
        return len(fresh)

    def _show(self, trigger: str, path: Path | None, suggestion: Suggestion) -> None:
        key = suggestion_key(suggestion)
        self._shown[key] = time.monotonic()
        self._record("suggestion-shown", trigger, path, suggestion, key)
        self.echo(render(suggestion, self.config.root))
        offer = FillOffer(self.config.root, self.echo)
        if path is not None and self.interactive and offer.applies(path, suggestion):
            outcome = offer.run(path, suggestion)
            self.filled = self.filled or outcome == "filled"
            kind = "suggestion-dismissed" if outcome == "dismissed" else "suggestion-accepted"
            self._record(kind, trigger, path, suggestion, key, filled=outcome == "filled")

    def _recently_shown(self, key: str) -> bool:
        window = int(self.config.suggestion_window_minutes) * 60
        if window <= 0:
            return False
        seen = self._shown.get(key)
        if seen is not None and time.monotonic() - seen < window:
            return True
        since = utcnow() - timedelta(seconds=window)
        return any(
            event.payload.get("key") == key
            for event in self.store.events(since=since, source="suggest", kind="suggestion-shown")
        )

    def _record(
        self,
        kind: str,
        trigger: str,
        path: Path | None,
        suggestion: Suggestion,
        key: str,
        **extra: object,
    ) -> None:
        payload = {
            **extra,
            "key": key,
            "pattern_id": suggestion.pattern_id,
            "command": suggestion.command,
            "trigger": trigger,
            "path": _relative(path, self.config.root) if path else "",
            "evidence": list(suggestion.evidence),
        }
        self.record(kind, payload)


def render(suggestion: Suggestion, root: Path) -> str:
    """The lines a suggestion prints: what matched, the evidence, the command."""
    lines = [f"repetend: {suggestion.message}"]
    if suggestion.evidence:
        shown = ", ".join(suggestion.evidence[:5])
        more = f" and {len(suggestion.evidence) - 5} more" if len(suggestion.evidence) > 5 else ""
        lines.append(f"  evidence: {shown}{more}")
    if suggestion.command:
        lines.append(f"  run:      {suggestion.command}")
    if suggestion.questions:  # required values the path does not give
        lines.append(f"  needs:    {', '.join(name for name, _ in suggestion.questions)}")
    return "\n".join(lines)


def _relative(path: Path, root: Path) -> str:
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return str(path)
