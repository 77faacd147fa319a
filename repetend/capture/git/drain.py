"""The post-commit drain's entry: ingest what the hooks spooled, without the command line.

The post-commit hook starts `python -c BOOTSTRAP repetend.capture.git.drain --quiet`
detached after every commit. Entering through `repetend hooks drain` imported
click and the command modules first (~40 ms of CPU a commit, on a machine whose
cores the developer's next commit needs); this module does the same work
(`repetend hooks drain` calls it too) and imports only what ingesting needs.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from repetend.errors import RepetendError, StoreError

if TYPE_CHECKING:
    from repetend.config import Config
    from repetend.store.base import Store


def main(argv: list[str] | None = None) -> int:
    """`[--quiet]`: ingest, then say how many commits (unless quiet); always exit 0."""
    arguments = sys.argv[1:] if argv is None else argv
    done = drain_here(Path.cwd())
    if done is not None and "--quiet" not in arguments:
        sys.stdout.write(f"ingested {done} commit(s)\n")
    return 0


def drain_here(start: Path, config: Config | None = None) -> int | None:
    """Ingest the spools of the repository at `start`; None when off or the store was busy."""
    from repetend.capture.git.postcommit import drain_spools
    from repetend.capture.record import capture_config
    from repetend.config import find_root
    from repetend.plugins.registry import get_plugin_manager
    from repetend.store import open_store

    if config is None:  # a drain is capture: a bad configuration warns once, defaults go on
        config = capture_config(find_root(start))
    if config.disabled:
        return None
    store = open_store(config, patience=float(config.capture_timeout))
    try:
        done = drain_spools(store, config, get_plugin_manager(config.disable_plugins))
        sync_in_background(store, config)
    except StoreError as error:
        sys.stderr.write(f"repetend: warning: {error}; the rest waits for the next drain\n")
        return None
    finally:
        store.close()
    return done


def sync_in_background(store: Store, config: Config) -> None:
    """Push to the team store when one is set; a failure warns once per outage, then waits.

    The drain runs detached from the commit, so the commit never waits for this.
    """
    if not str(config.team_store):
        return
    from repetend.team.sync import open_team_store, push

    try:
        team = open_team_store(config, patience=float(config.capture_timeout))
        try:
            push(store, team, config)
        finally:
            team.close()
    except RepetendError as error:
        if not store.sync_value("failing"):
            sys.stderr.write(
                f"repetend: warning: not synced yet ({error}); the next drain retries\n"
            )
        store.set_sync_value("failing", str(error))
        return
    store.set_sync_value("failing", "")


if __name__ == "__main__":
    raise SystemExit(main())
