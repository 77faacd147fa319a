"""A PostgreSQL connection that speaks the SQLite store's SQL (through `dialect`).

Store methods receive a `PostgreSQLCursorConnection` where SQLite gives them a
`sqlite3.Connection`: the same `execute`/`executemany`, cursors with
`fetchone`/`fetchall`/`rowcount`/`lastrowid`, rows read by position or by
column name. A write transaction takes a transaction-scoped advisory lock
first, so writes are serialised as SQLite's `BEGIN IMMEDIATE` serialises them
(each method's read-then-write stays correct) while reads never wait.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Sequence
from typing import Any

from repetend.store import dialect


class Row(tuple):  # type: ignore[type-arg]
    """A result row read by position or by column name, as `sqlite3.Row` is."""

    names: dict[str, int] = {}  # noqa: RUF012 (set per result on a subclass)

    def __getitem__(self, key: Any) -> Any:
        """The value at a position, or of a column by name."""
        if isinstance(key, str):
            return tuple.__getitem__(self, self.names[key])
        return tuple.__getitem__(self, key)

    def keys(self) -> list[str]:
        """The column names, in order."""
        return list(self.names)


@functools.lru_cache(maxsize=256)
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"names": {name: i for i, name in enumerate(names)}})


def row_factory(cursor: Any) -> Any:
    """psycopg's row maker for `Row`s of the cursor's columns."""
    description = cursor.description
    if description is None:
        return tuple
    return _row_class(tuple(column.name for column in description))


class PostgreSQLCursor:
    """What a store method reads back from one statement."""

    def __init__(self, cursor: Any, returned_id: bool) -> None:
        self._cursor = cursor
        self.rowcount: int = cursor.rowcount
        self.lastrowid: int | None = None
        self._first: Any = None
        if returned_id:
            self._first = cursor.fetchone()
            self.lastrowid = None if self._first is None else int(self._first[0])

    def fetchone(self) -> Any:
        """The next row, or None."""
        if self._first is not None:
            row, self._first = self._first, None
            return row
        return self._cursor.fetchone() if self._cursor.description else None

    def fetchall(self) -> list[Any]:
        """The remaining rows."""
        rows = [] if self._cursor.description is None else list(self._cursor.fetchall())
        if self._first is not None:
            rows.insert(0, self._first)
            self._first = None
        return rows

    def __iter__(self) -> Any:
        return iter(self.fetchall())


class PostgreSQLCursorConnection:
    """One pooled connection, translating each statement from the SQLite dialect."""

    def __init__(self, connection: Any, tables: TableInfo) -> None:
        self.connection = connection
        self.tables = tables

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> PostgreSQLCursor:
        """Run one statement written for SQLite."""
        text, returned_id = self._translated(sql)
        cursor = self.connection.cursor(row_factory=row_factory)
        if parameters:
            cursor.execute(text, tuple(parameters))
        else:
            cursor.execute(text.replace("%%", "%"))
        return PostgreSQLCursor(cursor, returned_id)

    def executemany(self, sql: str, rows: Sequence[Sequence[Any]]) -> PostgreSQLCursor:
        """Run one statement for each row of parameters."""
        text, _ = self._translated(sql, want_id=False)
        cursor = self.connection.cursor()
        if rows:
            cursor.executemany(text, [tuple(row) for row in rows])
        return PostgreSQLCursor(cursor, False)

    def _translated(self, sql: str, *, want_id: bool = True) -> tuple[str, bool]:
        replaced = dialect.or_replace(sql)
        if replaced is not None:
            table, columns, values = replaced
            sql = dialect.upsert(
                table, columns or self.tables.columns(table), self.tables.key(table), values
            )
        text = dialect.to_postgres(sql)
        target = dialect.insert_table(text)
        if want_id and target and "RETURNING" not in text.upper() and self.tables.has_id(target):
            return text + " RETURNING id", True
        return text, False


class TableInfo:
    """Columns and primary keys of the store's tables, looked up once per connection pool."""

    def __init__(self, pool: Any) -> None:
        self._pool = pool
        self._columns: dict[str, list[str]] = {}
        self._keys: dict[str, list[str]] = {}
        self._identity: dict[str, bool] = {}

    def columns(self, table: str) -> list[str]:
        """The table's columns, in order."""
        if table not in self._columns:
            self._columns[table] = self._names(
                "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                " current_schema() AND table_name = %s ORDER BY ordinal_position",
                table,
            )
        return self._columns[table]

    def key(self, table: str) -> list[str]:
        """The table's primary key columns."""
        if table not in self._keys:
            self._keys[table] = self._names(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = to_regclass(%s)"
                " AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
                table,
            )
        return self._keys[table]

    def has_id(self, table: str) -> bool:
        """Whether the table has an `id` identity column (filled in by the database)."""
        if table not in self._identity:
            self._identity[table] = bool(
                self._names(
                    "SELECT column_name FROM information_schema.columns WHERE table_schema ="
                    " current_schema() AND table_name = %s AND column_name = 'id'"
                    " AND is_identity = 'YES'",
                    table,
                )
            )
        return self._identity[table]

    def forget(self) -> None:
        """Drop what was looked up (after a migration changed the tables)."""
        self._columns.clear()
        self._keys.clear()
        self._identity.clear()

    def _names(self, sql: str, table: str) -> list[str]:
        with self._pool.connection() as connection:
            return [row[0] for row in connection.execute(sql, (table,)).fetchall()]


def lock_key(schema: str) -> int:
    """The advisory lock that serialises one schema's writes (teams never wait on each other)."""
    digest = hashlib.blake2b(f"repetend:{schema}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)
