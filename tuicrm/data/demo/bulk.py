"""Writing the demo in bulk: the build's SQL on one connection, a second thread that runs it in
order while the next rows are made, and the indexes and search triggers taken off for a big load.

Rows are plain tuples (integer units, text, None) written with multi-row ``INSERT`` on SQLite
and ``COPY`` on PostgreSQL; no model object is built per row. Every statement runs inside the
one transaction the build began: a failure anywhere rolls back the rows and restores the
dropped indexes and triggers alike.
"""

from __future__ import annotations

import datetime as dt
import queue
import re
import threading
from collections.abc import Callable, Sequence
from itertools import chain
from types import TracebackType
from typing import Any

from ..core import db as dbmod
from ..core.db import database
from ..core.pinyin import spell

Progress = Callable[[str, int, int], None]  # step, done, total
Row = tuple[object, ...]  # one row's values in the column order given with it
Job = tuple[Callable[..., None], tuple[Any, ...], int]  # function, arguments, rows held


def stamp(day: dt.date, seconds: int) -> str:
    """``day`` at ``seconds`` after midnight as the database stores a time."""
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def no_progress(step: str, done: int, total: int) -> None:
    pass


class BulkSql:
    """The build's SQL, on the open transaction's own DB-API connection.

    Peewee gives each thread its own connection; the writer thread must use this one, so that
    everything lands in the one transaction the caller's thread began.
    """

    def __init__(self) -> None:
        self.conn: Any = database.connection()
        self.p: str = database.param
        self.sqlite = dbmod.is_sqlite()

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any:
        cursor = self.conn.cursor()
        if params:
            cursor.execute(sql, tuple(params))
        else:
            cursor.execute(sql)
        return cursor

    def scalar(self, sql: str, params: Sequence[object] = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[Row]) -> None:
        if not rows:
            return
        if table in SPELT and "name" in columns and "pinyin" not in columns:
            # What the models do for every write of a name (``models.base.Spelt``).
            at = list(columns).index("name")
            columns = [*columns, "pinyin"]
            rows = [(*row, spell(row[at])) for row in rows]
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.conn.cursor()
        if not self.sqlite:
            # PostgreSQL runs each INSERT of an executemany on its own (~15k rows/s here);
            # COPY streams the rows (the only engine-specific path of the build).
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Many rows per INSERT: half the cost of one row per statement (measured, 1M lines:
        # 0.84 s instead of 1.62 s). At most 999 parameters, the limit of old SQLite builds.
        one = f'({", ".join("?" * len(columns))})'
        per = max(1, min(100, 999 // len(columns)))
        full = len(rows) - len(rows) % per
        if full:
            many = f'INSERT INTO "{table}" ({names}) VALUES {", ".join([one] * per)}'
            flat = chain.from_iterable
            cursor.executemany(many, (tuple(flat(rows[i : i + per])) for i in range(0, full, per)))
        if full < len(rows):
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES {one}', rows[full:])

    def max_id(self, table: str) -> int:
        return int(self.scalar(f'SELECT MAX(id) FROM "{table}"') or 0)

    def count(self, table: str) -> int:
        return int(self.scalar(f'SELECT COUNT(*) FROM "{table}"') or 0)

    def next_code(self, table: str, letter: str) -> int:
        """One more than the highest number in codes like ``C000123`` already in ``table``."""
        pattern = re.compile(re.escape(letter) + r"(\d+)")
        rows = self.execute(f'SELECT code FROM "{table}" WHERE code LIKE {self.p}', (letter + "%",))
        numbers = [int(m.group(1)) for (code,) in rows.fetchall() if (m := pattern.fullmatch(code))]
        return max(numbers, default=0) + 1

    def secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """(drop, create) statements of ``table``'s indexes, and on PostgreSQL of its foreign
        keys too: the server checks those row by row (measured: 34 s of a 65 s build), and
        adding them back checks every row at once. SQLite's are off for the build."""
        if self.sqlite:
            sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                   "AND sql IS NOT NULL")
            return [(f'DROP INDEX "{name}"', ddl)
                    for name, ddl in self.execute(sql, (table,)).fetchall()]
        indexes = self.execute(  # not the ones behind a primary key or unique constraint
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (table,)).fetchall()
        keys = self.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = to_regclass(%s)", (f'"{table}"',)).fetchall()
        return [(f'DROP INDEX "{name}"', ddl) for name, ddl in indexes] + [
            (f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"',
             f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {ddl}') for name, ddl in keys]


class SqlWriter:
    """Runs the build's SQL in order on a second thread while the caller makes the next rows.

    ``run(fn, *args, rows=n)`` queues a job; it blocks while more than ``max_pending_rows``
    made rows wait to be written, so memory stays bounded. ``wait()`` returns when every job
    is done. The first error of a job is raised in the caller's thread by the next
    ``run``/``wait``; later jobs are skipped. Leaving the ``with`` block always stops the
    thread first, so the transaction is committed or rolled back only when no statement runs.
    The caller's thread runs no SQL of its own while jobs are queued (one connection).
    """

    def __init__(self, threaded: bool, max_pending_rows: int) -> None:
        self.jobs: queue.Queue[Job | None] = queue.Queue()
        self.error: BaseException | None = None
        self.abandon = False
        self.queued = self.finished = 0
        self.max_pending_rows = max_pending_rows
        self.pending_rows = 0  # rows made but not yet written: bounded by max_pending_rows
        self.room = threading.Condition()
        self.thread = threading.Thread(target=self._work, name="demo-writer", daemon=True) \
            if threaded else None

    def __enter__(self) -> SqlWriter:
        if self.thread is not None:
            self.thread.start()
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self.thread is not None:
            self.abandon = exc_type is not None
            self.jobs.put(None)
            self.thread.join()
        if exc_type is None:
            self._raise()

    def run(self, fn: Callable[..., None], *args: Any, rows: int = 0) -> None:
        """Queue ``fn(*args)``; ``rows`` is how many made rows it holds (for the memory bound)."""
        self._raise()
        self.queued += 1
        if self.thread is None:
            fn(*args)
            self.finished += 1
            return
        with self.room:
            while self.pending_rows > self.max_pending_rows and self.error is None:
                self.room.wait()
            self.pending_rows += rows
        self._raise()
        self.jobs.put((fn, args, rows))

    def wait(self, progress: Progress) -> None:
        """Until every queued job is done (or one failed), reporting progress now and then."""
        while self.thread is not None:
            progress("writing", self.finished, self.queued)
            with self.room:
                if self.finished >= self.queued or self.error is not None:
                    break
                self.room.wait(0.5)
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            fn, args, rows = job
            if self.error is None and not self.abandon:
                try:
                    fn(*args)
                except BaseException as e:  # noqa: BLE001 - raised again in the caller's thread
                    self.error = e
            with self.room:
                self.pending_rows -= rows
                self.finished += 1
                self.room.notify_all()


class IndexesOff:
    """A table's secondary indexes (PostgreSQL: and foreign keys), dropped for a big load and
    made again once afterwards.

    Building an index from the loaded table is much cheaper than updating it row by row
    (measured: 1M order lines load in 1.6 s instead of 4.3 s, and the index builds cost less
    than the difference). Inside the build's transaction: a failed load rolls back to the
    original indexes.
    """

    def __init__(self, sql: BulkSql, bulk: int) -> None:
        self.sql = sql
        self.bulk = bulk  # a load this big (and bigger than the table) drops the indexes
        self.dropped: dict[str, list[tuple[str, str]]] = {}

    def plan(self, table: str, new_rows: int) -> bool:
        """Decide now (before the writer runs) whether ``table``'s load drops its indexes."""
        if new_rows >= self.bulk and new_rows >= self.sql.count(table):
            self.dropped[table] = self.sql.secondary_indexes(table)
        return table in self.dropped

    def drop(self, table: str) -> None:
        for drop, _create in self.dropped.get(table, ()):
            self.sql.execute(drop)

    def restore(self, table: str) -> None:
        for _drop, create in self.dropped.pop(table, ()):
            self.sql.execute(create)


SPELT = ("customer", "contact", "supplier", "product")  # tables with a ``pinyin`` of the name


class SearchTriggersOff:
    """The SQLite quick-search index (FTS5 ``customer_search``, migration 0080) is kept up to
    date by triggers: one FTS write per customer and one more per contact, ~19 s for 100k
    customers and 180k contacts. For the load, its two insert triggers are dropped and the
    index is filled once from the loaded rows (~1.4 s), as the migration fills it. If the
    index has a shape this does not know, the triggers stay (slow but right).
    """

    TRIGGERS = ("customer_search_ai", "contact_search_ai")
    COLUMNS = ["own", "spelt", "contacts", "contact_spelt"]

    def __init__(self, sql: BulkSql) -> None:
        self.sql = sql
        self.saved: list[tuple[str, str]] = []
        if not sql.sqlite:
            return  # PostgreSQL searches with pg_trgm indexes: dropped with the others
        columns = [r[1] for r in sql.execute('PRAGMA table_info("customer_search")').fetchall()]
        found = sql.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
            self.TRIGGERS,
        ).fetchall()
        if columns == self.COLUMNS and len(found) == len(self.TRIGGERS):
            self.saved = found

    def drop(self) -> None:
        for name, _ddl in self.saved:
            self.sql.execute(f'DROP TRIGGER "{name}"')

    def restore(self, first_customer_id: int) -> None:
        if not self.saved:
            return
        self.sql.execute(
            """
            INSERT INTO customer_search (rowid, own, spelt, contacts, contact_spelt)
            SELECT c.id, tuicrm_indexed(c.code) || tuicrm_indexed(c.name)
                || tuicrm_indexed(c.phone) || tuicrm_indexed(c.mobile), tuicrm_spelt(c.pinyin),
                COALESCE(k.names, ''), COALESCE(k.spelt, '')
            FROM customer c LEFT JOIN (
                SELECT customer_id, group_concat(tuicrm_indexed(name), '') AS names,
                    group_concat(tuicrm_spelt(pinyin), '') AS spelt FROM contact
                WHERE customer_id >= ? GROUP BY customer_id
            ) k ON k.customer_id = c.id
            WHERE c.id >= ?
            """,
            (first_customer_id, first_customer_id),
        )
        for _name, ddl in self.saved:
            self.sql.execute(ddl)

