"""Copying a live database consistently, per engine, and giving a copy a place to be checked.

SQLite: the online backup API in one step (a read snapshot: writers carry on in the WAL; done
in small steps it restarts on every commit, 598 times and 32 s for 80 MB under a writer).
PostgreSQL: ``pg_dump`` in its custom format (one snapshot), checked by restoring it into a
scratch database on the same server, dropped afterwards.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse, urlunparse

from ..core import db as dbmod
from ..core.errors import TuicrmError

TIMEOUT = 6 * 3600


class CopyFailed(TuicrmError):
    """The copy could not be made (a tool missing, the server refused, the disk is full)."""


def copy_sqlite(location: str, target: Path) -> None:
    """A consistent copy of the SQLite database at ``location``, taken while others write."""
    src = sqlite3.connect(Path(location).expanduser(), timeout=30)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # pages=-1: one step, one read snapshot
        finally:
            dst.close()
    except sqlite3.Error as e:
        raise CopyFailed(f"cannot copy {location}: {e}") from None
    finally:
        src.close()


def _pg_env(location: str) -> tuple[dict[str, str], str]:
    url = urlparse(location)
    env = dict(os.environ)
    for key, value in (("PGHOST", url.hostname), ("PGPORT", url.port), ("PGUSER", url.username),
                       ("PGPASSWORD", url.password)):
        if value:
            env[key] = str(value)
    return env, url.path.lstrip("/")


def _run(argv: list[str], env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=TIMEOUT,
                              check=False)
    except FileNotFoundError:
        raise CopyFailed(f"{argv[0]} not found: install the PostgreSQL client tools") from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise CopyFailed(f"{what} failed: {lines[-1] if lines else done.returncode}")


def dump_postgres(location: str, target: Path) -> None:
    env, name = _pg_env(location)
    _run(["pg_dump", "--format=custom", "--no-owner", "--file", str(target), name], env,
         "pg_dump")


def load_postgres(dump: Path, location: str, *, clean: bool) -> None:
    """Restore ``dump`` into the database at ``location`` (``clean``: emptied first)."""
    env, name = _pg_env(location)
    if clean:
        _run(["psql", "-v", "ON_ERROR_STOP=1", "-q", "-d", name, "-c",
              "DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public"], env, "emptying")
    _run(["pg_restore", "--no-owner", "--exit-on-error", "-d", name, str(dump)], env,
         "pg_restore")


@contextmanager
def scratch_postgres(location: str, tag: str) -> Iterator[str]:
    """A new, empty database beside ``location`` (its URL), dropped afterwards."""
    env, name = _pg_env(location)
    scratch = f"{name}_{tag}_{os.getpid()}"[:63]
    _run(["psql", "-q", "-d", name, "-c", f'DROP DATABASE IF EXISTS "{scratch}"'], env, "drop")
    _run(["psql", "-q", "-d", name, "-c", f'CREATE DATABASE "{scratch}"'], env,
         "creating a scratch database")
    url = urlparse(location)
    try:
        yield urlunparse(url._replace(path=f"/{scratch}"))
    finally:
        _run(["psql", "-q", "-d", name, "-c", f'DROP DATABASE IF EXISTS "{scratch}"'], env,
             "dropping the scratch database")


def remove_sqlite(path: Path) -> None:
    """A SQLite file and its -wal / -shm."""
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)


def is_postgres(location: str) -> bool:
    return dbmod.is_postgres(location)
