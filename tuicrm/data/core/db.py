"""Opening the database: where it is, how SQLite is tuned, PostgreSQL by URL.

One process holds one open database, bound to ``database`` (a peewee proxy) so models and
operations never care which engine is behind it.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlparse

import peewee
from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

from ...i18n import _
from . import faults
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


#: A new database file is created with these permissions (never world-readable: it holds
#: password hashes, customers and cost prices). ``TUICRM_DB_GROUP`` (a group the creating
#: user belongs to) makes it 0660 and owned by that group, for a shared server.
PRIVATE_MODE = 0o600
GROUP_MODE = 0o660
_SIDE_FILES = ("", "-wal", "-shm")


def _create_private(path: Path) -> None:
    """Create the empty database file with no access for others, whatever the umask
    (SQLite gives the -wal and -shm files the same permissions as the database file)."""
    group = os.environ.get("TUICRM_DB_GROUP", "").strip()
    mode = GROUP_MODE if group else PRIVATE_MODE
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, mode)
    except FileExistsError:
        return
    try:
        os.fchmod(fd, mode)  # the umask may have taken bits away
        if group:
            import grp

            try:
                os.fchown(fd, -1, grp.getgrnam(group).gr_gid)
            except (KeyError, PermissionError):
                os.close(fd)
                fd = -1
                path.unlink()
                raise DatabaseError(_("cannot give {path} to group {group!r} (TUICRM_DB_GROUP): "
                                      "no such group, or you are not a member").format(
                                      path=path,
                                      group=group)) from None
    finally:
        if fd >= 0:
            os.close(fd)


def tighten_permissions(path: str) -> None:
    """Take away what others may do with the database, its -wal and -shm (a file created by
    an older version under umask 022 was readable by every local account)."""
    for suffix in _SIDE_FILES:
        side = path + suffix
        try:
            st = os.stat(side, follow_symlinks=False)
            if stat.S_ISREG(st.st_mode) and st.st_mode & 0o007 and st.st_uid == os.getuid():
                os.chmod(side, stat.S_IMODE(st.st_mode) & ~0o007)
        except OSError:
            continue


def make_database(location: str, *, create: bool = True) -> peewee.Database:
    """Build (not connect) the peewee database for a path or a ``postgresql://`` URL.

    A SQLite file is created here (private, see ``PRIVATE_MODE``) only when ``create``; every
    connection then opens it with ``mode=rw``, so a connection made after the file was deleted
    fails instead of creating an empty database in its place."""
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
    uri = False
    if location != ":memory:":
        path = Path(location).expanduser()
        if path.is_dir():
            raise DatabaseError(_("{location} is a directory, not a database file").format(
                                  location=location))
        if not path.exists():
            if not create:
                raise DatabaseError(_("no database at {location}").format(location=location))
            path.parent.mkdir(parents=True, exist_ok=True)
            _create_private(path)
        location = f"file:{quote(str(path.absolute()))}?mode=rw"
        uri = True
    db = SqliteDatabase(
        location,
        pragmas=SQLITE_PRAGMAS,
        timeout=10,
        lock_type="IMMEDIATE",
        thread_safe=True,
        check_same_thread=False,
        uri=uri,
    )
    # The quick-search index's triggers (migration 0080) cut text into pieces with these, on
    # every connection: a writer without them (the sqlite3 shell) cannot change a customer.
    from .pinyin import indexed, spelt_pieces

    db.register_function(indexed, "tuicrm_indexed", 1, deterministic=True)
    db.register_function(spelt_pieces, "tuicrm_spelt", 1, deterministic=True)
    return db


def connect(location: str, *, create: bool = True) -> peewee.Database:
    """Open the database and bind the models to it (no migrations; see ``schema.open_db``).
    ``create``: a missing SQLite file may be created (else ``DatabaseError``)."""
    db = make_database(location, create=create)
    try:
        db.connect(reuse_if_open=True)
        if isinstance(db, SqliteDatabase):
            # Reading the header proves it is a SQLite file at all.
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
    except Exception as e:  # sqlite3, peewee and psycopg errors alike
        fault = faults.fault_of(e)
        if isinstance(fault, faults.DamagedDatabase):
            reason = "the file is damaged or not a database; run 'tuicrm check'"
        else:
            # psycopg's messages run over several lines (hints, one line per address tried).
            reason = " ".join(str(e).split())
        raise DatabaseError(_("cannot open database {describe}: {reason}").format(
                              describe=describe(location),
                              reason=reason)) from None
    if isinstance(db, SqliteDatabase) and location != ":memory:":
        path = str(Path(location).expanduser().absolute())
        tighten_permissions(path)
        faults.remember(path)
    else:
        faults.forget()
    database.initialize(db)
    global _location
    _location = location
    _changed_here()
    return db


def current_location() -> str:
    """The path or URL of the database this process opened last ("" before any)."""
    return _location


def close() -> None:
    global _watch
    db = database.obj
    faults.forget()
    with _watch_lock:
        if _watch is not None:
            _watch[1].close()
            _watch = None
    if db is not None and not db.is_closed():
        with suppress(peewee.PeeweeException):
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

    Before the outermost transaction the database file is checked to be the one opened
    (``faults.check_identity``); a fault (full disk, read-only, damaged) comes out as the plain
    ``DatabaseError`` of ``faults``, also when SQLite had already rolled back itself.
    """
    outermost = not in_transaction()
    if outermost:
        faults.check_identity()
    try:
        with database.atomic():
            yield
    except (peewee.PeeweeException, OSError) as e:
        fault = faults.fault_of(e)
        if fault is None:
            raise
        raise fault from None
    if outermost:
        _changed_here()


