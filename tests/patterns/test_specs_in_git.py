"""Specs in git are the truth: a teammate's clone sees, keeps and checks the committed specs.

Every test works with real git: a bare remote, clones of it, real commits, pushes and pulls.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import yaml

from tests.capture.git.gitrepo import repetend, run

ID = re.compile(r"^AUTO-\d{8}-[0-9a-f]{6,}$")


def family(root: Path, name: str, count: int = 20) -> None:
    """`count` small JSON files made to one shape under `name/`."""
    folder = root / name
    folder.mkdir(parents=True, exist_ok=True)
    for n in range(count):
        document = {f"{name}_name": f"i{n}", f"{name}_owner": "platform team"}
        document[f"{name}_description"] = "A service of the platform, deployed daily."
        (folder / f"i{n}.json").write_text(json.dumps(document, indent=2) + "\n")


def clone(remote: Path, into: Path) -> Path:
    """A clone of `remote`, with an identity for its commits."""
    run(remote.parent, "git", "clone", "-q", str(remote), str(into))
    run(into, "git", "config", "user.email", f"{into.name}@example.com")
    run(into, "git", "config", "user.name", into.name)
    return into


def commit_all(root: Path, message: str) -> None:
    """Stage everything and commit (no hooks are installed in these clones)."""
    run(root, "git", "add", "-A")
    run(root, "git", "commit", "-q", "-m", message)


def mined(root: Path) -> list[dict[str, object]]:
    """`repetend mine . --json` in `root`: its families."""
    report = json.loads(repetend(root, "mine", ".", "--json").stdout)
    return list(report["families"])


def listed(root: Path) -> dict[str, str]:
    """`repetend templates list --json` in `root`: id -> status."""
    return {
        t["id"]: t["status"]
        for t in json.loads(repetend(root, "templates", "list", "--json").stdout)
    }


@pytest.fixture
def remote(tmp_path: Path) -> Path:
    """A bare repository standing for the team's remote, with one first commit."""
    bare = tmp_path / "origin.git"
    run(tmp_path, "git", "init", "-q", "--bare", "-b", "main", str(bare))
    seed = clone(bare, tmp_path / "seed")
    (seed / ".repetend").mkdir()
    (seed / ".repetend" / "config.yaml").write_text("max_auto_approve_per_day: 0\n")
    family(seed, "kind0")
    family(seed, "kind1")
    commit_all(seed, "two families")
    run(seed, "git", "push", "-q", "origin", "main")
    return bare


@pytest.fixture
def shared(remote: Path, tmp_path: Path) -> tuple[Path, str]:
    """Ana's clone mined both families, approved one by hand and pushed the specs."""
    ana = clone(remote, tmp_path / "ana")
    families = mined(ana)
    assert {f["status"] for f in families} == {"draft"}  # the cap: review by hand
    approved = next(str(f["id"]) for f in families if "kind1" in str(f["path_pattern"]))
    repetend(ana, "candidates", "approve", approved)
    commit_all(ana, "patterns")
    run(ana, "git", "push", "-q", "origin", "main")
    return ana, approved


def test_a_teammates_clone_lists_the_committed_specs(
    shared: tuple[Path, str], remote: Path, tmp_path: Path
) -> None:
    _, approved = shared
    ben = clone(remote, tmp_path / "ben")
    shown = listed(ben)
    assert shown[approved] == "approved"
    assert len(shown) == 2 and set(shown.values()) == {"approved", "draft"}


def test_mining_a_clone_keeps_the_committed_specs_byte_for_byte(
    shared: tuple[Path, str], remote: Path, tmp_path: Path
) -> None:
    _, approved = shared
    ben = clone(remote, tmp_path / "ben")
    spec = ben / ".repetend" / "patterns" / "approved" / f"{approved}.yaml"
    before = spec.read_bytes()
    families = mined(ben)
    assert spec.read_bytes() == before
    assert {str(f["id"]) for f in families} == set(listed(ben))
    assert run(ben, "git", "status", "--porcelain", ".repetend/patterns").stdout == ""


