"""Export rows to .xlsx or .csv (L5, A5). No Textual: a screen runs it in a worker.

``export_rows(path, columns, rows, progress=..., cancel=...)`` writes any iterator of tuples;
``export_customers`` / ``export_contacts`` / ``export_suppliers`` write a list as the screen
shows it (group, search and filters applied) with the stable lower-case English headers that
``tuicrm.data.transfer.customer_import`` reads back.

No cell ever becomes a formula:

- .xlsx: openpyxl's write-only ``append`` turns a string starting with ``=`` into a formula
  and ``#N/A``-like strings into error cells (``Cell._bind_value``). Such strings are written
  through a cell whose type is forced to text (``data_type = "s"``). Strings starting with
  ``+ - @`` are already plain text cells in a workbook.
- .csv: spreadsheet programs evaluate ``= + - @`` (and a leading tab or CR) when they open a
  CSV, so such values get a leading apostrophe (``'=1+2``), as OWASP advises; a value already
  starting with ``'`` gets one more, so the importer can take exactly one off (round trip).

Money (``Decimal``) is a number cell with a ``#,##0.00`` format, dates are date cells. The file
is written beside the target and renamed at the end: a cancelled or failed export leaves no
half-written file behind.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ..data.core.errors import TuicrmError, ValidationError

KINDS = ("text", "int", "number", "money", "date", "datetime", "bool")
MONEY_FORMAT = "#,##0.00"
DATE_FORMAT = "yyyy-mm-dd"
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
CSV_RISKY = ("=", "+", "-", "@", "\t", "\r", "'")
PROGRESS_EVERY = 1000

Progress = Callable[[int, int | None], None]  # (rows done, total or None)


class Cancelled(TuicrmError):
    """The export was cancelled; no file was written."""


@dataclass(frozen=True)
class ExportColumn:
    name: str
    kind: str = "text"


def fmt_of(path: str | os.PathLike[str]) -> str:
    ext = Path(path).suffix.lower()
    if ext in (".xlsx", ".csv"):
        return ext[1:]
    raise ValidationError({"file": f"export to .xlsx or .csv, not {ext or 'a file without extension'!r}"})


def csv_text(value: Any) -> str:
    """A value as CSV text, defused against formula injection."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, Decimal):
        return f"{value:f}"
    text = str(value)
    if isinstance(value, str) and text.startswith(CSV_RISKY):
        return "'" + text
    return text


def _is_cancelled(cancel: Any) -> bool:
    if cancel is None:
        return False
    if hasattr(cancel, "is_set"):
        return bool(cancel.is_set())
    return bool(cancel())


