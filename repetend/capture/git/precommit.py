"""The pre-commit check: staged content of added files against approved templates and families.

`repetend.capture.git.quick_check` runs this when it cannot answer alone. It
reads the staged blobs (never the working tree) of the files the commit adds,
asks the plugins what each is missing from the approved template it matches,
and, when several new files arrive together, whether they form a new family.
It prints warnings and proposals and lets the commit go on, unless `strict`
is set and a file is missing something; then it exits `STRICT_BLOCK`.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

from repetend.capture.git.check_snapshot import MAX_BYTES
from repetend.capture.git.git import blob_id, read_blobs, staged_added
from repetend.capture.git.scripts import STRICT_BLOCK
from repetend.config import STATE_DIR, Config, find_root
from repetend.errors import StoreError

if TYPE_CHECKING:
    import pluggy

    from repetend.store.base import Store

STARTED = time.monotonic()  # when the hook's Python got here


def main(argv: list[str] | None = None) -> int:
    """Check the index of the repository at the current folder; return the hook's exit code."""
    del argv  # the hook takes no arguments; git passes none to pre-commit
    try:
        return check(find_root())
    except Exception as error:  # fail open: a broken check must never cost anyone a commit
        sys.stderr.write(
            f"repetend: pre-commit check failed ({type(error).__name__}: {error});"
            " the commit goes on\n"
        )
        return 0


def check(root: Path) -> int:
    """Run the check; return 0, or `STRICT_BLOCK` when strict and a file misses something."""
    from repetend.capture.record import capture_config

    config = capture_config(root)  # a bad configuration: one warning, the defaults
    if config.disabled:
        return 0
    # repetend's own files (patterns, config) are never checked against templates.
    added = [(p, blob) for p, blob in staged_added(root) if not p.startswith(STATE_DIR + "/")]
    if not added:
        return 0
    from repetend.plugins.registry import get_plugin_manager
    from repetend.store import open_store

    timeout = float(config.capture_timeout)
    store = open_store(config, patience=timeout)
    # The commit waits at most capture_timeout in all, from this check's start: opening the
    # store (a reader may wait out a checkpoint) counts too.
    left = max(timeout - (time.monotonic() - STARTED), 0.0)
    try:
        with store.budget(left):
            from repetend.patterns.spec_index import index_spec_files

            index_spec_files(store, config)  # a pulled approved spec is checked now
            manager = get_plugin_manager(config.disable_plugins)
            _remember_templates(root, config, manager, store)
            texts = staged_texts(root, added)
            problems = [
                line
                for path, text in texts.items()
                for line in _problems(path, text, store, config, manager)
            ]
            for line in problems:
                sys.stderr.write(f"repetend: warning: {line}\n")
            from repetend.uses.checks import note_warnings

            note_warnings(store, added, problems)  # a file committed anyway counts against it
            if len(added) >= 2:
                _propose_families_or_say(root, added, texts, store, config, manager)
    finally:
        store.close()
    if problems and config.strict:
        sys.stderr.write(
            "repetend: strict is on, so the commit stops here"
            " (fix the files above, or commit with REPETEND_DISABLE=1)\n"
        )
        return STRICT_BLOCK
    return 0


def _remember_templates(
    root: Path, config: Config, manager: pluggy.PluginManager, store: Store
) -> None:
    """Leave the next check the approved templates, when a quick answer can be trusted."""
    from repetend.capture.git import check_snapshot
    from repetend.config import load_config
    from repetend.errors import ConfigError
    from repetend.patterns.template_files import KIND
    from repetend.store import is_postgres

    answering = manager.hook.repetend_check_staged_file.get_hookimpls()
    try:
        load_config(root)  # a configuration that warns must go on warning: no snapshot
        usable = [impl.plugin_name for impl in answering] == ["file-miner"]
    except ConfigError:
        usable = False
    if not usable or is_postgres(str(config.store)):  # a team store changes elsewhere
        check_snapshot.forget(root)
        return
    key = check_snapshot.stamp(root, str(config.store_path))
    approved = store.candidates(status="approved", kind=KIND)
    templates = [(str(c.id), list(c.spec.get("files") or [])) for c in approved]
    try:
        check_snapshot.write(root, key, templates)
    except (TypeError, ValueError):  # a spec JSON cannot hold: no quick answers
        check_snapshot.forget(root)


def staged_texts(root: Path, added: list[tuple[str, str]]) -> dict[str, str]:
    """Staged text of each added file; binary, oversized and undecodable files are left out."""
    blobs = read_blobs(root, {blob for _, blob in added})
    texts: dict[str, str] = {}
    for path, blob in added:
        content = blobs.get(blob, b"")
        if len(content) > MAX_BYTES or b"\x00" in content[:8192]:
            continue
        try:
            texts[path] = content.decode("utf-8")
        except UnicodeDecodeError:
            continue
    return texts


def _problems(
    path: str, text: str, store: Store, config: Config, manager: pluggy.PluginManager
) -> list[str]:
    from repetend.plugins.registry import call_hook

    answers = call_hook(
        manager,
        "repetend_check_staged_file",
        path=path,
        text=text,
        root=config.root,
        store=store,
        config=config,
    )
    return [f"{path}: {line}" for answer in answers for line in answer]


def _propose_families_or_say(
    root: Path,
    added: list[tuple[str, str]],
    texts: dict[str, str],
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
) -> None:
    try:
        _propose_families(root, added, texts, store, config, manager)
    except StoreError as error:  # the post-commit drain offers the files again
        sys.stderr.write(f"repetend: warning: new families not checked now ({error})\n")


def _propose_families(
    root: Path,
    added: list[tuple[str, str]],
    texts: dict[str, str],
    store: Store,
    config: Config,
    manager: pluggy.PluginManager,
) -> None:
    from repetend.plugins.registry import call_hook

    # The index reads files from disk, so only files whose working copy is what is staged
    # (the usual case, and always so under the pre-commit framework) are offered to it.
    same = [root / p for p, blob in added if p in texts and _working_blob(root / p) == blob]
    if len(same) < 2:
        return
    answers = call_hook(
        manager,
        "repetend_files_changed",
        paths=same,
        root=root,
        store=store,
        config=config,
    )
    candidates = [candidate for answer in answers for candidate in answer]
    if candidates:
        from repetend.patterns.lifecycle import propose

        propose(candidates, store, config, manager)


def _working_blob(path: Path) -> str:
    try:
        return blob_id(path.read_bytes())
    except OSError:
        return ""


if __name__ == "__main__":
    raise SystemExit(main())
