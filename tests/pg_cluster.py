"""A throw-away PostgreSQL cluster on a private socket folder, from the system's binaries.

`start_cluster()` runs `initdb` and `pg_ctl start` in a temporary folder,
listening only on a Unix socket there (no TCP port, nothing another process on
the machine can reach by accident) and returns a `Cluster` whose `url()` names a
fresh database. `initdb` refuses to run as root: as root, the cluster runs as
the `postgres` user Debian's package makes (or `nobody`), its folder handed to it.
Benchmarks use it too.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    """A PostgreSQL cluster for this session, or a skip (a failure where CI requires it)."""
    try:
        import psycopg  # noqa: F401  (the postgres extra, part of the test extra)

        cluster = start_cluster()
    except (NoCluster, ImportError) as error:
        if os.environ.get("REQUIRE_POSTGRES_TESTS"):
            pytest.fail(f"PostgreSQL is required here (REQUIRE_POSTGRES_TESTS): {error}")
        pytest.skip(f"no PostgreSQL server here: {error}")
    yield cluster
    cluster.remove()


class NoCluster(RuntimeError):
    """No PostgreSQL server could be started here; the message says why."""


def binaries() -> Path:
    """The folder of `initdb` and `pg_ctl`: on PATH, or Debian's newest versioned folder."""
    found = shutil.which("pg_ctl")
    if found and shutil.which("initdb"):
        return Path(found).resolve().parent
    folders = sorted(glob.glob("/usr/lib/postgresql/*/bin"), key=_version)
    for folder in reversed(folders):
        if (Path(folder) / "initdb").exists():
            return Path(folder)
    raise NoCluster("no PostgreSQL server binaries (initdb, pg_ctl) on PATH or /usr/lib/postgresql")


def _version(folder: str) -> float:
    try:
        return float(Path(folder).parent.name)
    except ValueError:
        return 0.0


@dataclass
class Cluster:
    """A running cluster: its folder, socket folder and the role that owns it."""

    folder: Path
    bin: Path
    user: str | None
    databases: list[str] = field(default_factory=list)

    @property
    def socket(self) -> Path:
        """The folder of the server's Unix socket."""
        return self.folder / "socket"

    def url(self, database: str | None = None) -> str:
        """A `postgresql://` address of a new (or the named) database on this cluster."""
        name = database or f"t_{uuid.uuid4().hex[:12]}"
        if name not in self.databases:
            import psycopg  # the postgres extra, which the test extra installs

            with psycopg.connect(self._address("postgres"), autocommit=True) as connection:
                connection.execute(f'CREATE DATABASE "{name}"')
            self.databases.append(name)
        return self._address(name)

    def _address(self, database: str) -> str:
        return f"postgresql://repetend@/{database}?host={self.socket}"

    def stop(self, mode: str = "fast") -> None:
        """Stop the server (the data stays: `start` brings it back)."""
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", mode, "-w", "stop")

    def start(self) -> None:
        """Start the server on its socket folder, TCP off."""
        options = f"-k {self.socket} -c listen_addresses='' -c fsync=off -c max_connections=100"
        log = str(self.folder / "server.log")
        self._run(
            "pg_ctl", "-D", str(self.folder / "data"), "-l", log, "-o", options, "-w", "start"
        )

    def remove(self) -> None:
        """Stop the server at once and delete its folder."""
        with contextlib.suppress(subprocess.CalledProcessError, OSError):
            self.stop("immediate")
        shutil.rmtree(self.folder, ignore_errors=True)

    def _run(self, program: str, *args: str) -> None:
        command = [str(self.bin / program), *args]
        if self.user is not None:
            command = ["runuser", "-u", self.user, "--", *command]
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=120)


def start_cluster() -> Cluster:
    """initdb and start a cluster in a new temporary folder; raise `NoCluster` when it cannot."""
    folder = Path(tempfile.mkdtemp(prefix="repetend-pg-"))
    cluster = Cluster(folder, binaries(), _server_user())
    (folder / "socket").mkdir()
    if cluster.user is not None:
        entry = pwd.getpwnam(cluster.user)
        os.chmod(folder, 0o755)  # the server user must reach its folder through this one
        for path in (folder, folder / "socket"):
            os.chown(path, entry.pw_uid, entry.pw_gid)
    try:
        cluster._run(
            "initdb", "-D", str(folder / "data"), "-U", "repetend", "-A", "trust", "-E", "UTF8"
        )
        cluster.start()
    except (subprocess.CalledProcessError, OSError, subprocess.TimeoutExpired) as error:
        detail = getattr(error, "stderr", "") or str(error)
        shutil.rmtree(folder, ignore_errors=True)
        raise NoCluster(
            f"could not start PostgreSQL from {cluster.bin}: {detail.strip()[-300:]}"
        ) from error
    return cluster


def _server_user() -> str | None:
    if os.geteuid() != 0:
        return None
    if shutil.which("runuser") is None:
        raise NoCluster("running as root without runuser: initdb refuses to run as root")
    for name in ("postgres", "nobody"):
        try:
            pwd.getpwnam(name)
            return name
        except KeyError:
            continue
    raise NoCluster("running as root and no postgres or nobody user to run the server as")
