"""Reading a spreadsheet file safely, one row at a time: .xlsx (and .xlsm) or .csv.

The file is checked before it is parsed: missing, empty, an OLE2 compound file (an encrypted
workbook or an old .xls), not a zip, a zip that would unpack to more than ``MAX_UNPACKED``
bytes or holds a member compressed more than ``MAX_RATIO`` times (a zip bomb): each is one
``ImportFileError`` line. Workbooks are read with openpyxl's ``read_only=True`` (streamed: at
300k rows, 51 MiB instead of 425 MiB for ``load_workbook``), which parses the XML with
defusedxml (installed).

Rows are streamed (``open_rows``): memory does not grow with the file. A formula cell is read
as the value the spreadsheet program saved with it; a formula without a saved value (a file
written by a script, never opened in Excel) is marked, so the importer reports it instead of
importing the formula text. Its saved value needs a second, data-only reading of the sheet:
that one starts only when the first formula appears, and moves forward in step with the first.

CSV files are decoded as UTF-8 (with or without BOM) or, failing that, GB 18030 (what Excel
saves on a Chinese Windows); the encoding is decided by a scan of the bytes before any row is
read. A cell the export wrote as ``'=...`` (its guard against formula injection) is read back
without the guarding quote.
"""

from __future__ import annotations

import codecs
import csv
import zipfile
from collections.abc import Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ...i18n import _
from ..core.errors import TuicrmError

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook

# The documented limits of an import file, each refused in one line before or while it is
# read (memory does not depend on them: rows are streamed; they bound the time and the disk
# an import may take). A 1M-row customer workbook unpacks to about 800 MB.
MAX_ROWS = 1_048_576  # rows of data: Excel's own maximum per sheet
MAX_CSV_BYTES = 1024 * 1024 * 1024  # a .csv file
MAX_UNPACKED = 1024 * 1024 * 1024  # bytes of an .xlsx once unzipped
MAX_RATIO = 200  # a member compressed more than this (and big) is a bomb
MAX_MEMBERS = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_DEFUSED = ("=", "+", "-", "@", "\t", "\r", "'")
CSV_ENCODINGS = ("utf-8-sig", "gb18030")
CHUNK = 1 << 20


class ImportFileError(TuicrmError):
    """The file cannot be read as a spreadsheet at all (one line, for the user)."""


@dataclass(frozen=True, slots=True)
class SheetRow:
    """One row that is not blank, numbered as the spreadsheet program shows it."""

    number: int
    values: tuple[Any, ...]
    unsaved: frozenset[int] = frozenset()  # columns holding a formula without a saved value


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


@contextmanager
def open_rows(path: Path) -> Iterator[Iterator[SheetRow]]:
    """The non-blank rows of the first sheet of ``path``, streamed; the file is closed when
    the ``with`` ends. ``ImportFileError`` before the first row or while reading."""
    rows = _csv_rows(path) if check_file(path) == "csv" else _xlsx_rows(path)
    try:
        yield (row for row in rows if row.unsaved or not all(map(is_blank, row.values)))
    finally:
        rows.close()


