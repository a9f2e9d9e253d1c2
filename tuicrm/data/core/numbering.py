"""Document numbers: ``SO-2026-000123``, sequential per document kind and year.

The prefix of each kind is a setting (``prefix.sale`` = ``SO``, ...), so are the digits of the
counter (``numbering.padding``) and whether it starts again each year
(``numbering.yearly_reset``; without it numbers read ``SO-000123`` and run on). The counter lives in the
``doc_sequence`` table (one row per kind and year, key ``"sale:2026"``) and is advanced by one
``INSERT ... ON CONFLICT DO UPDATE SET next_value = next_value + n`` statement, so two sessions
can never get the same number (SQLite serialises writers; PostgreSQL locks the row).

Call ``next_number`` inside the write transaction that saves the document: if the document is
rolled back, so is its number, and the sequence has no gaps.
"""

from __future__ import annotations

import datetime as dt

from ...i18n import _
from ..models import DocSequence
from . import clock, settings
from .db import database
from .errors import ValidationError

DIGITS = 6  # the default padding: 000123; numbers past 999999 simply grow wider
CONTINUOUS = 0  # the "year" of a sequence that does not start again each year


def prefix(kind: str) -> str:
    """The configured prefix of ``kind`` (setting ``prefix.<kind>``)."""
    setting = settings.PREFIXES.get(kind)
    if setting is None:
        raise ValidationError(
            {"kind": _("unknown document kind {kind!r}; one of: {join}").format(
                       kind=kind,
                       join=', '.join(settings.PREFIXES))}
        )
    return settings.value(setting)


def format_number(prefix_text: str, year: int, value: int, digits: int = DIGITS) -> str:
    if year == CONTINUOUS:
        return f"{prefix_text}-{value:0{digits}d}"
    return f"{prefix_text}-{year}-{value:0{digits}d}"


def sequence_year(date: dt.date | None = None) -> int:
    """The year whose sequence a document dated ``date`` takes (``CONTINUOUS`` when numbers
    do not start again each year)."""
    if not settings.value(settings.NUMBER_YEARLY_RESET):
        return CONTINUOUS
    return (date or clock.today()).year


def _sequence_key(kind: str, year: int) -> str:
    return f"{kind}:{int(year)}"


def reserve(kind: str, year: int, n: int = 1) -> int:
    """Take ``n`` consecutive values of ``kind``'s sequence for ``year``; return the first.

    For bulk loaders: ``first = reserve("sale", 2026, 500)`` then format ``first .. first+499``
    with ``format_number``. Call inside the caller's write transaction.
    """
    if n < 1:
        raise ValueError("reserve at least one number")
    prefix(kind)  # refuse unknown kinds before touching the table
    return _take(kind, year, n)


def _take(kind: str, year: int, n: int) -> int:
    table = DocSequence._meta.table_name
    p = database.param
    sql = (
        f'INSERT INTO "{table}" ("key", "next_value") VALUES ({p}, {p}) '
        f'ON CONFLICT ("key") DO UPDATE SET "next_value" = "{table}"."next_value" + {p} '
        'RETURNING "next_value"'
    )
    # fetchall(): the statement must run to its end (and be reset) before the caller commits.
    rows = database.execute_sql(sql, (_sequence_key(kind, year), 1 + n, n)).fetchall()
    return int(rows[0][0]) - n


def next_number(kind: str, date: dt.date | None = None) -> str:
    """The next document number of ``kind`` for the year of ``date`` (today by default)."""
    year = sequence_year(date)
    text = prefix(kind)
    return format_number(text, year, _take(kind, year, 1),
                         settings.value(settings.NUMBER_PADDING))


def give_back(kind: str, number: str) -> bool:
    """Return ``number`` to ``kind``'s sequence if it is still the newest one taken (nobody
    took one after it), so a draft that becomes another kind of document leaves no gap and no
    cancelled document behind; False (nothing changed) otherwise. A conditional UPDATE of the
    sequence row, inside the caller's write transaction: a concurrent taker either comes
    after it or makes it fail."""
    try:
        _, year_text, value_text = number.rsplit("-", 2)
        year, value = int(year_text), int(value_text)
    except ValueError:
        return False
    table = DocSequence._meta.table_name
    p = database.param
    done = database.execute_sql(
        f'UPDATE "{table}" SET "next_value" = "next_value" - 1 '
        f'WHERE "key" = {p} AND "next_value" = {p}',
        (_sequence_key(kind, year), value + 1))
    return bool(done.rowcount == 1)


def peek(kind: str, year: int) -> int:
    """The value the next number of ``kind`` in ``year`` would get (no reservation)."""
    row = DocSequence.get_or_none(DocSequence.key == _sequence_key(kind, year))
    return row.next_value if row is not None else 1
