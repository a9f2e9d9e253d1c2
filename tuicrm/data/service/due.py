"""When a ticket is due: its first response and its resolution, from the time it was opened
and the times per kind and priority in the settings (``ticket.respond.<kind>``,
``ticket.resolve.<kind>``).

Calendar time, on purpose: a day is 24 hours and nights, weekends and holidays count (a shop's
opening hours differ too much to model here; the times in the settings are set with that in
mind). Waiting for the customer does not stop the clock either. Due times are kept to the
minute.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from ..core import settings
from .vocab import Priority, TicketKind, TicketStatus


@dataclass(frozen=True)
class Targets:
    """The time allowed to respond and to resolve, for one kind and priority."""

    respond: dt.timedelta
    resolve: dt.timedelta


@dataclass(frozen=True)
class DueTimes:
    respond_by: dt.datetime
    resolve_by: dt.datetime


def targets(kind: TicketKind | str, priority: Priority | str) -> Targets:
    """The settings' times for ``kind`` at ``priority`` (the span in its priority's place)."""
    k, p = TicketKind(kind), Priority(priority)
    index = list(Priority).index(p)
    respond = settings.value(settings.TICKET_RESPOND[k.value])[index]
    resolve = settings.value(settings.TICKET_RESOLVE[k.value])[index]
    return Targets(respond, max(respond, resolve))


def _minute(at: dt.datetime) -> dt.datetime:
    return at.replace(second=0, microsecond=0)


def due_times(opened_at: dt.datetime, allowed: Targets) -> DueTimes:
    """Respond by and resolve by, counted from ``opened_at`` in calendar time (to the
    minute, rounded down: never later than the settings allow)."""
    return DueTimes(_minute(opened_at + allowed.respond), _minute(opened_at + allowed.resolve))


def due_for(opened_at: dt.datetime, kind: TicketKind | str,
            priority: Priority | str) -> DueTimes:
    return due_times(opened_at, targets(kind, priority))


def is_overdue(status: TicketStatus | str, respond_by: dt.datetime | None,
               resolve_by: dt.datetime | None, first_response_at: dt.datetime | None,
               at: dt.datetime) -> bool:
    """An open ticket past its resolution time, or still unanswered past its response time."""
    if not TicketStatus(status).is_open:
        return False
    if resolve_by is not None and resolve_by < at:
        return True
    return first_response_at is None and respond_by is not None and respond_by < at


def resolved_on_time(resolve_by: dt.datetime | None, resolved_at: dt.datetime | None) -> bool:
    """Resolved no later than due (a ticket without a due time counts as on time)."""
    return resolved_at is not None and (resolve_by is None or resolved_at <= resolve_by)


def hours(span: dt.timedelta | None) -> float | None:
    return None if span is None else span.total_seconds() / 3600


def fmt_span(span: dt.timedelta | None) -> str:
    """``2d 4h``, ``3h 20m``, ``45m`` (for reports and the ticket view); "" for None."""
    if span is None:
        return ""
    minutes = int(span.total_seconds() // 60)
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    days, rest = divmod(minutes, 1440)
    hrs, mins = divmod(rest, 60)
    if days:
        return f"{sign}{days}d {hrs}h" if hrs else f"{sign}{days}d"
    if hrs:
        return f"{sign}{hrs}h {mins}m" if mins else f"{sign}{hrs}h"
    return f"{sign}{mins}m"
