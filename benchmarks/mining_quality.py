"""How well `repetend mine` finds the families people see, on every corpus in ../shared/corpora/.

Each corpus is copied into a temporary git repository and mined as a user does
(`python -m repetend mine . --json`, a subprocess, timed and measured from a
clean child that does nothing else). Then, per answer-key family (the families
the corpora's README describes, written down below as globs, or as folders for
multi-file units):

- recall: the share of its members in the learned family that holds most of them;
- purity: the share of that learned family's members that belong to the key;
- fragments: how many learned families hold any of its files;
- read-back, held-out exact, yield, generic names: from `repetend templates check ID
  --json` for that learned family, when the command exists ("n/a" otherwise);
- ground-truth lines: where a person wrote the template, the share of its fixed lines
  (headings, section titles, field names, YAML keys) that the learned template has, and
  the person's fixed share: the share of a member's bytes in lines of that template (what
  the pages kept of it: about the yield a learned template can reach).

Usage: python benchmarks/mining_quality.py [CORPUS ...] [--out FILE] [--json FILE]
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parents[1]
CORPORA = ROOT.parent / "shared" / "corpora"
sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import environment, sh  # noqa: E402

Member = tuple[str, ...]  # the files of one member: one path, or the files of one unit


@dataclass
class AnswerKey:
    """One family the README describes: how to find its members, and a person's template."""

    name: str
    members: Callable[[list[str]], list[Member]]
    templates: dict[str, str] = field(default_factory=dict)  # file name in a member -> template


def files_like(
    *patterns: str, besides: tuple[str, ...] = ()
) -> Callable[[list[str]], list[Member]]:
    """Members that are single files matching any of the globs (`*` stays inside a folder)."""
    expressions = [_glob(p) for p in patterns]
    excluded = [_glob(p) for p in besides]

    def find(paths: list[str]) -> list[Member]:
        return [
            (p,)
            for p in paths
            if any(e.fullmatch(p) for e in expressions)
            and not any(e.fullmatch(p) for e in excluded)
        ]

    return find


def _glob(pattern: str) -> re.Pattern[str]:
    """A glob where `*` never crosses a `/` and `{a,b}` is a choice."""
    choices = re.sub(r"\{([^}]*)\}", lambda m: "(" + "|".join(m.group(1).split(",")) + ")", pattern)
    parts = [
        re.escape(piece).replace(r"\*", "[^/]*") for piece in re.split(r"(\([^)]*\))", choices)
    ]
    text = "".join(p.replace(r"\(", "(").replace(r"\)", ")").replace(r"\|", "|") for p in parts)
    return re.compile(text)


def folders_holding(
    names: tuple[str, ...], *patterns: str, besides: tuple[str, ...] = ()
) -> Callable[[list[str]], list[Member]]:
    """Members that are folders matching a glob and holding every one of `names`."""
    expressions = [_glob(p) for p in patterns]
    excluded = [_glob(p) for p in besides]

    def find(paths: list[str]) -> list[Member]:
        present = set(paths)
        folders = sorted({p.rsplit("/", 1)[0] for p in paths if "/" in p})
        return [
            tuple(f"{folder}/{name}" for name in names)
            for folder in folders
            if any(e.fullmatch(folder) for e in expressions)
            and not any(e.fullmatch(folder) for e in excluded)
            and all(f"{folder}/{name}" in present for name in names)
        ]

    return find


def stem_pairs(module: str, test: str) -> Callable[[list[str]], list[Member]]:
    """Members that are a module and its test (`pkg/{}.py`, `tests/{}_test.py`), by stem."""

    def find(paths: list[str]) -> list[Member]:
        present = set(paths)
        head, tail = module.split("{}")
        stems = [
            p[len(head) : -len(tail)] for p in paths if p.startswith(head) and p.endswith(tail)
        ]
        return [
            (module.format(s), test.format(s))
            for s in sorted(stems)
            if "/" not in s and test.format(s) in present
        ]

    return find