_changes = 0


def _changed_here() -> None:
    global _changes
    _changes += 1


def local_changes() -> int:
    """A number that moves whenever this process commits a write or opens a database: a
    reader keeping a result for a while (``core.kept``) knows its own changes by it."""
    return _changes


_watch_lock = threading.Lock()
_watch: tuple[tuple[str, int, int], sqlite3.Connection] | None = None


def commit_stamp() -> tuple[Any, ...] | None:
    """A value that changes with every commit to the SQLite file, by any process or
    connection (None: cannot tell, as on PostgreSQL). Read from one connection kept to watch
    ``PRAGMA data_version``, which moves when another connection commits: the readers that
    keep results (report sums) each read on a worker's own, short-lived connection. The
    file's identity is part of it: a restored file is another file."""
    global _watch
    location = _location
    if not location or location == ":memory:" or location.startswith(("file:", "postgres")):
        return None
    with _watch_lock:
        try:
            info = os.stat(location)
            file = (location, info.st_dev, info.st_ino)
            if _watch is None or _watch[0] != file:  # another file, or this one replaced
                if _watch is not None:
                    _watch[1].close()
                uri = "file:" + quote(os.path.abspath(location)) + "?mode=ro"
                _watch = (file, sqlite3.connect(uri, uri=True, check_same_thread=False))
            (version,) = _watch[1].execute("PRAGMA data_version").fetchone()
        except (OSError, sqlite3.Error):
            return None
    return (*file, int(version))


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


class Interrupted(Exception):
    """A read given up because what it was for is gone (``interruptible``)."""


@contextmanager
def interruptible(stop: Any, every: int = 2000) -> Iterator[None]:
    """Give up the reads inside when ``stop`` (a ``threading.Event``) is set: a count of a
    search typed past must not keep a core busy (at 1M customers: 100-350 ms each). SQLite
    checks ``stop`` every ``every`` virtual-machine steps and ends the statement; the block
    raises ``Interrupted``. On PostgreSQL the reads simply run to their end."""
    raw = database.connection() if is_sqlite() else None
    if raw is None:
        yield
        return
    raw.set_progress_handler(lambda: 1 if stop.is_set() else 0, every)
    try:
        yield
    except peewee.OperationalError as error:
        if stop.is_set() and "interrupt" in str(error).lower():
            raise Interrupted(str(error)) from None
        raise
    finally:
        raw.set_progress_handler(None, every)
