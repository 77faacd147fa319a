"""How good a stored file template is, judged through the files on disk.

`templates check` and the benchmarks ask four things of a template:

- **read back**: of its members, the share that come back byte for byte when
  their values are read out of them with the `.jinja` files under
  `.repetend/patterns/` (the path the hooks and `apply` take) and rendered;
- **held-out exact**: learn from a few members, read the others' values and
  render them: the share that come back exactly;
- **yield**: the share of a member's bytes the template's fixed text writes
  (averaged over the members it reads back): a catch-all slot yields little;
- **generic names**: variables named after nothing in the file (`body`, `text_2`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import TemplateError

from repetend.errors import NotFoundError
from repetend.events import Candidate
from repetend.patterns.files import status_folder
from repetend.templates.direct_render import fixed_written
from repetend.templates.exact_reading import common_prefix
from repetend.templates.generator import LearnedTemplate, Member, infer_values
from repetend.templates.held_out import HeldOut, held_out
from repetend.templates.parts import Values
from repetend.templates.path_patterns import PathPattern
from repetend.templates.source import parts_from_source

HELD_OUT = 5  # members learned from for the held-out rate, as the benchmarks do
GENERIC = frozenset(
    {"text", "body", "header", "details", "content", "value", "line", "lines", "section", "rest"}
    | {"data", "misc", "https", "http", "www", "com", "org", "v", "var", "slot", "field"}
)
_NUMBERED = re.compile(r"_\d+$")


@dataclass(frozen=True)
class MemberCheck:
    """One member read back through the stored template: exact or not (and why), its yield."""

    path: str
    exact: bool
    share_fixed: float
    problem: str = ""
    values: Values = field(default_factory=dict)


@dataclass(frozen=True)
class TemplateQuality:
    """The figures `templates check` reports for one template."""

    members: list[MemberCheck]
    held_out: HeldOut
    variables: list[str]
    generic: list[str] = field(default_factory=list)

    @property
    def read_back(self) -> float:
        """Members that came back exactly through the stored template, as a share."""
        return _share(sum(m.exact for m in self.members), len(self.members))

    @property
    def yield_(self) -> float:
        """The mean share of a read-back member's bytes that the fixed text writes."""
        exact = [m.share_fixed for m in self.members if m.exact]
        return round(sum(exact) / len(exact), 4) if exact else 0.0

    def as_json(self) -> dict[str, Any]:
        """The figures as JSON: `read_back`, `held_out_exact`, `yield`, `generic_names`, …."""
        return {
            "read_back": self.read_back,
            "held_out_exact": round(self.held_out.exact_rate, 4),
            "yield": self.yield_,
            "generic_names": len(self.generic),
            "generic_share": _share(len(self.generic), len(self.variables)),
            "variables": len(self.variables),
            "generic": self.generic,
            "members": len(self.members),
            "held_out_tested": self.held_out.tested,
            "held_out_learned_from": self.held_out.learned_from,
            "held_out_similarity": self.held_out.mean_similarity,
            "not_read_back": [
                {"path": m.path, "problem": m.problem} for m in self.members if not m.exact
            ],
        }


def _share(part: int, whole: int) -> float:
    return round(part / whole, 4) if whole else 1.0


def check_template(
    candidate: Candidate, root: Path, patterns_dir: Path, learn: int = HELD_OUT
) -> TemplateQuality:
    """Judge a stored template on its members (read from `root`) and its `.jinja` files."""
    stored = stored_templates(candidate, patterns_dir)
    checks: list[MemberCheck] = []
    by_file: list[HeldOut] = []
    for template in stored:
        members = _members_of(template, candidate, root)
        checks.extend(read_member(template, m.path, m.text) for m in members)
        by_file.append(held_out(members, learned_from(len(members), learn)))
    names = [str(v["name"]) for v in candidate.spec.get("variables", [])]
    return TemplateQuality(checks, _pooled(by_file), names, [n for n in names if is_generic(n)])


def learned_yield(template: LearnedTemplate) -> float:
    """The mean share of a member's bytes the fixed text writes, over the members read back."""
    shares = [
        _fixed_share(template, values, member.text)
        for member, values, exact in zip(
            template.members, template.values, template.read_backs, strict=True
        )
        if exact
    ]
    return round(sum(shares) / len(shares), 4) if shares else 0.0