KEYS: dict[str, list[AnswerKey]] = {
    "starter-workflows": [
        AnswerKey(
            "workflows", files_like("{ci,code-scanning,deployments,automation,pages}/*.y*ml")
        ),
        AnswerKey("properties", files_like("*/properties/*.properties.json")),
        AnswerKey("icons", files_like("icons/*.svg")),
    ],
    "rust-rfcs": [
        AnswerKey("rfcs", files_like("text/*.md"), {"*.md": "0000-template.md"}),
    ],
    "python-peps": [
        AnswerKey("peps", files_like("peps/pep-*.rst"), {"*.rst": "peps/pep-0012/pep-NNNN.rst"}),
    ],
    "kubernetes-keps": [
        AnswerKey(
            "kep units",
            folders_holding(
                ("README.md", "kep.yaml"),
                "keps/*/*",
                "keps/*/*/*",
                besides=("keps/NNNN-kep-template", "keps/*/*/0000-cloud-provider-template"),
            ),
            {
                "README.md": "keps/NNNN-kep-template/README.md",
                "kep.yaml": "keps/NNNN-kep-template/kep.yaml",
            },
        ),
        AnswerKey(
            "prod-readiness",
            files_like("keps/prod-readiness/*/*.yaml", besides=("keps/prod-readiness/template/*",)),
            {"*.yaml": "keps/prod-readiness/template/nnnn.yaml"},
        ),
        AnswerKey(
            "OWNERS",
            files_like("keps/OWNERS", "keps/*/OWNERS", "keps/*/*/OWNERS", "keps/*/*/*/OWNERS"),
        ),
    ],
    "pre-commit-hooks": [
        AnswerKey(
            "hook modules",
            files_like(
                "pre_commit_hooks/*.py",
                besides=(
                    "pre_commit_hooks/__init__.py",
                    "pre_commit_hooks/util.py",
                    "pre_commit_hooks/removed.py",
                ),
            ),
        ),
        AnswerKey("test modules", files_like("tests/*_test.py")),
        AnswerKey("module+test pairs", stem_pairs("pre_commit_hooks/{}.py", "tests/{}_test.py")),
    ],
}

MEASURE = """
import json, resource, subprocess, sys, time
out = open(sys.argv[1], "wb")
start = time.perf_counter()
done = subprocess.run(sys.argv[2:], stdout=out, stderr=subprocess.PIPE)
wall = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "wall": wall, "cpu": usage.ru_utime + usage.ru_stime,
                  "peak_mb": usage.ru_maxrss / 1024, "stderr": done.stderr.decode()[-2000:]}))
"""


def measured(root: Path, argv: list[str]) -> tuple[dict[str, Any], str]:
    """Run `argv` in `root` from a clean child; its wall and CPU time, peak memory, stdout."""
    output = root.parent / "stdout.txt"
    done = subprocess.run(
        [sys.executable, "-c", MEASURE, str(output), *argv],
        cwd=root,
        env=environment(),
        capture_output=True,
        text=True,
        check=True,
    )
    figures = json.loads(done.stdout)
    if figures["rc"] != 0:
        raise SystemExit(f"{' '.join(argv)} failed in {root}: {figures['stderr']}")
    return figures, output.read_text()


def prepared(corpus: Path, where: Path) -> Path:
    """A copy of the corpus in a fresh git repository, every file committed."""
    root = where / corpus.name
    shutil.copytree(corpus, root, symlinks=True)
    for path in [root, *root.rglob("*")]:
        if not path.is_symlink():
            path.chmod(0o755 if path.is_dir() else 0o644)
    sh(root, "git", "init", "-q", "-b", "main")
    sh(root, "git", "add", "-A")
    sh(root, "git", "commit", "-q", "-m", "corpus")
    return root


