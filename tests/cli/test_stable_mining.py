"""Mining gives the same templates whatever was mined before; vanished families retire."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml

from repetend.cli import main
from tests.cli.conftest import git

SERVICES = {"api": 8000, "web": 8001, "worker": 8002, "cache": 8003, "queue": 8004}
LIFECYCLE = ("version", "created_at", "updated_at", "status", "confidence")


def service(name: str, port: int, replicas: int = 2) -> str:
    return (
        f"service: {name}\nimage: registry.example.com/{name}:1.0\nreplicas: {replicas}\n"
        f"ports:\n  - {port}\nhealthcheck:\n  path: /health/{name}\n  interval: 10s\n"
    )


def write_services(repo: Path, replicas: dict[str, int] | None = None) -> None:
    (repo / "services").mkdir(exist_ok=True)
    for name, port in SERVICES.items():
        text = service(name, port, (replicas or {}).get(name, 2))
        (repo / "services" / f"{name}.yml").write_text(text)


def mine(capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    families: list[dict[str, Any]] = json.loads(capsys.readouterr().out)["families"]
    return families


def templates(repo: Path) -> dict[str, Any]:
    """Every spec (without its lifecycle fields) and every Jinja2 file under .repetend/patterns."""
    found: dict[str, Any] = {}
    for path in sorted((repo / ".repetend" / "patterns").rglob("*")):
        if path.suffix == ".yaml":
            spec = yaml.safe_load(path.read_text())
            found[path.name] = {k: v for k, v in spec.items() if k not in LIFECYCLE}
        elif path.is_file():
            found[path.name] = path.read_text()
    return found


def test_changing_files_and_restoring_them_gives_the_first_templates_back(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_services(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    mine(capsys)
    first = templates(repo)
    write_services(repo, {"api": 5, "web": 7})
    mine(capsys)
    assert templates(repo) != first  # the changed files were learned from
    write_services(repo)
    mine(capsys)
    assert templates(repo) == first


def status_of(capsys: pytest.CaptureFixture[str], template_id: str) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["templates", "show", template_id, "--json"]) == 0
    shown: dict[str, Any] = json.loads(capsys.readouterr().out)
    return shown


def test_a_vanished_family_retires_its_draft_and_marks_an_approved_one_stale(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_services(repo)
    for name in ("intro", "setup", "usage"):
        (repo / "docs").mkdir(exist_ok=True)
        (repo / "docs" / f"{name}.md").write_text(f"# {name}\n\n## Steps\n\n- one\n- two\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "tree")
    by_pattern = {f["path_pattern"]: f["id"] for f in mine(capsys)}
    draft, approved = by_pattern["docs/{{ slug }}.md"], by_pattern["services/{{ slug }}.yml"]
    assert main(["candidates", "approve", approved]) == 0
    for path in [*(repo / "docs").iterdir(), *(repo / "services").iterdir()]:
        path.unlink()
    mine(capsys)
    retired = status_of(capsys, draft)
    assert retired["status"] == "rejected"
    assert (repo / ".repetend" / "patterns" / "rejected" / f"{draft}.yaml").is_file()
    stale = status_of(capsys, approved)
    assert stale["status"] == "approved"
    assert "no longer found" in stale["stale"]
    write_services(repo)
    mine(capsys)
    assert "stale" not in status_of(capsys, approved)


MANY = {f"svc{n:02d}": 8000 + n for n in range(30)}


def write_many(repo: Path, changes: dict[str, tuple[int, int]] | None = None) -> None:
    """30 services, replicas 1-3 by turn; `changes` gives some a port and replicas of their own."""
    (repo / "services").mkdir(exist_ok=True)
    for number, (name, port) in enumerate(MANY.items()):
        new_port, replicas = (changes or {}).get(name, (port, 1 + number % 3))
        (repo / "services" / f"{name}.yml").write_text(service(name, new_port, replicas))


def spec_of(repo: Path) -> dict[str, Any]:
    """The one spec, without its lifecycle fields (the digest is a counter: see patterns.files)."""
    (path,) = (repo / ".repetend" / "patterns").glob("*/*.yaml")
    spec: dict[str, Any] = yaml.safe_load(path.read_text())
    return {k: v for k, v in spec.items() if k not in LIFECYCLE}


def mined(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    report: dict[str, Any] = json.loads(capsys.readouterr().out)
    return report


def fresh_spec(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, repo: Path) -> dict[str, Any]:
    """The spec a first `mine` of a copy of the tree as it is now writes."""
    copy = tmp_path / "copy"
    copy.mkdir()
    git(copy, "init", "-q")
    (copy / "services").mkdir()
    for path in (repo / "services").iterdir():
        (copy / "services" / path.name).write_bytes(path.read_bytes())
    monkeypatch.chdir(copy)
    try:
        assert main(["mine", ".", "--json"]) == 0
        return spec_of(copy)
    finally:
        monkeypatch.chdir(repo)


def test_a_few_changed_members_past_the_examples_keep_their_template_as_a_fresh_mine_learns_it(
    repo: Path, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_many(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    assert mined(capsys)["refitted"] == 0
    first = spec_of(repo)
    assert max(max(positions) for positions in first["example_sources"].values()) < 20
    write_many(repo, {"svc25": (9125, 3), "svc28": (9128, 2)})  # values like the others'
    assert mined(capsys)["refitted"] == 1  # kept, not learned again
    changed = spec_of(repo)
    assert changed == first
    fresh = fresh_spec(tmp_path, monkeypatch, repo)  # what mining the changed tree afresh writes
    assert {k: v for k, v in fresh.items() if k != "members_digest"} == {
        k: v for k, v in changed.items() if k != "members_digest"
    }
    capsys.readouterr()
    write_many(repo)
    mined(capsys)
    assert spec_of(repo) == first


def test_a_changed_member_its_examples_came_from_is_learned_again_and_quotes_its_new_text(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_many(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    mined(capsys)
    write_many(repo, {"svc00": (7999, 1)})  # the first member: the examples' first port
    assert mined(capsys)["refitted"] == 0
    text = yaml.safe_dump(spec_of(repo)["variables"])
    assert "7999" in text
    assert "8000" not in text


@pytest.mark.parametrize(
    "changes",
    [
        {"svc05": (8005, 1)},  # replicas 3 -> 1: a value shown before it
        {"svc01": (8001, 3)},  # replicas 2 -> 3: it gave the example 2
        {"svc02": (8002, 2)},  # replicas 3 -> 2: it gave the example 3, now shown earlier
        {"svc20": (9020, 3), "svc29": (9029, 1)},  # new ports past the examples
    ],
)
def test_after_any_change_the_spec_is_what_mining_the_tree_afresh_writes(
    repo: Path,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    changes: dict[str, tuple[int, int]],
) -> None:
    write_many(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    mined(capsys)
    write_many(repo, changes)
    mined(capsys)
    fresh = fresh_spec(tmp_path, monkeypatch, repo)
    assert {k: v for k, v in spec_of(repo).items() if k != "members_digest"} == {
        k: v for k, v in fresh.items() if k != "members_digest"
    }


def test_an_approved_templates_proposed_version_is_withdrawn_when_the_files_come_back(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write_many(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    (family,) = mined(capsys)["families"]
    assert main(["candidates", "approve", family["id"]]) == 0
    first = spec_of(repo)
    changed = repo / "services" / "svc03.yml"
    changed.write_text(changed.read_text() + "timeout: 5s\n")  # a line no template has
    mined(capsys)
    history = repo / ".repetend" / "patterns" / "history" / family["id"]
    assert (history / "1.1.0").is_dir()  # the relearned version, waiting for review
    write_many(repo)
    mined(capsys)
    assert spec_of(repo) == first
    assert not (history / "1.1.0").exists()


def test_the_specs_mine_writes_are_not_read_back_by_the_next_command(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from repetend.config import load_config
    from repetend.patterns.spec_index import index_spec_files
    from repetend.store import open_store

    write_many(repo)
    (repo / "docs").mkdir()
    for name in ("intro", "setup", "usage"):
        (repo / "docs" / f"{name}.md").write_text(f"# {name}\n\n## Steps\n\n- one\n- two\n")
    mined(capsys)
    for path in (repo / "docs").iterdir():  # a family vanishes: its draft is retired
        path.unlink()
    mined(capsys)
    assert list((repo / ".repetend" / "patterns" / "rejected").glob("*.yaml"))
    config = load_config(repo)
    store = open_store(config)
    try:
        known = store.spec_files()  # as the store last saw each file: nothing left to read
        for status in ("drafts", "rejected"):
            for spec in (repo / ".repetend" / "patterns" / status).glob("*.yaml"):
                seen = known[spec.relative_to(repo).as_posix()]
                assert (seen.size, seen.mtime_ns) == (spec.stat().st_size, spec.stat().st_mtime_ns)
        assert index_spec_files(store, config) == []
        spec = next((repo / ".repetend" / "patterns" / "drafts").glob("*.yaml"))
        spec.write_text(spec.read_text() + "# reviewed by a person\n")
        assert index_spec_files(store, config) == [spec.stem]  # a person's edit is read
    finally:
        store.close()


def test_changed_and_restored_files_give_the_drafts_first_version_back(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def spec_with_version() -> dict[str, Any]:
        (path,) = (repo / ".repetend" / "patterns").glob("*/*.yaml")
        spec: dict[str, Any] = yaml.safe_load(path.read_text())
        return {k: v for k, v in spec.items() if k not in ("created_at", "updated_at")}

    write_services(repo)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", "services")
    mine(capsys)
    first = spec_with_version()
    write_services(repo, {"api": 5, "web": 7})
    mine(capsys)
    assert spec_with_version()["version"] == "1.1.0"  # another body: the next version
    write_services(repo)
    mine(capsys)
    assert spec_with_version() == first
