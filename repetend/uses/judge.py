"""Judging uses from the commit that adds (or deletes) what a pattern rendered.

The rules (docs/loop.md): a rendered file committed as rendered, or with edits
only inside its variables' values, is a *success*; one whose template's fixed
lines were edited is a *workaround* (the edited lines are kept as an edge
case); one deleted, or with most of its fixed lines gone, is a *failure*. A
file added by hand that fits an approved template is judged by the commit
check's rule: lacking the template's fixed text, it counts against the
template (and is an edge case), whether or not the pre-commit hook warned.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from repetend.errors import StoreError
from repetend.events import Candidate
from repetend.redact import redact_text
from repetend.store.base import PatternUse, Render, Store
from repetend.uses.record import line_digest, record, text_digest

if TYPE_CHECKING:
    import pluggy

    from repetend.config import Config

REWRITTEN = 0.5  # more than this share of the rendered fixed lines gone: rewritten, a failure
KEPT_LINES = 20  # edited lines kept per edge case
WORST = {"failure": 2, "workaround": 1, "success": 0}


def judge_commit_safely(
    root: Path,
    sha: str,
    changes: tuple[list[str], list[str], list[str]],
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
) -> None:
    """`judge_commit`, with any failure but a locked store one warning (the commit goes on)."""
    try:
        judge_commit(root, sha, changes, store, config, manager)
    except StoreError:
        raise  # the commit stays in the spool; renders still pending are judged next time
    except Exception as error:  # a bug here must never cost a commit its ingestion
        sys.stderr.write(f"repetend: warning: uses of {sha[:12]} not judged ({error})\n")


def judge_commit(
    root: Path,
    sha: str,
    changes: tuple[list[str], list[str], list[str]],
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
) -> list[PatternUse]:
    """Judge every waiting render the commit settles, and every new file fitting a template."""
    added, modified, deleted = changes
    pending = store.pending_renders()
    rendered = {render.path for render in pending}
    texts = committed_texts(root, sha, [p for p in (*added, *modified) if p in rendered])
    settled = [r.batch for r in pending if _judge_render(r, texts, set(deleted), root, store)]
    batches = list(dict.fromkeys(settled))  # in the order they were rendered
    uses = [use for batch in batches for use in _batch_use(batch, store, config, manager)]
    hand_made = [path for path in added if path not in rendered]
    uses += _judge_hand_made(root, sha, hand_made, store, config, manager)
    from repetend.uses.evolution import track

    for pattern_id in dict.fromkeys(use.pattern_id for use in uses):
        track(store, config, manager, pattern_id)
    return uses


def committed_texts(root: Path, sha: str, paths: list[str]) -> dict[str, str]:
    """The text of each path as commit `sha` has it (binary or missing files left out)."""
    if not paths:
        return {}
    batch = "".join(f"{sha}:{path}\n" for path in paths).encode("utf-8")
    result = subprocess.run(
        ["git", "cat-file", "--batch"], cwd=root, input=batch, capture_output=True, check=True
    )
    return dict(_parse_batch(paths, result.stdout))


def _parse_batch(paths: list[str], output: bytes) -> list[tuple[str, str]]:
    found: list[tuple[str, str]] = []
    at = 0
    for path in paths:
        end = output.index(b"\n", at)
        header = output[at:end].split()
        at = end + 1
        if len(header) < 3 or header[1] != b"blob":
            continue  # "<object> missing", or not a file
        size = int(header[2])
        content = output[at : at + size]
        at += size + 1
        try:
            found.append((path, content.decode("utf-8")))
        except UnicodeDecodeError:
            continue
    return found


def _judge_render(
    render: Render, texts: dict[str, str], deleted: set[str], root: Path, store: Store
) -> bool:
    """Judge one render if the commit settles it; whether it did."""
    if render.path in texts:
        candidate = store.get_candidate(render.pattern_id)
        outcome, evidence = judge_text(render, texts[render.path], candidate, root)
    elif render.path in deleted or not (root / render.path).exists():
        outcome, evidence = "failure", {"why": "deleted"}
    else:
        return False
    assert render.id is not None
    store.judge_render(render.id, outcome, {**evidence, "path": render.path})
    return True


def judge_text(
    render: Render, text: str, candidate: Candidate | None, root: Path
) -> tuple[str, dict[str, Any]]:
    """A committed file against what was rendered: its outcome and why."""
    if text_digest(text) == render.digest:
        return "success", {"why": "committed as rendered"}
    fixed = rendered_fixed_lines(render, candidate, root)
    lines = {line.strip() for line in text.splitlines()}
    gone = [line for line in fixed if line not in lines]
    if not gone:
        return "success", {"why": "edited only inside variable values"}
    counts = {"fixed_lines": len(fixed), "fixed_lines_gone": len(gone)}
    if len(gone) > REWRITTEN * len(fixed):
        return "failure", {"why": "rewritten: most of the fixed text is gone", **counts}
    ours = set(render.lines)
    edited = [
        redact_text(line)
        for line in text.splitlines()
        if line.strip() and line_digest(line) not in ours
    ]
    evidence = {"why": "fixed text edited", **counts, "gone": gone[:KEPT_LINES]}
    return "workaround", {**evidence, "edited_lines": edited[:KEPT_LINES]}


def rendered_fixed_lines(render: Render, candidate: Candidate | None, root: Path) -> list[str]:
    """The template's whole fixed lines (no Jinja2 in them) that this render wrote.

    The source is the version that rendered it: the kept one in history when the
    pattern has moved to another version since.
    """
    source = _kept_source(render, root) or template_source(candidate, render.template_path, root)
    ours = set(render.lines)
    fixed: list[str] = []
    for line in source.splitlines():
        stripped = line.strip()
        if not any(c.isalnum() for c in stripped) or any(m in line for m in ("{{", "{%", "{#")):
            continue
        if line_digest(stripped) in ours and stripped not in fixed:
            fixed.append(stripped)
    return fixed


def _kept_source(render: Render, root: Path) -> str:
    from repetend.config import STATE_DIR
    from repetend.patterns.versions import HISTORY

    folder = root / STATE_DIR / "patterns" / HISTORY / render.pattern_id / render.version
    try:
        path = folder / render.pattern_id / f"{render.template_path}.jinja"
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return ""


def template_source(candidate: Candidate | None, template_path: str, root: Path) -> str:
    """The Jinja2 source `apply` renders for one of a template's files ("" when gone)."""
    if candidate is None:
        return ""
    if candidate.spec_path:
        beside = root / Path(candidate.spec_path).with_suffix("") / f"{template_path}.jinja"
        try:
            return beside.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            pass
    for item in candidate.spec.get("files") or []:
        if isinstance(item, dict) and item.get("path") == template_path:
            return str(item.get("template", ""))
    return ""


