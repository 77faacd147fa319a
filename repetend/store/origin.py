"""Who made the events a machine pushes, and where: user and machine, remote and branch.

`team_identity: hashed` (the default) sends digests of the user and machine
names, salted with the repository's remote, so the team store can tell people
apart (one person's view) without holding their login names; `named` sends them.
A remote's address loses any user name or token it carries before it is sent.
"""

from __future__ import annotations

import getpass
import hashlib
import socket
import subprocess
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from repetend.config import Config
from repetend.errors import ConfigError

IDENTITIES = ("hashed", "named")


@dataclass(frozen=True)
class Origin:
    """Who and where, as stamped on every row pushed."""

    user_name: str
    machine: str
    remote: str
    branch: str

    @classmethod
    def of(cls, config: Config) -> Origin:
        """This machine's user and name, and the repository's remote and current branch."""
        mode = str(config.team_identity)
        if mode not in IDENTITIES:
            raise ConfigError(
                f"team_identity = {mode!r} is not valid (expected one of {', '.join(IDENTITIES)})"
            )
        remote = public_remote(_git(config.root, "config", "--get", "remote.origin.url"))
        # The branch checked out (also before its first commit), or the commit when detached.
        branch = _git(config.root, "symbolic-ref", "--short", "-q", "HEAD") or _git(
            config.root, "rev-parse", "--short", "HEAD"
        )
        user, machine = _user(), socket.gethostname()
        if mode == "hashed":
            user, machine = _hashed(remote, user), _hashed(remote, machine)
        return cls(user, machine, remote, branch)


def public_remote(address: str) -> str:
    """A remote's address without the user name, password or token it may carry."""
    if "://" not in address:
        return address.split("@", 1)[-1] if "@" in address.split(":", 1)[0] else address
    parts = urlsplit(address)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def _hashed(salt: str, value: str) -> str:
    return hashlib.blake2b(f"{salt}\0{value}".encode(), digest_size=6).hexdigest()


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        return "unknown"


def _git(root: Path, *args: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=10
        )
    except (OSError, subprocess.SubprocessError):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""
