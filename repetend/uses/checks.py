"""What the pre-commit check said of each new file, kept for the commit that follows.

The check only warns (unless `strict`), so a person may commit the file as it
is — or with `--no-verify`, or in a second commit. The post-commit judge counts
a committed file that lacks its template's fixed text against the template,
and says whether the check had warned about it.
"""

from __future__ import annotations

import contextlib

from repetend.errors import StoreError
from repetend.store.base import Store


def note_warnings(store: Store, added: list[tuple[str, str]], problems: list[str]) -> None:
    """Keep (path, staged blob, warned) of each added file the check warned about."""
    warned = [(path, blob, True) for path, blob in added if _warned(path, problems)]
    if not warned:
        return
    # Evidence only: the commit never waits on it (the judge still sees the file).
    with contextlib.suppress(StoreError):
        store.note_checks(warned)


def _warned(path: str, problems: list[str]) -> bool:
    prefix = f"{path}: "
    return any(line.startswith(prefix) for line in problems)