def check_file(path: Path) -> Literal["csv", "xlsx"]:
    """What kind of file ``path`` is, after the checks that need no parsing."""
    if not path.exists():
        raise ImportFileError(_("{path}: no such file").format(path=path))
    if path.is_dir():
        raise ImportFileError(_("{path} is a directory").format(path=path))
    if path.stat().st_size == 0:
        raise ImportFileError(_("{name} is empty").format(name=path.name))
    with open(path, "rb") as f:
        head = f.read(8)
    ext = path.suffix.lower()
    if head == OLE2_MAGIC:
        raise ImportFileError(
            _("{name} is a password-protected workbook or an old .xls file; open it in Excel and"
              " save it as .xlsx without a password").format(name=path.name)
        )
    if ext == ".csv":
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ImportFileError(
                _("{name} is {value:,.0f} MB, over the import limit of {value2:,} MB; split it "
                  "into smaller files").format(
                  name=path.name,
                  value=size / 1024 / 1024,
                  value2=MAX_CSV_BYTES // 1024 // 1024))
        return "csv"
    if ext not in (".xlsx", ".xlsm"):
        raise ImportFileError(_("{name}: import .xlsx or .csv files, not {value}").format(
                                name=path.name,
                                value=ext or 'this'))
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError(_("{name} is not an Excel .xlsx file (wrong content)").format(
                                name=path.name))
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("{name} is damaged (not a readable .xlsx)").format(name=path.name)) from None
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(_("{name} holds too many parts ({len:,})").format(
                                name=path.name,
                                len=len(infos)))
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
               for i in infos)
    if total > MAX_UNPACKED or bomb:
        raise ImportFileError(
            _("{name} would unpack to {value:,.0f} MB, too large to import safely (limit "
              "{value2} MB)").format(
              name=path.name,
              value=total / 1024 / 1024,
              value2=MAX_UNPACKED // 1024 // 1024)
        )
    return "xlsx"


# -- CSV --------------------------------------------------------------------------------------


def csv_encoding(path: Path) -> str:
    """The first of ``CSV_ENCODINGS`` that decodes the whole file (read in chunks)."""
    for encoding in CSV_ENCODINGS:
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            with open(path, "rb") as f:
                while chunk := f.read(CHUNK):
                    if b"\x00" in chunk:
                        raise ImportFileError(_("{name} is not a text CSV file").format(
                                                name=path.name))
                    decoder.decode(chunk)
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            continue
        return encoding
    raise ImportFileError(_("{name}: unknown text encoding (save as UTF-8 CSV)").format(
                            name=path.name))


def _undefused(value: str) -> str:
    if len(value) > 1 and value[0] == "'" and value[1] in CSV_DEFUSED:
        return value[1:]  # the export's guard against formula injection
    return value


def _csv_rows(path: Path) -> Generator[SheetRow, None, None]:
    encoding = csv_encoding(path)
    with open(path, encoding=encoding, newline="") as f:
        try:
            for number, values in enumerate(csv.reader(f), 1):
                yield SheetRow(number, tuple(_undefused(v) for v in values))
        except csv.Error as e:
            raise ImportFileError(_("{name} is not a valid CSV file: {e}").format(
                                    name=path.name,
                                    e=e)) from None


# -- .xlsx ------------------------------------------------------------------------------------


def _reason(e: Exception) -> str:
    return " ".join(str(e).split())[:120] or type(e).__name__


def _load(path: Path, data_only: bool) -> Workbook:
    from openpyxl import load_workbook

    try:
        return load_workbook(path, read_only=True, data_only=data_only)
    except Exception as e:  # openpyxl raises many kinds on a bad file
        raise ImportFileError(_("{name} is not a readable .xlsx: {reason}").format(
                                name=path.name,
                                reason=_reason(e))) from None


class _SavedValues:
    """The values saved with the formulas of the first sheet: a second, data-only reading
    that moves forward row by row as the first asks for later rows."""

    def __init__(self, path: Path) -> None:
        self.workbook = _load(path, data_only=True)
        self.rows = enumerate(self.workbook.worksheets[0].iter_rows(values_only=True), 1)
        self.number = 0
        self.values: tuple[Any, ...] = ()

    def get(self, number: int, column: int) -> Any:
        while self.number < number:
            self.number, self.values = next(self.rows, (number, ()))
        if self.number != number or column >= len(self.values):
            return None
        return self.values[column]

    def close(self) -> None:
        self.workbook.close()


def _xlsx_rows(path: Path) -> Generator[SheetRow, None, None]:
    workbook = _load(path, data_only=False)
    saved: _SavedValues | None = None
    try:
        if not workbook.worksheets:
            raise ImportFileError(_("{name} has no sheet").format(name=path.name))
        sheet = workbook.worksheets[0]
        for number, cells in enumerate(sheet.iter_rows(), 1):
            values: list[Any] = []
            unsaved: list[int] = []
            for column, cell in enumerate(cells):
                value = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f":
                    saved = saved or _SavedValues(path)
                    value = saved.get(number, column)
                    if value is None:
                        unsaved.append(column)
                values.append(value)
            yield SheetRow(number, tuple(values), frozenset(unsaved))
    except ImportFileError:
        raise
    except Exception as e:
        raise ImportFileError(_("{name} is damaged: {reason}").format(
                                name=path.name,
                                reason=_reason(e))) from None
    finally:
        workbook.close()
        if saved is not None:
            saved.close()
