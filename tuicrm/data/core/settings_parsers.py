"""How a setting's stored text becomes its value and back: the parsers and renderers the
declarations in ``settings.py`` are made of.

A parser raises ``ValueError`` with the message shown beside the field. These need nothing but
the text; the few that read other settings (the chosen printer must be one set up) or their
constants (ticket times, the contract's placeholders) stay beside those in ``settings.py``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from ...i18n import LANGUAGES, _
from .money import money, parse_qty


def text_up_to(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if len(text) > max_len:
            raise ValueError(_("at most {max_len} characters").format(max_len=max_len))
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
            raise ValueError(_("no control characters"))
        return text

    return parse


def whole_number(lo: int, hi: int, choices: tuple[int, ...] = ()) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            n = int(text.strip())
        except ValueError:
            raise ValueError(_("a whole number, not {strip!r}").format(strip=text.strip())) from None
        if choices and n not in choices:
            raise ValueError(_("one of {join}").format(join=', '.join(str(c) for c in choices)))
        if not lo <= n <= hi:
            raise ValueError(_("from {lo} to {hi}").format(lo=lo, hi=hi))
        return n

    return parse


def yes_no(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on", "是"):
        return True
    if value in ("0", "false", "no", "off", "否", ""):
        return False
    raise ValueError(_("yes or no"))


def render_yes_no(value: bool) -> str:
    return "1" if value else "0"


def quantity(text: str) -> Decimal:
    return abs(parse_qty(text, negative=True))  # ValueError fit to show beside the field


def amount(text: str) -> Decimal:
    value = money(text)  # ValueError: "not a valid amount"
    if value < 0 or value >= Decimal("1e9"):
        raise ValueError(_("an amount from 0"))
    return value


def one_of(*choices: str) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().lower()
        if value not in choices:
            raise ValueError(_("one of {join}").format(join=', '.join(choices)))
        return value

    return parse


def day_buckets(text: str) -> tuple[int, ...]:
    try:
        days = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ValueError(_("days separated by commas, e.g. 30,60,90")) from None
    if not 1 <= len(days) <= 8 or days[0] < 1 or list(days) != sorted(set(days)):
        raise ValueError(_("1 to 8 increasing numbers of days, e.g. 30,60,90"))
    return days


def number_prefix(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError(_("a prefix is required"))
    if len(text) > 10 or not all(c.isalnum() or c in "-_/" for c in text):
        raise ValueError(_("up to 10 letters, digits, - _ or /"))
    return text


def language(text: str) -> str:
    code = text.strip()
    if code and code not in LANGUAGES:
        raise ValueError(_("one of {join}, or empty").format(join=', '.join(LANGUAGES)))
    return code


_QUEUE_CHARS = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.@")


def printer_name(text: str) -> str:
    """A CUPS queue name (or empty: none chosen). Never a command line."""
    text = text.strip()
    if len(text) > 127:
        raise ValueError(_("at most 127 characters"))
    if text.startswith("-") or not set(text) <= _QUEUE_CHARS:
        raise ValueError(_("a printer (CUPS queue) name: letters, digits, _ - . @"))
    return text


def printer_list(text: str) -> tuple[str, ...]:
    names: list[str] = []
    for part in text.replace(";", ",").split(","):
        name = printer_name(part)
        if name and name not in names:
            names.append(name)
    if len(names) > 20:
        raise ValueError(_("at most 20 printers"))
    return tuple(names)


def render_list(values: tuple[str, ...]) -> str:
    return ",".join(values)


def full_path(text: str) -> str:
    text = text_up_to(400)(text)
    if text and not (text.startswith("/") or text.startswith("~")):
        raise ValueError(_("a full path, starting with / (or ~)"))
    return text



__all__ = [
    "amount",
    "day_buckets",
    "full_path",
    "language",
    "number_prefix",
    "one_of",
    "printer_list",
    "printer_name",
    "quantity",
    "render_list",
    "render_yes_no",
    "text_up_to",
    "whole_number",
    "yes_no",
]