def test_an_approved_spec_pulled_from_a_teammate_is_checked_at_commit(
    shared: tuple[Path, str], remote: Path, tmp_path: Path
) -> None:
    _, approved = shared
    ben = clone(remote, tmp_path / "ben")
    repetend(ben, "status")  # Ben's store exists before the pull: it must learn the new spec
    repetend(ben, "hooks", "install")
    (ben / "kind1" / "new.json").write_text('{\n  "kind1_name": "new"\n}\n')
    run(ben, "git", "add", "kind1/new.json")
    done = run(ben, "git", "commit", "-q", "-m", "a new one", check=False)
    assert done.returncode == 0
    assert f"required by template {approved}" in done.stderr


def test_a_pulled_spec_reaches_a_store_that_existed_before_the_pull(
    remote: Path, tmp_path: Path
) -> None:
    ana, ben = clone(remote, tmp_path / "ana"), clone(remote, tmp_path / "ben")
    repetend(ben, "status")
    assert listed(ben) == {}
    first = mined(ana)[0]
    repetend(ana, "candidates", "approve", str(first["id"]))
    commit_all(ana, "patterns")
    run(ana, "git", "push", "-q", "origin", "main")
    run(ben, "git", "pull", "-q", "--rebase", "origin", "main")
    assert listed(ben)[str(first["id"])] == "approved"


def test_an_edited_spec_is_read_again_and_an_unchanged_one_is_not(
    shared: tuple[Path, str], remote: Path, tmp_path: Path
) -> None:
    _, approved = shared
    ben = clone(remote, tmp_path / "ben")
    spec = ben / ".repetend" / "patterns" / "approved" / f"{approved}.yaml"
    repetend(ben, "status")
    document = yaml.safe_load(spec.read_text())
    document["description"] = "Edited by Ben."
    spec.write_text(yaml.safe_dump(document))
    shown = json.loads(repetend(ben, "templates", "show", approved, "--json").stdout)
    assert shown["description"] == "Edited by Ben."
    os.chmod(spec, 0)  # unreadable: a command that re-read it would fail to
    try:
        assert listed(ben)[approved] == "approved"
    finally:
        os.chmod(spec, 0o644)


def test_ids_are_unique_across_machines_and_branches_merge_without_conflict(
    shared: tuple[Path, str], remote: Path, tmp_path: Path
) -> None:
    ana, _ = shared
    ben = clone(remote, tmp_path / "ben")
    family(ana, "kind2")
    family(ben, "kind3")
    ids = {}
    for person, name in ((ana, "kind2"), (ben, "kind3")):
        run(person, "git", "checkout", "-q", "-b", name)
        commit_all(person, name)
        found = next(f for f in mined(person) if name in str(f["path_pattern"]))
        repetend(person, "candidates", "approve", str(found["id"]))
        ids[name] = str(found["id"])
        commit_all(person, f"approve {name}")
        run(person, "git", "push", "-q", "origin", name)
    assert ids["kind2"] != ids["kind3"]
    assert all(ID.match(pattern_id) for pattern_id in ids.values())
    run(ana, "git", "fetch", "-q", "origin")
    merged = run(ana, "git", "merge", "-q", "--no-edit", "origin/kind3", check=False)
    assert merged.returncode == 0, merged.stdout + merged.stderr
    shown = listed(ana)
    assert shown[ids["kind2"]] == "approved" and shown[ids["kind3"]] == "approved"
    assert len(shown) == 4


def test_a_spec_with_an_old_counter_id_keeps_working(repo: Path) -> None:
    family(repo, "kind0")
    commit_all(repo, "family")
    found = mined(repo)[0]
    patterns = repo / ".repetend" / "patterns"
    document = yaml.safe_load(next(patterns.rglob(f"{found['id']}.yaml")).read_text())
    for spec in patterns.rglob("*.yaml"):
        spec.unlink()
    document["id"] = "AUTO-20250101-001"
    (patterns / "approved").mkdir(exist_ok=True)
    (patterns / "approved" / "AUTO-20250101-001.yaml").write_text(yaml.safe_dump(document))
    (repo / ".repetend" / "repetend.db").unlink()
    assert listed(repo) == {"AUTO-20250101-001": "approved"}
    assert [f["id"] for f in mined(repo)] == ["AUTO-20250101-001"]
