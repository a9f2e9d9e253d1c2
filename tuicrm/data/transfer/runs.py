"""The record of an import applied in batches (``ImportRun``), and the short operations that
move it: begin, one batch, finish; take over, undo a batch, close the undo.

Every batch moves ``applied`` with a conditional UPDATE on (run, owner, applied) in the
transaction that writes the batch, so a batch is written once or not at all: a resumed run
goes on exactly where the last committed batch ended, and two processes can never both
write the same run (the one that lost the run finds its UPDATE matches nothing and stops).

A run is *interrupted* when it is ``applying`` but its process is gone (same machine: the
pid is dead; another machine: no batch for ``STALE`` seconds). ``tuicrm imports`` lists runs;
an interrupted one is resumed (``tuicrm imports resume N``) or undone (``... undo N``).

Audit: ONE audit row per run, when it ends (``import`` with the counts, or ``import.undo``
with what was removed and kept), not one per record: a row a record would double the
writes of a 1M-row import, and each record already carries its run (``import_run``) and the
run row keeps who, when, the file and the counts.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import socket
import uuid
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import peewee

from ..core import clock
from ..core.errors import Conflict, NotFound
from ..core.operation import Op, operation, reader
from ..core.vocab import ImportStatus
from ..models.transfer import ImportRun

if TYPE_CHECKING:
    from .importer import Importer

STALE = 120  # seconds without a batch after which another machine's run counts as stopped
INTERRUPTED = "interrupted"  # shown for an applying/undoing run whose process is gone


def new_owner() -> str:
    """This process, as a run's owner: host, pid and a token of this attempt."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def is_live(owner: str, updated_at: dt.datetime | None) -> bool:
    """Whether the process named ``owner`` may still be working on its run."""
    if not owner:
        return False
    host, _, rest = owner.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return updated_at is not None and (clock.now() - updated_at).total_seconds() < STALE
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@dataclass(frozen=True)
class RunRow:
    """An import run as lists and messages show it."""

    id: int
    kind: str
    file: str
    status: str  # an ImportStatus, or INTERRUPTED
    total: int
    applied: int
    inserted: int
    updated: int
    removed: int
    kept: int
    username: str
    started_at: dt.datetime
    finished_at: dt.datetime | None
    message: str
    stash: str
    options: dict[str, Any]
    stored: str  # the ImportStatus as stored (an interrupted run: applying or undoing)

    @property
    def unfinished(self) -> bool:
        return self.status in (INTERRUPTED, ImportStatus.APPLYING, ImportStatus.UNDOING)


def _row(run: ImportRun) -> RunRow:
    status = str(run.status)
    if status in (ImportStatus.APPLYING, ImportStatus.UNDOING) \
            and not is_live(str(run.owner), run.updated_at):
        status = INTERRUPTED
    return RunRow(int(run.id), str(run.kind), str(run.file), status, int(run.total),
                  int(run.applied), int(run.inserted), int(run.updated), int(run.removed),
                  int(run.kept), str(run.username), run.started_at, run.finished_at,
                  str(run.message), str(run.stash), json.loads(str(run.options) or "{}"),
                  str(run.status))


@reader("import")
def list_runs(op: Op, limit: int = 20) -> list[RunRow]:
    """The newest runs first."""
    return [_row(r) for r in ImportRun.select().order_by(ImportRun.id.desc()).limit(limit)]


@reader("import")
def get_run(op: Op, run_id: int) -> RunRow:
    run = ImportRun.get_or_none(ImportRun.id == run_id)
    if run is None:
        raise NotFound(f"there is no import run {run_id}")
    return _row(run)


def unfinished_runs() -> list[RunRow]:
    """Runs left applying or undoing by a process that is gone (for ``tuicrm check``)."""
    query = ImportRun.select().where(ImportRun.status.in_(
        [ImportStatus.APPLYING, ImportStatus.UNDOING]))
    return [row for row in map(_row, query) if row.status == INTERRUPTED]


@operation("import")
def begin_run(op: Op, importer: Importer[Any], file: str, path: str, owner: str) -> int:
    """Make what the import needs besides its records (new groups) and the run row."""
    op.require(importer.permission)
    importer.prepare(op)
    run = ImportRun.create(kind=importer.noun, file=file, path=path,
                           options=json.dumps(importer.options(), ensure_ascii=False),
                           status=ImportStatus.APPLYING, user_id=op.actor.id,
                           username=op.actor.audit_name, owner=owner)
    return int(run.id)


@operation("import")
def stash_ready(op: Op, run_id: int, owner: str, stash: str, total: int) -> None:
    _move(run_id, owner, ImportStatus.APPLYING, stash=stash, total=total)


@dataclass(frozen=True)
class Batch:
    """Records of a run after its first ``start``. (An object, not a list: the operation
    leaves it alone instead of cleaning every string again; they were cleaned when checked.)"""

    start: int
    records: list[Any]


