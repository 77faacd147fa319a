"""`repetend review`: stepping through real mined candidates, answering at the prompt."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from repetend.cli import cli
from tests.cli.test_templates import run_json, template_id

PATTERNS = Path(".repetend/patterns")


@pytest.fixture
def drafts(sensors: Path, capsys: pytest.CaptureFixture[str]) -> list[str]:
    """The two families mined as drafts, in the order review shows them (oldest first)."""
    run_json(capsys, "mine", ".")
    manifests = template_id(capsys, "manifests/{{ slug }}.json")
    sensor = template_id(capsys, "sensors/{{ slug }}.py")
    return sorted([manifests, sensor])


def answer(*lines: str, args: tuple[str, ...] = ()) -> Result:
    """`repetend review --actor tester` with `lines` typed at its prompts."""
    text = "".join(f"{line}\n" for line in lines)
    return CliRunner().invoke(cli, ["review", "--actor", "tester", *args], input=text)


def history(capsys: pytest.CaptureFixture[str], tid: str) -> list[dict[str, str]]:
    shown = run_json(capsys, "candidates", "show", tid)
    assert isinstance(shown, dict)
    return [{k: e[k] for k in ("from", "to", "actor", "note")} for e in shown["history"][1:]]


def test_approve_and_reject_with_a_note_move_the_specs_and_are_audited(
    sensors: Path, drafts: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = drafts
    done = answer("a", "looks right", "r", "", "one-off family")
    assert done.exit_code == 0, done.output
    assert f"{first} is now approved: {PATTERNS}/approved/{first}.yaml" in done.output
    assert "A rejection needs a note" in done.output  # the empty note was asked again
    assert done.output.rstrip().endswith("Reviewed 2 of 2: 1 approve, 1 reject.")
    assert (sensors / PATTERNS / "approved" / f"{first}.yaml").exists()
    assert (sensors / PATTERNS / "rejected" / f"{second}.yaml").exists()
    assert not list((sensors / PATTERNS / "drafts").glob("*.yaml"))
    assert history(capsys, first) == [
        {"from": "draft", "to": "approved", "actor": "tester", "note": "looks right"}
    ]
    assert history(capsys, second) == [
        {"from": "draft", "to": "rejected", "actor": "tester", "note": "one-off family"}
    ]


def test_skip_and_quarantine_are_audited_and_counted_by_stats(
    sensors: Path, drafts: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    first, second = drafts
    done = answer("s", "q", "renders the wrong folder")
    assert done.exit_code == 0, done.output
    assert f"{first} skipped (still a draft)." in done.output
    assert (sensors / PATTERNS / "drafts" / f"{first}.yaml").exists()
    assert (sensors / PATTERNS / "quarantined" / f"{second}.yaml").exists()
    assert history(capsys, first) == [
        {"from": "draft", "to": "draft", "actor": "tester", "note": "skipped in `repetend review`"}
    ]
    stats = run_json(capsys, "review", "--stats")
    assert stats == {
        "pending": 1,
        "pending_by_kind": {"file-template": 1},
        "oldest_pending_days": 0,
        "proposed_versions": 0,
        "decisions_by_people": {"skipped": 1, "quarantined": 1},
        "decisions_by_repetend": {},
    }
    shown = CliRunner().invoke(cli, ["review", "--stats"])
    assert shown.output == (
        "waiting: 1 (1 file-template; oldest 0 days)\n"
        "proposed versions waiting: 0\n"
        "decided by people: 1 quarantined, 1 skipped\n"
        "decided by repetend: none\n"
    )


def test_each_candidate_shows_its_evidence_and_a_diff_against_a_member(
    sensors: Path, drafts: list[str]
) -> None:
    done = answer("x")
    assert done.exit_code == 0, done.output
    out = done.output
    assert f"[1/2] {drafts[0]} file-template: manifests/{{{{ slug }}}}.json (4 files)" in out
    assert "  confidence 0.3" in out
    assert "  evidence: manifests/air_quality.json" in out
    assert "  --- template manifests/{{ slug }}.json\n  +++ manifests/air_quality.json" in out
    assert '  -  "domain": "{{ slug }}",\n' in out
    assert '  +  "domain": "air_quality",\n' in out
    assert "[2/2]" not in out  # stopped at the first
    assert out.rstrip().endswith("Reviewed 0 of 2: no decision.")


def test_a_previous_version_is_diffed_instead(sensors: Path, drafts: list[str]) -> None:
    first = drafts[0]
    spec = (sensors / PATTERNS / "drafts" / f"{first}.yaml").read_text()
    kept = sensors / PATTERNS / "history" / first / "1.0.0" / f"{first}.yaml"
    kept.parent.mkdir(parents=True)
    kept.write_text(spec.replace("    - health\n", "    - wellbeing\n"))
    done = answer("x")
    assert f"  --- {first} version 1.0.0\n  +++ {first} now\n" in done.output
    assert "  -    - wellbeing\n  +    - health\n" in done.output


def test_the_end_of_the_input_stops_and_keeps_the_decisions_made(
    sensors: Path, drafts: list[str]
) -> None:
    done = answer("a", "")
    assert done.exit_code == 0, done.output
    assert done.output.rstrip().endswith("Reviewed 1 of 2: 1 approve.")
    assert (sensors / PATTERNS / "drafts" / f"{drafts[1]}.yaml").exists()


def test_nothing_waiting_says_so(repo: Path) -> None:
    done = CliRunner().invoke(cli, ["review"])
    said = "Nothing to review: no candidate or proposed version is waiting.\n"
    assert (done.exit_code, done.output) == (0, said)


def test_a_real_process_reads_the_answers_from_its_input(sensors: Path, drafts: list[str]) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "review", "--actor", "ci"],
        cwd=sensors,
        input="q\nbreaks the build\nr\nnot ours\n",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Reviewed 2 of 2: 1 quarantine, 1 reject." in done.stdout
    assert (sensors / PATTERNS / "quarantined" / f"{drafts[0]}.yaml").exists()
    assert (sensors / PATTERNS / "quarantined" / drafts[0]).is_dir()  # its template folder too
    assert (sensors / PATTERNS / "rejected" / f"{drafts[1]}.yaml").exists()