@dataclass
class Learned:
    """One learned family as its spec on disk describes it."""

    id: str
    members: set[str]
    templates: dict[str, str]  # template path pattern -> Jinja2 source
    regexes: list[str] = field(default_factory=list)  # each template file's path regex


def learned_families(root: Path) -> list[Learned]:
    """Every file-template spec under `.repetend/patterns/`."""
    found = []
    for spec_path in sorted((root / ".repetend" / "patterns").rglob("*.yaml")):
        spec = yaml.safe_load(spec_path.read_text())
        if not isinstance(spec, dict) or spec.get("kind") != "file-template":
            continue
        items = spec.get("files") or []
        sources = {item["path"]: item.get("template", "") for item in items}
        regexes = [str(item.get("path_regex", "")) for item in items]
        found.append(Learned(str(spec["id"]), set(spec.get("members") or []), sources, regexes))
    return found


def scores(key: list[Member], families: list[Learned]) -> dict[str, Any]:
    """Recall, purity and fragments of one answer key against the learned families."""
    files = {path for member in key for path in member}
    best, best_cover = None, 0
    fragments = 0
    for family in families:
        if family.members & files:
            fragments += 1
        cover = sum(all(path in family.members for path in member) for member in key)
        if cover > best_cover:
            best, best_cover = family, cover
    purity = _purity(best, files, single=all(len(member) == 1 for member in key))
    return {
        "members": len(key),
        "recall": best_cover / len(key) if key else 0.0,
        "purity": purity,
        "fragments": fragments,
        "family": best,
    }


def _purity(family: Learned | None, files: set[str], *, single: bool) -> float:
    """The share of the family's members in the key; for a file key in a unit, among the
    members of the unit's file that holds most of the key's files."""
    if family is None:
        return 0.0
    members = family.members
    if single and len(family.regexes) > 1:
        groups = [{m for m in members if re.fullmatch(r, m)} for r in family.regexes]
        members = max(groups, key=lambda group: len(group & files))
    return len(members & files) / len(members) if members else 0.0


def checked(root: Path, family: Learned | None, available: bool) -> dict[str, Any]:
    """`repetend templates check ID --json` figures for the family (empty when unavailable)."""
    if family is None or not available:
        return {}
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "templates", "check", family.id, "--json"],
        cwd=root,
        env=environment(),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        return {"error": done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "failed"}
    answer = json.loads(done.stdout)
    return {k: answer.get(k) for k in ("read_back", "held_out_exact", "yield", "generic_names")}


def check_available(root: Path) -> bool:
    """Whether this repetend has `templates check`."""
    done = subprocess.run(
        [sys.executable, "-m", "repetend", "templates", "check", "--help"],
        cwd=root,
        env=environment(),
        capture_output=True,
    )
    return done.returncode == 0


PLACEHOLDER = re.compile(r"NNNN|nnnn|<[^>]*>|\[[^\]]*\]")
HEADING = re.compile(r"^#{1,6}\s+(.*?)\s*#*\s*$")
FIELD = re.compile(r"^([A-Z][\w-]*):(?:\s|$)")
YAML_KEY = re.compile(r"^\s*(?:-\s+)?([\w.-]+):(?:\s|$)")
ADORNMENT = re.compile(r"^([=\-~^*+#`'\"])\1{2,}\s*$")


def fixed_lines(path: str, text: str) -> set[tuple[str, str]]:
    """The fixed lines of a person's template: headings, section titles, fields, YAML keys."""
    lines = text.splitlines()
    header = lines.index("") if "" in lines else 0  # a reST header's fields end at a blank line
    found: set[tuple[str, str]] = set()
    for number, line in enumerate(lines):
        if path.endswith(".md"):
            heading = HEADING.match(line)
            if heading and not PLACEHOLDER.search(heading.group(1)):
                found.add(("heading", heading.group(1).lower()))
        elif path.endswith(".rst"):
            following = lines[number + 1] if number + 1 < len(lines) else ""
            field_name = FIELD.match(line)
            if field_name and number < header:
                found.add(("field", field_name.group(1)))
            elif (
                line.strip()
                and ADORNMENT.match(following)
                and len(following.strip()) >= len(line.strip())
            ):
                found.add(("title", line.strip()))
        elif path.endswith((".yaml", ".yml")) and not line.lstrip().startswith("#"):
            key = YAML_KEY.match(line)
            if key:
                found.add(("key", key.group(1)))
    return found


