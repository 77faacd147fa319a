"""Shell completion of template and candidate ids (click's completion, see docs/guide.md).

Completion runs before any command callback, so it reads the store itself: read
only, and only when it exists, so pressing Tab never creates `.repetend/`.
"""

from __future__ import annotations

from pathlib import Path

import click
from click.shell_completion import CompletionItem

FILE_TEMPLATE = "file-template"


def complete_candidate_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Every candidate id that starts with what was typed, its name as the help."""
    return _ids(ctx, incomplete, kind=None)


def complete_template_ids(
    ctx: click.Context, param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Every file template id that starts with what was typed, its path pattern as the help."""
    return _ids(ctx, incomplete, kind=FILE_TEMPLATE)


def _ids(ctx: click.Context, incomplete: str, kind: str | None) -> list[CompletionItem]:
    import sqlite3  # only when completing: `--help` of these commands stays light

    path = _store_path(ctx)
    if path is None or not path.is_file():
        return []
    sql = "SELECT id, name FROM candidates WHERE id LIKE ? || '%'"
    params: list[str] = [incomplete]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            rows = db.execute(sql + " ORDER BY id", params).fetchall()
    except sqlite3.Error:  # an old or locked store: no completions, never an error
        return []
    return [CompletionItem(row[0], help=row[1]) for row in rows]


def _store_path(ctx: click.Context) -> Path | None:
    """The store the command would use: --store, the configured store, or the default."""
    from repetend.config import load_config

    top = ctx.find_root()
    overrides = {"store": top.params["store"]} if top.params.get("store") else {}
    try:
        return Path(load_config(top.params.get("root"), overrides).store_path)
    except Exception:  # a bad configuration: completion offers nothing rather than failing
        return None
