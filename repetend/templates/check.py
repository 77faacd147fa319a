"""What a new file lacks of an approved template's fixed text, answered without Jinja2.

The pre-commit check runs on every commit that adds a file fitting an approved
template, so it must not pay for importing Jinja2 and parsing the template's
source each time. The parsed parts of each template source are kept as JSON
under `.repetend/cache/parts/`, named by a digest of the source (an edited
template gets a new entry; a stale one is never read). A miss parses the source
once and writes the entry; `warm` writes it ahead, when a template is announced.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from repetend.config import STATE_DIR
from repetend.parse_cache import cache_folder, write_cached
from repetend.templates import parts as template_parts
from repetend.templates.parts import Part
from repetend.templates.reading import read_slots

CACHE_FORMAT = 1
END_OF_FILE = "(end of file)"


def staged_file_problems(
    templates: list[tuple[str, list[Any]]], path: str, text: str, root: Path
) -> list[str] | None:
    """One line per fixed text of an approved template fitting `path` that `text` lacks.

    `templates` are (id, the spec's `files`) of the approved file templates: the file
    miner's pre-commit answer, and the quick check's from its snapshot of them.
    """
    matching = [
        (pattern_id, item) for pattern_id, files in templates for item in fitting(files, path)
    ]
    if not matching:
        return None
    return [
        f"missing {_shown(fixed)} required by template {pattern_id} ({item['path']})"
        for pattern_id, item in matching
        for fixed in missing_fixed_text(item, text, root)
    ]


def fitting(files: list[Any], relative: str) -> list[dict[str, Any]]:
    """The template files (a spec's `files` entries) whose path pattern `relative` fits."""
    return [
        item
        for item in files
        if isinstance(item, dict) and re.fullmatch(str(item.get("path_regex", "$^")), relative)
    ]


def _shown(fixed: str) -> str:
    lines = [line.strip() for line in fixed.splitlines() if line.strip()]
    worded = [line for line in lines if re.search(r"\w", line)]
    return repr((worded or lines or [fixed.strip()])[0][:60])


def missing_fixed_text(item: dict[str, Any], text: str, root: Path) -> list[str]:
    """The fixed lines of template file `item` (a spec's `files` entry) that `text` lacks.

    A fixed text not found where the template has it is reported by its lines
    the file does not have anywhere: a module without one decorator lacks that
    line, not the imports and the `class` that share its fixed text.
    """
    reading = read_slots(template_parts_of(item, root), text, resync=True)
    lacking: list[str] = []
    for fixed in reading.missing:
        if fixed.strip() and fixed != END_OF_FILE:
            lacking.extend(line for line in absent_lines(fixed, text) if line not in lacking)
    return lacking


def absent_lines(fixed: str, text: str) -> list[str]:
    """The lines of `fixed` (with words in them) that `text` does not contain."""
    lines = [line for line in fixed.splitlines() if any(c.isalnum() for c in line)]
    absent = [line for line in lines if line.strip() not in text]
    return absent if lines else [fixed]


def template_parts_of(item: dict[str, Any], root: Path) -> list[Part]:
    """The parsed parts of a template file, from the cache when it has them."""
    source, names = str(item["template"]), _path_names(item)
    entry = _cache_entry(root, source, names)
    cached = _read(entry)
    if cached is not None:
        return cached
    parts = _parse(source, names)
    _write(entry, parts)
    return parts


def warm(item: dict[str, Any], root: Path) -> None:
    """Parse and cache a template file's parts now, so a later check finds them."""
    template_parts_of(item, root)


def _path_names(item: dict[str, Any]) -> list[str]:
    return sorted(re.compile(str(item.get("path_regex", ""))).groupindex)


def _parse(source: str, names: list[str]) -> list[Part]:
    from repetend.templates.source import parts_from_source  # imports Jinja2

    return parts_from_source(source, set(names))


def _cache_entry(root: Path, source: str, names: list[str]) -> Path:
    key = json.dumps([CACHE_FORMAT, source, names]).encode("utf-8")
    digest = hashlib.sha256(key).hexdigest()[:32]
    return cache_folder(root / STATE_DIR) / "parts" / f"{digest}.json"


def _read(entry: Path) -> list[Part] | None:
    try:
        return _read_entry(entry)
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        return None  # missing or damaged: parse again


@functools.lru_cache(maxsize=64)
def _read_entry(entry: Path) -> list[Part]:
    # An entry is named by its content's digest, so what was read once stays true. The
    # parts are only read (never changed) by `read_slots`.
    return [_decoded(value) for value in json.loads(entry.read_text(encoding="utf-8"))]


def _write(entry: Path, parts: list[Part]) -> None:
    write_cached(entry.parent.parent, entry, json.dumps([_encoded(part) for part in parts]))


def _encoded(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _encoded(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"part": type(value).__name__, **fields}
    if isinstance(value, list):
        return [_encoded(item) for item in value]
    return value


def _decoded(value: Any) -> Any:
    if isinstance(value, list):
        return [_decoded(item) for item in value]
    if not isinstance(value, dict):
        return value
    kind = getattr(template_parts, str(value["part"]))
    if not (isinstance(kind, type) and dataclasses.is_dataclass(kind)):
        raise TypeError(f"not a template part: {value['part']}")
    fields = {k: _decoded(v) for k, v in value.items() if k != "part"}
    return kind(**fields)
