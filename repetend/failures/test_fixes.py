"""Recovery rules from test fixes: T fails with S at tree A, then passes at tree B.

The pytest store keeps a snapshot commit of each run's tree (`git stash
create`: the tracked files as they were, no ref, nothing touched). The fix of
a failure is the diff from the failing run's snapshot to the next passing
run's, when it is small (at most `MAX_LINES` changed lines in `MAX_FILES`
files). The failure's message is masked as for commands (quoted values become
variables), so `NameError: name 'helper' is not defined` about another name is
the same failure; the edit is generalised with the same values (a value the
new lines do not use makes a rule for that value only). Three (or
`min_recovery_examples`) fixes of one failure shape whose edits are the same
after that make a rule: replace these lines with those, in that file.

Diffs are read with git itself, off every hot path (`repetend heal --learn`).
"""

from __future__ import annotations

import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

from repetend.events import Event
from repetend.failures.evidence import shape_of_test_error
from repetend.failures.recovery import Fix, generalise, unused_values

MAX_FILES = 3
MAX_LINES = 6


def error_shape(error: dict[str, Any]) -> dict[str, Any]:
    """The failure record of a test error by its shape (see `evidence.shape_of_test_error`)."""
    return shape_of_test_error(error)


def find_test_fixes(
    root: Path, runs: list[tuple[Event, str]], snapshots: dict[str, str]
) -> list[Fix]:
    """Every generalised edit that made a failing test pass, with its examples."""
    by_test: dict[str, list[Event]] = defaultdict(list)
    for event, _state in runs:
        by_test[str(event.payload.get("nodeid", ""))].append(event)
    fixes: dict[tuple[str, tuple[str, ...], tuple[tuple[str, str], ...]], Fix] = {}
    for nodeid, events in by_test.items():
        for index, event in enumerate(events):
            if event.payload.get("outcome") not in ("failed", "error"):
                continue
            later = events[index + 1] if index + 1 < len(events) else None
            if later is None or later.payload.get("outcome") != "passed":
                continue
            before, after = snapshots.get(event.session, ""), snapshots.get(later.session, "")
            if not before or not after or before == after:
                continue
            edits = diff_edits(root, before, after)
            if not edits:
                continue
            shape = error_shape(event.payload.get("error") or {})
            values = shape["values"]
            steps = tuple(_edit_text(edit, values) for edit in edits)
            when = unused_values(shape, tuple(parse_edit(step)[2] for step in steps))
            key = (str(shape["signature"]), steps, when)
            fix = fixes.get(key)
            if fix is None:
                fix = fixes[key] = Fix(
                    key[0],
                    "patch",
                    steps,
                    "",
                    str(shape["message"]),
                    nodeid,
                    kind="test",
                    when=when,
                )
            fix.examples.append(
                {
                    "test": nodeid,
                    "failed_at": event.created_at.isoformat(timespec="seconds"),
                    "from": before,
                    "to": after,
                    "values": values,
                }
            )
    return list(fixes.values())


def diff_edits(root: Path, before: str, after: str) -> list[dict[str, Any]]:
    """The edits from one snapshot to another: [{path, old, new}], or [] when too big."""
    try:
        done = subprocess.run(
            [
                "git",
                "diff",
                "--no-color",
                "--no-ext-diff",
                "-U1",
                before,
                after,
                "--",
                ".",
                ":!.repetend",
            ],
            cwd=root,
            capture_output=True,
            timeout=60,
        )
    except (OSError, subprocess.TimeoutExpired):
        return []
    if done.returncode != 0:
        return []
    return parse_diff(done.stdout.decode("utf-8", "replace"))


def parse_diff(text: str) -> list[dict[str, Any]]:
    """Hunks of a `-U1` diff as edits; [] when it is bigger than a small fix.

    A replacement is its removed lines and its added ones. A pure insertion is
    anchored to the line before it (the line after, at the top of a file): the
    edit replaces that line with itself and the new lines.
    """
    edits: list[dict[str, Any]] = []
    path = ""
    hunk: list[tuple[str, str]] | None = None
    for line in text.splitlines():
        if line.startswith("+++ "):
            path = line[6:] if line.startswith("+++ b/") else ""
        elif line.startswith("@@"):
            hunk = []
            edits.append({"path": path, "lines": hunk})
        elif (
            hunk is not None and line[:1] in (" ", "-", "+") and not line.startswith(("---", "+++"))
        ):
            hunk.append((line[0], line[1:]))
    found = [edit for raw in edits for edit in _hunk_edits(raw["path"], raw["lines"])]
    files = {edit["path"] for edit in found}
    changed = sum(len(e["old"]) + len(e["new"]) - 2 * e["anchored"] for e in found)
    if not found or "" in files or len(files) > MAX_FILES or changed > 2 * MAX_LINES:
        return []
    return [{k: e[k] for k in ("path", "old", "new")} for e in found]


def _hunk_edits(path: str, lines: list[tuple[str, str]]) -> list[dict[str, Any]]:
    """The runs of changed lines of one hunk, each an edit."""
    edits: list[dict[str, Any]] = []
    index = 0
    while index < len(lines):
        if lines[index][0] == " ":
            index += 1
            continue
        start = index
        while index < len(lines) and lines[index][0] != " ":
            index += 1
        old = [text for mark, text in lines[start:index] if mark == "-"]
        new = [text for mark, text in lines[start:index] if mark == "+"]
        anchored = 0
        if not old:  # an insertion: anchor it to a line that stays
            if start > 0:
                anchor = lines[start - 1][1]
                old, new, anchored = [anchor], [anchor, *new], 1
            elif index < len(lines):
                anchor = lines[index][1]
                old, new, anchored = [anchor], [*new, anchor], 1
            else:
                continue  # a whole new file: nothing to anchor to
        edits.append({"path": path, "old": old, "new": new, "anchored": anchored})
    return edits


def _edit_text(edit: dict[str, Any], values: dict[str, str]) -> str:
    old = "\n".join(generalise(line, values) for line in edit["old"])
    new = "\n".join(generalise(line, values) for line in edit["new"])
    return f"edit {generalise(edit['path'], values)}\n<<<\n{old}\n===\n{new}\n>>>"


def parse_edit(step: str) -> tuple[str, str, str]:
    """(path, old text, new text) of an edit step written by `_edit_text`."""
    head, rest = step.split("\n<<<\n", 1)
    old, new = rest.rsplit("\n>>>", 1)[0].split("\n===\n", 1)
    return head.removeprefix("edit "), old, new