@operation("import")
def apply_batch(op: Op, importer: Importer[Any], run_id: int, owner: str, batch: Batch,
                stash: Any) -> None:
    """Write the records of ``batch`` in this transaction and move the run past them."""
    op.require(importer.permission)
    start, records = batch.start, batch.records
    moved = (ImportRun.update(applied=start + len(records), updated_at=clock.now())
             .where((ImportRun.id == run_id) & (ImportRun.owner == owner)
                    & (ImportRun.applied == start)
                    & (ImportRun.status == ImportStatus.APPLYING)).execute())
    if moved != 1:
        raise RunLost(run_id)
    try:
        inserted, updated = importer.write_batch(op, run_id, records, stash)
    except peewee.IntegrityError:
        raise Conflict("the database changed while the file was imported (a code taken, or a "
                       "group or user removed, by another terminal)") from None
    ImportRun.update(inserted=ImportRun.inserted + inserted,
                     updated=ImportRun.updated + updated).where(ImportRun.id == run_id).execute()


@operation("import")
def finish_run(op: Op, importer: Importer[Any], run_id: int, owner: str,
               details: dict[str, Any]) -> RunRow:
    """The run is done: its one audit row, with the counts."""
    run = _move(run_id, owner, ImportStatus.APPLYING, status=ImportStatus.DONE, owner="",
                stash="", finished_at=clock.now())
    op.audit(importer.entity, None, "import",
             {"file": run.file, "run": run.id, "count": run.inserted + run.updated,
              **({"updated": run.updated} if run.updated else {}), **details})
    return _row(run)


@operation("import")
def release_run(op: Op, run_id: int, owner: str, message: str) -> None:
    """This process stops working on the run (Ctrl+C): it is left interrupted."""
    ImportRun.update(owner="", message=message).where(
        (ImportRun.id == run_id) & (ImportRun.owner == owner)).execute()


@operation("import")
def take_run(op: Op, importer: Importer[Any], run_id: int, owner: str, undo: bool) -> RunRow:
    """Take over a run nobody is working on, to resume it or (``undo``) to take it back."""
    op.require(importer.permission)
    run = ImportRun.get_or_none(ImportRun.id == run_id)
    if run is None:
        raise NotFound(f"there is no import run {run_id}")
    status = ImportStatus(run.status)
    if status in (ImportStatus.APPLYING, ImportStatus.UNDOING) and run.owner != owner \
            and is_live(str(run.owner), run.updated_at):
        raise Conflict(f"import run {run_id} is still being worked on ({run.owner}); wait for "
                       "it, or stop that process first")
    if undo and status in (ImportStatus.APPLYING, ImportStatus.UNDOING, ImportStatus.DONE):
        changes: dict[str, Any] = {"status": ImportStatus.UNDOING, "owner": owner}
    elif not undo and status is ImportStatus.APPLYING:
        changes = {"owner": owner}
    else:
        raise Conflict(f"import run {run_id} is {status.value}: nothing to "
                       f"{'undo' if undo else 'resume'}")
    changes["updated_at"] = clock.now()
    ImportRun.update(**changes).where(ImportRun.id == run_id).execute()
    return _row(ImportRun.get_by_id(run_id))


@operation("import")
def undo_batch(op: Op, importer: Importer[Any], run_id: int, owner: str, limit: int) -> int:
    """Take back up to ``limit`` records of the run in this transaction; how many were
    handled (0: nothing left). Records used since the import (an order, a receipt) stay,
    counted as kept and named in the run's message."""
    op.require(importer.permission)
    run = _move(run_id, owner, ImportStatus.UNDOING, updated_at=clock.now())
    removed, kept = importer.undo_batch(op, run_id, limit)
    if not removed and not kept:
        return 0
    message = str(run.message)
    if kept:
        names = ", ".join(kept[:5]) + (" ..." if len(kept) > 5 else "")
        message = (message + "; " if message else "") + f"kept (used since): {names}"
    ImportRun.update(removed=ImportRun.removed + removed, kept=ImportRun.kept + len(kept),
                     message=message[:2000]).where(ImportRun.id == run_id).execute()
    return removed + len(kept)


@operation("import")
def close_undo(op: Op, importer: Importer[Any], run_id: int, owner: str) -> RunRow:
    """The undo is done: its one audit row."""
    run = _move(run_id, owner, ImportStatus.UNDOING, status=ImportStatus.UNDONE, owner="",
                stash="", finished_at=clock.now())
    op.audit(importer.entity, None, "import.undo",
             {"file": run.file, "run": run.id, "removed": run.removed, "kept": run.kept})
    return _row(run)


def _move(run_id: int, holder: str, state: ImportStatus, /, **changes: Any) -> ImportRun:
    """Change the run if this process (``holder``) still owns it in ``state``; the run as
    changed."""
    moved = (ImportRun.update(**changes)
             .where((ImportRun.id == run_id) & (ImportRun.owner == holder)
                    & (ImportRun.status == state)).execute())
    if moved != 1:
        raise RunLost(run_id)
    run: ImportRun = ImportRun.get_by_id(run_id)
    return run


class RunLost(Conflict):
    """Another process took the run over (or it was undone) while this one worked on it."""

    def __init__(self, run_id: int) -> None:
        super().__init__(f"import run {run_id} was taken over by another process; this one "
                         "stopped (see 'tuicrm imports')")

