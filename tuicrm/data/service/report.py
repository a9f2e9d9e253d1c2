"""The tickets report: tickets by kind, owner or period (day, week, month of opening) with
their count, the median time to the first response and to the resolution, the share of the
resolved ones resolved on time (by their resolve-by time) and the mean satisfaction.

A data function returning plain rows (``TicketReport``); ``reports/catalog/service.py``
registers it on the report engine as ``tickets`` (the Tickets screen's R, ``tuicrm report
tickets``, text, .csv and .xlsx). The rows are read as tuples (one query, the
actor's scope applied); medians are not an SQL aggregate on SQLite, so the grouping and the
medians happen here, over tuples, never model objects.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from peewee import JOIN, SQL, Case, NodeList, fn

from ...i18n import _
from ..core import clock
from ..core import db as dbmod
from ..core.db import database
from ..core.errors import ValidationError
from ..core.operation import Op, reader
from ..models.parties import Customer
from ..models.service import Ticket
from .rows import Owner
from .scope import ticket_scope_where
from .vocab import KIND_LABELS, TicketKind, TicketStatus


class GroupBy(StrEnum):
    KIND = "kind"
    OWNER = "owner"
    DAY = "day"
    WEEK = "week"
    MONTH = "month"


@dataclass(frozen=True)
class TicketStats:
    """One line of the report (or its total)."""

    group: str
    count: int
    open: int
    responded: int
    median_response: dt.timedelta | None
    resolved: int
    median_resolution: dt.timedelta | None
    on_time: int
    rated: int
    satisfaction: float | None  # mean of the scores given

    @property
    def on_time_share(self) -> float | None:
        """Of the resolved tickets, the share resolved by their resolve-by time."""
        return None if not self.resolved else self.on_time / self.resolved


@dataclass(frozen=True)
class TicketReport:
    by: GroupBy
    start: dt.date | None
    end: dt.date | None
    rows: list[TicketStats] = field(default_factory=list)
    total: TicketStats | None = None


def _period(by: GroupBy) -> Callable[[Any], str]:
    """The period label of an opening time as the driver gives it (text on SQLite, a
    date-time on PostgreSQL)."""
    def day(at: Any) -> dt.date:
        return dt.date.fromisoformat(at[:10]) if isinstance(at, str) else at.date()

    if by is GroupBy.DAY:
        return lambda at: f"{day(at):%Y-%m-%d}"
    if by is GroupBy.WEEK:
        return lambda at: "{}-W{:02d}".format(*day(at).isocalendar()[:2])
    return lambda at: f"{day(at):%Y-%m}"


def _median(spans: list[float]) -> dt.timedelta | None:
    return dt.timedelta(seconds=round(statistics.median(spans))) if spans else None


def _seconds(later: Any, earlier: Any) -> Any:
    """``later - earlier`` in seconds, in SQL (NULL if either is): parsing two date-times per
    row in Python cost ~9 s for 200k tickets, the SQL arithmetic a fraction of that."""
    if dbmod.is_sqlite():
        return (fn.julianday(later) - fn.julianday(earlier)) * 86400
    return fn.EXTRACT(NodeList((SQL("EPOCH FROM"), later - earlier)))


_OPEN = {s.value for s in TicketStatus if s.is_open}


def _stats(group: str, items: list[tuple[Any, ...]]) -> TicketStats:
    responses, resolutions, scores = [], [], []
    on_time = still_open = 0
    for _key, status, response, resolution, in_time, score in items:
        if status in _OPEN:
            still_open += 1
        if response is not None:
            responses.append(float(response))
        if resolution is not None and status == TicketStatus.DONE.value:
            resolutions.append(float(resolution))
            on_time += bool(in_time)
            if score is not None:
                scores.append(score)
    return TicketStats(
        group, len(items), still_open, len(responses), _median(responses), len(resolutions),
        _median(resolutions), on_time, len(scores),
        round(statistics.fmean(scores), 2) if scores else None)


@reader("ticket.view")
def ticket_report(
    op: Op,
    by: GroupBy | str = GroupBy.KIND,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> TicketReport:
    """The tickets opened from ``start`` to ``end`` (both inclusive; None: open-ended) that
    the actor may see, grouped ``by`` kind, owner, day, week or month of opening."""
    try:
        group_by = GroupBy(by)
    except ValueError:
        raise ValidationError({"by": _("one of: {join}").format(
                                       join=', '.join(g.value for g in GroupBy))}
                              ) from None
    if start and end and end < start:
        raise ValidationError({"end": _("the end is before the start")})
    key: Any = {GroupBy.KIND: Ticket.kind, GroupBy.OWNER: Owner.username}.get(
        group_by, Ticket.opened_at)
    in_time = Case(None, [((Ticket.resolved_at.is_null(False))
                           & (Ticket.resolve_by.is_null() | (Ticket.resolved_at
                                                             <= Ticket.resolve_by)), 1)], 0)
    query = Ticket.select(key, Ticket.status,
                          _seconds(Ticket.first_response_at, Ticket.opened_at),
                          _seconds(Ticket.resolved_at, Ticket.opened_at), in_time,
                          Ticket.satisfaction)
    # Only the joins this report needs: the customer for a scoped actor, the owner by owner.
    where = ticket_scope_where(op.actor)
    if where is not None:
        query = query.join(Customer, on=(Ticket.customer == Customer.id)).switch(Ticket)
    if where is not None or group_by is GroupBy.OWNER:
        query = query.join(Owner, JOIN.LEFT_OUTER, on=(Ticket.owner == Owner.id))
    if where is not None:
        query = query.where(where)
    if start is not None:
        query = query.where(Ticket.opened_at >= dt.datetime.combine(start, dt.time()))
    if end is not None:
        query = query.where(Ticket.opened_at
                            < dt.datetime.combine(end + dt.timedelta(days=1), dt.time()))
    groups: dict[str, list[tuple[Any, ...]]] = {}
    label = _period(group_by)
    # The driver's rows as they come: peewee's conversion of every value cost more than the
    # query itself at 200k tickets.
    everything = database.execute_sql(*query.sql()).fetchall()
    for item in everything:
        if group_by is GroupBy.KIND:
            name = _(KIND_LABELS[TicketKind(item[0])])
        elif group_by is GroupBy.OWNER:
            name = item[0] or _("(nobody)")
        else:
            name = label(item[0])
        groups.setdefault(name, []).append(item)
    if group_by is GroupBy.KIND:
        order = [_(KIND_LABELS[k]) for k in TicketKind]
        names = sorted(groups, key=order.index)
    else:
        names = sorted(groups)
    return TicketReport(group_by, start, end, [_stats(n, groups[n]) for n in names],
                        _stats(_("Total"), everything))


def this_month() -> tuple[dt.date, dt.date]:
    today = clock.today()
    return today.replace(day=1), today
