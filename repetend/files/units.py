"""Multi-file units: one template per file of the unit, described as one candidate.

When `components/*/manifest.json`, `components/*/__init__.py` and
`components/*/const.py` are families over (mostly) the same unit folders,
they are one template that renders a whole unit: `components/{{ component }}/`;
`pkg/{{ slug }}.py` and `tests/{{ slug }}_test.py` are a unit of two files named
by one stem. Which families make units is `unit_grouping`'s to find.
"""

from __future__ import annotations

from collections import defaultdict
from pathlib import Path

from repetend.events import Candidate
from repetend.files.candidates import KIND, reproduction_parts, template_confidence
from repetend.files.families import Family, structural_similarity
from repetend.files.family_identity import members_digest
from repetend.files.index import IndexedFile, folder_of, read_text
from repetend.patterns.confidence import wilson_lower_bound
from repetend.templates.generator import LearnedTemplate, Member, generate, verify
from repetend.templates.parts import Part, optionals, slots
from repetend.templates.spec import fixed_fraction, template_spec
from repetend.templates.variables import snake


def unit_candidate(unit: Family, rows: dict[str, IndexedFile], root: Path) -> Candidate:
    """Learn one template per file of the unit and describe them as one candidate."""
    templates = unit_templates(unit, root)
    members = [rows[path] for path in unit.paths]
    units = max(len(family.paths) for family in unit.files)  # one file per unit in each family
    parts = _confidence_parts(unit, templates, rows, units)
    pattern = _unit_pattern(unit, templates)
    spec = template_spec(templates, unit.key, members_digest(members), pattern)
    return Candidate(
        kind=KIND,
        signature=f"files:{unit.key}",
        name=f"{pattern} ({units} units of {len(unit.files)} files)",
        description=f"Units like {unit.key}: {', '.join(f.key for f in unit.files)}.",
        confidence=template_confidence(parts),
        confidence_parts=parts,
        evidence=list(unit.paths[:20]),
        spec=spec,
        occurrences=units,
    )


def unit_templates(unit: Family, root: Path) -> list[LearnedTemplate]:
    """One template per file of the unit, variables named apart or joined across files."""
    templates: list[LearnedTemplate] = []
    taken: set[str] = set()
    for family in unit.files:
        template = generate([Member(path, read_text(root, path)) for path in family.paths])
        stem = snake(family.key.rsplit("/", 1)[-1].split(".")[0])
        _rename_clashes(template, taken, stem)
        taken.update(name for values in template.values for name in values)
        templates.append(template)
    unify_across(templates)
    return templates


def _confidence_parts(
    unit: Family, templates: list[LearnedTemplate], rows: dict[str, IndexedFile], units: int
) -> dict[str, float]:
    similarities = [structural_similarity([rows[p] for p in f.paths]) for f in unit.files]
    return {
        **reproduction_parts(templates),
        "structural_similarity": round(sum(similarities) / len(similarities), 4),
        "round_trip_rate": round(sum(sum(t.read_backs) for t in templates) / len(unit.paths), 4),
        "examples": round(wilson_lower_bound(units - _units_missed(templates), units), 4),
        "fixed_text": round(sum(fixed_fraction(t) for t in templates) / len(templates), 4),
    }


def _units_missed(templates: list[LearnedTemplate]) -> int:
    """How many unit folders have a file that did not come back exactly."""
    missed = {
        folder_of(member.path)
        for t in templates
        for member, exact in zip(t.members, t.read_backs, strict=True)
        if not exact
    }
    return len(missed)


def _unit_pattern(unit: Family, templates: list[LearnedTemplate]) -> str:
    """The unit's folder pattern (`keps/{{ kep }}/{{ unit }}/`), or its files' when apart."""
    folders = {template.path.source.rsplit("/", 1)[0] for template in templates}
    if len(folders) == 1:
        return f"{folders.pop()}/"
    return " + ".join(template.path.source for template in templates)


def _rename_clashes(template: LearnedTemplate, taken: set[str], prefix: str) -> None:
    """Give a later file's own variables a file prefix where an earlier file used the name."""
    path_names = set(template.path.names)
    clashes = {
        name: f"{prefix}_{name}"
        for values in template.values
        for name in values
        if name in taken and name not in path_names
    }
    if not clashes:
        return
    for slot in slots(template.parts):
        slot.name = clashes.get(slot.name, slot.name)
    _rename_flags(template.parts, clashes)
    template.values = [
        {clashes.get(k, k): v for k, v in values.items()} for values in template.values
    ]
    verify(template)


def _rename_flags(parts: list[Part], clashes: dict[str, str]) -> None:
    for part in optionals(parts):
        part.flag = clashes.get(part.flag, part.flag)


def unify_across(templates: list[LearnedTemplate]) -> None:
    """One variable for a value that every unit has in two files (the keyed name wins)."""
    for later_index, later in enumerate(templates[1:], 1):
        for name, by_unit in _own_by_unit(later).items():
            for earlier in templates[:later_index]:
                match = next((n for n, v in _own_by_unit(earlier).items() if v == by_unit), None)
                if match is not None and match != name:
                    _join(templates[: later_index + 1], match, later, name)
                    break


def _own_by_unit(template: LearnedTemplate) -> dict[str, dict[str, str]]:
    """Each own string variable's value per unit folder (only variables that vary)."""
    path_names = set(template.path.names)
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for member, values in zip(template.members, template.values, strict=True):
        for name, value in values.items():
            if name not in path_names and isinstance(value, str):
                found[name][folder_of(member.path)] = value
    return {
        name: by_unit
        for name, by_unit in found.items()
        if len(by_unit) == len(template.members) and len(set(by_unit.values())) > 1
    }


def _join(
    templates: list[LearnedTemplate], first: str, later: LearnedTemplate, second: str
) -> None:
    """Call `second` (in `later`) and `first` (in the templates before it) by one name."""
    earlier = templates[:-1]
    keyed_second = any(s.keyed for s in slots(later.parts) if s.name == second)
    keyed_first = any(s.keyed for t in earlier for s in slots(t.parts) if s.name == first)
    used_before = {n for t in earlier for values in t.values for n in values}
    if keyed_second and not keyed_first and second not in used_before:
        for template in earlier:
            _rename(template, first, second)
    else:
        _rename(later, second, first)


def _rename(template: LearnedTemplate, old: str, new: str) -> None:
    if not any(old in values for values in template.values):
        return
    for slot in slots(template.parts):
        if slot.name == old:
            slot.name = new
    template.values = [
        {new if k == old else k: v for k, v in values.items()} for values in template.values
    ]
    verify(template)
