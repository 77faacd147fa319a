"""How a file template's confidence relates to what it then does on members it never saw.

For every single-file answer-key family of ../shared/corpora (the globs of
`mining_quality.KEYS`; a unit's files are taken one file name at a time), a few
families of `k` members (k = 3, 5, 8, 12, 20; two draws each) are learned as
mining learns a family of that size, and given the confidence mining would give
them (`repetend.files.candidates`: held-out inside the k, yield, read-back,
structural similarity). Then the template meets up to 40 other members of the
real family: the share it reads back and renders exactly is the measured rate
of the "next member"; times the template's yield on them, the share of the next
member's bytes it writes.

The table bins the draws by confidence: a calibrated confidence has the mean
measured rate (× yield, which the confidence weighs in) near its mean.

Usage: python benchmarks/confidence_calibration.py [CORPUS ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from jinja2 import TemplateError
from mining_quality import CORPORA, KEYS

from repetend.files.candidates import reproduction_parts, template_confidence
from repetend.files.families import structural_similarity
from repetend.files.index import IndexedFile, digest_of
from repetend.files.signatures import file_signature
from repetend.files.similarity import sketch
from repetend.patterns.confidence import wilson_lower_bound
from repetend.templates.generator import Member, generate, infer_values
from repetend.templates.held_out import blank_values
from repetend.templates.quality import _fixed_share

SIZES = (3, 5, 8, 12, 20)
DRAWS = 2
TESTED = 40
BINS = (0.0, 0.2, 0.4, 0.6, 0.8, 1.0001)


@dataclass
class Draw:
    """One small family learned from a real one, and what its template did next."""

    family: str
    size: int
    confidence: float
    next_exact: float
    next_written: float  # next_exact times the yield on the members read exactly


def families(corpus: Path) -> dict[str, list[Member]]:
    """The corpus' answer-key families, one per file name of a unit."""
    paths = sorted(p.relative_to(corpus).as_posix() for p in corpus.rglob("*") if p.is_file())
    found: dict[str, list[Member]] = {}
    seen: set[str] = set()
    for key in KEYS[corpus.name]:
        members = key.members(paths)
        for index in range(max(len(m) for m in members) if members else 0):
            files = [m[index] for m in members if len(m) > index]
            if len(seen & set(files)) > len(files) // 2:
                continue  # (module+test pairs: the modules and tests are families already)
            seen.update(files)
            name = key.name if index == 0 else f"{key.name} [{index + 1}]"
            texts = [(p, (corpus / p).read_bytes().decode("utf-8", "replace")) for p in files]
            found[name] = [Member(p, t) for p, t in texts]
    return found


def rows_of(members: list[Member]) -> list[IndexedFile]:
    rows = []
    for member in members:
        signature = file_signature(member.path, member.text)
        digest = digest_of(member.text.encode("utf-8"))
        rows.append(
            IndexedFile(member.path, 0, 0, digest, signature.language, sketch(signature.features))
        )
    return rows


def draw(name: str, members: list[Member], size: int, seed: int) -> Draw:
    rng = random.Random(f"{name}/{size}/{seed}")
    chosen = rng.sample(members, size)
    rest = [m for m in members if m not in chosen]
    tested = rng.sample(rest, min(TESTED, len(rest)))
    template = generate(chosen)
    parts = {
        **reproduction_parts([template]),
        "examples": wilson_lower_bound(sum(template.read_backs), size),
        "structural_similarity": structural_similarity(rows_of(chosen)),
    }
    confidence = template_confidence(parts)
    blank = blank_values(template)
    exact, written = 0, 0.0
    for member in tested:
        values, _missing = infer_values(template, member.path, member.text)
        try:
            rendered = template.render({**blank, **values})
        except TemplateError:  # a value that does not fit is a miss
            continue
        if rendered == member.text:
            exact += 1
            written += _fixed_share(template, {**blank, **values}, member.text)
    share = exact / len(tested) if tested else 1.0
    return Draw(name, size, confidence, share, written / len(tested) if tested else 1.0)


def table(draws: list[Draw]) -> list[str]:
    lines = [
        "| confidence | draws | mean confidence | next member exact | share of its bytes written |",
        "|---|---|---|---|---|",
    ]
    for low, high in itertools.pairwise(BINS):
        inside = [d for d in draws if low <= d.confidence < high]
        if not inside:
            continue
        n = len(inside)
        lines.append(
            f"| {low:.1f}–{min(high, 1.0):.1f} | {n} | {sum(d.confidence for d in inside) / n:.2f}"
            f" | {sum(d.next_exact for d in inside) / n:.2f}"
            f" | {sum(d.next_written for d in inside) / n:.2f} |"
        )
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpora", nargs="*", default=sorted(KEYS))
    parser.add_argument("--out", type=Path, help="also write the table and the draws here")
    arguments = parser.parse_args()
    draws: list[Draw] = []
    printed: list[str] = []
    for corpus in arguments.corpora:
        if corpus not in KEYS:
            raise SystemExit(f"unknown corpus {corpus!r}: expected one of {', '.join(KEYS)}")
        for name, members in families(CORPORA / corpus).items():
            for size in SIZES:
                if size >= len(members):
                    continue
                for seed in range(DRAWS):
                    found = draw(name, members, size, seed)
                    draws.append(found)
                    line = (
                        f"{corpus:<18} {name:<22} k={size:<3} confidence={found.confidence:.2f}"
                        f" next_exact={found.next_exact:.2f} next_written={found.next_written:.2f}"
                    )
                    print(line, flush=True)
                    printed.append(line)
    printed += ["", *table(draws)]
    print("\n".join(table(draws)))
    if arguments.out:
        arguments.out.write_text("\n".join(printed) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
