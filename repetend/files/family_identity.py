"""A family's identity and the digest of its members: enough to tell that nothing changed.

Kept apart from the template learner so that the git hooks, which mostly find
a family unchanged, can tell without importing the learner (and Jinja2).
"""

from __future__ import annotations

import hashlib

from repetend.files.families import Family
from repetend.files.index import IndexedFile


def family_signature(family: Family) -> str:
    """The stable identity of a family's candidate: the place its files live."""
    return f"files:{family.key}"


def members_digest(rows: list[IndexedFile]) -> str:
    """A digest of the members and their contents: unchanged means nothing to relearn."""
    text = "\n".join(f"{row.path}\0{row.digest}" for row in sorted(rows, key=lambda r: r.path))
    return hashlib.blake2b(text.encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
