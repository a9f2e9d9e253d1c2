"""Writing a checked import in short transactions; resuming and undoing a run.

SQLite has one write lock for the whole database: a 1M-row import written in one
transaction held it for minutes while every counter sale waited (and failed after the 10 s
busy timeout). Here each transaction writes one batch and is sized to take about ``TARGET``
seconds (it starts small, grows at most twofold a batch up to the ``import.batch_rows``
setting, and shrinks at once when batches are slow).
Between two batches the import pauses ``PAUSE``: a writer waiting on SQLite's busy timeout
polls every 100 ms once it has waited a while, so a shorter gap could let the import take
the lock again before the waiter ever looks, batch after batch.

A run stops cleanly between batches: ``cancel`` (the screen's Cancel) raises ``Cancelled``,
Ctrl+C raises ``KeyboardInterrupt``; the caller decides whether to undo (the screen) or to
leave the run for ``tuicrm imports resume|undo`` (the command line).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from ..core import db, settings
from ..core.actor import Actor
from ..core.errors import TuicrmError
from .importer import Checked, Importer
from .runs import (
    Batch,
    RunRow,
    apply_batch,
    close_undo,
    finish_run,
    get_run,
    new_owner,
    release_run,
    take_run,
    undo_batch,
)
from .stash import Stash, StashError

TARGET = 0.4  # seconds a batch's transaction should hold the write lock
FIRST_BATCH = 200  # rows of the first batch, before the pace is known
PAUSE = 0.12  # SQLite: the gap between two batches (see the module docstring)
UNDO_BATCH = 2000

#: ``progress(phase, done, total)``: phase "checking" (total 0: not known yet), "writing" or
#: "undoing". Called from the thread running the import.
Progress = Callable[[str, int, int], None]


class Cancelled(TuicrmError):
    """The user cancelled the import."""

    def __init__(self) -> None:
        super().__init__("the import was cancelled")


def _quiet(phase: str, done: int, total: int) -> None:
    return None


def write_stash(importer: Importer[Any], checked: Checked[Any], run_id: int) -> Stash:
    """The run's records, final (groups as ids, rows to skip left out), on disk."""
    stash = Stash.create(run_id)
    try:
        importer.stash(checked, stash)
        stash.seal()
    except BaseException:
        stash.remove()
        raise
    return stash


def apply_run(actor: Actor, importer: Importer[Any], run_id: int, owner: str, stash: Stash,
              start: int, progress: Progress | None = None,
              cancel: threading.Event | None = None) -> RunRow:
    """Write the stash's records after the first ``start``, a batch a transaction; then
    finish the run (its audit row)."""
    progress = progress or _quiet
    limit = max(1, settings.get_int(settings.IMPORT_BATCH_ROWS.key))
    size, done, total = min(limit, FIRST_BATCH), start, stash.count
    sqlite = db.is_sqlite()
    progress("writing", done, total)
    while done < total:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        records = stash.read(done, size)
        if not records:
            break
        began = time.perf_counter()
        apply_batch(actor, importer, run_id, owner, Batch(done, records), stash)
        size = next_size(size, len(records), time.perf_counter() - began, limit)
        done += len(records)
        progress("writing", done, total)
        if sqlite and done < total:
            time.sleep(PAUSE)
    return finish_run(actor, importer, run_id, owner, stash.meta("details", {}))


def next_size(size: int, written: int, seconds: float, limit: int) -> int:
    """The next batch's size: what fits in ``TARGET`` at the last batch's pace, growing at
    most twofold at a time, never above ``limit``."""
    if seconds <= 0:
        return min(limit, size * 2)
    fits = max(20, int(written / seconds * TARGET))
    return max(1, min(limit, size * 2, fits))


def undo_run(actor: Actor, importer: Importer[Any], run_id: int, owner: str,
             progress: Progress | None = None, cancel: threading.Event | None = None
             ) -> RunRow:
    """Take back every record of the run (the caller owns it, undoing), then close it.
    ``cancel`` (the command line's Ctrl+C) stops between batches, the run still undoing."""
    progress = progress or _quiet
    run = get_run(actor, run_id)
    total, done = run.inserted + run.updated, run.removed + run.kept
    progress("undoing", done, total)
    while n := undo_batch(actor, importer, run_id, owner, UNDO_BATCH):
        if cancel is not None and cancel.is_set():
            raise Cancelled
        done += n
        progress("undoing", min(done, total), total)
        if db.is_sqlite():
            time.sleep(PAUSE)
    row = close_undo(actor, importer, run_id, owner)
    if run.stash:
        _remove_stash(run.stash)
    return row


def _remove_stash(path: str) -> None:
    with suppress(StashError):
        Stash.open(path).remove()


def importer_for(kind: str, options: dict[str, Any]) -> Importer[Any]:
    """The importer of a run, as it was started (its options)."""
    from .customer_import import CustomerImport
    from .product_import import ProductImport

    kinds: dict[str, Callable[..., Importer[Any]]] = {
        "customers": CustomerImport, "products": ProductImport}
    if kind not in kinds:
        raise TuicrmError(f"import runs of {kind} cannot be resumed or undone")
    return kinds[kind](**options)


def resume(actor: Actor, run_id: int, progress: Progress | None = None,
           cancel: threading.Event | None = None) -> RunRow:
    """Finish an interrupted run from where it stopped (its checked rows are in its stash).
    ``KeyboardInterrupt`` / ``Cancelled`` leave it interrupted again."""
    run = get_run(actor, run_id)
    importer = importer_for(run.kind, run.options)
    if run.status not in ("interrupted", "applying"):
        raise TuicrmError(f"import run {run_id} is {run.status}: nothing to resume")
    try:
        stash = Stash.open(run.stash) if run.stash else None
    except StashError as e:
        raise TuicrmError(f"{e}; take it back with 'tuicrm imports undo {run_id}' and import "
                          "the file again") from None
    if stash is None:
        raise TuicrmError(f"import run {run_id} has no checked rows to resume with; take it "
                          f"back with 'tuicrm imports undo {run_id}' and import the file again")
    owner = new_owner()
    try:
        take_run(actor, importer, run_id, owner, undo=False)
        try:
            done = apply_run(actor, importer, run_id, owner, stash, run.applied, progress,
                             cancel)
            stash.remove()
            return done
        except BaseException:
            let_go(actor, run_id, owner, "stopped while resuming")
            raise
    finally:
        stash.close()


def undo(actor: Actor, run_id: int, progress: Progress | None = None,
         cancel: threading.Event | None = None) -> RunRow:
    """Take back an interrupted (or finished) run: remove what it added, put back what it
    updated. Records used since (an order for an imported customer) stay, named."""
    run = get_run(actor, run_id)
    importer = importer_for(run.kind, run.options)
    owner = new_owner()
    take_run(actor, importer, run_id, owner, undo=True)
    try:
        return undo_run(actor, importer, run_id, owner, progress, cancel)
    except BaseException:
        let_go(actor, run_id, owner, "stopped while undoing")
        raise


def let_go(actor: Actor, run_id: int, owner: str, message: str) -> None:
    """Leave the run interrupted (best effort: the database may be what failed)."""
    with suppress(Exception):
        release_run(actor, run_id, owner, message)
