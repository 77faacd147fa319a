"""How values cross between Python and PostgreSQL so the store reads back what SQLite would.

`SUM` of an integer column is `numeric` in PostgreSQL, which psycopg reads as a
`Decimal`; SQLite gives an `int`. Text may hold characters PostgreSQL's `text`
cannot (NUL, and lone surrogates from file names that are not UTF-8): they are
replaced, as a captured value's exact bytes are never what a pattern is mined from.
"""

from __future__ import annotations

from typing import Any

from psycopg import adapt
from psycopg.pq import Format
from psycopg.types.string import StrDumper


class _NumberLoader(adapt.Loader):
    """`numeric` as `int` when whole, else `float`."""

    def load(self, data: Any) -> int | float:
        text = bytes(data).decode()
        if "." in text or "e" in text.lower() or text in ("NaN", "Infinity", "-Infinity"):
            return float(text)
        return int(text)


class _TextDumper(StrDumper):
    """`str` as UTF-8 with NUL and unencodable characters replaced."""

    format = Format.TEXT

    def dump(self, obj: str) -> bytes:
        return obj.replace("\x00", "\ufffd").encode("utf-8", "replace")


def register(connection: Any) -> None:
    """Install the loaders and dumpers on one connection."""
    connection.adapters.register_loader("numeric", _NumberLoader)
    connection.adapters.register_dumper(str, _TextDumper)
