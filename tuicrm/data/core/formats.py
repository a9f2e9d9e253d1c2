"""Money, numbers and dates as a user reads them, in their language (Babel).

In Chinese an amount carries the company's currency symbol and a date is written the Chinese
way (``¥1,234.50``, ``2026年12月4日``); in English an amount is the bare figure and a date is
ISO (``1,234.50``, ``2026-12-04``), as the English interface has always shown them. These
are for text people read (status lines, messages, headers, receipts); tables keep bare figures
in aligned columns, and csv/xlsx exports keep plain values.

The currency is the site's (setting ``currency``: an ISO code such as CNY, or a symbol such
as ``HK$``), read once when the process learns its database (``use_currency``), so
formatting never waits on the database.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from babel.dates import format_date
from babel.numbers import format_currency, format_decimal, get_currency_name

from ...i18n import CHINESE, current_language
from .money import fmt_money

DEFAULT_CURRENCY = "CNY"
_currency = DEFAULT_CURRENCY


def use_currency(code: str | None) -> None:
    """Amounts from now on are in ``code``: an ISO 4217 code Babel knows (``CNY``), else a
    symbol written before the amount (``HK$``); empty: the default, CNY."""
    global _currency
    _currency = (code or "").strip() or DEFAULT_CURRENCY


def currency() -> str:
    return _currency


def _locale() -> str | None:
    return CHINESE if current_language() == CHINESE else None


def fmt_amount(value: Decimal | None) -> str:
    """An amount to read: ``¥1,234.50`` in Chinese, ``1,234.50`` in English; "" for None."""
    if value is None:
        return ""
    locale = _locale()
    if locale is None:
        return fmt_money(value)
    if _is_code(_currency):
        return format_currency(value, _currency.upper(), locale=locale)
    sign = "-" if value < 0 else ""
    return f"{sign}{_currency}{fmt_money(abs(value))}"


def _is_code(text: str) -> bool:
    return (len(text) == 3 and text.isalpha()
            and get_currency_name(text.upper(), locale="en") != text.upper())


def fmt_number(value: int | Decimal) -> str:
    """A count or quantity with the language's grouping: ``12,345``."""
    return format_decimal(value, locale=_locale() or "en_US")


def fmt_date(value: dt.date | None) -> str:
    """A day to read: ``2026年12月4日`` in Chinese, ``2026-12-04`` in English; "" for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    locale = _locale()
    if locale is None:
        return value.isoformat()
    return format_date(value, "long", locale=locale)


def weekday_name(value: dt.date) -> str:
    """The short day name: ``Mon`` in English, ``周一`` in Chinese."""
    locale = _locale()
    if locale is None:
        return f"{value:%a}"
    return format_date(value, "EEE", locale=locale)


def day_heading(value: dt.date) -> str:
    """A day with its name: ``Monday 2026-06-15``, ``2026年6月15日 星期一``."""
    locale = _locale()
    if locale is None:
        return f"{value:%A %Y-%m-%d}"
    return format_date(value, "long", locale=locale) + " " + format_date(value, "EEEE",
                                                                           locale=locale)
