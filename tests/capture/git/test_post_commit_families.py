"""A commit regroups from the whole index: the families after it are the families `mine` finds."""

from __future__ import annotations

import json
from pathlib import Path

import yaml

from tests.capture.git.gitrepo import commit, repetend, spool_empty, wait_for, write

WORKFLOWS = ["build", "lint", "release", "docs", "test", "deploy", "nightly", "audit", "bench"]
SERVICES = ["api", "web", "worker", "cache", "queue"]


def workflow(name: str) -> str:
    return (
        f"name: {name}\non:\n  push:\n    branches: [main]\njobs:\n  {name}:\n"
        f"    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n"
        f"      - run: make {name}\n"
    )


def service(name: str, port: int) -> str:
    return (
        f"service: {name}\nimage: registry.example.com/{name}:1.0\nreplicas: 2\n"
        f"ports:\n  - {port}\nhealthcheck:\n  path: /health/{name}\n  interval: 10s\n"
    )


def sizes(root: Path) -> dict[str, tuple[str, int]]:
    """Each template's family glob -> (id, size), as `templates list` and the specs say."""
    rows = json.loads(repetend(root, "templates", "list", "--json").stdout)
    found = {}
    for row in rows:
        spec = yaml.safe_load((root / row["spec_path"]).read_text())
        found[spec["family"]] = (row["id"], row["size"])
    return found


def test_committing_a_new_member_of_one_family_leaves_the_other_family_whole(repo: Path) -> None:
    for name in WORKFLOWS:
        write(repo, f"config/{name}.yml", workflow(name))
    for port, name in enumerate(SERVICES, 8000):
        write(repo, f"config/{name}.yml", service(name, port))
    assert commit(repo, "configs").returncode == 0
    repetend(repo, "mine", ".")
    before = sizes(repo)
    assert sorted(size for _, size in before.values()) == [len(SERVICES), len(WORKFLOWS)]
    services = next(id_ for id_, size in before.values() if size == len(SERVICES))
    repetend(repo, "hooks", "install")
    shown = json.loads(repetend(repo, "templates", "show", services, "--json").stdout)
    values = {v["name"]: v["examples"][0] for v in shown["variables"] if v.get("examples")}
    (repo / "values.yaml").write_text(yaml.safe_dump({**values, "slug": "search"}))
    repetend(repo, "apply", services, "--from", "values.yaml")
    (repo / "values.yaml").unlink()
    assert (repo / "config" / "search.yml").is_file()
    assert commit(repo, "a new service").returncode == 0
    wait_for(lambda: spool_empty(repo))
    after_commit = sizes(repo)
    repetend(repo, "mine", ".")
    after_mine = sizes(repo)
    assert sorted(size for _, size in after_commit.values()) == [len(SERVICES) + 1, len(WORKFLOWS)]
    assert after_commit == after_mine
