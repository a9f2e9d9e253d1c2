"""The checked records of one import run, kept on disk until the run is done or undone.

A big import is written in many short transactions (``apply.py``); if the process stops
between two of them (Ctrl+C, a crash, a kill) the run is resumed from the record it reached.
The records it resumes with are the ones checked before anything was written, so they are
kept here, not in memory or a temporary file: a private SQLite file (``seq``: the position
in the file's order; ``data``: the pickled record) in a folder only the user can open, beside
the database (``<db>-imports/``) or, on PostgreSQL, in the user's data folder. ``reserved``
holds the customer codes the file uses that look like ones tuicrm hands out (``C000123``),
so a code given to a row without one never takes a code a later row brings.

Pickle runs only on a file this user owns in a folder nobody else can write to, as the
database itself.
"""

from __future__ import annotations

import json
import os
import pickle
import sqlite3
import stat
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..core import db
from ..core.errors import TuicrmError

WRITE_BATCH = 2000


class StashError(TuicrmError):
    """The stash of a run is missing or not to be trusted."""


def stash_dir() -> Path:
    """Where stashes of the open database live (made, private, when missing)."""
    location = db.current_location()
    if db.is_postgres(location) or location in ("", ":memory:"):
        from platformdirs import user_data_dir

        name = location.rsplit("/", 1)[-1] or "memory"
        folder = Path(user_data_dir("tuicrm", appauthor=False)) / f"imports-{name}"
    else:
        path = Path(location).expanduser().absolute()
        folder = path.with_name(f"{path.name}-imports")
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    return folder


def _trusted(path: Path) -> None:
    for p in (path.parent, path):
        st = os.stat(p, follow_symlinks=False)
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH) \
                or stat.S_ISLNK(st.st_mode):
            raise StashError(f"{p} is not private to you: refusing to read it")


class Stash:
    """Records in order, read back from any position; a few named values (``meta``)."""

    def __init__(self, path: Path, con: sqlite3.Connection) -> None:
        self.path = path
        self._con = con
        self._pending: list[tuple[int, bytes]] = []
        self.count = int(con.execute("SELECT count(*) FROM rec").fetchone()[0])

    @classmethod
    def create(cls, run_id: int) -> Stash:
        path = stash_dir() / f"run-{run_id}.stash"
        for suffix in ("", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
        os.close(fd)
        con = sqlite3.connect(path, check_same_thread=False)
        con.executescript(
            "PRAGMA journal_mode = DELETE; PRAGMA synchronous = NORMAL;"
            "CREATE TABLE rec (seq INTEGER PRIMARY KEY, data BLOB NOT NULL);"
            "CREATE TABLE reserved (code TEXT PRIMARY KEY) WITHOUT ROWID;"
            "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);")
        return cls(path, con)

    @classmethod
    def open(cls, path: str | Path) -> Stash:
        path = Path(path)
        if not path.is_file():
            raise StashError(f"the checked rows of this import ({path}) are gone")
        _trusted(path)
        con = sqlite3.connect(f"{path.absolute().as_uri()}?mode=ro", uri=True,
                              check_same_thread=False)
        try:
            return cls(path, con)
        except sqlite3.DatabaseError as e:
            con.close()
            raise StashError(f"the checked rows of this import ({path}) are damaged: {e}") \
                from None

    def add(self, record: Any) -> None:
        self.count += 1
        self._pending.append((self.count, pickle.dumps(record, pickle.HIGHEST_PROTOCOL)))
        if len(self._pending) >= WRITE_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._con.executemany("INSERT INTO rec VALUES (?, ?)", self._pending)
            self._pending = []

    def reserve(self, codes: Iterable[str]) -> None:
        self._con.executemany("INSERT OR IGNORE INTO reserved VALUES (?)",
                              ((c,) for c in codes))

    def is_reserved(self, code: str) -> bool:
        return self._con.execute("SELECT 1 FROM reserved WHERE code = ?",
                                 (code,)).fetchone() is not None

    def set_meta(self, key: str, value: Any) -> None:
        self._con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)",
                          (key, json.dumps(value, ensure_ascii=False)))

    def meta(self, key: str, default: Any = None) -> Any:
        row = self._con.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def seal(self) -> None:
        """Everything added is on disk (call before the first batch is written)."""
        self._flush()
        self._con.commit()

    def read(self, start: int, limit: int) -> list[Any]:
        """Up to ``limit`` records after the first ``start``."""
        rows = self._con.execute("SELECT data FROM rec WHERE seq > ? ORDER BY seq LIMIT ?",
                                 (start, limit)).fetchall()
        # Our own private file (``_trusted``): nothing else can have put data in it.
        return [pickle.loads(data) for (data,) in rows]  # noqa: S301

    def close(self) -> None:
        self._con.close()

    def remove(self) -> None:
        self.close()
        for suffix in ("", "-journal"):
            Path(f"{self.path}{suffix}").unlink(missing_ok=True)
