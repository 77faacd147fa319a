"""Templates whose family `mine` no longer finds: drafts retire, approved ones are marked stale.

A draft whose family is gone is rejected by repetend with a note (an automatic
rejection, so the same template comes back as a draft, with its id, when the
family does). An approved template stays approved, since a person decided it, but its spec
says `stale:` until its family is found again.
"""

from __future__ import annotations

from collections.abc import Iterable

from repetend.config import Config
from repetend.events import Candidate
from repetend.patterns.files import write_spec
from repetend.patterns.template_files import KIND
from repetend.store.base import Store

RETIRED = "retired: `repetend mine` no longer finds its family"
STALE = "its family is no longer found by `repetend mine`; the files it was learned from changed"


def retire_vanished(store: Store, config: Config, signatures: Iterable[str]) -> list[Candidate]:
    """Retire drafts and mark approved templates stale where the family is gone; return them."""
    found = set(signatures)
    changed = []
    for candidate in store.candidates(kind=KIND):
        gone = candidate.signature not in found
        if gone and candidate.status == "draft":
            changed.append(
                _saved(
                    store,
                    config,
                    store.set_status(candidate.id, "rejected", actor="repetend", note=RETIRED),
                )
            )
        elif candidate.status == "approved" and gone != bool(candidate.spec.get("stale")):
            _mark(candidate, stale=gone)
            store.save_candidate(candidate, actor="repetend", note=STALE if gone else "found again")
            changed.append(_saved(store, config, candidate))
    return changed


def _mark(candidate: Candidate, *, stale: bool) -> None:
    spec = dict(candidate.spec)
    if stale:
        spec["stale"] = STALE
    else:
        spec.pop("stale", None)
    candidate.spec = spec


def _saved(store: Store, config: Config, candidate: Candidate) -> Candidate:
    """Write the candidate's spec where its status keeps it, and store that path."""
    path = write_spec(config.patterns_dir, candidate)
    try:
        relative = path.relative_to(config.root).as_posix()
    except ValueError:
        relative = str(path)
    if candidate.spec_path != relative:
        candidate.spec_path = relative
        store.set_spec_path(candidate.id, relative)
    return candidate