def learned_from(size: int, learn: int = HELD_OUT) -> int:
    """`learn` members, leaving at least one to test in a small family."""
    return max(1, min(learn, size - 1))


def _pooled(results: list[HeldOut]) -> HeldOut:
    tested = sum(r.tested for r in results)
    exact = sum(r.exact for r in results)
    similar = sum(r.mean_similarity * r.tested for r in results)
    mean = round(similar / tested, 4) if tested else 1.0
    return HeldOut(sum(r.learned_from for r in results), tested, exact, mean)


def stored_templates(candidate: Candidate, patterns_dir: Path) -> list[LearnedTemplate]:
    """The candidate's templates as its `.jinja` files on disk hold them (not the store's copy)."""
    folder = status_folder(patterns_dir, candidate.status) / candidate.id
    found = []
    for item in candidate.spec.get("files") or []:
        jinja = folder / f"{item['path']}.jinja"
        try:
            source = jinja.read_text(encoding="utf-8")
        except OSError as error:
            raise NotFoundError(f"{jinja}: cannot read the template file ({error})") from error
        found.append(_template_from(item, source, jinja))
    if not found:
        raise NotFoundError(f"{candidate.id} has no template files")
    return found


def _template_from(item: dict[str, Any], source: str, jinja: Path) -> LearnedTemplate:
    try:
        return template_from_item({**item, "template": source})
    except (TemplateError, ValueError) as error:
        raise NotFoundError(f"{jinja}: not a template repetend can read ({error})") from error


def template_from_item(item: dict[str, Any]) -> LearnedTemplate:
    """A template from one entry of a spec's `files` (its path pattern and Jinja2 source)."""
    regex = str(item.get("path_regex", ""))
    path = PathPattern(str(item["path"]), regex, list(re.compile(regex).groupindex))
    source = str(item["template"])
    return LearnedTemplate(parts_from_source(source, set(path.names)), path, [], [], source=source)


def _members_of(template: LearnedTemplate, candidate: Candidate, root: Path) -> list[Member]:
    pattern = re.compile(template.path.regex)
    paths = [str(p) for p in candidate.spec.get("members", []) if pattern.fullmatch(str(p))]
    return [Member(p, _text(root, p)) for p in paths if (root / p).is_file()]


def _text(root: Path, path: str) -> str:
    return (root / path).read_bytes().decode("utf-8", errors="replace")


def read_member(template: LearnedTemplate, path: str, text: str) -> MemberCheck:
    """Read `text`'s values with the template, render them, and compare byte for byte."""
    values, _missing = infer_values(template, path, text)
    try:
        rendered, rendered_path = template.render(values), template.render_path(values)
    except TemplateError as error:
        return MemberCheck(path, False, 0.0, f"cannot render its values: {error}", values)
    if rendered_path != path:
        return MemberCheck(path, False, 0.0, f"renders the path {rendered_path!r}", values)
    if rendered != text:
        return MemberCheck(path, False, 0.0, _difference(rendered, text), values)
    return MemberCheck(path, True, _fixed_share(template, values, text), "", values)


def _fixed_share(template: LearnedTemplate, values: Values, text: str) -> float:
    return min(1.0, fixed_written(template.parts, values) / len(text)) if text else 1.0


def _difference(rendered: str, text: str) -> str:
    at = common_prefix(rendered, text)
    if at == min(len(rendered), len(text)):
        return f"renders {len(rendered)} of its {len(text)} characters"
    line = text.count("\n", 0, at) + 1
    return f"differs from line {line} (character {at})"


def member_values(template: LearnedTemplate, path: str, text: str) -> Values:
    """The values the stored template reads out of one file."""
    values, _missing = infer_values(template, path, text)
    return values


def is_generic(name: str) -> bool:
    """Whether a variable's name says nothing of what it holds (`body`, `text_2`, `s4`)."""
    base = _NUMBERED.sub("", name.removeprefix("has_"))
    if base in GENERIC or base.startswith(("before_", "after_")):
        return True
    return bool(re.fullmatch(r"s\d+|v_\w*|body_\w+|text_\w+", base))
