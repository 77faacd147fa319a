"""A suggester plugin for the watcher benchmark: every new `bench/*.py` matches `T-bench`.

It stands in for the file miner's suggester so the benchmark measures the
watcher's own path (events, debounce, ignore check, index hook, suggest
hook, dedupe, event recording, printing) before the miner lands.
"""

from __future__ import annotations

from pathlib import PurePosixPath

from repetend.plugins import hookimpl
from repetend.plugins.types import Suggestion, SuggestionContext


@hookimpl
def repetend_suggest(context: SuggestionContext) -> list[Suggestion] | None:
    """Suggest `T-bench` for every Python file created under `bench/`."""
    if context.path is None:
        return None
    relative = PurePosixPath(context.path.relative_to(context.root).as_posix())
    if relative.parts[0] != "bench" or relative.suffix != ".py":
        return None
    return [
        Suggestion(
            pattern_id="T-bench",
            message=f"{relative} matches template T-bench",
            command=f"repetend apply T-bench --set name={relative.stem}",
            evidence=("bench/example.py",),
        )
    ]
