"""Spans of calendar time as people type them: ``30m``, ``4h``, ``2d``, ``1d12h``; a bare number
is hours. Used by settings (a ticket's response and resolution times) and shown back the same
way. Calendar time: a day is 24 hours, nights and weekends count (no working hours)."""

from __future__ import annotations

import datetime as dt
import re

_PART = re.compile(r"(\d+)\s*([dhm])")
UNITS = {"d": 86400, "h": 3600, "m": 60}
MAX = dt.timedelta(days=366)


def parse_duration(text: str) -> dt.timedelta:
    """``"1d12h"`` -> 36 hours; ``ValueError`` with a message for a user otherwise."""
    s = text.strip().lower().replace(" ", "")
    if not s:
        raise ValueError("a time span is required, e.g. 4h or 2d")
    if s.isdigit():
        s += "h"
    seconds, pos = 0, 0
    for m in _PART.finditer(s):
        if m.start() != pos:
            break
        seconds += int(m.group(1)) * UNITS[m.group(2)]
        pos = m.end()
    if pos != len(s):
        raise ValueError(f"not a time span: {text.strip()!r} (use e.g. 30m, 4h, 2d, 1d12h)")
    span = dt.timedelta(seconds=seconds)
    if span <= dt.timedelta(0):
        raise ValueError("a time span must be longer than 0")
    if span > MAX:
        raise ValueError("at most 366 days")
    return span


def format_duration(span: dt.timedelta) -> str:
    """The shortest spelling ``parse_duration`` reads back: 36 hours -> ``"1d12h"``."""
    seconds = int(span.total_seconds())
    if seconds <= 0:
        return "0m"
    out = []
    for unit, size in UNITS.items():
        n, seconds = divmod(seconds, size)
        if n:
            out.append(f"{n}{unit}")
    return "".join(out) or "0m"


def parse_spans(text: str, count: int) -> tuple[dt.timedelta, ...]:
    """Exactly ``count`` spans separated by spaces or commas: ``"1h 2h 4h 1d"``."""
    parts = [p for p in re.split(r"[\s,;/]+", text.strip()) if p]
    if len(parts) != count:
        raise ValueError(f"{count} time spans separated by spaces, e.g. 1h 4h 1d 2d")
    return tuple(parse_duration(p) for p in parts)


def format_spans(spans: tuple[dt.timedelta, ...]) -> str:
    return " ".join(format_duration(s) for s in spans)
