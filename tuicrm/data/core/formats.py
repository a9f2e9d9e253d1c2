"""Money, numbers and dates as a user reads them, in their language (Babel).

In Chinese an amount carries the company's currency symbol and a date is written the Chinese
way (``¥1,234.50``, ``2026年12月4日``); in English an amount is the bare figure and a date is
ISO (``1,234.50``, ``2026-12-04``), as the English interface has always shown them. These
are for text people read (status lines, messages, headers, receipts); tables keep bare figures
in aligned columns, and csv/xlsx exports keep plain values.

The currency is the site's (setting ``currency``: an ISO code such as CNY, or a symbol such
as ``HK$``), read once when the process learns its database (``use_currency``), so
formatting never waits on the database.

Babel is imported, and its locale data loaded, only when Chinese text is formatted, and then
only ``zh_CN``'s: an English session never needs them, and each locale Babel loads (``en``
with every language's and currency's name) stays in the process, about 5 MiB a session.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

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
        from babel.numbers import format_currency

        return format_currency(value, _currency.upper(), locale=locale)
    sign = "-" if value < 0 else ""
    return f"{sign}{_currency}{fmt_money(abs(value))}"


def _is_code(text: str) -> bool:
    """An ISO 4217 code: one the Chinese locale names (it names every current currency)."""
    if len(text) != 3 or not text.isalpha():
        return False
    from babel.numbers import get_currency_name

    return get_currency_name(text.upper(), locale=CHINESE) != text.upper()


def fmt_date(value: dt.date | None) -> str:
    """A day to read: ``2026年12月4日`` in Chinese, ``2026-12-04`` in English; "" for None."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = value.date()
    locale = _locale()
    if locale is None:
        return value.isoformat()
    return _format_date(value, "long", locale)


def weekday_name(value: dt.date) -> str:
    """The short day name: ``Mon`` in English, ``周一`` in Chinese."""
    locale = _locale()
    if locale is None:
        return f"{value:%a}"
    return _format_date(value, "EEE", locale)


def day_heading(value: dt.date) -> str:
    """A day with its name: ``Monday 2026-06-15``, ``2026年6月15日 星期一``."""
    locale = _locale()
    if locale is None:
        return f"{value:%A %Y-%m-%d}"
    return _format_date(value, "long", locale) + " " + _format_date(value, "EEEE", locale)


def _format_date(value: dt.date, pattern: str, locale: str) -> str:
    from babel.dates import format_date

    return format_date(value, pattern, locale=locale)
