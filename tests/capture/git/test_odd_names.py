"""File names with bytes that are not UTF-8, newlines, tabs or accents: recorded, never a crash."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from repetend.cli import main
from tests.capture.git.gitrepo import events, repetend, run, spool_empty, wait_for

ODD = [b"docs/lat\xe9in.md", b"docs/tab\there.md", b"docs/new\nline.md", "docs/café.md".encode()]


def test_odd_names_are_recorded_at_commit_and_mine_goes_on(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    repetend(repo, "hooks", "install")
    for slug in ("alpha", "beta", "gamma"):
        (repo / "docs").mkdir(exist_ok=True)
        (repo / "docs" / f"{slug}.md").write_text(f"# {slug}\n\nSome text about {slug}.\n")
    for name in ODD:
        with open(os.path.join(os.fsencode(repo), name), "wb") as handle:
            handle.write(b"# odd\n\nSome text about odd.\n")
    run(repo, "git", "add", "-A")
    done = run(repo, "git", "commit", "-q", "-m", "odd names", check=False)
    assert done.returncode == 0, done.stderr
    assert "failed" not in done.stderr and "Error" not in done.stderr
    wait_for(lambda: spool_empty(repo) and bool(events(repo, "git")))
    (commit,) = events(repo, "git")
    added = {os.fsencode(name) for name in commit["added"]}  # type: ignore[union-attr]
    assert set(ODD) <= added
    capsys.readouterr()
    assert main(["mine", ".", "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["skipped"] == {}
    (family,) = report["families"]
    assert family["path_pattern"] == "docs/{{ slug }}.md"
    assert family["size"] == 7  # alpha, beta, gamma and the Latin-1, tab, newline, café names
    assert main(["mine", ".", "--json"]) == 0  # and every later mine too


def test_a_name_that_is_not_utf8_is_mined_shown_and_applied_like_any_other(repo: Path) -> None:
    for slug in ("alpha", "beta", "gamma"):
        (repo / "docs").mkdir(exist_ok=True)
        (repo / "docs" / f"{slug}.md").write_text(f"# {slug}\n\nSome text about {slug}.\n")
    odd = os.path.join(os.fsencode(repo), b"docs/lat\xe9in.md")
    with open(odd, "wb") as handle:
        handle.write(b"# latin\n\nSome text about latin.\n")
    mined = repetend(repo, "mine", ".")  # text output, on a real UTF-8 stdout
    assert "internal error" not in mined.stderr
    assert "skipped: none" in mined.stdout
    listed = json.loads(repetend(repo, "templates", "list", "--json").stdout)
    (template,) = listed
    assert template["size"] == 4
    assert "docs/{{ slug }}.md" in repetend(repo, "templates", "list").stdout
    for spec in (repo / ".repetend" / "patterns").rglob("*"):
        if spec.is_file():
            spec.read_bytes().decode("utf-8")  # what teams commit stays UTF-8 (\xe9 shown)
    assert repetend(repo, "validate").returncode == 0
    like = os.fsdecode(b"docs/lat\xe9in.md")
    applied = repetend(repo, "apply", template["id"], "--like", like, "--set", "slug=delta")
    assert applied.returncode == 0, applied.stderr
    assert (repo / "docs" / "delta.md").read_text() == "# latin\n\nSome text about latin.\n"
    again = json.loads(repetend(repo, "mine", ".", "--json").stdout)
    assert again["skipped"] == {} and again["families"][0]["size"] == 5
