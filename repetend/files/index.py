"""The file index in the store: what each mined file looked like when it was last read.

A row keeps the file's size, modification time, content digest, language and
MinHash sketch. A file whose size and time are unchanged is not read again;
one whose digest is unchanged is not signed again, so a second `mine` costs a
`stat` per file plus the work on files that really changed.
"""

from __future__ import annotations

import functools
import hashlib
import os
import re
import struct
from collections.abc import Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol, cast

import pluggy

from repetend.files.discovery import decode
from repetend.files.signatures import file_signature
from repetend.files.similarity import BINS, Sketch, sketch
from repetend.plugins.registry import call_hook
from repetend.plugins.types import FileSignature


class TableStore(Protocol):
    """The part of a store that features with tables of their own use."""

    def transaction(self) -> AbstractContextManager[Any]:
        """A write transaction."""
        ...

    def query(self, sql: str, params: Any = ()) -> list[Any]:
        """Rows for a read."""
        ...


@dataclass(frozen=True)
class IndexedFile:
    """One row of the index."""

    path: str
    size: int
    mtime_ns: int
    digest: str
    language: str
    sketch: Sketch

    @property
    def folder(self) -> str:
        """The folder the file is in ('' at the root)."""
        return self.path.rsplit("/", 1)[0] if "/" in self.path else ""

    @property
    def suffix(self) -> str:
        """The file name's last extension."""
        return suffix_of(self.path)


def suffix_of(path: str) -> str:
    """The file name's last extension (`.json`; `node.js.properties.json` is a `.json` too)."""
    name = path.rsplit("/", 1)[-1]
    dot = name.rfind(".")
    return name[dot:] if dot > 0 else ""


def folder_of(path: str) -> str:
    """The folder part of a relative path."""
    return path.rsplit("/", 1)[0] if "/" in path else ""


def as_table_store(store: object) -> TableStore:
    """The store, as one that keeps feature tables (the SQLite store does)."""
    return cast(TableStore, store)


def load(
    store: TableStore, *, folder: str | None = None, suffix: str = ""
) -> dict[str, IndexedFile]:
    """Index rows by path (only one folder's text files with one suffix, when given)."""
    sql = "SELECT path, size, mtime_ns, digest, language, sketch FROM file_index"
    params: tuple[str, ...] = ()
    if folder is not None:
        sql += " WHERE folder = ? AND suffix = ? AND language NOT IN ('binary', 'secret', 'empty')"
        params = (stored_name(folder), suffix)
    return {real_name(row[0]): _row(row) for row in store.query(sql, params)}


def _row(row: Any) -> IndexedFile:
    raw = bytes(row[5])
    unpacked = _layout(len(raw)).unpack(raw)
    return IndexedFile(real_name(row[0]), row[1], row[2], row[3], row[4], unpacked)


# A name that is not UTF-8 (`lat\xe9in.md` from a Latin-1 system; read with surrogateescape)
# cannot be stored as text: it is kept as this mark and its bytes, %-escaped. A real name
# that starts with the mark (a noncharacter no one types) is escaped too, so none collide.
_MARK = "\ufffe"


def stored_name(name: str) -> str:
    """`name` as the index keeps it: itself when it is UTF-8, else the mark and %-escapes."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        pass
    else:
        if not name.startswith(_MARK):
            return name
    from urllib.parse import quote_from_bytes

    return _MARK + quote_from_bytes(os.fsencode(name), safe="/")


def real_name(stored: str) -> str:
    """The file's name (with surrogate escapes for bytes that are not UTF-8) from the index."""
    if not stored.startswith(_MARK):
        return stored
    from urllib.parse import unquote_to_bytes

    return os.fsdecode(unquote_to_bytes(stored[len(_MARK) :]))


def _packed(signature: Sketch) -> bytes:
    return _layout(2 * len(signature)).pack(*signature)


@functools.cache
def _layout(size: int) -> struct.Struct:
    """The packing of a sketch of `size` bytes, compiled once: a load unpacks every row.

    Sketches are 16-bit numbers (see `similarity`); a row written before them
    holds 64-bit ones, is read as such and signed again (see `read_file`).
    """
    return struct.Struct(f"<{size // 8}Q" if size == 8 * BINS else f"<{size // 2}H")


