"""Latency of the file miner's real-time hooks on a mined copy of starter-workflows.

The git hooks and the watcher call these on every commit or save, so each
must cost tens of milliseconds. Baseline, measured in the same run: one
`git status`-sized operation, reading the file the hook is asked about.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
from pathlib import Path

from _common import CORPORA, copy_tree, miner_for, timed

RUNS = 20


def median_ms(action: object) -> float:
    samples = [timed(action)[1] for _ in range(RUNS)]  # type: ignore[arg-type]
    return statistics.median(samples) * 1000


def main() -> int:
    os.environ.setdefault("REPETEND_PLUGINS", "")
    from repetend.config import load_config
    from repetend.patterns.lifecycle import review
    from repetend.plugins.registry import call_hook, get_plugin_manager
    from repetend.plugins.types import SuggestionContext

    with tempfile.TemporaryDirectory() as temporary:
        root = Path(temporary) / "starter-workflows"
        copy_tree(CORPORA / "starter-workflows", root)
        with miner_for(root) as mine:
            mine()
        config = load_config(root)
        from repetend.store import open_store

        store = open_store(config)
        manager = get_plugin_manager()
        template = next(
            c
            for c in store.candidates(kind="file-template")
            if c.spec["family"] == "ci/properties/*.json"
        )
        review(store, config, manager, template.id, "approved", actor="benchmark")
        staged = (root / "ci/properties/go.properties.json").read_text()
        new_file = root / "ci/properties/zig.properties.json"
        new_file.write_text(staged.replace("Go", "Zig"))

        def check() -> object:
            return call_hook(
                manager,
                "repetend_check_staged_file",
                path="ci/properties/zig.properties.json",
                text=staged,
                root=root,
                store=store,
                config=config,
            )

        def suggest() -> object:
            context = SuggestionContext("file-created", root, path=new_file, store=store)
            return call_hook(manager, "repetend_suggest", context=context)

        def changed() -> object:
            return call_hook(
                manager,
                "repetend_files_changed",
                paths=[new_file],
                root=root,
                store=store,
                config=config,
            )

        first, first_time = timed(changed)
        print(f"answers: check {check()!r}")
        commands = [s.command for answer in suggest() for s in answer]  # type: ignore[attr-defined]
        print(f"         suggest {commands}")
        learned = [c.spec["learned"] for answer in first for c in answer]  # type: ignore[attr-defined]
        print(f"         files_changed (first call) {learned}")
        print(f"files_changed, first call:       {first_time * 1000:.1f} ms")
        baseline = median_ms(lambda: new_file.read_text())
        print(f"baseline (read the file):        {baseline:.2f} ms")
        for name, action in (
            ("check_staged_file", check),
            ("suggest", suggest),
            ("files_changed", changed),
        ):
            value = median_ms(action)
            ratio = value / baseline
            print(f"{name + ':':32} {value:.1f} ms median of {RUNS} ({ratio:.0f}x baseline)")
        store.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
