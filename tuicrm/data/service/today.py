"""The tickets on a user's Today list: their overdue tickets (past the resolution time, or
unanswered past the response time) and the other tickets waiting on them (new or in progress,
not waiting for the customer), soonest due first; at most ``LIMIT`` of each with a count of
the rest. Two queries each, on the (owner, status, resolve_by) index.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..models.service import Ticket
from .rows import TicketRow, joined, rows
from .vocab import ON_OWNER, OPEN_STATUSES

LIMIT = 10


@dataclass(frozen=True)
class TicketsDue:
    overdue: list[TicketRow]
    overdue_more: int  # beyond LIMIT
    waiting: list[TicketRow]
    waiting_more: int


def _overdue_where(at: dt.datetime) -> Any:
    return ((Ticket.resolve_by < at)
            | (Ticket.first_response_at.is_null() & (Ticket.respond_by < at)))


def _take(where: Any) -> tuple[list[TicketRow], int]:
    """The first ``LIMIT`` tickets by due time, and how many more. The ids first, from the
    (owner, status, resolve_by) index alone; then only those rows with their joins (joining
    every open ticket of a busy owner before sorting them: ~0.5 s at 200k tickets)."""
    ids = (Ticket.select(Ticket.id).where(where)
           .order_by(Ticket.resolve_by, Ticket.id).limit(LIMIT + 1))
    found = rows(joined().where(Ticket.id.in_(ids)).order_by(Ticket.resolve_by, Ticket.id))
    if len(found) <= LIMIT:
        return found, 0
    return found[:LIMIT], int(Ticket.select(Ticket.id).where(where).count()) - LIMIT


def tickets_due(user: Actor, at: dt.datetime) -> TicketsDue:
    """``user``'s overdue tickets and those waiting on them (no permission check: the Today
    list asks only for users who may see tickets)."""
    mine = Ticket.owner == user.id
    overdue, overdue_more = _take(
        mine & Ticket.status.in_([s.value for s in OPEN_STATUSES]) & _overdue_where(at))
    waiting, waiting_more = _take(
        mine & Ticket.status.in_([s.value for s in ON_OWNER]) & ~_overdue_where(at))
    return TicketsDue(overdue, overdue_more, waiting, waiting_more)


def today_detail(t: TicketRow, at: dt.datetime) -> str:
    """What a Today line says after the subject: the customer, kind, status, why it is late."""
    parts = [t.customer_label, t.kind_label, t.status_label]
    if t.first_response_at is None and t.respond_by is not None and t.respond_by < at:
        parts.append(_("no response yet"))
    return ", ".join(parts)