def _batch_use(
    batch: str, store: Store, config: Config, manager: pluggy.PluginManager
) -> list[PatternUse]:
    """The use of one batch once all its files are judged (the worst of them), recorded."""
    renders = store.batch_renders(batch)
    if not renders or any(not r.outcome for r in renders):
        return []
    outcome = max((r.outcome for r in renders), key=WORST.__getitem__)
    first = renders[0]
    from repetend.uses.saved import seconds_saved

    seconds, source = (0.0, "a failure saves nothing")
    if outcome != "failure":
        seconds, source = seconds_saved(store, config, first.pattern_id, len(renders))
    evidence = {
        "source": first.source,
        "files": [r.evidence for r in renders],
        "seconds_source": source,
        "trial": first.trial,
        "rendered_at": first.at,
    }
    use = PatternUse(first.pattern_id, outcome, first.version, first.actor, seconds, evidence)
    record(store, config, manager, use)
    return [use]


def _judge_hand_made(
    root: Path,
    sha: str,
    paths: list[str],
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
) -> list[PatternUse]:
    """New files made by hand that fit an approved template: the commit check's verdict."""
    from repetend.patterns.template_files import KIND

    templates = [c for c in store.candidates(status="approved", kind=KIND) if c.spec.get("files")]
    fitting = {p: _fitting(templates, p) for p in paths}
    fitting = {p: found for p, found in fitting.items() if found}
    if not fitting:
        return []
    texts = committed_texts(root, sha, list(fitting))
    warned = store.checks(fitting)
    judged = f"judged:{sha}"  # a commit ingested again (its store was locked) counts once
    uses = []
    for path, found in fitting.items():
        if path not in texts or warned.get(path, ("", False))[0] == judged:
            continue
        for candidate, item in found:
            use = _checked_use(candidate, item, path, texts[path], warned.get(path), root)
            record(store, config, manager, use)
            uses.append(use)
        store.note_checks([(path, judged, bool(warned.get(path, ("", False))[1]))])
    return uses


def _fitting(templates: list[Candidate], path: str) -> list[tuple[Candidate, dict[str, Any]]]:
    import re

    return [
        (candidate, item)
        for candidate in templates
        for item in candidate.spec.get("files") or []
        if isinstance(item, dict) and re.fullmatch(str(item.get("path_regex", "$^")), path)
    ]


def _checked_use(
    candidate: Candidate,
    item: dict[str, Any],
    path: str,
    text: str,
    check: tuple[str, bool] | None,
    root: Path,
) -> PatternUse:
    """A hand-made member judged by the commit check: success, or a failure of the template."""
    from repetend.patterns.semver import semver
    from repetend.templates.check import missing_fixed_text

    lacking = missing_fixed_text(item, text, root)
    evidence: dict[str, Any] = {
        "source": "check",
        "path": path,
        "warned_at_commit": bool(check and check[1]),
    }
    if lacking:
        evidence.update(
            why="committed lacking the template's fixed text", gone=lacking[:KEPT_LINES]
        )
    else:
        evidence["why"] = "the commit check passed a new member"
    outcome = "failure" if lacking else "success"
    version = semver(candidate.spec.get("version"))
    return PatternUse(candidate.id, outcome, version, "human", 0.0, evidence)
