"""Pages written to one outline (proposals, PEP-like reST pages), mined and read from disk.

Each family is written here: header fields (`- Start Date: …`, `Status: …`)
that some pages have, headings or reST titles every page has, and paragraphs
of their own under them (one or several, of any length). Mined as a user does,
the stored `.jinja` file keeps the outline as fixed text, each heading at the
start of a line, each field a line of its own; `templates check` reads every
member back through that file and learns from five to read the others.
"""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest

from repetend.templates.path_patterns import path_pattern
from repetend.templates.quality import member_values, template_from_item
from tests.cli.conftest import git
from tests.cli.test_templates import run_json

TEXT = """the compiler should accept a new form of pattern when every branch binds the same
names users often write this by hand and the result is hard to read so we propose a shorter
way that keeps the meaning and adds no new keyword"""
WORDS = re.findall(r"\w+", TEXT)


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(6, 14))]
    return " ".join(words).capitalize() + "."


def paragraph(rng: random.Random) -> str:
    lines, line = [], ""
    for _ in range(rng.randint(1, 4)):
        line = (line + " " + sentence(rng)).strip()
        if len(line) > 60:
            lines.append(line)
            line = ""
    return "\n".join([*lines, line] if line else lines)


def section(rng: random.Random) -> str:
    return "\n\n".join(paragraph(rng) for _ in range(rng.randint(1, 3)))


def proposal(number: int) -> str:
    rng = random.Random(number)
    fields = []
    if rng.random() < 0.7:
        fields.append(f"- Feature Name: `feature_{number}`")
    fields.append(f"- Start Date: 2024-{number % 12 + 1:02d}-{number % 27 + 1:02d}")
    if number % 9 == 4:  # a field no other page has
        fields.append(f"- Original Proposal: #{number * 3}")
    fields.append(f"- Tracking Issue: [#{number}](https://example.org/issues/{number})")
    body = "\n".join(fields) + "\n\n"
    for heading in ("Summary", "Motivation", "Design", "Drawbacks"):
        body += f"## {heading}\n\n{section(rng)}\n\n"
    if number % 13 == 0:  # a section three pages in forty have: one of the outline's
        body += f"## Security\n\n{section(rng)}\n\n"
    if rng.random() < 0.5:
        body += f"## Unresolved questions\n\n{section(rng)}\n"
    return body


def pep(number: int) -> str:
    rng = random.Random(1000 + number)
    header = [f"PEP: {number}", f"Title: {sentence(rng)[:40]}", f"Author: Person {number}"]
    if rng.random() < 0.4:
        header.append(f"Discussions-To: https://example.org/t/{number}")
    header += [f"Status: {rng.choice(['Draft', 'Final', 'Accepted'])}", "Type: Informational"]
    header.append(f"Created: {number % 28 + 1:02d}-Jan-2020")
    body = "\n".join(header) + "\n\n\n"
    for title in ("Abstract", "Motivation", "Specification", "Copyright"):
        body += f"{title}\n{'=' * len(title)}\n\n{section(rng)}\n\n\n"
    return body.rstrip("\n") + "\n"


def mined(repo: Path, capsys: pytest.CaptureFixture[str], pages: dict[str, str]) -> str:
    for path, text in pages.items():
        (repo / path).parent.mkdir(parents=True, exist_ok=True)
        (repo / path).write_text(text)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "pages")
    report = run_json(capsys, "mine", ".")
    assert isinstance(report, dict)
    [family] = [f for f in report["families"] if f["size"] == len(pages)]
    return str(family["id"])


def stored_source(repo: Path, tid: str) -> str:
    [jinja] = list((repo / ".repetend" / "patterns").glob(f"*/{tid}/**/*.jinja"))
    return jinja.read_text()


