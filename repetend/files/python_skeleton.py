"""The skeleton of a Python module, read from its lines: what a family of modules shares.

Imports, module-level calls and assignments, class bases, decorators and
function signatures, with the names that vary from module to module
abstracted to their first word (`test_parses_dates` and `test_rejects_empty`
are both `test`). It reads the lines at the module's and its classes' level
with one regular expression instead of building the syntax tree: parsing
costs ten times as much, and a module's shape is in those lines.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

# Triple-quoted strings are blanked first, so a docstring's `def` or `import` is not read.
_STRING = re.compile(r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'')
_STATEMENT = re.compile(
    r"^(?P<indent>[ \t]*)(?:"
    r"(?:async[ \t]+)?def[ \t]+(?P<def>\w+)[ \t]*\((?P<params>[^)]*)\)?"
    r"(?:[^:\n]*->[ \t]*(?P<returns>[\w.\[\], ]+))?"
    r"|class[ \t]+(?P<class>\w+)[ \t]*(?:\((?P<bases>[^)]*)\))?[ \t]*:"
    r"|@(?P<decorator>[\w.]+)"
    r"|from[ \t]+(?P<from>[\w.]+)[ \t]+import[ \t]+(?P<names>[\w, \t()]+)"
    r"|import[ \t]+(?P<import>[\w., \t]+)"
    r"|if[ \t]+__name__[ \t]*==(?P<main>)"
    r"|(?P<target>[A-Za-z_]\w*)[ \t]*(?::[^=\n]*)?=(?!=)[ \t]*(?P<value>[^\n]*)"
    r"|(?P<call>[A-Za-z_][\w.]*)\("
    r")",
    re.MULTILINE,
)
KIND_WEIGHT = 8  # a class base counts as this many features (see `_class`)
_WORD = re.compile(r"_*[A-Za-z][a-z0-9]*|_+")
_CALLEE = re.compile(r"([A-Za-z_][\w.]*)\(")
# What nearly every module has says nothing about its family: left out, so that two small
# modules do not look alike for their `from __future__ import annotations` and `__all__`.
BOILERPLATE = frozenset(
    {
        "import:__future__",
        "imported:annotations",
        "import:typing",
        "imported:TYPE_CHECKING",
        "import:",
        "from:.*",
        "assign:__all__",
        "assign:lower",
    }
)


def python_features(text: str) -> Iterator[str]:
    """The module's skeleton as features (ValueError for text that reads as no module)."""
    code = _STRING.sub(_blank, text)
    found = False
    for match in _STATEMENT.finditer(code):
        indent = match.group("indent")
        depth = len(indent.expandtabs(4) if "\t" in indent else indent)
        # Most matches are in function bodies: dropped here, as `_statement_features` would.
        if depth > 4 and match.group("import") is None and match.group("from") is None:
            continue
        for feature in _statement_features(match, depth):
            found = True
            if feature not in BOILERPLATE:
                yield feature
    if not found:
        raise ValueError("no Python statement at module or class level")


def _blank(match: re.Match[str]) -> str:
    return "\n" * match.group(0).count("\n")


def _statement_features(match: re.Match[str], depth: int) -> Iterator[str]:
    """The features of one statement; only module and class level count (depth 0 and 4)."""
    if depth > 4 and not match.group("import") and not match.group("from"):
        return
    where = "" if depth == 0 else "member-"
    if match.group("def"):
        yield from _function(match, where)
    elif match.group("class"):
        yield from _class(match)
    elif match.group("decorator"):
        yield f"{where}decorator:{match.group('decorator')}"
    elif match.group("from"):
        yield from _from_import(match.group("from"), match.group("names"))
    elif match.group("import"):
        yield from (f"import:{name.split(' ')[0]}" for name in _names(match.group("import")))
    elif match.group("main") is not None and depth == 0:
        yield "main-guard"
    elif depth == 0:
        yield from _module_level(match)


def _function(match: re.Match[str], where: str) -> Iterator[str]:
    role = name_role(match.group("def"))
    params = [p.split("=")[0].split(":")[0].strip() for p in match.group("params").split(",")]
    params = [p for p in params if p]
    yield f"{where}def:{role}"
    yield f"{where}def:{role}:{len(params)}"
    if match.group("returns"):
        yield f"{where}returns:{role}:{match.group('returns').strip()}"


def _class(match: re.Match[str]) -> Iterator[str]:
    yield f"class:{name_role(match.group('class'), last=True)}"
    for base in _names(match.group("bases") or ""):
        # what a module's classes are made from says what kind of module it is (a lexer, a
        # style, a command group): it counts as much as several imports (weighted MinHash)
        yield from (
            f"base:{base}" if copy == 0 else f"base:{base}#{copy}" for copy in range(KIND_WEIGHT)
        )


def _from_import(module: str, names: str) -> Iterator[str]:
    # `from pkg.check_yaml import main` in one test module, `from pkg.check_json` in the next:
    # the package and the imported names are the shape, the module's own name is not
    head, _, rest = module.partition(".")
    yield f"import:{head}"
    if rest:
        yield f"from:{head}.*"
    yield from (f"imported:{name.split(' ')[0]}" for name in _names(names.strip("()")))


def _module_level(match: re.Match[str]) -> Iterator[str]:
    target = match.group("target")
    if target:
        name = target if target.isupper() or target.startswith("__") else "lower"
        callee = _CALLEE.match(match.group("value").strip())
        yield f"assign:{name}"
        if name == "lower":  # a plugin module's `labels = {…}` or `directives = {…}` is its kind
            yield from (f"assign:{target}", f"assign:{target}#1")
        if callee:
            yield f"assign:{name}:{callee.group(1)}"
    elif match.group("call"):
        yield f"call:{match.group('call')}"


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def name_role(name: str, *, last: bool = False) -> str:
    """The word of a name that says its role: `test` of `test_x_y`, `Flow` of `MyConfigFlow`.

    Dunder names (`__init__`) and one-word names are kept whole.
    """
    if name.startswith("__") and name.endswith("__"):
        return name
    words: list[str] = _WORD.findall(name)
    if not words:
        return name
    return words[-1] if last else words[0]
