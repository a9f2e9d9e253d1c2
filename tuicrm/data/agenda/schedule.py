"""Reminder time arithmetic, parsing and wording (no database).

Time arithmetic works on naive local wall-clock times (what ``clock.now()`` returns), so a
reminder at 09:00 stays at 09:00 across a daylight-saving change; only "+1 hour" is a real
elapsed hour. A monthly or yearly series keeps the day it started on: Jan 31 -> Feb 28 (29 in
a leap year) -> Mar 31, and Feb 29 -> Feb 28 -> ... -> Feb 29 four years on.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

from ...i18n import _
from ..core import clock
from ..core.formats import weekday_name
from .vocab import Due, Repeat, Snooze

MORNING = dt.time(9, 0)


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(when: dt.datetime, months: int, day: int | None = None) -> dt.datetime:
    """``when`` moved by whole months, on ``day`` of the month (default: ``when``'s day), or
    the month's last day when it is shorter. The clock time is kept."""
    index = when.year * 12 + (when.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError(_("date out of range"))
    wanted = day or when.day
    return when.replace(year=year, month=month, day=min(wanted, days_in_month(year, month)))


def next_due(due: dt.datetime, repeat: Repeat | str, repeat_day: int | None = None
             ) -> dt.datetime:
    """The occurrence after ``due`` of a series repeating ``repeat``, same wall-clock time."""
    step = Repeat(repeat)
    if step is Repeat.DAILY:
        return due + dt.timedelta(days=1)
    if step is Repeat.WEEKLY:
        return due + dt.timedelta(days=7)
    if step is Repeat.MONTHLY:
        return add_months(due, 1, repeat_day)
    if step is Repeat.YEARLY:
        return add_months(due, 12, repeat_day)
    raise ValueError(_("{repeat!r} does not repeat").format(repeat=repeat))


def next_due_after(
    due: dt.datetime, repeat: Repeat | str, repeat_day: int | None, after: dt.datetime
) -> dt.datetime:
    """The first occurrence after ``due`` that is also later than ``after``: a daily reminder
    done three days late comes back once, not three times overdue."""
    nxt = next_due(due, repeat, repeat_day)
    for _step in range(100_000):  # a daily series left for centuries still ends
        if nxt > after:
            return nxt
        nxt = next_due(nxt, repeat, repeat_day)
    return nxt


def plus_real_hours(when: dt.datetime, hours: float) -> dt.datetime:
    """``when`` (naive local) plus elapsed hours, as naive local time: across the spring
    change 01:30 + 1 hour is 03:30, across the autumn one 02:30 may become 02:30 again."""
    aware = when.astimezone()  # interprets the naive time in the machine's zone
    return (aware + dt.timedelta(hours=hours)).astimezone().replace(tzinfo=None)


def snooze_until(option: Snooze | str, at: dt.datetime) -> dt.datetime:
    """Where a snooze choice moves the reminder time, seen at ``at``."""
    try:
        choice = Snooze(option)
    except ValueError:
        raise ValueError(_("unknown snooze {option!r}; one of: {join}").format(
                           option=option,
                           join=', '.join(s.value for s in Snooze))) from None
    if choice is Snooze.HOUR:
        return plus_real_hours(at, 1).replace(microsecond=0)
    days = 1 if choice is Snooze.TOMORROW else 7
    return dt.datetime.combine(at.date() + dt.timedelta(days=days), MORNING)


def classify(due: dt.datetime, at: dt.datetime, days_ahead: int = 7) -> Due:
    """``overdue`` (due time passed), ``today`` (later today), ``upcoming`` (within
    ``days_ahead`` days) or ``later``."""
    if due < at:
        return Due.OVERDUE
    if due.date() == at.date():
        return Due.TODAY
    if due.date() <= at.date() + dt.timedelta(days=days_ahead):
        return Due.UPCOMING
    return Due.LATER


_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([hdwm])$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M")


def parse_when(text: str, at: dt.datetime | None = None, default_time: dt.time = MORNING
               ) -> dt.datetime:
    """A date/time as typed: ``2026-05-10 14:30``, ``2026-05-10`` (09:00), ``14:30`` (today),
    ``today``, ``tomorrow``, ``+2h``, ``+3d``, ``+1w``, ``+1m``. ``ValueError`` if not."""
    at = at or clock.now()
    s = " ".join((text or "").strip().lower().split())
    if not s:
        raise ValueError(_("a date is required (e.g. 2026-05-10 14:30, tomorrow, +3d)"))
    words = s.split(" ", 1)
    if words[0] in ("today", "tomorrow"):
        day = at.date() + dt.timedelta(days=1 if words[0] == "tomorrow" else 0)
        time_of_day = _parse_clock(words[1]) if len(words) > 1 else default_time
        return dt.datetime.combine(day, time_of_day)
    m = _RELATIVE.match(s)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if unit == "h":
            return plus_real_hours(at, n).replace(second=0, microsecond=0)
        if unit == "m":
            return add_months(at, n).replace(second=0, microsecond=0)
        days = n * (7 if unit == "w" else 1)
        return (at + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    if re.fullmatch(r"\d{1,2}:\d{2}", s):
        return dt.datetime.combine(at.date(), _parse_clock(s))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.combine(dt.datetime.strptime(s, fmt).date(), default_time)
        except ValueError:
            pass
    raise ValueError(_("not a date/time: {text!r} (use YYYY-MM-DD HH:MM, tomorrow, +3d)").format(
                       text=text))


def _parse_clock(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(_("not a time: {text!r} (use HH:MM)").format(text=text)) from None


def fmt_when(when: dt.datetime | None, at: dt.datetime | None = None) -> str:
    """Short and unambiguous: ``today 14:30``, ``tomorrow 09:00``, ``Mon 05-11 09:00``
    (within a week), else ``2026-06-01 09:00``."""
    if when is None:
        return ""
    at = at or clock.now()
    days = (when.date() - at.date()).days
    hhmm = f"{when:%H:%M}"
    if days == 0:
        return _("today {time}").format(time=hhmm)
    if days == 1:
        return _("tomorrow {time}").format(time=hhmm)
    if days == -1:
        return _("yesterday {time}").format(time=hhmm)
    if 1 < days <= 6:
        return f"{weekday_name(when)} {when:%m-%d} {hhmm}"
    return f"{when:%Y-%m-%d} {hhmm}"


def due_note(due: dt.datetime, at: dt.datetime | None = None) -> str:
    """``overdue by 2 days`` / ``3 h`` / ``20 min``, or when it is due from now."""
    at = at or clock.now()
    if due >= at:
        days = (due.date() - at.date()).days
        return fmt_when(due, at).split(" ")[0] if days <= 1 else f"in {days} days"
    late = at - due
    if late >= dt.timedelta(days=1):
        n = late.days
        return f"overdue by {n} day{'s' if n > 1 else ''}"
    if late >= dt.timedelta(hours=1):
        return f"overdue by {late.seconds // 3600} h"
    return f"overdue by {max(1, late.seconds // 60)} min"


def default_due(at: dt.datetime | None = None) -> dt.datetime:
    """What a new reminder's due time starts as: today 17:00, or tomorrow 09:00 after 16:00."""
    at = at or clock.now()
    if at.time() < dt.time(16, 0):
        return dt.datetime.combine(at.date(), dt.time(17, 0))
    return dt.datetime.combine(at.date() + dt.timedelta(days=1), MORNING)


def follow_up_due(due: dt.datetime, days: int, at: dt.datetime | None = None) -> dt.datetime:
    """``days`` from today, at the clock time of ``due`` (what "done + follow-up" proposes)."""
    at = at or clock.now()
    day = at.date() + dt.timedelta(days=max(0, days))
    return dt.datetime.combine(day, due.time().replace(second=0, microsecond=0))


def lead_minutes(due: dt.datetime, remind: dt.datetime) -> int:
    """How long before the due time a reminder rings (never negative: a snooze past the due
    time is not a lead)."""
    return max(0, int((due - remind).total_seconds() // 60))


def start_of_day(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time())
