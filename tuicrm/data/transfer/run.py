"""Running an import: check every row, then write all of them or none.

``run_import(actor, importer, path, dry_run)`` is what the customer, product and receipt
imports (and the command line and the Customers screen through them) call:

1. ``check_import`` (a reader: ``import`` and the importer's edit permission) streams the
   file, converts each cell by its column's kind, runs the importer's row rules, collects
   every problem (``row N, column: message``) and keeps the records of good rows in a spool
   on disk. It then asks the database, in batches, about every key the rows claimed (a code
   already used). It holds no transaction: parsing 1M rows takes minutes, and on SQLite a
   write transaction would stop every other terminal's sales for that long.
2. Nothing is written unless every row is good and it is not a dry run. Then a *batched*
   importer (customers, products) is applied as an import run (``runs.py``, ``apply.py``):
   the run row first, the final records in the run's stash on disk, then short
   transactions of a batch each (about 0.4 s: other terminals keep
   selling), each checking again the keys its records claim (a code another terminal used
   since the check). A problem found there, or the user's Cancel, takes back what the run
   wrote (all or nothing, as before); Ctrl+C or a crash leaves the run *interrupted*, to be
   finished or taken back by ``tuicrm imports resume|undo N``. One audit row per run.
   A small importer (receipts: bank exports) is written by ``write_import`` in one
   transaction, with one audit row, as before.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, TypeVar

import peewee

from ...i18n import _
from ..core.actor import Actor
from ..core.errors import Conflict, TuicrmError
from ..core.operation import Op, operation, reader
from .apply import Cancelled, Progress, apply_run, let_go, undo_run, write_stash
from .claims import Claims
from .columns import Header, Problem, read_header
from .files import MAX_ROWS, ImportFileError, SheetRow, open_rows
from .importer import Checked, Importer, ImportRefused, RowCheck
from .kinds import Warned
from .runs import RunLost, begin_run, new_owner, stash_ready, take_run
from .spool import Spool

R = TypeVar("R")

FORMULA = "a formula without a saved value; paste it as a value"
MAX_WARNINGS = 100  # warnings kept to show; the rest are counted
TAKEN_BATCH = 500
PROGRESS_ROWS = 1000  # rows checked between two progress reports (and looks at Cancel)


@dataclass
class ImportResult:
    """What an import found and did. ``groups_created``: the groups or categories it made
    (or, on a dry run, would make)."""

    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)  # the first MAX_WARNINGS of them
    warning_count: int = 0
    run: int | None = None  # the import run that wrote it (batched importers)
    cancelled: bool = False  # the user cancelled: nothing (more) was written
    undone: int = 0  # records written and then taken back (cancelled, or a late problem)

    @property
    def ok(self) -> bool:
        return not self.problems


def run_import(actor: Actor, importer: Importer[Any], path: str | Path,
               dry_run: bool = False, *, progress: Progress | None = None,
               cancel: threading.Event | None = None,
               keep_on_cancel: bool = False) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, write them all
    (see the module docstring). ``ImportFileError`` for a file that cannot be read at all;
    ``ImportInterrupted`` when Ctrl+C or a fault stops a run half-way (it says what to do).
    ``cancel`` (set from another thread or a signal handler) stops the check (nothing
    written: ``result.cancelled``), or the writing between two batches: what was written is
    taken back, or with ``keep_on_cancel`` the run is left interrupted (the command line's
    Ctrl+C: ``ImportInterrupted``)."""
    try:
        checked = check_import(actor, importer, path, keep=not dry_run, progress=progress,
                               cancel=cancel)
    except Cancelled:
        return ImportResult(dry_run=dry_run, cancelled=True)
    try:
        result = ImportResult(rows=checked.rows, dry_run=dry_run, problems=checked.problems,
                              warnings=checked.warnings, warning_count=checked.warning_count)
        if result.problems:
            return result
        result.groups_created = importer.created()
        if dry_run:
            return result
        if importer.batched:
            _apply(actor, importer, checked, Path(path), result, progress, cancel,
                   keep_on_cancel)
            return result
        try:
            result.imported = write_import(actor, importer, checked)
        except ImportRefused as e:
            result.problems, result.groups_created = e.problems, []
        return result
    finally:
        checked.close()


