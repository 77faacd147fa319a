"""Structural signatures of files: what a file is made of, whatever its values.

The built-in plugin answers `repetend_file_signature` for Python (from `ast`),
JSON, YAML and TOML (key paths and value types), Markdown (heading outline and
front matter keys), and any other text (the shape of its lines). A parse error
falls back to the generic signature: a signature never raises.
"""

from __future__ import annotations

import ast
import json
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

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


def python_features(text: str) -> Iterator[str]:
    """Imports, class and function skeletons, decorators and module constants."""
    tree = ast.parse(text)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (f"import:{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            yield from (f"from:{node.module}:{alias.name}" for alias in node.names)
        elif isinstance(node, ast.ClassDef):
            yield from (f"base:{ast.unparse(base)}" for base in node.bases)
            yield from (f"decorator:{ast.unparse(d)}" for d in node.decorator_list)
            yield "class"
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            yield f"def:{node.name}:{len(node.args.args)}"
            yield from (f"decorator:{ast.unparse(d)}" for d in node.decorator_list)
    for statement in tree.body:
        if isinstance(statement, ast.Assign):
            yield from (f"const:{ast.unparse(t)}" for t in statement.targets)


def key_paths(value: Any, prefix: str = "") -> Iterator[str]:
    """`key:/a/b:type` for every key path of a parsed document, lists as `[]`."""
    yield f"key:{prefix or '/'}:{_type_name(value)}"
    if isinstance(value, dict):
        for key, item in value.items():
            yield from key_paths(item, f"{prefix}/{key}")
    elif isinstance(value, list):
        for item in value[:20]:
            yield from key_paths(item, f"{prefix}/[]")


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


# Each pattern starts with a literal, so `re` skips ahead to it instead of trying every line.
HEADING = re.compile(r"\n##?[ \t]+([^\n]*?)[ \t#]*(?=\n|$)")
META_LINE = re.compile(r"\n[-*] ([A-Z][\w ]{1,30}):")
FENCE = re.compile(r"\n[ \t]*(?:```|~~~)")


def without_fenced_code(text: str) -> str:
    """The text (which starts with a newline) without fenced code blocks.

    An unclosed fence runs to the end.
    """
    fences = [match.start() for match in FENCE.finditer(text)]
    if not fences:
        return text
    kept, at = [], 0
    # an odd fence out is unclosed: it runs to the end of the text
    for opening, closing in zip(fences[::2], [*fences[1::2], len(text)], strict=False):
        kept.append(text[at:opening])
        at = closing
    kept.append(text[at:])
    return "".join(kept)


def markdown_features(text: str) -> Iterator[str]:
    """The outline (headings of levels 1 and 2), front matter keys and metadata list keys."""
    body = text
    if text.startswith("---\n") and "\n---" in text[4:]:
        front, body = text[4:].split("\n---", 1)
        yield from (f"front:{key}" for key in front_matter_keys(front))
    prose = without_fenced_code("\n" + body)
    for title in HEADING.findall(prose):
        yield f"heading:{title.lower()}"  # `# Summary` and `## Summary` are alike
    for key in META_LINE.findall(prose):
        yield f"meta:{key.lower()}"


def front_matter_keys(front: str) -> list[str]:
    """The top-level keys of a YAML front matter block (ValueError when it does not parse)."""
    import yaml  # here, not at the top: every git hook loads this plugin, few read YAML

    try:
        loaded = yaml.safe_load(front)
    except yaml.YAMLError as error:
        raise ValueError(f"front matter: {error}") from error
    return [str(key) for key in loaded] if isinstance(loaded, dict) else []


def generic_features(text: str) -> Iterator[str]:
    """The shape of each line (indentation and token classes) and of each pair of lines."""
    previous = ""
    for line in text.splitlines()[:MAX_FEATURES]:
        shape = line_shape(line)
        yield f"line:{shape}"
        yield f"pair:{previous}|{shape}"
        previous = shape


_SHAPE_WORD = re.compile(r"[A-Za-z_]\w*")
_SHAPE_NUMBER = re.compile(r"\d+")
_SHAPE_SPACE = re.compile(r"\s+")


SHAPE_CHARS = 40  # a line's shape is its first 40 symbols
# Each symbol of a shape comes from at least one character of the line, and the shape of the
# start of a line is the start of the line's shape (a word or number cut short is still one
# `w` or `9`). So a long line (an SVG path, minified data) is read only as far as it must be.
SHAPE_READ = 4 * SHAPE_CHARS


def line_shape(line: str) -> str:
    """`w` for a word, `9` for a number, punctuation kept, indentation as its width."""
    body = line.strip()
    shape = _shape(body[:SHAPE_READ])
    if len(shape) < SHAPE_CHARS and len(body) > SHAPE_READ:
        shape = _shape(body)
    return f"{len(line) - len(line.lstrip())}:{shape[:SHAPE_CHARS]}"


def _shape(text: str) -> str:
    return _SHAPE_SPACE.sub("", _SHAPE_NUMBER.sub("9", _SHAPE_WORD.sub("w", text)))


READERS: dict[str, FeatureReader] = {
    "python": python_features,
    "json": json_features,
    "yaml": yaml_features,
    "toml": toml_features,
    "markdown": markdown_features,
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
}