def test_proposal_pages_keep_their_outline_and_read_new_pages(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {f"text/{n:04d}-feature.md": proposal(n) for n in range(1, 41)}
    tid = mined(repo, capsys, pages)
    source = stored_source(repo, tid)
    for heading in ("Summary", "Motivation", "Design", "Drawbacks", "Security", "Unresolved"):
        assert f"\n## {heading}" in source  # a heading starts a line of the template
    assert "- Start Date: {{ start_date }}\n" in source  # a field is a line, its value whole
    assert "{% if has_name %}- Feature Name: {{ feature_name }}\n{% endif %}" in source
    assert "{{ other_fields }}" in source  # where a field no page had in common goes
    figures = run_json(capsys, "templates", "check", tid, "--held-out", "5")
    assert isinstance(figures, dict)
    assert figures["read_back"] == 1.0
    # from five pages, the others (other paragraphs, fields, sections) come back exactly
    assert figures["held_out_exact"] >= 0.9, figures
    assert figures["generic_names"] == 0, figures["generic"]


def test_rest_pages_keep_titles_with_their_adornment_and_header_fields(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {f"peps/pep-{n:04d}.rst": pep(n) for n in range(1, 31)}
    tid = mined(repo, capsys, pages)
    source = stored_source(repo, tid)
    for title in ("Abstract", "Motivation", "Specification", "Copyright"):
        assert f"{title}\n{'=' * len(title)}\n" in source
    assert "{% if has_discussions_to %}Discussions-To: {{ discussions_to }}\n" in source
    figures = run_json(capsys, "templates", "check", tid, "--held-out", "5")
    assert isinstance(figures, dict)
    assert figures["read_back"] == 1.0
    assert figures["held_out_exact"] >= 0.9, figures


def test_a_line_every_one_of_a_few_members_has_is_usual_not_required(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Four modules all open with a docstring line; a fifth without it still reads back."""
    module = '"""A sensor."""\n\nimport logging\n\nLOG = logging.getLogger({n!r})\n'
    pages = {f"sensors/s{n}.py": module.format(n=n) for n in range(4)}
    tid = mined(repo, capsys, pages)
    source = stored_source(repo, tid)
    assert "| default(true) %}" in source  # on unless a file lacks it: nothing to answer
    (repo / "sensors" / "new.py").write_text("import logging\n\nLOG = logging.getLogger('x')\n")
    values = run_json(capsys, "templates", "values", tid, "sensors/new.py")
    assert isinstance(values, dict)
    flags = [name for name, value in values.items() if value is False]
    assert flags, values  # the usual section read as off
    run_json(capsys, "apply", tid, "--like", "sensors/new.py", "--set", "slug=other")
    assert not (repo / "sensors" / "other.py").read_text().startswith('"""')


def hook(number: int) -> str:
    rng = random.Random(2000 + number)
    checks = "".join(
        f"    if {rng.choice(WORDS)}_{n}:\n        return {n}\n" for n in range(number % 3)
    )
    other = f"    else:\n        print({rng.choice(WORDS)!r})\n" if number % 2 else ""
    return (
        "import sys\n\n\n"
        f"def main(argv: list[str]) -> int:\n{checks}    if argv:\n"
        f"        {rng.choice(WORDS)}_{number}(argv)\n{other}    return 0\n\n\n"
        "if __name__ == '__main__':\n    raise SystemExit(main(sys.argv))\n"
    )


def test_code_nothing_else_names_is_named_after_its_definition(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pages = {f"hooks/hook_{n}.py": hook(n) for n in range(12)}
    tid = mined(repo, capsys, pages)
    source = stored_source(repo, tid)
    assert "{{ main_body" in source  # the text inside `def main`, not `body` or `text`
    figures = run_json(capsys, "templates", "check", tid)
    assert isinstance(figures, dict)
    assert figures["read_back"] == 1.0
    assert figures["generic_names"] == 0, figures["generic"]


def test_a_fixed_text_is_not_found_inside_a_word() -> None:
    """`on: ` is not in `cron: `: the template's section is off for this file."""
    source = "{{ comment }}{% if has_on %}on: {{ on }}\n{% endif %}{{ rest }}"
    template = template_from_item({"path": "wf/{{ slug }}.yml", "template": source})
    template.path = path_pattern(["wf/a.yml", "wf/b.yml"])
    values = member_values(template, "wf/new.yml", "# nightly\n  - cron: daily\n")
    assert values["has_on"] is False
    assert values["comment"] + values["rest"] == "# nightly\n  - cron: daily\n"
    values = member_values(template, "wf/new.yml", "# push\non: push\n")
    assert values["has_on"] is True and values["on"] == "push"


def test_a_value_two_of_many_members_share_stays_a_variable(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    def review(n: int, approver: str = "") -> str:
        beta = f'beta:\n  approver: "@{approver}"\n' if approver else ""
        first = approver or f"p{n}"  # (the line twice in a file: not a line anchor)
        return f'# review {n}\nkep-number: {n}\nalpha:\n  approver: "@{first}"\n{beta}'

    pages = {f"reviews/{n}.yaml": review(n, "ann" if n in (3, 6) else "") for n in range(8)}
    tid = mined(repo, capsys, pages)
    source = stored_source(repo, tid)
    assert "beta:" in source and '"@ann"' not in source  # two agreeing are no rule
    (repo / "reviews" / "9.yaml").write_text(review(9, "bob"))
    values = run_json(capsys, "templates", "values", tid, "reviews/9.yaml")
    assert isinstance(values, dict)
    assert "bob" in values.values(), values
