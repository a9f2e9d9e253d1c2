"""Restoring a backup, and the drill that proves the latest one restores.

A backup is restored only when it is whole (size and SHA-256), was verified when it was made,
comes from a schema this tuicrm knows, and, once unpacked, passes every check and holds exactly
the row counts and totals its manifest promises. Before the database is replaced, a safety
backup of it is made (or, if it cannot be opened, the file is copied aside). The stale -wal and
-shm files of the replaced database are removed, so SQLite cannot replay an old log onto the
restored file.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...i18n import _
from ..core import clock, schema
from ..core import db as dbmod
from ..core.errors import TuicrmError
from . import container, engines
from .container import BackupRefused
from .folder import backup_dir, last_good
from .inspect import InspectionFailed, inspect_copy
from .manifest import differences

DRILL_FILE = "last-drill.json"


@dataclass(frozen=True)
class Restored:
    source: Path
    target: str
    safety: str  # the safety backup (or copy) of what was replaced; "" when there was none
    manifest: dict[str, Any]


def _refuse(path: Path, why: str) -> BackupRefused:
    return BackupRefused(f"{path.name}: {why}; not restored")


def known_migrations() -> set[str]:
    """The migrations this tuicrm has (their file names, as ``schema_migration`` records
    them), read without a database."""
    return {p.stem for p in schema.MIGRATIONS_DIR.glob("[0-9][0-9][0-9][0-9]_*.py")}


def check_restorable(path: Path, manifest: dict[str, Any]) -> None:
    """Refuse a backup that is unverified, of another format, or from a newer schema."""
    if manifest.get("format") != container.FORMAT:
        raise _refuse(path, f"backup format {manifest.get('format')} is not known here")
    known = known_migrations()
    latest = max((int(n.split("_", 1)[0]) for n in known), default=0)
    version = int(manifest.get("schema_version") or 0)
    unknown = [m for m in manifest.get("migrations", []) if m not in known]
    if version > latest or unknown:
        raise _refuse(path, f"made by a newer tuicrm (schema {version}, this version knows up "
                      f"to {latest}); upgrade tuicrm first")
    if not manifest.get("verified", {}).get("ok"):
        raise _refuse(path, "it was never verified")


def _prove(path: Path, location: str, manifest: dict[str, Any]) -> None:
    """The unpacked copy at ``location`` passes every check and matches the manifest."""
    try:
        result = inspect_copy(location)
    except InspectionFailed as e:
        raise _refuse(path, f"damaged (the database inside cannot be opened: {e})") from None
    unknown = [m for m in result["migrations"] if m not in known_migrations()]
    if unknown:
        raise _refuse(path, f"made by a newer tuicrm (it holds migration {unknown[0]}); "
                      "upgrade tuicrm first")
    if result["problems"]:
        raise _refuse(path, f"damaged ({len(result['problems'])} problem(s) in the restored "
                      f"copy, first: {result['problems'][0]})")
    diff = differences(manifest, result)
    if diff:
        raise _refuse(path, f"does not match its manifest ({diff[0]})")


def _safety_copy(target: Path, folder: Path) -> str:
    """A copy of the SQLite database about to be replaced: a verified backup in ``folder``
    when it can be made, else its files copied aside as they are (a damaged database)."""
    from .making import make_backup

    try:
        return str(make_backup(str(target), folder, label="before-restore").path)
    except TuicrmError:
        stamp = clock.now().strftime("%Y%m%d-%H%M%S")
        aside = target.with_name(f"{target.name}.before-restore-{stamp}")
        for suffix in ("", "-wal"):
            if Path(f"{target}{suffix}").exists():
                shutil.copy2(f"{target}{suffix}", f"{aside}{suffix}")
        return str(aside)


def restore_backup(path: Path, target: str, *, safety: bool = True,
                   safety_dir: Path | None = None) -> Restored:
    """Restore the backup at ``path`` into ``target`` (a SQLite path or a PostgreSQL URL);
    see the module docstring. The safety backup goes to ``safety_dir`` (default: the
    ``backups`` folder beside the target). The target must not be open in this process."""
    path = Path(path).expanduser()
    if not path.is_file():
        raise BackupRefused(f"{path}: no such backup file")
    manifest = container.read_manifest(path)
    check_restorable(path, manifest)
    if dbmod.is_postgres(target):
        return _restore_postgres(path, target, manifest, safety, safety_dir)
    if manifest.get("engine") != "sqlite":
        raise _refuse(path, "a PostgreSQL backup restores into a postgresql:// database")
    dest = Path(target).expanduser()
    dest.parent.mkdir(parents=True, exist_ok=True)
    staged = dest.with_name(f".restore-{os.getpid()}-{dest.name}")
    try:
        with container.payload_copy(path, dest.parent) as (_, payload):
            os.replace(payload, staged)
        _prove(path, str(staged), manifest)
        folder = safety_dir or dest.parent / "backups"
        kept = _safety_copy(dest, folder) if safety and dest.exists() else ""
        for suffix in ("-wal", "-shm", "-journal"):
            Path(f"{dest}{suffix}").unlink(missing_ok=True)
        os.replace(staged, dest)
    finally:
        engines.remove_sqlite(staged)
    return Restored(path, str(dest), kept, manifest)


def _restore_postgres(path: Path, target: str, manifest: dict[str, Any],
                      safety: bool, safety_dir: Path | None) -> Restored:
    if manifest.get("engine") != "postgresql":
        raise _refuse(path, "a SQLite backup restores into a SQLite file")
    with tempfile.TemporaryDirectory() as tmp, \
            container.payload_copy(path, Path(tmp)) as (_, dump):
        with engines.scratch_postgres(target, "rschk") as scratch:
            engines.load_postgres(dump, scratch, clean=False)
            _prove(path, scratch, manifest)
        kept = ""
        if safety:
            from .making import make_backup

            kept = str(make_backup(target, safety_dir, label="before-restore").path)
        engines.load_postgres(dump, target, clean=True)
    return Restored(path, dbmod.describe(target), kept, manifest)


# -- the drill ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DrillResult:
    backup: Path
    at: dt.datetime
    ok: bool
    detail: str


def drill(location: str | None = None) -> DrillResult:
    """Restore the latest good backup into a scratch place and prove it (checks, manifest);
    the outcome is kept in the backup folder for Today's alert."""
    location = location or dbmod.current_location()
    folder = backup_dir(location)
    latest = last_good(folder)
    if latest is None:
        raise TuicrmError(_("no verified backup in {folder} to drill with; make one first").format(
                            folder=folder))
    with tempfile.TemporaryDirectory(dir=folder, prefix=".drill-") as scratch:
        try:
            if dbmod.is_postgres(location):
                manifest = container.read_manifest(latest.path)
                check_restorable(latest.path, manifest)
                with tempfile.TemporaryDirectory() as tmp, \
                        container.payload_copy(latest.path, Path(tmp)) as (_found, dump), \
                        engines.scratch_postgres(location, "drill") as target:
                    engines.load_postgres(dump, target, clean=False)
                    _prove(latest.path, target, manifest)
            else:
                restore_backup(latest.path, str(Path(scratch) / "drill.db"), safety=False)
            result = DrillResult(latest.path, clock.now(), True,
                                 "restored, every check passed, manifest matched")
        except TuicrmError as e:
            result = DrillResult(latest.path, clock.now(), False, str(e))
    (folder / DRILL_FILE).write_text(json.dumps({
        "at": result.at.isoformat(timespec="seconds"), "backup": latest.name,
        "ok": result.ok, "detail": result.detail}, ensure_ascii=False))
    return result


def last_drill(folder: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((folder / DRILL_FILE).read_text())
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def restore_into(path: Path, target: str, actor: Any) -> Restored:
    """The whole restore as the command line and the Backup screen (after the app closed)
    run it: the safety backup goes where the target keeps its backups; afterwards the target
    is opened (an older backup is upgraded) and the restore recorded in its audit trail by
    ``actor``. No database may be open in this process."""
    from ..core import audit

    safety_dir: Path | None = None
    if dbmod.is_postgres(target) or Path(target).expanduser().exists():
        try:  # the safety backup goes where this database keeps its backups
            schema.open_db(target)
            safety_dir = backup_dir(target)
        except TuicrmError:
            safety_dir = None  # damaged or foreign: copied aside beside it
        finally:
            dbmod.close()
    done = restore_backup(path, target, safety_dir=safety_dir)
    schema.open_db(target)
    try:
        with dbmod.write():
            audit.record(actor, "database", None, "restore",
                         {"backup": done.source.name, "made": done.manifest.get("created_at"),
                          "safety": done.safety})
    finally:
        dbmod.close()
    return done
