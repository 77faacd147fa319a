"""One person's view, or the team's: which rows of a store a `--user`/`--machine`/… filter keeps.

Rows pushed to a team store carry who (user and machine, hashed or named per
`team_identity`) and where (remote, branch); see `origin`. A filter names a
person as they know themselves: `--user ana` keeps the rows stamped `ana`
(named) and those stamped with ana's digest salted with any remote the store
holds (hashed), so nobody has to know digests. `me` is this machine's user (or
machine). Rows with no who at all in a SQLite store are a machine's own rows:
they are this machine's user's, so `--user me` keeps them too (on PostgreSQL
such rows were written by someone unknown: no name keeps them). No filter is
the team.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass

from repetend.config import Config
from repetend.store.base import Store, Who
from repetend.store.origin import _hashed, _user, public_remote

ME = "me"


@dataclass(frozen=True)
class Scope:
    """The filter as given on the command line or in the dashboard's address ('' = any)."""

    user: str = ""
    machine: str = ""
    remote: str = ""
    branch: str = ""

    @property
    def label(self) -> str:
        """How reports name the view: `user ana, branch main`, or `the team`."""
        given = [(name, value) for name, value in vars(self).items() if value]
        return ", ".join(f"{name} {value}" for name, value in given) or "the team"

    def who(self, store: Store, config: Config) -> Who | None:
        """The column values the rows may hold (None: the whole team, no filter)."""
        if not any(vars(self).values()):
            return None
        found: Who = {}
        remotes = _remotes(store, config)
        for column, value, own in (
            ("user_name", self.user, _user()),
            ("machine", self.machine, socket.gethostname()),
        ):
            if value:
                name = own if value == ME else value
                values = {name, *(_hashed(remote, name) for remote in remotes)}
                if name == own and getattr(store, "dialect", "sqlite") == "sqlite":
                    values.add("")  # a machine's own rows carry no who: they are its user's
                found[column] = sorted(values)
        if self.remote:
            found["remote"] = [public_remote(self.remote)]
        if self.branch:
            found["branch"] = [self.branch]
        return found


def _remotes(store: Store, config: Config) -> set[str]:
    """Every remote the store's rows name, and this repository's (the salts of digests)."""
    from repetend.store.origin import _git

    found = {public_remote(_git(config.root, "config", "--get", "remote.origin.url"))}
    return found | set(store.remotes())