def _xlsx_writer(ws: Any, columns: Sequence[ExportColumn]) -> Callable[[Sequence[Any]], None]:
    """A fast ``write(row)`` for a write-only sheet: plain values go straight to ``append``;
    formula-looking text, money and dates go through one reusable cell per column (the
    write-only writer serialises a row as soon as it is appended, so reuse is safe)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    errors = frozenset(ERROR_CODES)
    text_cells = [WriteOnlyCell(ws) for _ in columns]
    typed: list[Any] = []
    for c in columns:
        cell = WriteOnlyCell(ws)
        if c.kind in ("money", "number"):
            cell.number_format = MONEY_FORMAT if c.kind == "money" else "General"
        elif c.kind == "date":
            cell.number_format = DATE_FORMAT
        elif c.kind == "datetime":
            cell.number_format = DATETIME_FORMAT
        typed.append(cell)
    kinds = [c.kind for c in columns]
    append = ws.append
    illegal = ILLEGAL_CHARACTERS_RE.search

    def write(row: Sequence[Any]) -> None:
        out = list(row)
        for i, v in enumerate(out):
            if v is None:
                continue
            k = kinds[i]
            if isinstance(v, str):
                if v[:1] == "=" or v in errors or illegal(v):
                    cell = text_cells[i]
                    cell._value = ILLEGAL_CHARACTERS_RE.sub("", v)
                    cell.data_type = "s"
                    out[i] = cell
            elif k == "money" and isinstance(v, Decimal):
                cell = typed[i]
                cell._value = v
                cell.data_type = "n"
                out[i] = cell
            elif k in ("date", "datetime") and isinstance(v, dt.date):
                cell = typed[i]
                cell._value = v
                cell.data_type = "d"
                out[i] = cell
            elif isinstance(v, Decimal):
                out[i] = v
        append(out)

    return write


def _write_all(write: Callable[[Sequence[Any]], Any], rows: Iterable[Sequence[Any]],
               progress: Progress | None, cancel: Any, total: int | None) -> int:
    """``write`` every row; every ``PROGRESS_EVERY`` rows check ``cancel`` and report
    ``progress``. Returns the rows written."""
    n = 0
    for row in rows:
        write(row)
        n += 1
        if n % PROGRESS_EVERY == 0:
            if _is_cancelled(cancel):
                raise Cancelled(f"export cancelled after {n:,} rows; no file written")
            if progress:
                progress(n, total)
    return n


def export_rows(
    path: str | os.PathLike[str],
    columns: Sequence[ExportColumn],
    rows: Iterable[Sequence[Any]],
    *,
    progress: Progress | None = None,
    cancel: Any = None,
    total: int | None = None,
    sheet_title: str = "export",
) -> int:
    """Write a header row and ``rows`` to ``path`` (.xlsx or .csv by extension); returns the
    number of data rows. ``cancel`` is a ``threading.Event`` or a callable returning True to
    stop (``Cancelled`` is raised and nothing is left on disk); ``progress(done, total)`` is
    called every 1000 rows and at the end."""
    kind = fmt_of(path)
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
    os.close(fd)
    try:
        if kind == "xlsx":
            from openpyxl import Workbook

            wb = Workbook(write_only=True)
            ws = wb.create_sheet(sheet_title[:31] or "export")
            ws.append([c.name for c in columns])
            try:
                n = _write_all(_xlsx_writer(ws, columns), rows, progress, cancel, total)
            except BaseException:
                with contextlib.suppress(Exception):
                    wb.save(tmp)  # closes the sheet's temporary file; the result is discarded
                raise
            wb.save(tmp)
        else:
            with open(tmp, "w", newline="", encoding="utf-8-sig") as f:
                w = csv.writer(f)
                w.writerow([c.name for c in columns])
                n = _write_all(lambda row: w.writerow([csv_text(v) for v in row]), rows,
                               progress, cancel, total)
        if _is_cancelled(cancel):
            raise Cancelled("export cancelled; no file written")
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if progress:
        progress(n, total if total is not None else n)
    return n


# -- a list as shown ------------------------------------------------------------------------


def export_pager(
    actor: Any, pager: Any, names: Sequence[str], path: str | os.PathLike[str], *,
    progress: Progress | None = None, cancel: Any = None, sheet_title: str = "list",
) -> int:
    """Write the rows of ``pager`` (a list as a screen shows it: its search, filter, date
    range, scope and sort) with the columns ``names`` in that order; the headers are the
    columns' stable lower-case English names. Needs the ``export`` permission."""
    from ..data.core.permissions import require

    require(actor, "export")
    fmt_of(path)
    by_name = {c.name: i for i, c in enumerate(pager.columns)}
    idx = [by_name[n] for n in names if n in by_name and not pager.columns[by_name[n]].internal]
    cols = [ExportColumn(pager.columns[i].name, pager.columns[i].export_kind) for i in idx]
    rows = (tuple(r.values[i] for i in idx) for r in pager.iterate())
    return export_rows(path, cols, rows, progress=progress, cancel=cancel,
                       total=pager.count(), sheet_title=sheet_title)


# -- the lists ------------------------------------------------------------------------------

CUSTOMER_COLUMNS = [
    ExportColumn("code"), ExportColumn("name"), ExportColumn("group"), ExportColumn("grade"),
    ExportColumn("status"), ExportColumn("salesperson"), ExportColumn("phone"),
    ExportColumn("mobile"), ExportColumn("fax"), ExportColumn("email"), ExportColumn("address"),
    ExportColumn("region"), ExportColumn("industry"), ExportColumn("source"),
    ExportColumn("tax_number"), ExportColumn("credit_limit", "money"),
    ExportColumn("payment_terms_days", "int"), ExportColumn("price_level", "int"),
    ExportColumn("notes"), ExportColumn("created_at", "datetime"),
]
CONTACT_COLUMNS = [
    ExportColumn("customer_code"), ExportColumn("customer"), ExportColumn("name"),
    ExportColumn("title"), ExportColumn("phone"), ExportColumn("mobile"), ExportColumn("email"),
    ExportColumn("birthday", "date"), ExportColumn("is_key", "bool"), ExportColumn("notes"),
]
SUPPLIER_COLUMNS = [
    ExportColumn("code"), ExportColumn("name"), ExportColumn("contact_name"),
    ExportColumn("phone"), ExportColumn("email"), ExportColumn("address"),
    ExportColumn("tax_number"), ExportColumn("payment_terms_days", "int"),
    ExportColumn("active", "bool"), ExportColumn("notes"),
]