def save(store: TableStore, files: Iterable[IndexedFile]) -> None:
    """Insert or replace rows."""
    rows = [
        (
            stored_name(f.path),
            stored_name(f.folder),
            stored_name(f.suffix),
            f.size,
            f.mtime_ns,
            f.digest,
            f.language,
            _packed(f.sketch),
        )
        for f in files
    ]
    with store.transaction() as db:
        db.executemany("INSERT OR REPLACE INTO file_index VALUES (?, ?, ?, ?, ?, ?, ?, ?)", rows)


def forget(store: TableStore, paths: Iterable[str]) -> None:
    """Remove rows of files that are gone or no longer mined."""
    with store.transaction() as db:
        db.executemany("DELETE FROM file_index WHERE path = ?", [(stored_name(p),) for p in paths])


# Raised whenever the built-in signatures change: every digest changes with it, so the next
# `mine` signs every file again instead of keeping sketches made the old way.
SIGNATURE_VERSION = b"signatures-5"


DIGEST_MARK = SIGNATURE_VERSION.decode().rsplit("-", 1)[-1] + ":"


def digest_of(raw: bytes) -> str:
    """The content digest kept in the index, marked with the signatures' version (`5:…`)."""
    return DIGEST_MARK + hashlib.blake2b(raw, digest_size=16, person=SIGNATURE_VERSION).hexdigest()


BINARY = "binary"  # the language of an indexed binary file: kept so it is not read again
SECRET = "secret"  # the same for a file whose content is a private key
EMPTY = "empty"  # and for an empty (or blank) file: every empty file has the same shape
UNMINED = (BINARY, SECRET, EMPTY)


PRIVATE_KEY = re.compile(r"^-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----\s*$", re.MULTILINE)


def looks_secret(text: str) -> bool:
    """Whether a file holds a private key or a provider token, whatever its name."""
    from repetend.secret_rules import holds_token  # the rules redaction masks by

    return ("PRIVATE KEY-----" in text and PRIVATE_KEY.search(text) is not None) or holds_token(
        text
    )


def read_file(
    root: Path,
    path: str,
    known: IndexedFile | None,
    manager: pluggy.PluginManager | None,
    status: os.stat_result | None = None,
) -> tuple[IndexedFile, bool]:
    """The index row for `path`, and whether it was (re)signed (language `binary` for one)."""
    stat = status or (root / path).stat()
    if known and not known.digest.startswith(DIGEST_MARK):
        known = None  # signed by another version of the signatures: sign it again
    if known and known.size == stat.st_size and known.mtime_ns == stat.st_mtime_ns:
        return known, False
    raw = (root / path).read_bytes()
    digest = digest_of(raw)
    if known and known.digest == digest:
        return IndexedFile(
            path, stat.st_size, stat.st_mtime_ns, digest, known.language, known.sketch
        ), False
    text = decode(raw)
    kind = _unmined(text)
    if kind or text is None:
        return IndexedFile(path, stat.st_size, stat.st_mtime_ns, digest, kind, ()), False
    signature = sign(path, text, manager)
    row = IndexedFile(
        path, stat.st_size, stat.st_mtime_ns, digest, signature.language, sketch(signature.features)
    )
    return row, True


def _unmined(text: str | None) -> str:
    if text is None:
        return BINARY
    if not text.strip():
        return EMPTY
    return SECRET if looks_secret(text) else ""


def sign(path: str, text: str, manager: pluggy.PluginManager | None) -> FileSignature:
    """The file's signature from the first plugin that gives one (the built-in answers all)."""
    if manager is not None:
        for answer in call_hook(manager, "repetend_file_signature", path=path, text=text):
            if isinstance(answer, FileSignature):
                return answer
    return file_signature(path, text)


def read_text(root: Path, path: str) -> str:
    """A mined file's text, exactly as stored (no newline translation)."""
    return (root / path).read_bytes().decode("utf-8")


def chunks(items: list[str], size: int) -> Iterator[list[str]]:
    """`items` in slices of `size`."""
    for start in range(0, len(items), size):
        yield items[start : start + size]
