"""Recording uses: what `apply` rendered is kept to be judged; a judged use is stored and acted on.

`apply` cannot know yet whether what it wrote will be kept: the commit that
adds the file tells (see `judge`). So `apply` keeps a `Render` per file — the
digests of the text and of each line, never the text — and the use is stored
when its files are judged. Each set of values (a row of `--set`, a row of
`--from`) is one use, however many files its template writes.
"""

from __future__ import annotations

import hashlib
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

from repetend.events import Candidate
from repetend.patterns.semver import semver
from repetend.patterns.template_files import template_files
from repetend.store.base import PatternUse, Render, Store

if TYPE_CHECKING:
    import pluggy

    from repetend.config import Config
    from repetend.templates.apply import PlannedFile


def line_digest(line: str) -> str:
    """A short digest of one line, its indentation and trailing white space ignored."""
    return hashlib.blake2b(line.strip().encode("utf-8"), digest_size=6).hexdigest()


def text_digest(text: str) -> str:
    """The digest of a whole text."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def renders_of(
    candidate: Candidate,
    planned: list[PlannedFile],
    root: Path,
    *,
    source: str = "apply",
    actor: str = "human",
    trial: bool = False,
) -> list[Render]:
    """One `Render` per planned file; the files of one set of values share a batch."""
    patterns = [item["path"] for item in template_files(candidate)]
    version = semver(candidate.spec.get("version"))
    batches = [uuid.uuid4().hex for _ in range(max(len(planned) // len(patterns), 1))]
    base = root.resolve()
    return [
        Render(
            pattern_id=candidate.id,
            path=item.path.relative_to(base).as_posix(),
            digest=text_digest(item.text),
            lines=[line_digest(line) for line in item.text.splitlines()],
            batch=batches[number // len(patterns)],
            version=version,
            template_path=patterns[number % len(patterns)],
            source=source,
            actor=actor,
            trial=trial,
        )
        for number, item in enumerate(planned)
    ]


def remember_renders(store: Store, renders: list[Render]) -> None:
    """Keep what was rendered until a commit judges it (one write)."""
    if renders:
        store.add_renders(renders)


def record(store: Store, config: Config, manager: pluggy.PluginManager, use: PatternUse) -> None:
    """Store one judged use (metrics in the same transaction), then let the measures act.

    A use recorded straight into a shared store (`store: postgresql://…`) is stamped
    with who and where, as `repetend sync` stamps what it pushes.
    """
    if getattr(store, "dialect", "sqlite") != "sqlite" and not use.user_name:
        from dataclasses import replace

        from repetend.store.origin import Origin

        origin = Origin.of(config)
        use = replace(
            use,
            user_name=origin.user_name,
            machine=origin.machine,
            remote=origin.remote,
            branch=origin.branch,
        )
    store.record_use(use)
    from repetend.patterns.monitor import after_use

    after_use(store, config, manager, use)


def gate(
    store: Store, config: Config, candidate: Candidate, *, force: bool, verb: str = "apply"
) -> bool:
    """Refuse a quarantined pattern or one whose circuit is open (unless `force`), in one line.

    Returns whether this use is the trial of a half-open circuit. `verb` is what
    the use does (`apply` a template, `run` a recipe), for the message.
    """
    from repetend.errors import UsageError
    from repetend.patterns.circuit import gate as circuit_gate

    if candidate.status == "quarantined" and not force:
        done = {"apply": "applied", "run": "run"}.get(verb, verb)
        raise UsageError(
            f"{candidate.id}: not {done}: it is quarantined (see"
            f" .repetend/patterns/quarantined/{candidate.id}.failures.md); fix it and"
            f" `repetend candidates approve {candidate.id}`, or use --force"
        )
    return circuit_gate(store, config, candidate.id, force=force, verb=verb)


def remember_applied(
    store: Store,
    candidate: Candidate,
    planned: list[PlannedFile],
    root: Path,
    *,
    source: str,
    actor: str,
    trial: bool,
) -> None:
    """Keep what one `apply` wrote, to be judged by the commit that adds it."""
    renders = renders_of(candidate, planned, root, source=source, actor=actor, trial=trial)
    remember_renders(store, renders)
