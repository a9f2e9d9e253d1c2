"""Faults of the database named plainly: full disk, read-only, damaged, deleted or replaced.

SQLite reports these as ``OperationalError``/``DatabaseError`` with its own words ("database or
disk is full", "attempt to write a readonly database", "database disk image is malformed"), or
worse: on a full disk it rolls the transaction back itself, and the rollback peewee then tries
fails with "cannot rollback - no transaction is active", hiding the cause. ``fault_of`` turns
such an error into one of the ``DatabaseError`` subclasses below, whose message is one line fit
for a user; the operations, the app and every command use it.

A database file deleted (with its -wal and -shm) or replaced under a running session: SQLite
keeps writing into the deleted file (every sale "succeeds" and is gone), and the next
connection would create an empty file. So the identity (device, inode) of the file is taken
when it is opened and checked before every write transaction (``check_identity``), and every
connection after the first opens the file with ``mode=rw``, never creating it (``db.py``).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass

from ...i18n import _
from .errors import DatabaseError


class DiskFull(DatabaseError):
    """The disk (or the quota) is full; the transaction was rolled back."""


class ReadOnlyDatabase(DatabaseError):
    """The database file (or its folder) cannot be written by this user."""


class DamagedDatabase(DatabaseError):
    """SQLite found damaged pages or a file that is not a database."""


class DatabaseGone(DatabaseError):
    """The database file was deleted or replaced while this session had it open."""


@dataclass(frozen=True)
class FileIdentity:
    path: str
    device: int
    inode: int


_opened: FileIdentity | None = None


def remember(path: str) -> None:
    """Take the identity of the database file just opened (SQLite only)."""
    global _opened
    st = os.stat(path)
    _opened = FileIdentity(path, st.st_dev, st.st_ino)


def forget() -> None:
    global _opened
    _opened = None


def check_identity() -> None:
    """Refuse to write when the file opened is no longer the file at its path."""
    opened = _opened
    if opened is None:
        return
    try:
        st = os.stat(opened.path)
    except FileNotFoundError:
        raise DatabaseGone(gone_message(opened.path, deleted=True)) from None
    except OSError:
        return  # cannot tell (a permission problem): the write itself will say
    if (st.st_dev, st.st_ino) != (opened.device, opened.inode):
        raise DatabaseGone(gone_message(opened.path, deleted=False))


def gone_message(path: str, *, deleted: bool) -> str:
    what = _("deleted") if deleted else _("replaced by another file")
    return _("the database file {path} was {what} while tuicrm was running: nothing was "
             "saved; ask your administrator to restore it from a backup").format(
                 path=path, what=what)


def _where() -> str:
    return _opened.path if _opened is not None else _("the database")


def _is_driver_error(e: BaseException) -> bool:
    """A database driver's or peewee's error, or the OS's (a full disk while writing a file):
    only those are read for a fault; any other error is a defect."""
    if isinstance(e, sqlite3.Error | OSError):
        return True
    module = type(e).__module__
    return module == "peewee" or module.startswith(("psycopg", "playhouse"))


def fault_of(error: BaseException) -> DatabaseError | None:
    """The plain ``DatabaseError`` for a driver error (or one it caused), else None."""
    seen: set[int] = set()
    e: BaseException | None = error
    while e is not None and id(e) not in seen:
        seen.add(id(e))
        if isinstance(e, DatabaseError):
            return e
        if not _is_driver_error(e):
            e = getattr(e, "orig", None) or e.__cause__ or e.__context__
            continue
        text = str(e).lower()
        code = getattr(e, "sqlite_errorcode", None)
        code = code & 0xFF if isinstance(code, int) else None  # the primary code
        if code == sqlite3.SQLITE_FULL or "disk is full" in text or "no space left" in text:
            return DiskFull(_("the disk is full: nothing was saved"))
        if code == sqlite3.SQLITE_READONLY or "readonly database" in text or \
                "read-only" in text:
            return ReadOnlyDatabase(_(
                "the database {path} is read-only for this user: nothing was saved "
                "(check the permissions of the file and its folder)").format(path=_where()))
        if code in (sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB) or "malformed" in text \
                or "not a database" in text:
            return DamagedDatabase(_(
                "the database {path} is damaged: run 'tuicrm check' and restore the latest "
                "backup").format(path=_where()))
        if "unable to open database" in text or code == sqlite3.SQLITE_CANTOPEN:
            if _opened is not None and not os.path.exists(_opened.path):
                return DatabaseGone(gone_message(_opened.path, deleted=True))
            return DatabaseError(_(
                "cannot open the database {path}: check that it exists and that this user "
                "may read and write it and its folder").format(path=_where()))
        if "disk i/o error" in text or code == sqlite3.SQLITE_IOERR:
            return DamagedDatabase(_(
                "the database {path} could not be read or written (disk I/O error): nothing "
                "was saved; run 'tuicrm check'").format(path=_where()))
        e = getattr(e, "orig", None) or e.__cause__ or e.__context__
    return None
