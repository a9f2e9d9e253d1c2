"""What the Backup screen does, as operations checked for ``backup.manage`` (administrators):
read the backups and the status, back up now, drill, and make sure a chosen backup may be
restored before the app closes to restore it."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ...i18n import _
from ..core import audit
from ..core import db as dbmod
from ..core.errors import ValidationError
from ..core.operation import Op, reader
from .container import read_manifest
from .folder import BackupEntry, backup_dir, list_backups
from .making import BackupMade, make_backup
from .restoring import DrillResult, check_restorable, drill
from .schedule import BackupStatus, after_backup, status


@dataclass(frozen=True)
class BackupOverview:
    folder: Path
    entries: list[BackupEntry]
    status: BackupStatus


@reader("backup.manage")
def backup_overview(op: Op) -> BackupOverview:
    folder = backup_dir()
    return BackupOverview(folder, list_backups(folder), status())


@reader("backup.manage")
def back_up_now(op: Op) -> BackupMade:
    """A backup by hand (waits for one another process is making), then the retention and
    the second folder; recorded in the audit trail."""
    made = make_backup()
    after_backup(made.path)
    with dbmod.write():
        audit.record(op.actor, "backup", None, "create",
                     {"file": made.path.name, "size": made.size})
    return made


@reader("backup.manage")
def drill_now(op: Op) -> DrillResult:
    return drill()


@reader("backup.manage")
def restorable(op: Op, name: str) -> Path:
    """The backup ``name`` in the backup folder, if it may be restored (its header: the
    whole file is proved again when it is restored)."""
    path = backup_dir() / Path(name).name
    if not path.is_file():
        raise ValidationError(_("there is no backup {name} in {parent}").format(
                                name=name,
                                parent=path.parent))
    check_restorable(path, read_manifest(path))
    return path
