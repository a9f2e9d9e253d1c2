"""What one kind of import declares: its columns, its row rules, how it writes.

An importer is a small subclass of ``Importer``::

    class ReceiptImport(Importer[Receipt]):
        entity, noun, permission = "receipt", "receipts", "money.receive"
        columns = (
            column("date", Date(), "日期", "交易日期", required=True),
            column("customer", Code(40), "客户编号", required=True),
            column("amount", Money(min=Decimal("0.01")), "金额", required=True),
            ...
        )

        def check_row(self, row: RowCheck) -> Receipt | None:
            customer = self.customers.get(row.values["customer"])   # cached lookups
            if customer is None:
                row.problem("customer", "no such customer")
            row.claim("reference", row.values["reference"], "reference")  # once in the file
            return Receipt(...) if row.ok else None

        def taken(self, space, items): ...  # references already in the database
        def write(self, op, checked): ...   # insert every record, return Written(count)

The framework (``run.py``) reads the file, converts each cell by its column's kind (blank,
bad and formula cells become problems there), hands every row to ``check_row``, keeps the
records of good rows, asks ``taken`` about the keys rows claimed, and, if no row has a
problem, calls ``write`` in one write transaction. One instance is one run: options (create
missing groups) and the caches of its lookups live on it.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Generic, NamedTuple, TypeVar

from ...i18n import _
from ..core.errors import TuicrmError
from .columns import IGNORED, Column, Problem

if TYPE_CHECKING:
    from ..core.operation import Op
    from .spool import Spool
    from .stash import Stash

R = TypeVar("R")


class Claim(NamedTuple):
    """Where a key (a code, a barcode) first appears in the file."""

    row: int
    column: str  # the header as written
    shown: str  # the key as the file wrote it (a barcode before it was normalised)


class RowCheck:
    """One row being checked: its converted values and the problems found so far."""

    __slots__ = ("number", "values", "problems", "warnings", "_labels", "_claims",
                 "_reported")

    def __init__(self, number: int, labels: Mapping[str, str],
                 claims: Any) -> None:  # ``claims.Claims`` (dicts in small tests)
        self.number = number
        self.values: dict[str, Any] = {}  # column key -> value (the kind's empty if blank)
        self.problems: list[Problem] = []
        self.warnings: list[Problem] = []  # the import goes on; the user is told
        self._labels = labels
        self._claims = claims
        self._reported: set[str] = set()

    @property
    def ok(self) -> bool:
        return not self.problems

    def has(self, key: str) -> bool:
        """True when the file has the column ``key``."""
        return key in self._labels

    def label(self, key: str) -> str:
        """The header of ``key`` as the file wrote it (the key itself if it is absent)."""
        return self._labels.get(key, key)

    def problem(self, key: str, message: str) -> None:
        """A problem of this row in the column ``key`` ("" for the whole row)."""
        self._reported.add(key)
        self.problems.append(Problem(self.number, self.label(key) if key else "", message))

    def warn(self, key: str, message: str) -> None:
        """Something the user should look at in the column ``key``; not a problem."""
        self.warnings.append(Problem(self.number, self.label(key) if key else "", message))

    def report(self, errors: Mapping[str, str]) -> None:
        """A domain's ``ValidationError.errors`` ({field: message}), less the columns that
        already have a problem in this row (the column's kind said it first)."""
        for key, message in errors.items():
            if key not in self._reported:
                self.problem(key, message)

    def claim(self, space: str, key: str, column: str, shown: str | None = None) -> Claim | None:
        """Note that this row uses ``key`` among the ``space`` of keys that must be unique
        (codes, barcodes); return where it was claimed before, if it was."""
        claims = self._claims.setdefault(space, {})
        earlier: Claim | None = claims.get(key)
        if earlier is None:
            claims[key] = Claim(self.number, self.label(column), key if shown is None else shown)
        return earlier


@dataclass(frozen=True)
class Written:
    """What ``write`` did: the records written and anything else for the audit row."""

    count: int
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Checked(Generic[R]):
    """A checked file: its problems, or the records of all its rows waiting for the write."""

    file: str  # the file's name, for the audit row
    rows: int
    problems: list[Problem]
    claims: Any  # ``claims.Claims``: space -> key -> Claim, on disk
    spool: Spool[R] | None  # None: checked as a dry run, no records kept
    warnings: list[Problem] = field(default_factory=list)  # the first MAX_WARNINGS
    warning_count: int = 0

    def records(self) -> Iterator[list[R]]:
        """The records of every row, in the file's order, a batch at a time."""
        if self.spool is None:
            raise ValueError(_("{file} was checked as a dry run: no records to write").format(
                               file=self.file))
        return self.spool.batches()

    def claimed(self, space: str) -> Mapping[str, Claim]:
        found: Mapping[str, Claim] = self.claims.get(space, {})
        return found

    def close(self) -> None:
        if self.spool is not None:
            self.spool.close()
        if hasattr(self.claims, "close"):
            self.claims.close()


class ImportRefused(TuicrmError):
    """The database changed between the check and the write (a code taken meanwhile)."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} problem(s); nothing was imported")
        self.problems = problems


class Importer(Generic[R]):
    """One kind of import (see the module docstring); subclasses set the class attributes
    and write ``check_row`` and ``write``."""

    entity: ClassVar[str]  # what the audit row names ("customer")
    noun: ClassVar[str]  # "customers"
    permission: ClassVar[str]  # the domain's edit permission, needed besides "import"
    columns: ClassVar[tuple[Column, ...]]
    ignored: ClassVar[frozenset[str]] = IGNORED  # headers of an export this import skips
    #: Written as an import run in short transactions (``write_batch``, ``undo_batch``);
    #: False: in one transaction (``write``), for imports that are always small.
    batched: ClassVar[bool] = False

    def begin(self, op: Op) -> None:
        """Called before the first row, with the operation checking the file."""

    def check_row(self, row: RowCheck) -> R | None:
        """The record to write for ``row`` (its values converted, its problems so far in
        ``row.problems``); report more problems with ``row.problem``. The record of a row
        with problems is not kept."""
        raise NotImplementedError

    def taken(self, space: str, items: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
        """Of the (key, as shown) pairs the rows claimed in ``space``, those the database
        already holds, as (key, message). Asked in batches, when checking and again in the
        write transaction."""
        return ()

    def after_rows(self) -> tuple[list[Problem], list[Problem]]:
        """Called once every row was checked: more (problems, warnings) found in batches
        (rows that look like existing records)."""
        return [], []

    def created(self) -> list[str]:
        """What the import makes besides its records (new groups), for the result."""
        return []

    def write(self, op: Op, checked: Checked[R]) -> Written:
        """Write every record of ``checked`` (inside the operation's transaction)."""
        raise NotImplementedError

    # -- batched importers (``batched = True``) -------------------------------------------

    def options(self) -> dict[str, Any]:
        """The keyword arguments that make this importer again (to resume or undo a run)."""
        return {}

    def prepare(self, op: Op) -> None:
        """Before the run: make what the records point to (new groups), in its own
        transaction."""

    def stash(self, checked: Checked[R], stash: Stash) -> None:
        """Put the records to write in ``stash``, final: what ``write_batch`` needs and
        nothing of this instance's state (a resumed run is written by a new instance)."""
        raise NotImplementedError

    def write_batch(self, op: Op, run_id: int, records: list[Any], stash: Stash
                    ) -> tuple[int, int]:
        """Write ``records`` from the stash (inside the batch's transaction), marked as the
        run's; (inserted, updated). ``ImportRefused`` for a key taken since the check."""
        raise NotImplementedError

    def undo_batch(self, op: Op, run_id: int, limit: int) -> tuple[int, list[str]]:
        """Take back up to ``limit`` records of the run: (removed or restored, the names
        of those kept because they are used since); (0, []) when none is left."""
        raise NotImplementedError
