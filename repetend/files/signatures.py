"""Structural signatures of files: what a file is made of, whatever its values.

The built-in plugin answers `repetend_file_signature` for Python (its skeleton,
see `python_skeleton`), JSON, YAML and TOML (key paths, list positions as `[]`,
and each key at its depth whatever its parents), Markdown (heading levels and
block kinds, see `markdown_outline`), XML and SVG (elements and their attribute
names), and any other text (the shape of its lines). reStructuredText has a
plugin of its own (`rst_signature`). A parse error falls back to the generic
signature: a signature never raises.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

from repetend.files.markdown_outline import markdown_features
from repetend.files.python_skeleton import python_features
from repetend.files.text_shapes import generic_features
from repetend.plugins import hookimpl
from repetend.plugins.types import FileSignature

MAX_FEATURES = 400  # a huge file says no more about its shape than its first few hundred parts
FeatureReader = Callable[[str], Iterator[str]]


@hookimpl(trylast=True)
def repetend_file_signature(path: str, text: str) -> FileSignature:
    """The built-in signature: the language reader for the suffix, else the generic one."""
    return file_signature(path, text)


def file_signature(path: str, text: str) -> FileSignature:
    """The signature of `text` by its suffix's reader, falling back to line shapes."""
    language = language_of(path)
    reader = READERS.get(language)
    if reader is not None:
        try:
            features = _bounded(reader(text))
            if features:
                return FileSignature(language, features)
        except (ValueError, SyntaxError, TypeError, RecursionError):
            pass  # a file that does not parse still has a shape: the generic one
    return FileSignature("text", _bounded(generic_features(text)))


def language_of(path: str) -> str:
    """The language name a path's suffix suggests (`text` when none is known)."""
    suffix = path.rsplit(".", 1)[-1].lower() if "." in path.rsplit("/", 1)[-1] else ""
    return SUFFIXES.get(suffix, "text")


def _bounded(features: Iterator[str]) -> frozenset[str]:
    found: set[str] = set()
    for feature in features:
        found.add(feature)
        if len(found) >= MAX_FEATURES:
            break
    return frozenset(found)


def key_paths(value: Any, prefix: str = "", depth: int = 0) -> Iterator[str]:
    """`key:/a/b:type` for every key path of a parsed document, lists as `[]`.

    Each key also stands at its depth alone (`at:2:steps`): documents whose
    keys sit under names of their own (`jobs/build/steps`, `jobs/test/steps`)
    still share their shape.
    """
    yield f"key:{prefix or '/'}:{_type_name(value)}"
    if isinstance(value, dict):
        for key, item in value.items():
            yield f"at:{depth}:{key}"
            yield from key_paths(item, f"{prefix}/{key}", depth + 1)
    elif isinstance(value, list):
        for item in value[:20]:
            yield from key_paths(item, f"{prefix}/[]", depth + 1)


def _type_name(value: Any) -> str:
    if isinstance(value, dict):
        return "map"
    if isinstance(value, list):
        return "list"
    return type(value).__name__


def json_features(text: str) -> Iterator[str]:
    """Key paths and value types of a JSON document."""
    return key_paths(json.loads(text))


YAML_KEY = re.compile(r"^( *)(- +)?([^\s#'\"-][^:#]*?|'[^']*'|\"[^\"]*\"):(?:\s|$)")


def yaml_features(text: str) -> Iterator[str]:
    """Key paths of a YAML document, read from its indentation.

    Reading the keys line by line is many times faster than building the
    document, and a template's shape is in its keys, not its values.
    """
    stack: list[tuple[int, str]] = []
    if text.lstrip().startswith(("{", "[")):
        raise ValueError("flow-style YAML: read by the generic signature")
    for line in text.splitlines():
        found = YAML_KEY.match(line)
        if not found:
            continue
        dash = len(found.group(1))
        indent = dash + len(found.group(2) or "")
        while stack and _closes(stack[-1], dash, indent, bool(found.group(2))):
            stack.pop()
        if found.group(2):
            stack.append((dash, "[]"))
        stack.append((indent, found.group(3).strip("'\"")))
        yield "key:/" + "/".join(key for _, key in stack)
        yield f"at:{len(stack) - 1}:{stack[-1][1]}"


_TAG = re.compile(r"<([A-Za-z][\w:.-]*)([^>]*)>")
_ATTRIBUTE = re.compile(r"([A-Za-z_][\w:.-]*)\s*=")


def xml_features(text: str) -> Iterator[str]:
    """Element names, their attribute names and the order of elements (SVG, XML).

    An icon's shape is `svg > path d=...`, whatever its path data.
    """
    previous = "start"
    for found in _TAG.finditer(text):
        tag = found.group(1)
        yield f"tag:{tag}"
        yield f"seq:{previous}>{tag}"
        yield from (f"attr:{tag}:{name}" for name in _ATTRIBUTE.findall(found.group(2)))
        previous = tag


def toml_features(text: str) -> Iterator[str]:
    """Key paths and value types of a TOML document."""
    # Imported here: every git hook loads this plugin, few of them read TOML.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on Python 3.10 only
        import tomli as tomllib

    return key_paths(tomllib.loads(text))  # its TOMLDecodeError is a ValueError


def _closes(top: tuple[int, str], dash: int, indent: int, item: bool) -> bool:
    """Whether a new key ends the block of the key (or list item) on top of the stack."""
    if item:  # `- key:` may sit at its parent key's indentation
        return top[0] > dash or (top[0] == dash and top[1] == "[]")
    return top[0] >= indent


READERS: dict[str, FeatureReader] = {
    "python": python_features,
    "json": json_features,
    "yaml": yaml_features,
    "toml": toml_features,
    "markdown": markdown_features,
    "xml": xml_features,
}
SUFFIXES = {
    "py": "python",
    "pyi": "python",
    "json": "json",
    "yml": "yaml",
    "yaml": "yaml",
    "toml": "toml",
    "md": "markdown",
    "markdown": "markdown",
    "svg": "xml",
    "xml": "xml",
}
