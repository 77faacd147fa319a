"""Sync to the team store: capture stays local, the drain pushes, each row arrives once."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest

from repetend.store.postgres import PostgreSQLStore
from repetend.store.sqlite import SQLiteStore
from tests.capture.git.gitrepo import commit, repetend, run, spool_empty, wait_for, write
from tests.pg_cluster import Cluster


def team_rows(url: str, sql: str) -> list[tuple[object, ...]]:
    """Rows of a query on the team store, through a fresh connection."""
    store = PostgreSQLStore(url)
    try:
        return [tuple(row) for row in store.query(sql)]
    finally:
        store.close()


def commits_on_team(url: str) -> list[str]:
    rows = team_rows(url, "SELECT payload FROM events WHERE source = 'git' ORDER BY id")
    return [json.loads(str(row[0]))["sha"] for row in rows]


def head(root: Path) -> str:
    return run(root, "git", "rev-parse", "HEAD").stdout.strip()


@pytest.fixture
def team_repo(plugged: Path, pg_cluster: Cluster) -> tuple[Path, str]:
    """A repository with the hooks installed and a team store on the session's cluster."""
    url = pg_cluster.url()
    write(plugged, ".repetend/config.yaml", f"team_store: '{url}'\ncapture_timeout: 2\n")
    repetend(plugged, "hooks", "install")
    return plugged, url


def test_a_server_that_is_down_only_delays_and_every_commit_arrives_once(
    team_repo: tuple[Path, str], pg_cluster: Cluster
) -> None:
    root, url = team_repo
    shas = []
    for n in range(2):
        write(root, f"up{n}.txt", f"{n}\n")
        assert commit(root, f"up {n}").returncode == 0
        shas.append(head(root))
    wait_for(lambda: spool_empty(root) and commits_on_team(url) == shas, timeout=60)
    pg_cluster.stop()
    try:
        for n in range(3):
            write(root, f"down{n}.txt", f"{n}\n")
            started = time.monotonic()
            assert commit(root, f"down {n}").returncode == 0
            assert time.monotonic() - started < 10  # the commit never waits for the server
            shas.append(head(root))
        wait_for(lambda: spool_empty(root), timeout=60)
        time.sleep(1)  # the last drain's sync attempt has failed by now
    finally:
        pg_cluster.start()
    write(root, "back.txt", "1\n")
    assert commit(root, "back").returncode == 0  # its drain sends what waited
    shas.append(head(root))
    wait_for(lambda: spool_empty(root) and len(commits_on_team(url)) >= len(shas), timeout=60)
    again = json.loads(repetend(root, "sync", "--json").stdout)
    assert again["sent"]["events"] == 0
    assert commits_on_team(url) == shas  # every commit, once, in order


def _local_store(root: Path) -> SQLiteStore:
    return SQLiteStore(root / ".repetend" / "repetend.db")


def _record(root: Path, *lines: str) -> None:
    from repetend.events import Event

    store = _local_store(root)
    secret = "ghp_" + "a1B2" * 9
    store.add_events(
        [Event("shell", "command", {"command": line, "token": secret}) for line in lines]
        + [Event("git", "commit", {"sha": "abc", "note": f"pushed with {secret}"})]
    )
    store.close()


def test_who_and_where_are_stamped_secrets_stay_and_commands_can_stay_local(
    repo: Path, pg_cluster: Cluster
) -> None:
    url = pg_cluster.url()
    run(repo, "git", "remote", "add", "origin", "https://ana:tok3n@git.example.com/team/app.git")
    write(repo, ".repetend/config.yaml", f"team_store: '{url}'\nteam_share_commands: false\n")
    _record(repo, "make test", "make deploy")
    done = repetend(repo, "sync")
    assert "sent 1 event(s)" in done.stdout and "2 command row(s) kept" in done.stdout
    [row] = team_rows(url, "SELECT source, payload, user_name, machine, remote, branch FROM events")
    source, payload, user, machine, remote, branch = row
    assert source == "git" and "ghp_" not in str(payload)
    assert remote == "https://git.example.com/team/app.git"  # no user name, no token
    assert branch == "main" and len(str(user)) == 12 and len(str(machine)) == 12
    write(repo, ".repetend/config.yaml", f"team_store: '{url}'\nteam_identity: named\n")
    _record(repo, "make lint")
    repetend(repo, "sync")
    rows = team_rows(url, "SELECT kind, user_name, payload FROM events ORDER BY id")
    assert [r[0] for r in rows] == ["commit", "command", "commit"]  # the old commands stayed
    assert rows[1][1] not in ("", user) and "ghp_" not in str(rows[1][2])


def test_sync_without_a_team_store_is_one_line_and_exit_2(repo: Path) -> None:
    done = repetend(repo, "sync", check=False)
    assert done.returncode == 2
    assert done.stderr.strip().count("\n") == 0 and "team_store is not set" in done.stderr


def test_two_machines_pushing_the_same_rows_twice_store_each_once(
    tmp_path: Path, repo: Path, pg_cluster: Cluster
) -> None:
    from repetend.config import load_config
    from repetend.team.sync import push

    url = pg_cluster.url()
    write(repo, ".repetend/config.yaml", f"team_store: '{url}'\n")
    _record(repo, "a", "b")
    config = load_config(repo)
    local, team = _local_store(repo), PostgreSQLStore(url)
    try:
        first = push(local, team, config)
        local.set_sync_value(f"sent:{team.location}:events", "0")  # as if the cursor was lost
        second = push(local, team, config)
    finally:
        local.close()
        team.close()
    assert first.sent["events"] == 3 and second.sent["events"] == 0 and second.already == 3


def test_two_syncs_started_at_once_in_one_repository_send_each_row_once(
    repo: Path, pg_cluster: Cluster
) -> None:
    import subprocess
    import sys

    url = pg_cluster.url()
    write(repo, ".repetend/config.yaml", f"team_store: '{url}'\n")
    _record(repo, *[f"make {n}" for n in range(300)])
    syncs = [
        subprocess.Popen([sys.executable, "-m", "repetend", "sync"], cwd=repo) for _ in range(3)
    ]
    assert [s.wait(timeout=120) for s in syncs] == [0, 0, 0]
    [(rows, stores)] = team_rows(
        url, "SELECT COUNT(*), COUNT(DISTINCT split_part(sync_key, ':', 1)) FROM events"
    )
    assert (rows, stores) == (301, 1)
