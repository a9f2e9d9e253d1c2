"""Automatic backups without cron: any tuicrm process that finds the last good backup older
than ``backup.every_hours`` makes one (the app checks hourly once its terminal has been idle
for a minute, and makes it in a low-priority child process).
One process at a time: the others find the folder locked and skip. After a backup, the
retention keeps the newest of each of the last ``backup.keep_daily`` days, ``keep_weekly``
weeks and ``keep_monthly`` months (safety copies made before a restore are never pruned), and
the new backup is copied to ``backup.second_dir`` when one is set (a USB disk or NAS mount).

``status`` tells Today whether the last good backup or drill is older than the alert settings.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from ...i18n import _
from ..core import clock, settings
from ..core import db as dbmod
from ..core.errors import TuicrmError
from .folder import BackupBusy, BackupEntry, backup_dir, list_backups
from .making import BackupMade, make_backup
from .restoring import last_drill

KEEP_LABELS = ("before-restore",)  # never pruned


def due(location: str | None = None, at: dt.datetime | None = None) -> bool:
    """Whether an automatic backup is due now."""
    hours = settings.value(settings.BACKUP_EVERY_HOURS)
    if hours <= 0:
        return False
    newest = next((e for e in list_backups(backup_dir(location)) if e.verified), None)
    at = at or clock.now()
    return newest is None or newest.created_at <= at - dt.timedelta(hours=hours)


def run_if_due(location: str | None = None) -> BackupMade | None:
    """Make a backup when one is due and no other process is making one (then None)."""
    location = location or dbmod.current_location()
    if not location or location == ":memory:" or not due(location):
        return None
    try:
        made = make_backup(location, wait=False)
    except BackupBusy:
        return None
    after_backup(made.path)
    return made


def back_up_in_child_if_due(location: str) -> bool:
    """For the app: when a backup is due, make it in a child process at low priority
    (``tuicrm backup --if-due``), so the copy and its verification never take the CPU or the
    interpreter from the person at the counter. Waits for the child; ``TuicrmError`` with
    its last line if it failed. Returns whether a backup was attempted."""
    if not location or location == ":memory:" or not due(location):
        return False
    env = {**os.environ, "TUICRM_DB": location}  # not in argv: a URL may hold a password
    try:
        done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "backup", "--if-due"],
                              env=env, capture_output=True, text=True, check=False,
                              preexec_fn=lambda: os.nice(10), timeout=6 * 3600)
    except (OSError, subprocess.SubprocessError) as e:
        raise TuicrmError(_("automatic backup: {e}").format(e=e)) from None
    if done.returncode != 0:
        lines = [ln for ln in done.stderr.splitlines() if ln.strip()]
        raise TuicrmError(lines[-1] if lines else f"exit code {done.returncode}")
    return True


def after_backup(path: Path) -> list[Path]:
    """Retention, then the copy to the second folder; returns the files pruned."""
    pruned = prune(path.parent)
    copy_to_second_dir(path)
    return pruned


def keep(entries: list[BackupEntry], daily: int, weekly: int, monthly: int) -> set[Path]:
    """The backups a retention of ``daily`` days, ``weekly`` weeks and ``monthly`` months
    keeps: the newest of each period, newest periods first (``entries`` newest first)."""
    kept: set[Path] = set()
    for count, period in ((daily, lambda d: d.date()),
                          (weekly, lambda d: d.isocalendar()[:2]),
                          (monthly, lambda d: (d.year, d.month))):
        seen: list[object] = []
        for entry in entries:
            key = period(entry.created_at)
            if key in seen:
                continue
            if len(seen) >= count:
                break
            seen.append(key)
            kept.add(entry.path)
    return kept


def prune(folder: Path) -> list[Path]:
    """Remove the backups the retention does not keep (the newest good one always stays)."""
    entries = [e for e in list_backups(folder) if e.label not in KEEP_LABELS]
    good = [e for e in entries if e.verified]
    if not good:
        return []
    kept = keep(good, settings.value(settings.BACKUP_KEEP_DAILY),
                settings.value(settings.BACKUP_KEEP_WEEKLY),
                settings.value(settings.BACKUP_KEEP_MONTHLY))
    kept.add(good[0].path)
    removed = []
    for entry in good:
        if entry.path not in kept:
            entry.path.unlink(missing_ok=True)
            removed.append(entry.path)
    return removed


def copy_to_second_dir(path: Path) -> Path | None:
    """Copy a backup to ``backup.second_dir`` (temporary name, then rename); the second folder
    keeps the same retention. None when no second folder is set."""
    second = settings.value(settings.BACKUP_SECOND_DIR)
    if not second:
        return None
    folder = Path(second).expanduser()
    folder.mkdir(parents=True, exist_ok=True)
    tmp = folder / f".tmp-{os.getpid()}-{path.name}"
    try:
        shutil.copyfile(path, tmp)
        os.replace(tmp, folder / path.name)
    finally:
        tmp.unlink(missing_ok=True)
    prune(folder)
    return folder / path.name


@dataclass(frozen=True)
class BackupStatus:
    folder: Path
    last_good: dt.datetime | None
    last_drill: dt.datetime | None
    drill_ok: bool
    backup_stale: bool
    drill_stale: bool


def status(location: str | None = None, at: dt.datetime | None = None) -> BackupStatus:
    """The last good backup and drill, and whether each is older than its alert setting."""
    at = at or clock.now()
    folder = backup_dir(location)
    newest = next((e for e in list_backups(folder) if e.verified), None)
    drill = last_drill(folder) or {}
    try:
        drilled = dt.datetime.fromisoformat(str(drill.get("at")))
    except ValueError:
        drilled = None
    drill_ok = bool(drill.get("ok"))
    backup_days = settings.value(settings.BACKUP_ALERT_DAYS)
    drill_days = settings.value(settings.DRILL_ALERT_DAYS)
    return BackupStatus(
        folder,
        newest.created_at if newest else None,
        drilled,
        drill_ok,
        newest is None or newest.created_at < at - dt.timedelta(days=backup_days),
        drilled is None or not drill_ok or drilled < at - dt.timedelta(days=drill_days),
    )