JINJA = re.compile(r"\{%-?.*?-?%\}|\{#.*?#\}|\{\{.*?\}\}")


def present(fixed: tuple[str, str], learned: str) -> bool:
    """Whether a learned template has a person's fixed line (Jinja2 statements left out)."""
    kind, text = fixed
    for line in JINJA.sub("", learned).splitlines():
        if kind == "heading":
            heading = HEADING.match(line)
            if heading and heading.group(1).lower() == text:
                return True
        elif (kind == "field" and line.startswith(f"{text}:")) or (
            kind == "title" and line.strip() == text
        ):
            return True
        elif kind == "key":
            key = YAML_KEY.match(line)
            if key and key.group(1) == text:
                return True
    return False


def ground_truth(corpus: Path, key: AnswerKey, family: Learned | None) -> str:
    """The share of the person's fixed lines the learned template has ('n/a' without one)."""
    if not key.templates:
        return "n/a"
    shares = []
    for name, template_path in key.templates.items():
        wanted = fixed_lines(template_path, (corpus / template_path).read_text())
        source = _learned_source(family, name)
        kept = sum(present(line, source) for line in wanted)
        shares.append(f"{name} {kept}/{len(wanted)}")
    return ", ".join(shares)


def ground_truth_share(corpus: Path, key: AnswerKey, paths: list[str]) -> str:
    """The share of a member's bytes in lines of the person's template ('n/a' without one).

    The yield a template can honestly reach is about this: the lines every page keeps
    from the template it was written from. (Each file of a unit on its own.)
    """
    if not key.templates:
        return "n/a"
    shares = []
    for name, template_path in key.templates.items():
        lines = {line for line in (corpus / template_path).read_text().splitlines() if line.strip()}
        files = [
            path
            for member in key.members(paths)
            for path in member
            if fnmatch.fnmatch(path.rsplit("/", 1)[-1], name)
        ]
        found = []
        for path in files:
            text = (corpus / path).read_bytes().decode("utf-8", errors="replace")
            if text:
                fixed = sum(len(line) + 1 for line in text.splitlines() if line in lines)
                found.append(min(1.0, fixed / len(text)))
        shares.append(f"{name} {sum(found) / len(found):.2f}" if found else f"{name} n/a")
    return ", ".join(shares)


def _learned_source(family: Learned | None, name: str) -> str:
    if family is None:
        return ""
    for path, source in family.templates.items():
        if fnmatch.fnmatch(path.rsplit("/", 1)[-1], name) or name.startswith("*"):
            return source
    return ""


def tracked(root: Path) -> list[str]:
    """The files git tracks in the copy."""
    return sh(root, "git", "ls-files").splitlines()


def run_corpus(corpus: Path, where: Path) -> dict[str, Any]:
    """Mine one corpus and score every answer key of it."""
    root = prepared(corpus, where)
    first, output = measured(root, [sys.executable, "-m", "repetend", "mine", ".", "--json"])
    report = json.loads(output)
    families = learned_families(root)
    available = check_available(root)
    paths = tracked(root)
    rows = []
    for key in KEYS[corpus.name]:
        found = scores(key.members(paths), families)
        family = found.pop("family")
        rows.append(
            {
                "key": key.name,
                **found,
                "id": family.id if family else None,
                "pattern": next(iter(family.templates), "") if family else "",
                "check": checked(root, family, available),
                "ground_truth": ground_truth(corpus, key, family),
                "ground_truth_share": ground_truth_share(corpus, key, paths),
            }
        )
    again, stable = changed_and_restored(root, corpus.name)
    return {
        "corpus": corpus.name,
        "files": report.get("files"),
        "families": len(families),
        "first_mine_s": round(first["wall"], 2),
        "first_mine_cpu_s": round(first["cpu"], 2),
        "peak_mb": round(first["peak_mb"], 1),
        "ten_changed_cpu_s": round(again["cpu"], 2),
        "stable": stable,
        "keys": rows,
    }


