"""Where backups live, what is there, and the lock that lets one process back up at a time.

Backups go to the folder in setting ``backup.dir``, else a ``backups`` folder beside the
database file (for PostgreSQL: in the user data directory, one folder per database). A backup's
name carries its time, ``tuicrm-20260615-100000.tcbak`` (a label after it for special ones such
as ``-before-restore``), so listing and retention need no database.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

from ..core import clock, settings
from ..core import db as dbmod
from ..core.errors import TuicrmError
from .container import SUFFIX, BackupRefused, read_manifest

NAME = re.compile(r"^tuicrm-(\d{8}-\d{6})(?:-([a-z0-9-]+?))?(?:-(\d+))?" + re.escape(SUFFIX) + "$")
LOCK_NAME = ".backup.lock"


class BackupBusy(TuicrmError):
    """Another process is making a backup of the same folder now."""


def backup_dir(location: str | None = None) -> Path:
    """The backup folder of the open database (``location``: its path or URL)."""
    chosen = settings.value(settings.BACKUP_DIR)
    if chosen:
        return Path(chosen).expanduser()
    location = location or dbmod.current_location()
    if dbmod.is_postgres(location):
        name = urlparse(location).path.strip("/") or "postgres"
        return dbmod.default_db_path().parent / "backups" / name
    return Path(location).expanduser().resolve().parent / "backups"


def backup_name(at: dt.datetime, label: str = "", n: int = 0) -> str:
    parts = [f"tuicrm-{at:%Y%m%d-%H%M%S}"]
    if label:
        parts.append(label)
    if n:
        parts.append(str(n))
    return "-".join(parts) + SUFFIX


def new_path(folder: Path, label: str = "", at: dt.datetime | None = None) -> Path:
    """A name for a backup made at ``at`` (now) that no file in ``folder`` has."""
    at = at or clock.now()
    n = 0
    while (folder / backup_name(at, label, n)).exists():
        n += 1
    return folder / backup_name(at, label, n)


@dataclass(frozen=True)
class BackupEntry:
    """One backup file as the Backup screen lists it (from its name and header)."""

    path: Path
    created_at: dt.datetime
    label: str
    size: int
    verified: bool  # verified when it was made (its header says so)
    schema_version: int
    problem: str  # why the header cannot be read ("" when it can)
    manifest: dict[str, Any]

    @property
    def name(self) -> str:
        return self.path.name


def parse_name(name: str) -> tuple[dt.datetime, str] | None:
    m = NAME.match(name)
    if m is None:
        return None
    try:
        at = dt.datetime.strptime(m.group(1), "%Y%m%d-%H%M%S")
    except ValueError:
        return None
    return at, m.group(2) or ""


def list_backups(folder: Path) -> list[BackupEntry]:
    """The backups in ``folder``, newest first (reads each header, not the whole file)."""
    if not folder.is_dir():
        return []
    out = []
    for path in folder.iterdir():
        parsed = parse_name(path.name)
        if parsed is None or not path.is_file():
            continue
        at, label = parsed
        try:
            manifest = read_manifest(path)
            problem = ""
        except BackupRefused as e:
            manifest, problem = {}, str(e)
        verified = bool(manifest.get("verified", {}).get("ok")) if not problem else False
        out.append(BackupEntry(path, at, label, path.stat().st_size, verified,
                               int(manifest.get("schema_version", 0) or 0), problem, manifest))
    return sorted(out, key=lambda e: (e.created_at, e.name), reverse=True)


def last_good(folder: Path) -> BackupEntry | None:
    """The newest backup that was verified when it was made (safety copies included)."""
    return next((e for e in list_backups(folder) if e.verified), None)


@contextmanager
def backup_lock(folder: Path, *, wait: bool = True) -> Iterator[None]:
    """One backup at a time per folder, across processes (an advisory ``flock``; it ends with
    the process, so a crash never leaves it held). ``wait=False`` raises ``BackupBusy`` at
    once when another process holds it."""
    folder.mkdir(parents=True, exist_ok=True)
    fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            raise BackupBusy(f"another backup of {folder} is being made") from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def remove_leftovers(folder: Path, older_than: dt.timedelta = dt.timedelta(hours=1)) -> None:
    """Temporary files of a backup or restore that died (call while holding the lock)."""
    limit = dt.datetime.now().timestamp() - older_than.total_seconds()
    for path in folder.glob(".*"):
        if path.name.startswith((".tmp-", ".copy-", ".payload-")) and \
                path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)
