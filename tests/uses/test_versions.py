"""Versions: edge cases propose the next one, approval promotes it, rollback restores bytes."""

from __future__ import annotations

from pathlib import Path

import yaml

from tests.capture.git.gitrepo import repetend
from tests.uses.conftest import committed, uses
from tests.uses.test_measures_act import apply, shown

EDITED = "    poll_seconds = {}\n"


def pattern_files(repo: Path, template: str) -> dict[str, bytes]:
    """Every file of the approved pattern (spec and template folder), by relative path."""
    approved = repo / ".repetend" / "patterns" / "approved"
    found = {f"{template}.yaml": (approved / f"{template}.yaml").read_bytes()}
    for path in sorted((approved / template).rglob("*")):
        if path.is_file():
            found[path.relative_to(approved).as_posix()] = path.read_bytes()
    return found


def five_edge_cases(repo: Path, template: str) -> None:
    slugs = ["heater", "cooler", "blower", "dimmer", "sprinkler"]
    apply(repo, template, *slugs)
    for n, slug in enumerate(slugs):  # each person tunes the polling: the fixed text edited
        path = repo / "sensors" / f"{slug}.py"
        path.write_text(path.read_text().replace(EDITED.format(30), EDITED.format(5 + n)))
    committed(repo, "five tuned sensors")


def test_five_edge_cases_propose_1_1_0_and_a_rollback_restores_1_0_0_byte_for_byte(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)
    five_edge_cases(repo, template)
    assert [u["outcome"] for u in uses(repo)] == ["workaround"] * 5
    report = yaml.safe_load(
        (repo / ".repetend" / "reports" / "evolution" / f"{template}.yaml").read_text()
    )
    assert report["proposed_version"] == "1.1.0"
    assert report["performance"]["success_rate"] == 0.0
    assert any(i.get("flag") for i in report["issues_detected"])  # below 80%
    assert len(report["edge_cases"]) == 5
    proposed = repo / ".repetend" / "patterns" / "history" / template / "1.1.0"
    assert yaml.safe_load((proposed / f"{template}.yaml").read_text())["status"] == "draft"
    assert "-    poll_seconds = 30" in (proposed / "diff.patch").read_text()
    assert pattern_files(repo, template)[f"{template}/.globs"] == before[f"{template}/.globs"]
    assert shown(repo, template)["version"] == "1.0.0"  # never changed in place

    repetend(repo, "candidates", "approve", template)
    assert shown(repo, template)["version"] == "1.1.0"
    jinja = next((repo / ".repetend/patterns/approved" / template).rglob("*.jinja")).read_bytes()
    assert jinja != before[f"{template}/sensors/{{{{ slug }}}}.py.jinja"]  # learned with them

    out = repetend(repo, "candidates", "rollback", template).stdout
    assert out.startswith(f"{template} rolled back from 1.1.0 to 1.0.0")
    assert pattern_files(repo, template) == before
    assert shown(repo, template)["version"] == "1.0.0"
    assert "wrote sensors/after.py" in apply(repo, template, "after")
    assert "poll_seconds = 30" in (repo / "sensors" / "after.py").read_text()


def test_rollback_names_the_versions_it_keeps(repo: Path, template: str) -> None:
    done = repetend(repo, "candidates", "rollback", template, "--to", "0.9.0", check=False)
    assert done.returncode != 0
    assert done.stderr.strip() == (
        f"repetend: error: {template}: no approved version '0.9.0' kept (kept: 1.0.0)"
    )


def test_relearning_an_approved_template_proposes_a_version_instead_of_changing_it(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)[f"{template}/sensors/{{{{ slug }}}}.py.jinja"]
    for slug in ("air_quality", "door_lock", "motion_sensor", "smart_plug"):
        path = repo / "sensors" / f"{slug}.py"
        path.write_text(path.read_text().replace("retries = 3", "retries = 5"))
    from tests.capture.git.gitrepo import run

    run(repo, "git", "commit", "-qam", "retries", "--no-verify")
    from tests.capture.git.gitrepo import spool_empty, wait_for

    wait_for(lambda: spool_empty(repo))  # the commit's ingest may relearn it first
    repetend(repo, "mine", ".")
    after = pattern_files(repo, template)[f"{template}/sensors/{{{{ slug }}}}.py.jinja"]
    assert after == before
    assert shown(repo, template)["versions"]["proposed"] == "1.1.0"  # type: ignore[index]
    diff = (repo / ".repetend/patterns/history" / template / "1.1.0" / "diff.patch").read_text()
    assert "+    retries = 5" in diff


def test_when_a_new_versions_circuit_opens_the_last_good_version_comes_back(
    repo: Path, template: str
) -> None:
    before = pattern_files(repo, template)
    five_edge_cases(repo, template)
    repetend(repo, "candidates", "approve", template)
    wrote = apply(repo, template, "--set=body=", "x1", "x2", "x3")
    assert "wrote sensors/x3.py" in wrote, wrote
    for slug in ("x1", "x2", "x3"):
        (repo / "sensors" / f"{slug}.py").unlink()
    (repo / "notes.txt").write_text("gone\n")
    committed(repo, "three failures of 1.1.0")
    standing = shown(repo, template)
    assert standing["version"] == "1.0.0"
    assert standing["circuit"]["state"] == "closed"  # type: ignore[index]
    assert pattern_files(repo, template) == before
    assert shown(repo, template)["uses"]["failures"] == 3  # type: ignore[index]


def test_a_second_relearning_replaces_the_pending_proposal(repo: Path, template: str) -> None:
    from tests.capture.git.gitrepo import run, spool_empty, wait_for

    for retries in (5, 7):
        for slug in ("air_quality", "door_lock", "motion_sensor", "smart_plug"):
            path = repo / "sensors" / f"{slug}.py"
            text = path.read_text()
            path.write_text(
                text.replace("retries = 3", "retries = 5").replace("= 5", f"= {retries}")
            )
        run(repo, "git", "commit", "-qam", f"retries {retries}", "--no-verify")
        wait_for(lambda: spool_empty(repo))
        repetend(repo, "mine", ".")
    versions = shown(repo, template)["versions"]
    assert versions["proposed"] == "1.1.0"  # type: ignore[index]
    assert versions["kept"] == ["1.0.0 (approved)", "1.1.0 (draft)"]  # type: ignore[index]
    diff = (repo / ".repetend/patterns/history" / template / "1.1.0" / "diff.patch").read_text()
    assert "+    retries = 7" in diff