class ImportInterrupted(TuicrmError):
    """A run stopped half-way (Ctrl+C, a full disk): it is left for ``tuicrm imports``."""

    def __init__(self, run_id: int, why: str) -> None:
        super().__init__(f"{why}; import run {run_id} is interrupted: 'tuicrm imports resume "
                         f"{run_id}' finishes it, 'tuicrm imports undo {run_id}' takes back "
                         "what it wrote")
        self.run_id = run_id


def _apply(actor: Actor, importer: Importer[Any], checked: Checked[Any], path: Path,
           result: ImportResult, progress: Progress | None,
           cancel: threading.Event | None, keep_on_cancel: bool) -> None:
    """Write ``checked`` as an import run; fill in ``result``."""
    owner = new_owner()
    run_id = begin_run(actor, importer, checked.file, str(path.absolute()), owner)
    result.run = run_id
    stash = None
    try:
        stash = write_stash(importer, checked, run_id)
        checked.close()  # the spool and the claims are in the stash now: free the disk
        stash_ready(actor, run_id, owner, str(stash.path), stash.count)
        run = apply_run(actor, importer, run_id, owner, stash, 0, progress, cancel)
        result.imported = run.inserted + run.updated
        stash.remove()
        stash = None
    except RunLost:
        raise
    except (ImportRefused, Conflict, Cancelled) as e:
        if isinstance(e, Cancelled) and keep_on_cancel:
            let_go(actor, run_id, owner, "stopped by Ctrl+C")
            raise ImportInterrupted(run_id, "stopped") from None
        # All or nothing: what the run wrote so far is taken back.
        take_run(actor, importer, run_id, owner, undo=True)
        undone = undo_run(actor, importer, run_id, owner, progress)
        result.undone = undone.removed
        result.groups_created = []
        if isinstance(e, Cancelled):
            result.cancelled = True
        else:
            result.problems = (sorted(e.problems, key=_order) if isinstance(e, ImportRefused)
                               else [Problem(0, "", str(e))])
        stash = None  # removed by the undo
    except KeyboardInterrupt:
        let_go(actor, run_id, owner, "stopped by Ctrl+C")
        raise ImportInterrupted(run_id, "stopped by Ctrl+C") from None
    except Exception as e:
        let_go(actor, run_id, owner, str(e))
        raise ImportInterrupted(run_id, str(e)) from None
    finally:
        if stash is not None:
            stash.close()  # kept on disk: an interrupted run resumes from it


@reader("import")
def check_import(op: Op, importer: Importer[R], path: str | Path, keep: bool = True,
                 progress: Progress | None = None, cancel: threading.Event | None = None
                 ) -> Checked[R]:
    """Read and check ``path`` for ``importer``; write nothing (see the module docstring).
    ``keep=False`` (a dry run) keeps no records. The caller closes the result."""
    op.require(importer.permission)
    importer.begin(op)
    spool: Spool[R] | None = Spool() if keep else None
    try:
        return _check(importer, Path(path), spool, progress, cancel)
    except BaseException:
        if spool is not None:
            spool.close()
        raise


@operation("import")
def write_import(op: Op, importer: Importer[R], checked: Checked[R]) -> int:
    """Write the records of a checked file, all of them in this transaction; the count.
    ``ImportRefused`` (nothing written) if a claimed key was taken since the check."""
    op.require(importer.permission)
    again = sorted(taken_problems(importer, checked.claims), key=_order)
    if again:
        raise ImportRefused(again)
    try:
        written = importer.write(op, checked)
    except peewee.IntegrityError:
        # A key taken, or a group or user removed, by another terminal after the check just
        # above (PostgreSQL READ COMMITTED); the transaction is rolled back.
        raise Conflict(_("the database changed while {file} was imported; nothing was imported, "
                         "import it again").format(file=checked.file)) from None
    op.audit(importer.entity, None, "import",
             {"file": checked.file, "count": written.count, **written.details})
    return written.count