LIFECYCLE = ("version", "created_at", "updated_at", "status", "confidence")


def specs(root: Path) -> dict[str, Any]:
    """Every spec (without its lifecycle fields) and Jinja2 file under .repetend/patterns/."""
    found: dict[str, Any] = {}
    for path in sorted((root / ".repetend" / "patterns").rglob("*")):
        if path.suffix == ".yaml":
            spec = yaml.safe_load(path.read_text())
            found[path.name] = {k: v for k, v in spec.items() if k not in LIFECYCLE}
        elif path.is_file():
            found[path.relative_to(root).as_posix()] = path.read_text()
    return found


def changed_and_restored(root: Path, name: str) -> tuple[dict[str, Any], bool]:
    """Mine after changing 10 files of the first answer key; restore them, mine: same specs?"""
    before = specs(root)
    key = KEYS[name][0].members(tracked(root))
    for member in key[:10]:
        path = root / member[0]
        path.write_text(path.read_text() + "\nA line added by the benchmark.\n")
    again, _ = measured(root, [sys.executable, "-m", "repetend", "mine", ".", "--json"])
    sh(root, "git", "checkout", "-q", "--", ".")
    measured(root, [sys.executable, "-m", "repetend", "mine", ".", "--json"])
    return again, specs(root) == before


def shown(value: Any) -> str:
    """A figure for the table."""
    if value is None:
        return "n/a"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


def lines_of(result: dict[str, Any]) -> list[str]:
    """The printed figures of one corpus."""
    out = [
        f"== {result['corpus']}: {result['files']} files mined, {result['families']} families;"
        f" first mine {result['first_mine_s']} s wall, {result['first_mine_cpu_s']} s CPU,"
        f" peak {result['peak_mb']} MB; after 10 changed files {result['ten_changed_cpu_s']} s CPU;"
        f" changed and restored -> same specs: {'yes' if result['stable'] else 'NO'}"
    ]
    for row in result["keys"]:
        check = row["check"]
        figures = (
            " ".join(
                f"{k}={shown(check.get(k))}"
                for k in ("read_back", "held_out_exact", "yield", "generic_names")
            )
            if "error" not in check
            else f"check error: {check['error']}"
        )
        out.append(
            f"  {row['key']:<18} n={row['members']:<4} recall={row['recall']:.2f}"
            f" purity={row['purity']:.2f} fragments={row['fragments']:<3} {figures}"
            f" ground-truth: {row['ground_truth']}"
            f" (person's fixed share: {row.get('ground_truth_share', 'n/a')})"
            f"  [{row['id']} {row['pattern']}]"
        )
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=sorted(KEYS))
    parser.add_argument("--out", type=Path, help="also write the figures to this file")
    parser.add_argument("--json", type=Path, help="write the figures as JSON to this file")
    arguments = parser.parse_args()
    results, printed = [], []
    with tempfile.TemporaryDirectory() as temporary:
        for name in arguments.corpora:
            if name not in KEYS:
                raise SystemExit(
                    f"unknown corpus {name!r}: expected one of {', '.join(sorted(KEYS))}"
                )
            work = Path(temporary) / name
            work.mkdir()
            result = run_corpus(CORPORA / name, work)
            results.append(result)
            for line in lines_of(result):
                print(line, flush=True)
                printed.append(line)
    if arguments.out:
        arguments.out.write_text("\n".join(printed) + "\n")
    if arguments.json:
        arguments.json.write_text(json.dumps(results, indent=1, default=str) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
