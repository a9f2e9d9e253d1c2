"""The kinds of value an import column holds, and how a cell becomes one.

Every importer declares its columns with these kinds, so a file is read the same way whatever
it imports: ``convert`` takes a cell that is not blank (a ``str`` from a .csv; ``str``,
``int``, ``float``, ``bool`` or ``datetime`` from an .xlsx) and returns the value, or raises
``ValueError`` with the message the user sees beside the row and column. A blank cell becomes
the kind's ``empty`` value without a check (a required column is the column's business).

Numbers a spreadsheet program stored in a text column (a code ``1001``, a barcode, a phone
``13800138000`` typed into a cell LibreOffice or Excel made numeric) are read as their digits,
never ``13800138000.0``. In a column of codes, phones and tax numbers (``Text(digits=True)``,
``Code``) such a number comes with a warning (``Warned``: a leading zero may have been lost),
and a decimal number or a number written with an exponent (``1.38E+10``: the digits are gone)
is an error of the row. Control characters (an escape sequence in a name would reach
every terminal that shows it) are dropped from text (``core/text.clean``); line breaks are
kept only in multi-line columns (notes, addresses).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple, Protocol

from ...i18n import _
from ..catalog import barcodes
from ..core.money import money, qty
from ..core.text import clean
from ..parties.fields import EMAIL_RE  # the forms' rule

TRUE_WORDS = frozenset({"yes", "y", "true", "1", "on", "active", "是", "启用", "正常"})
FALSE_WORDS = frozenset({"no", "n", "false", "0", "off", "inactive", "否", "停用", "禁用"})
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d", "%Y年%m月%d日")
CURRENCY_MARKS = ("¥", "￥", "$", "RMB", "CNY")


class Kind(Protocol):
    """What every column kind offers the import framework."""

    @property
    def empty(self) -> Any:
        """The value of a blank cell."""
        ...

    def convert(self, cell: Any) -> Any:
        """The value of a non-blank cell; ``ValueError(message)`` if it is not one."""
        ...


def is_number(cell: Any) -> bool:
    return isinstance(cell, int | float | Decimal) and not isinstance(cell, bool)


def number_text(cell: int | float | Decimal) -> str:
    """A number as a person wrote it: whole numbers without ``.0``."""
    if isinstance(cell, float) and cell.is_integer():
        return str(int(cell))
    if isinstance(cell, Decimal) and cell == cell.to_integral_value():
        return str(int(cell))
    return str(cell)


class Warned(NamedTuple):
    """A converted value with a warning for its row (the import goes on)."""

    value: Any
    message: str


#: ``1.38E+10``: what a spreadsheet program writes for a long number it shows in
#: scientific notation (a CSV saved so has lost the digits).
EXPONENT = re.compile(r"[+-]?\d+(\.\d*)?[eE][+-]?\d+")
#: Below this, a float holds every digit of a whole number exactly.
_EXACT_FLOAT = 2**53


def digits_of(cell: Any) -> Any:
    """A cell of a code, phone or tax number column: text as it is; a whole number as its
    digits with a warning; a decimal number or an exponent refused (``ValueError``)."""
    if isinstance(cell, str):
        text = cell.strip()
        if EXPONENT.fullmatch(text):
            raise ValueError(_("written as {text} (scientific notation): its digits are lost; "
                               "format the column as text in the spreadsheet and type them again").format(
                               text=text))
        return cell
    if isinstance(cell, bool) or not is_number(cell):
        return cell
    whole = (isinstance(cell, int) or (isinstance(cell, float) and cell.is_integer()
                                       and abs(cell) < _EXACT_FLOAT)
             or (isinstance(cell, Decimal) and cell == cell.to_integral_value()))
    if not whole:
        raise ValueError(_("a decimal number ({cell!r}) where digits belong; format the column "
                           "as text in the spreadsheet").format(cell=cell))
    text = str(int(cell))
    return Warned(text, f"a number, read as {text}; a leading zero may have been lost "
                        "(format the column as text in the spreadsheet)")


def cell_text(cell: Any, numbers: bool = True) -> str:
    """A cell as text, stripped, without control characters. ``numbers=False`` refuses a
    number or date cell (``ValueError``) instead of writing it out."""
    if isinstance(cell, str):
        text = cell
    elif not numbers:
        what = ("a number" if is_number(cell) else "yes/no" if isinstance(cell, bool)
                else "a date" if isinstance(cell, dt.date | dt.time) else type(cell).__name__)
        raise ValueError(_("expected text, got {what} ({cell!r}); format the column as text").format(
                           what=what,
                           cell=cell))
    elif isinstance(cell, bool):
        text = "yes" if cell else "no"
    elif is_number(cell):
        text = number_text(cell)
    elif isinstance(cell, dt.datetime):
        text = cell.date().isoformat() if cell.time() == dt.time() else cell.isoformat(sep=" ")
    elif isinstance(cell, dt.date | dt.time):
        text = cell.isoformat()
    else:
        text = str(cell)
    return clean(text, multiline=True).strip()


def _check_length(text: str, max_len: int) -> str:
    if len(text) > max_len:
        raise ValueError(_("at most {max_len} characters (this is {len})").format(
                           max_len=max_len,
                           len=len(text)))
    return text


@dataclass(frozen=True)
class Text:
    """Text of at most ``max_len`` characters."""

    max_len: int = 255
    numbers: bool = True  # False: a number cell is refused (its leading zeros may be lost)
    empty: Any = field(default="", kw_only=True)
    multiline: bool = field(default=False, kw_only=True)  # keeps line breaks (notes)
    digits: bool = field(default=False, kw_only=True)  # codes, phones: see ``digits_of``

    def convert(self, cell: Any) -> Any:
        if self.digits:
            cell = digits_of(cell)
            if isinstance(cell, Warned):
                return Warned(_check_length(cell.value, self.max_len), cell.message)
        text = cell_text(cell, self.numbers)
        return _check_length(clean(text, multiline=self.multiline), self.max_len)


@dataclass(frozen=True)
class Code:
    """A code or barcode as typed or scanned: no control characters, full-width forms made
    plain, spaces inside a numeric code dropped (``5 901234 123457`` as printed)."""

    max_len: int = 64
    empty: Any = field(default="", kw_only=True)

    def convert(self, cell: Any) -> Any:
        cell = digits_of(cell)
        if isinstance(cell, Warned):
            return Warned(_check_length(barcodes.clean(cell.value), self.max_len), cell.message)
        return _check_length(barcodes.clean(cell_text(cell)), self.max_len)


@dataclass(frozen=True)
class Email:
    max_len: int = 120
    empty: Any = field(default="", kw_only=True)

    def convert(self, cell: Any) -> Any:
        text = _check_length(cell_text(cell, numbers=False), self.max_len)
        if not EMAIL_RE.match(text):
            raise ValueError(_("not an e-mail address: {text!r}").format(text=text))
        return text


@dataclass(frozen=True)
class Choice:
    """One of ``choices``; ``words`` maps other spellings (Chinese ones, say) to a choice.
    Compared without regard to case."""

    choices: tuple[str, ...]
    words: Mapping[str, str] = field(default_factory=dict)
    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        text = cell_text(cell)
        value = self.words.get(text) or self.words.get(text.lower()) or text.lower()
        if value not in self.choices:
            raise ValueError(_("one of {join}").format(join=', '.join(self.choices)))
        return value


def _amount(cell: Any, what: str) -> Any:
    if isinstance(cell, bool):
        raise ValueError(_("expected {what}").format(what=what))
    if isinstance(cell, str):
        text = cell.strip()
        for mark in CURRENCY_MARKS:
            text = text.removeprefix(mark)
        return text.removesuffix("元").strip()
    return cell


@dataclass(frozen=True)
class Money:
    """An amount in the currency, to the cent. ``min`` the least allowed; ``limit`` the
    first amount too large."""

    min: Decimal | int | None = None
    limit: Decimal | int = 10**13
    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        amount = money(_amount(cell, "an amount"))  # ValueError "not a valid amount: ..."
        _check_bounds(amount, self.min)
        if abs(amount) >= self.limit:
            raise ValueError(_("too large"))
        return amount


@dataclass(frozen=True)
class Quantity:
    """A quantity to the thousandth."""

    min: Decimal | int | None = None
    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        if isinstance(cell, bool):
            raise ValueError(_("expected a quantity"))
        amount = qty(cell)  # ValueError "not a valid quantity: ..."
        _check_bounds(amount, self.min)
        return amount


def _check_bounds(value: Decimal, least: Decimal | int | None) -> None:
    if least is not None and value < least:
        raise ValueError("cannot be negative" if least == 0 else f"must not be below {least}")


@dataclass(frozen=True)
class Int:
    """A whole number from ``lo`` to ``hi``."""

    lo: int | None = None
    hi: int | None = None
    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        if isinstance(cell, bool):
            raise ValueError(_("expected a whole number"))
        try:
            if isinstance(cell, float):
                if not cell.is_integer():
                    raise ValueError
                n = int(cell)
            else:
                n = int(str(cell).strip())
        except ValueError:
            raise ValueError(_("expected a whole number, got {cell!r}").format(cell=cell)) from None
        if (self.lo is not None and n < self.lo) or (self.hi is not None and n > self.hi):
            raise ValueError(_("between {lo} and {hi}").format(lo=self.lo, hi=self.hi))
        return n


@dataclass(frozen=True)
class Bool:
    """Yes or no, in English or Chinese (是/否, 启用/停用, ...), or a TRUE/FALSE cell."""

    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        if isinstance(cell, bool):
            return cell
        word = cell_text(cell).lower()
        if word in TRUE_WORDS:
            return True
        if word in FALSE_WORDS:
            return False
        raise ValueError(_("write yes or no"))


@dataclass(frozen=True)
class Date:
    """A day: a date cell, or text as ``2026-06-15``, ``2026/6/15``, ``20260615``,
    ``2026年6月15日`` (a time after it, as bank exports write, is ignored)."""

    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        if isinstance(cell, dt.datetime):
            return cell.date()
        if isinstance(cell, dt.date):
            return cell
        text = cell_text(cell)
        for candidate in (text, text.replace("T", " ").split(" ")[0]):
            for form in DATE_FORMATS:
                try:
                    return dt.datetime.strptime(candidate, form).date()
                except ValueError:
                    continue
        raise ValueError(_("expected a date (YYYY-MM-DD), got {text!r}").format(text=text))


@dataclass(frozen=True)
class TreePath:
    """A place in a tree (customer groups, product categories) written ``parent/child``;
    the value is the path with its parts trimmed (``华南 / 广州`` -> ``华南/广州``)."""

    max_part: int = 60
    empty: Any = field(default=None, kw_only=True)

    def convert(self, cell: Any) -> Any:
        parts = [" ".join(p.split()) for p in cell_text(cell).replace("／", "/").split("/")]
        parts = [p for p in parts if p]
        for part in parts:
            if len(part) > self.max_part:
                raise ValueError(_("at most {max_part} characters a level ({value}...)").format(
                                   max_part=self.max_part,
                                   value=part[:20]))
        return "/".join(parts) or None
