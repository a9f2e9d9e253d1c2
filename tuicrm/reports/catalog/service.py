"""Service reports (S1): the tickets report.

``tuicrm report tickets --by kind|owner|day|week|month --from 2026-06-01 --to 2026-06-30``:
per group the tickets opened, how many are still open, the median hours to the first
response and to the resolution, how many were resolved and how many of those by their
resolve-by time (and the share), and the mean satisfaction score. The figures come from
``data.service.report`` (medians are not an SQL aggregate on SQLite); times are calendar
time.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from ...data.service.due import fmt_span
from ...data.service.report import GroupBy, TicketStats, ticket_report
from ...i18n import N_, _
from ..engine import FROM, TO, Column, Ratio, RunContext, Table, by_param, percent, report

_KEY_TITLES = {"kind": N_("Kind"), "owner": N_("Owner"), "day": N_("Day"),
               "week": N_("Week"), "month": N_("Month")}
HOURS = Decimal("0.1")


def _hours(span: dt.timedelta | None) -> Decimal | None:
    if span is None:
        return None
    return (Decimal(int(span.total_seconds())) / 3600).quantize(HOURS)


def _row(s: TicketStats) -> tuple[object, ...]:
    return (s.group, s.count, s.open, _hours(s.median_response), _hours(s.median_resolution),
            s.resolved, s.on_time, percent(s.on_time, s.resolved),
            None if s.satisfaction is None else Decimal(str(s.satisfaction)).quantize(HOURS),
            s.rated)


@report("tickets", N_("Service tickets"), permission="ticket.view",
        params=(FROM, TO, by_param(tuple(g.value for g in GroupBy), "kind")),
        description=N_("Tickets by kind, owner or period: count, median time to first "
                       "response and to resolution, share resolved on time, satisfaction"))
def tickets(ctx: RunContext) -> Table:
    by = ctx.params["by"]
    result = ticket_report(ctx.actor, by, ctx.params["from"], ctx.params["to"])
    columns = (
        Column("group", _(_KEY_TITLES[by])),
        Column("tickets", _("Count"), "int", "sum"),
        Column("open", _("Open"), "int", "sum"),
        Column("median_response_hours", _("Resp h"), "qty"),
        Column("median_resolution_hours", _("Resol h"), "qty"),
        Column("resolved", _("Done"), "int", "sum"),
        Column("on_time", _("On time"), "int", "sum"),
        Column("on_time_pct", _("%"), "percent", Ratio("on_time", "resolved")),
        Column("satisfaction", _("Score"), "qty"),
        Column("rated", _("Rated"), "int", "sum"),
    )
    notes = [_("Resp h / Resol h: median hours from opening to the first response / to the "
               "resolution, in calendar time (nights and weekends count). On time (%): done by "
               "the resolve-by time from the settings. Score: mean satisfaction (1-5) of "
               "the rated ones.")]
    total = result.total
    if total is not None and total.count:
        notes.insert(0, _("All of them: median response {response}, median resolution "
                          "{resolution}, satisfaction {score}").format(
            response=fmt_span(total.median_response) or "-",
            resolution=fmt_span(total.median_resolution) or "-",
            score="-" if total.satisfaction is None else f"{total.satisfaction:.1f}"))
    return Table(columns, [_row(s) for s in result.rows], subtitle=ctx.period_text(),
                 notes=tuple(notes), chart="tickets",
                 over_time=by in ("day", "week", "month"))
