"""MinHash sketches and a banded LSH index: similar files found without comparing every pair.

A sketch is one-permutation MinHash (Li, Owen and Zhang, 2012): every feature
is hashed once, the hash picks one of `BINS` bins, and each bin keeps its
smallest hash; empty bins borrow from the next full one (rotation
densification) so that two sketches agree in a bin with probability equal to
the Jaccard similarity of the feature sets; each bin is then folded to 16
bits (see `_folded`). The LSH index splits a sketch
into `BANDS` bands of `ROWS` bins; files that agree on a whole band share a
bucket, so pairs above about (1/BANDS)^(1/ROWS) ≈ 0.5 similarity meet.

It is pure Python on purpose: `datasketch` does the same with numpy and
scipy, but importing it costs more than mining a whole repository.
"""

from __future__ import annotations

import operator
import zlib
from collections import defaultdict
from collections.abc import Iterable

BINS = 64
BANDS = 16
ROWS = BINS // BANDS
_EMPTY = (1 << 64) - 1  # above every hash; a sketch is stored as unsigned 64-bit numbers
_OFFSET = 1 << 58  # keeps borrowed values apart from the values bins hold themselves

Sketch = tuple[int, ...]


def feature_hash(feature: str) -> int:
    """A stable 32-bit hash of a feature (stable across processes, unlike `hash`).

    CRC-32 is many times cheaper than a cryptographic hash and spreads short
    strings well enough for 64 bins.
    """
    return zlib.crc32(feature.encode("utf-8", "surrogateescape"))


def sketch(features: Iterable[str]) -> Sketch:
    """The MinHash sketch of a feature set."""
    bins = [_EMPTY] * BINS
    for feature in features:
        value = feature_hash(feature)
        slot = value % BINS
        if value < bins[slot]:
            bins[slot] = value
    return tuple(map(_folded, _densify(bins)))


def _folded(value: int) -> int:
    """A bin's value in 16 bits (b-bit minwise hashing, Li and König 2010).

    Two bins agree when their minima agree; two different minima fold to one
    16-bit value once in 65,536, so the similarity is as good as exact, and a
    sketch takes 128 bytes in the index instead of 512.
    """
    return (value ^ (value >> 16) ^ (value >> 32) ^ (value >> 48)) & 0xFFFF


def _densify(bins: list[int]) -> Sketch:
    if _EMPTY not in bins:  # no bin to fill (a file of a few hundred features, most often)
        return tuple(bins)
    if all(value == _EMPTY for value in bins):
        return tuple(bins)
    filled = list(bins)
    # walk twice round the ring backwards, carrying the nearest full bin ahead
    ahead, distance = _EMPTY, 0
    for index in reversed(range(2 * BINS)):
        value = bins[index % BINS]
        if value != _EMPTY:
            ahead, distance = value, 0
            continue
        distance += 1
        if index < BINS and ahead != _EMPTY:
            filled[index] = (ahead + distance * _OFFSET) % _EMPTY
    return tuple(filled)


def similarity(first: Sketch, second: Sketch) -> float:
    """The estimated Jaccard similarity of the two feature sets."""
    same: int = sum(map(operator.eq, first, second))
    return same / BINS


def band_keys(signature: Sketch, rows: int = ROWS) -> list[tuple[int, ...]]:
    """The bucket key of each band of `rows` bins (the band number is part of the key)."""
    return [(band, *signature[band * rows : (band + 1) * rows]) for band in range(BINS // rows)]


class SimilarityIndex:
    """A banded LSH index of sketches by key (a file path).

    `rows` bins a band: 4 (16 bands) meets pairs above about 0.5 similarity;
    2 (32 bands) is a loose index that meets most pairs above about 0.2.
    """

    def __init__(self, rows: int = ROWS) -> None:
        self.rows = rows
        self.sketches: dict[str, Sketch] = {}
        self.buckets: dict[tuple[int, ...], list[str]] = defaultdict(list)

    def add(self, key: str, signature: Sketch) -> None:
        """Index one sketch."""
        self.sketches[key] = signature
        for band in band_keys(signature, self.rows):
            self.buckets[band].append(key)

    def near(self, signature: Sketch) -> set[str]:
        """Keys that share at least one band with `signature` (candidates, not yet checked)."""
        found: set[str] = set()
        for band in band_keys(signature, self.rows):
            found.update(self.buckets.get(band, ()))
        return found

    def groups(self, threshold: float) -> list[list[str]]:
        """Connected groups of keys whose bucket-mates are at least `threshold` similar."""
        parent = {key: key for key in self.sketches}
        for members in self.buckets.values():
            head = members[0]
            for other in members[1:]:
                if _find(parent, head) == _find(parent, other):
                    continue
                if similarity(self.sketches[head], self.sketches[other]) >= threshold:
                    _union(parent, head, other)
        grouped: dict[str, list[str]] = defaultdict(list)
        for key in self.sketches:
            grouped[_find(parent, key)].append(key)
        return list(grouped.values())


def _find(parent: dict[str, str], key: str) -> str:
    while parent[key] != key:
        parent[key] = parent[parent[key]]
        key = parent[key]
    return key


def _union(parent: dict[str, str], first: str, second: str) -> None:
    parent[_find(parent, first)] = _find(parent, second)
