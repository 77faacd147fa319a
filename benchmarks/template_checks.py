"""`repetend templates check` on every template mined from each corpus (a copy in a git repo).

Per corpus: the time of the first `mine`, then for every template its members,
read-back, held-out exact (from 5), yield and generic names, and the figures
over all templates, each weighted by the template's members.

    python benchmarks/template_checks.py [CORPUS ...] [--per-template]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from common import REPETEND, environment

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"


def repository(corpus: str, into: Path) -> Path:
    """A git repository holding a copy of `corpus`, committed."""
    root = into / corpus
    subprocess.run(["cp", "-r", str(CORPORA / corpus), str(root)], check=True)
    for argv in (["git", "init", "-q"], ["git", "add", "-A"], ["git", "commit", "-qm", "corpus"]):
        subprocess.run(argv, cwd=root, env=environment(), check=True, capture_output=True)
    return root


def repetend(root: Path, *argv: str) -> object:
    """Run `repetend ARGV --json` in `root`; its JSON answer."""
    done = subprocess.run(
        [*REPETEND, *argv, "--json"], cwd=root, env=environment(), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise SystemExit(f"repetend {' '.join(argv)}: {done.stderr.strip()}")
    return json.loads(done.stdout)


def weighted(rows: list[dict[str, object]], key: str) -> float:
    """The mean of `key` over templates, each weighted by its members."""
    total = sum(int(str(r["members"])) for r in rows)
    return sum(float(str(r[key])) * int(str(r["members"])) for r in rows) / total if total else 0


def corpus_figures(corpus: str, per_template: bool) -> None:
    """Mine one corpus and print its templates' figures."""
    with tempfile.TemporaryDirectory() as temporary:
        root = repository(corpus, Path(temporary))
        started = time.perf_counter()
        repetend(root, "mine", ".")
        seconds = time.perf_counter() - started
        listed = repetend(root, "templates", "list")
        assert isinstance(listed, list)
        rows = []
        for template in listed:
            figures = repetend(root, "templates", "check", str(template["id"]))
            assert isinstance(figures, dict)
            rows.append({**figures, "path_pattern": template["path_pattern"]})
    generic = sum(int(r["generic_names"]) for r in rows)
    variables = sum(int(r["variables"]) for r in rows)
    print(
        f"{corpus}: mine {seconds:.2f} s, {len(rows)} templates,"
        f" {sum(int(r['members']) for r in rows)} members;"
        f" read_back {weighted(rows, 'read_back'):.3f}"
        f" held_out_exact {weighted(rows, 'held_out_exact'):.3f}"
        f" yield {weighted(rows, 'yield'):.3f}"
        f" generic {generic}/{variables} ({generic / max(1, variables):.1%})"
    )
    for row in rows if per_template else []:
        print(
            f"  {row['members']:>4} rb {row['read_back']:.2f} ho {row['held_out_exact']:.2f}"
            f" y {row['yield']:.2f} gen {row['generic_names']}/{row['variables']}"
            f"  {row['path_pattern']}"
        )


def main(argv: list[str]) -> int:
    """Print the figures for the corpora named (default: all)."""
    per_template = "--per-template" in argv
    names = [a for a in argv if not a.startswith("--")]
    for corpus in names or sorted(p.name for p in CORPORA.iterdir() if p.is_dir()):
        corpus_figures(corpus, per_template)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
