"""What the capture points read at the moment of failure: `.repetend/failures/known.json`.

Learning (`repetend heal --learn`, run in the background after a failure was
followed by a success) writes one small JSON file: the recovery rules that may
be suggested (draft or approved, circuit not open) by failure signature, and
the tests known to be flaky. `repetend run`, the pytest plugin's summary, the
shell flush and the agent hook read it only when something failed: no store is
opened, no YAML parsed, nothing read at all for a passing command.

This module imports only the standard library: the pytest plugin loads it.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path
from typing import Any

KNOWN = ("failures", "known.json")
_VARIABLE = re.compile(r"\{\{\s*([A-Za-z_]\w*)\s*\}\}")


def known_path(state_dir: Path) -> Path:
    """Where the index lives under a repository's `.repetend/`."""
    return state_dir.joinpath(*KNOWN)


def read_known(state_dir: Path) -> dict[str, Any]:
    """The index ({} when there is none or it cannot be read: a hint is never worth an error)."""
    try:
        data = json.loads(known_path(state_dir).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def rules_for(
    known: dict[str, Any], signature: str, values: dict[str, str] | None = None
) -> list[dict[str, Any]]:
    """The rules whose trigger is this failure signature, approved ones first."""
    rules = [r for r in known.get("rules", []) if r.get("signature") == signature]
    if values is not None:  # a rule learned for one value holds for that value only
        rules = [r for r in rules if all(values.get(k) == v for k, v in r.get("when", {}).items())]
    # Approved first; then the rule for this very value before the general one.
    return sorted(
        rules,
        key=lambda r: (r.get("status") != "approved", -len(r.get("when", {})), r.get("id", "")),
    )


def render(text: str, values: dict[str, str]) -> str:
    """A fix with its `{{ name }}` variables filled from `values` (unknown ones left as are)."""
    return _VARIABLE.sub(lambda m: values.get(m.group(1), m.group(0)), text)


def variables(text: str) -> list[str]:
    """The variable names a fix uses, in order."""
    return list(dict.fromkeys(_VARIABLE.findall(text)))


def hint(known: dict[str, Any], failure: dict[str, Any], how: str) -> str:
    """One line saying that a fix is known for `failure`, or '' (`how`: the command to heal)."""
    values = {**failure.get("context", {}), **failure.get("values", {})}
    found = rules_for(known, str(failure.get("signature", "")), values)
    if not found:
        return ""
    rule = found[0]
    fix = " && ".join(render(step, values) for step in rule.get("steps", []))
    state = "" if rule.get("status") == "approved" else f", {rule.get('status', 'draft')}"
    return f"a fix is known ({rule.get('id', '?')}{state}): {fix} — {how}"


def rate_limited(state_dir: Path, name: str, seconds: float) -> bool:
    """Whether a hint called `name` was shown less than `seconds` ago (else note it now)."""
    path = state_dir / "failures" / f"said-{name}"
    try:
        if time.time() - path.stat().st_mtime < seconds:
            return True
        path.touch()
    except FileNotFoundError:
        try:
            path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            path.touch()
        except OSError:
            return False
    except OSError:
        return False
    return False