def customer_rows(
    actor: Any, *, group_id: int | None = None, subgroups: bool = True,
    search: str | None = None,
) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The customers the actor may see (the Customers list's query, a group and a search
    applied) in the interchange format the importer reads back, by code."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Customer, User
    from ..data.parties.groups import customer_groups
    from ..data.parties.lists import CUSTOMERS

    require(actor, "export")
    paths = {n.id: n.path for n in customer_groups.nodes(actor)}
    q = narrowed(actor, CUSTOMERS, ListRequest(
        search=search or "", options={"group_id": group_id, "subgroups": subgroups}))
    fields = [Customer.code, Customer.name, Customer.group, Customer.grade, Customer.status,
              User.username, Customer.phone, Customer.mobile, Customer.fax, Customer.email,
              Customer.address, Customer.region, Customer.industry, Customer.source,
              Customer.tax_number, Customer.credit_limit, Customer.payment_terms_days,
              Customer.price_level, Customer.notes, Customer.created_at]
    q = q.select(*fields).order_by(Customer.code)
    total = q.count()

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in q.tuples().iterator():
            r = list(r)
            r[2] = paths.get(r[2], "") if r[2] is not None else ""
            r[5] = r[5] or ""
            yield tuple(r)

    return CUSTOMER_COLUMNS, rows(), total


def contact_rows(actor: Any, *, search: str | None = None
                 ) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The contacts the actor may see (the Contacts list's query and search)."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Contact, Customer
    from ..data.parties.lists import CONTACTS

    require(actor, "export")
    q = narrowed(actor, CONTACTS, ListRequest(search=search or "")).select(
        Customer.code, Customer.name, Contact.name, Contact.title, Contact.phone, Contact.mobile,
        Contact.email, Contact.birthday, Contact.is_key, Contact.notes,
    ).order_by(Customer.code, Contact.name, Contact.id)
    return CONTACT_COLUMNS, iter(q.tuples().iterator()), q.count()


def supplier_rows(actor: Any, *, search: str | None = None
                  ) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The suppliers (the Suppliers list's query and search), by code."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Supplier
    from ..data.parties.lists import SUPPLIERS

    require(actor, "export")
    q = narrowed(actor, SUPPLIERS, ListRequest(search=search or "")).select(
        Supplier.code, Supplier.name, Supplier.contact_name, Supplier.phone, Supplier.email,
        Supplier.address, Supplier.tax_number, Supplier.payment_terms_days, Supplier.active,
        Supplier.notes,
    ).order_by(Supplier.code)
    return SUPPLIER_COLUMNS, iter(q.tuples().iterator()), q.count()


def export_list(
    what: str, path: str | os.PathLike[str], actor: Any, *,
    group: str | int | None = None, search: str | None = None,
    progress: Progress | None = None, cancel: Any = None,
) -> int:
    """``what`` = customers | contacts | suppliers to ``path``; returns the rows written.
    ``group`` is a group id, name or path (``华东/上海``); its sub-groups are included."""
    fmt_of(path)
    if what == "customers":
        group_id = None
        if group not in (None, ""):
            group_id = _group_id(group)
        cols, rows, total = customer_rows(actor, group_id=group_id, search=search)
    elif what == "contacts":
        cols, rows, total = contact_rows(actor, search=search)
    elif what == "suppliers":
        cols, rows, total = supplier_rows(actor, search=search)
    else:
        raise ValidationError({"what": f"export customers, contacts or suppliers, not {what!r}"})
    return export_rows(path, cols, rows, progress=progress, cancel=cancel, total=total,
                       sheet_title=what)


def _group_id(group: str | int) -> int:
    from ..data.core.errors import NotFound
    from ..data.parties.groups import customer_groups

    if isinstance(group, int):
        return customer_groups.get(group).id
    node = customer_groups.find(str(group))
    if node is None:
        raise NotFound(f"no customer group {group!r}")
    return node.id
