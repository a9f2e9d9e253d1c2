"""Opening the database: where it is, how SQLite is tuned, PostgreSQL by URL.

One process holds one open database, bound to ``database`` (a peewee proxy) so models and
operations never care which engine is behind it.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import peewee
from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from .errors import DatabaseError

database = DatabaseProxy()
_location = ""  # where the open database is (``current_location``)

# SQLite settings that let several SSH sessions share one file (see FIELD-NOTES.md):
# WAL so readers never block the writer, IMMEDIATE write transactions so two writers queue on
# the busy timeout instead of failing with "database is locked", and a bounded WAL file.
SQLITE_PRAGMAS = {
    "journal_mode": "wal",
    "foreign_keys": 1,
    "busy_timeout": 10_000,
    "synchronous": "normal",
    "journal_size_limit": 64 * 1024 * 1024,
    "cache_size": -16_000,  # 16 MB page cache: the machines are small
}


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("tuicrm", appauthor=False)) / "tuicrm.db"


def demo_db_path() -> Path:
    return default_db_path().with_name("demo.db")


def resolve_location(db: str | os.PathLike[str] | None) -> str:
    """``--db`` wins, then ``TUICRM_DB``, then the user data directory."""
    if db:
        return str(db)
    env = os.environ.get("TUICRM_DB")
    if env:
        return env
    return str(default_db_path())


def is_postgres(location: str) -> bool:
    return location.startswith(("postgres://", "postgresql://"))


def describe(location: str) -> str:
    """The location without a password, fit for messages."""
    if not is_postgres(location):
        return location
    url = urlparse(location)
    host = url.hostname or "localhost"
    if url.port:
        host = f"{host}:{url.port}"
    return f"postgresql://{url.username + '@' if url.username else ''}{host}{url.path}"


def make_database(location: str) -> peewee.Database:
    """Build (not connect) the peewee database for a path or a ``postgresql://`` URL."""
    if is_postgres(location):
        url = urlparse(location)
        return PostgresqlDatabase(
            url.path.lstrip("/") or None,
            user=url.username,
            password=url.password,
            host=url.hostname,
            port=url.port,
            thread_safe=True,
        )
    if location != ":memory:":
        path = Path(location).expanduser()
        if path.is_dir():
            raise DatabaseError(f"{location} is a directory, not a database file")
        path.parent.mkdir(parents=True, exist_ok=True)
        location = str(path)
    db = SqliteDatabase(
        location,
        pragmas=SQLITE_PRAGMAS,
        timeout=10,
        lock_type="IMMEDIATE",
        thread_safe=True,
        check_same_thread=False,
    )
    # The quick-search index's triggers (migration 0080) cut text into pieces with these, on
    # every connection: a writer without them (the sqlite3 shell) cannot change a customer.
    from .pinyin import indexed, spelt_pieces

    db.register_function(indexed, "tuicrm_indexed", 1, deterministic=True)
    db.register_function(spelt_pieces, "tuicrm_spelt", 1, deterministic=True)
    return db


def connect(location: str) -> peewee.Database:
    """Open the database and bind the models to it (no migrations; see ``schema.open_db``)."""
    db = make_database(location)
    try:
        db.connect(reuse_if_open=True)
        if isinstance(db, SqliteDatabase):
            # Reading the header proves it is a SQLite file at all.
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as e:  # sqlite3, peewee and psycopg errors alike
        # psycopg's messages run over several lines (hints, one line per address tried).
        reason = " ".join(str(e).split())
        raise DatabaseError(f"cannot open database {describe(location)}: {reason}") from None
    database.initialize(db)
    global _location
    _location = location
    return db


def current_location() -> str:
    """The path or URL of the database this process opened last ("" before any)."""
    return _location


def close() -> None:
    db = database.obj
    if db is not None and not db.is_closed():
        checkpoint()
        db.close()


def is_sqlite() -> bool:
    return isinstance(database.obj, SqliteDatabase)


@contextmanager
def write() -> Iterator[None]:
    """One write transaction: BEGIN IMMEDIATE on SQLite (writers queue on the busy timeout);
    on PostgreSQL a READ COMMITTED transaction where an operation that reads then writes locks
    the rows it reads (``for_update``) or writes with a conditional UPDATE, so writers to
    different records never wait for each other.

    Nested use becomes a savepoint, so an operation can call another and still commit once.
    ``operation`` retries a PostgreSQL transaction that lost a deadlock or serialisation race.
    """
    with database.atomic():
        yield


def in_transaction() -> bool:
    return bool(database.transaction_depth())


def for_update(query: Any) -> Any:
    """``query`` locking the rows it reads until the transaction ends (PostgreSQL); on SQLite
    the IMMEDIATE write transaction already holds the only write lock, so it is unchanged."""
    return query if is_sqlite() else query.for_update()


def for_key_share(query: Any) -> Any:
    """``query`` keeping the rows it reads from being deleted or re-keyed until the transaction
    ends (PostgreSQL ``FOR KEY SHARE``: what a foreign key check takes), while other sessions
    may still lock them the same way or update them: for "this group / user still exists"
    before pointing a record at it. Unchanged on SQLite, as ``for_update``."""
    return query if is_sqlite() else query.for_update("FOR KEY SHARE")


# PostgreSQL SQLSTATEs after which running the whole transaction again can succeed.
RETRYABLE_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected


def is_retryable(error: BaseException) -> bool:
    """Whether ``error`` (as peewee raises it) is a lost race that a retry can win."""
    seen: set[int] = set()
    e: BaseException | None = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if getattr(e, "sqlstate", None) in RETRYABLE_SQLSTATES:
            return True
        # peewee keeps the driver's exception as ``orig``
        e = getattr(e, "orig", None) or e.__cause__ or e.__context__
    return False


def checkpoint() -> None:
    """Fold the WAL back into the database and truncate it (called when idle and on close)."""
    if not is_sqlite():
        return
    # If another session is busy writing, the next idle moment will do it.
    with suppress(peewee.OperationalError):
        database.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")


@contextmanager
def worker_connection(db: peewee.Database | DatabaseProxy | None = None) -> Iterator[None]:
    """A worker thread's own connection for one long read, closed at the end. On SQLite it
    gets a small page cache: a count or GROUP BY reads the index once, and the default 16 MB
    would only add to the peak memory."""
    db = database if db is None else db
    try:
        if isinstance(getattr(db, "obj", db), SqliteDatabase):
            db.execute_sql("PRAGMA cache_size = -2048")
        yield
    finally:
        if not db.is_closed():
            db.close()