def _check(importer: Importer[R], path: Path, spool: Spool[R] | None,
           progress: Progress | None, cancel: threading.Event | None) -> Checked[R]:
    claims = Claims()  # on disk: a dict of 1M codes alone took ~183 MiB
    try:
        return _check_rows(importer, path, spool, claims, progress, cancel)
    except BaseException:
        claims.close()
        raise


def _check_rows(importer: Importer[R], path: Path, spool: Spool[R] | None, claims: Claims,
                progress: Progress | None, cancel: threading.Event | None) -> Checked[R]:
    with open_rows(path) as rows:
        first = next(rows, None)
        if first is None:
            raise ImportFileError(_("{name} holds no rows").format(name=path.name))
        header = read_header(first, importer.columns, importer.ignored)
        problems = header.problems
        warnings: list[Problem] = []
        warning_count = 0
        count = 0
        if header.missing_required:  # every row would say so too: the header line is enough
            count = sum(1 for _ in rows)
        else:
            absent = [c for c in importer.columns if c.key not in header.labels]
            for sheet_row in rows:
                count += 1
                if count % PROGRESS_ROWS == 0:
                    if cancel is not None and cancel.is_set():
                        raise Cancelled
                    if progress is not None:
                        progress("checking", count, 0)
                if count > MAX_ROWS:
                    raise ImportFileError(
                        _("{name} has more than {MAX_ROWS:,} rows, the import limit; split it "
                          "into smaller files").format(name=path.name, MAX_ROWS=MAX_ROWS))
                row = _converted(sheet_row, header, claims)
                for col in absent:
                    row.values[col.key] = col.kind.empty
                record = importer.check_row(row)
                if row.warnings:  # kept bounded: 1M phones stored as numbers warn 1M times
                    warning_count += len(row.warnings)
                    warnings.extend(row.warnings[:MAX_WARNINGS - len(warnings)])
                if row.problems:
                    problems.extend(row.problems)
                elif record is not None and spool is not None and not problems:
                    spool.add(record)  # once a row is bad nothing will be written
    more_problems, more_warnings = importer.after_rows()
    problems.extend(more_problems)
    warning_count += len(more_warnings)
    warnings.extend(more_warnings[:max(0, MAX_WARNINGS - len(warnings))])
    problems.extend(taken_problems(importer, claims))
    problems.sort(key=_order)
    return Checked(path.name, count, problems, claims, spool, warnings, warning_count)


def _converted(sheet_row: SheetRow, header: Header, claims: Claims
               ) -> RowCheck:
    """The row with each cell converted by its column's kind; blank, bad and formula cells
    are problems of the row."""
    row = RowCheck(sheet_row.number, header.labels, claims)
    cells = sheet_row.values
    for index, col in header.positions:
        if index in sheet_row.unsaved:
            row.problem(col.key, FORMULA)
            row.values[col.key] = col.kind.empty
            continue
        cell = cells[index] if index < len(cells) else None
        if cell is None or (isinstance(cell, str) and not cell.strip()):
            if col.required:
                row.problem(col.key, col.missing)
            row.values[col.key] = col.kind.empty
            continue
        try:
            value = col.kind.convert(cell)
            if isinstance(value, Warned):
                row.warn(col.key, value.message)
                value = value.value
            row.values[col.key] = value
        except ValueError as e:
            row.problem(col.key, str(e))
            row.values[col.key] = col.kind.empty
    return row


def taken_problems(importer: Importer[Any], claims: Claims
                   ) -> list[Problem]:
    """The claimed keys the database already holds, as problems at the rows that claim them."""
    problems: list[Problem] = []
    for space, claimed in claims.items():
        for keys in _batches(claimed, TAKEN_BATCH):
            items = [(key, claimed[key].shown) for key in keys]
            for key, message in importer.taken(space, items):
                where = claimed[key]
                problems.append(Problem(where.row, where.column, message))
    return problems


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    it = iter(items)
    while batch := list(islice(it, size)):
        yield batch


def _order(problem: Problem) -> tuple[int, str]:
    return problem.row, problem.column
