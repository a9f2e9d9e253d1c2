"""Making a backup: copy online, verify the copy, only then publish it.

1. a consistent copy while others keep working (``engines``);
2. the copy is verified in a process of its own: the file's integrity, every ``tuicrm check``
   invariant, and its row counts and business totals for the manifest (``inspect``);
3. only a copy without problems becomes a backup file (manifest and checksum appended, then
   renamed to its final name: ``container``); a copy with problems is thrown away and the
   backup fails with the reason.

One backup at a time per folder across processes (``folder.backup_lock``).

SQLite's full ``integrity_check`` also proves every index against its table: 90 s for a 1 GB
database on a busy 2-core machine, where ``quick_check`` (pages, records, NOT NULL) takes 5 s.
A copy up to ``FULL_CHECK_LIMIT`` gets the full check; a bigger one the quick check (the
manifest says which); the drill and every restore run the full check on what they restore.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ... import __version__
from ..core import clock
from ..core import db as dbmod
from ..core.errors import TuicrmError
from . import container, engines
from .folder import backup_dir, backup_lock, new_path, remove_leftovers
from .inspect import inspect_copy

FULL_CHECK_LIMIT = 256 * 2**20


class BackupFailed(TuicrmError):
    """The copy failed its verification: nothing was published."""


@dataclass(frozen=True)
class BackupMade:
    path: Path
    size: int
    seconds: float  # copy + verification + writing
    counts: dict[str, int]
    totals: dict[str, list[int]]

    def describe(self) -> str:
        return (f"backup {self.path} ({self.size / 2**20:,.1f} MiB, verified, "
                f"{self.seconds:.1f} s)")


def make_backup(location: str | None = None, out_dir: Path | None = None, *, label: str = "",
                wait: bool = True, quick: bool | None = None) -> BackupMade:
    """Back up the database at ``location`` (the open one by default) into ``out_dir`` (the
    backup folder by default); see the module docstring. ``quick``: SQLite's quick_check
    instead of the full integrity_check (None: by size). ``BackupBusy`` when ``wait`` is False
    and another process is backing up; ``BackupFailed`` / ``CopyFailed`` with one line."""
    location = location or dbmod.current_location()
    folder = Path(out_dir).expanduser() if out_dir else backup_dir(location)
    start = time.perf_counter()
    with backup_lock(folder, wait=wait):
        remove_leftovers(folder)
        copy = folder / f".copy-{os.getpid()}"
        created = clock.now()
        try:
            if dbmod.is_postgres(location):
                engines.dump_postgres(location, copy)
                with engines.scratch_postgres(location, "bkchk") as scratch:
                    engines.load_postgres(copy, scratch, clean=False)
                    result = inspect_copy(scratch, quick=bool(quick))
            else:
                engines.copy_sqlite(location, copy)
                if quick is None:
                    quick = copy.stat().st_size > FULL_CHECK_LIMIT
                result = inspect_copy(str(copy), quick=quick)
            if result["problems"]:
                raise BackupFailed(
                    f"backup not made: the copy fails its checks ({len(result['problems'])} "
                    f"problem(s)), first: {result['problems'][0]}; run 'tuicrm check'")
            manifest = _manifest(location, created, label, result, bool(quick))
            target = new_path(folder, label, created)
            size = container.publish(copy, target, manifest)
        finally:
            engines.remove_sqlite(copy)
    return BackupMade(target, size, time.perf_counter() - start, result["counts"],
                      result["totals"])


def _manifest(location: str, created: dt.datetime, label: str, result: dict[str, Any],
              quick: bool) -> dict[str, Any]:
    return {
        "engine": "postgresql" if dbmod.is_postgres(location) else "sqlite",
        "payload": "pg_dump" if dbmod.is_postgres(location) else "sqlite",
        "created_at": created.isoformat(timespec="seconds"),
        "source": dbmod.describe(location),
        "tuicrm_version": __version__,
        "label": label,
        "schema_version": result["schema_version"],
        "migrations": result["migrations"],
        "counts": result["counts"],
        "totals": result["totals"],
        "verified": {"ok": True, "at": clock.now().isoformat(timespec="seconds"),
                     "integrity": "quick_check" if quick else "integrity_check",
                     "checks": "tuicrm check: no problems"},
    }
