"""``tuicrm check`` for service tickets: each state carries the times it must (a done ticket
its resolution time, an open one none), scores are 1-5 and only on done tickets, and no time
comes before the ticket was opened."""

from __future__ import annotations

from collections.abc import Iterator

from ...i18n import N_, _
from ..check import check
from ..core.db import database

# Each problem's sentence names the ticket and its stored status.
_PROBLEMS = [
    ("status = 'done' AND resolved_at IS NULL",
     N_("ticket {number} ({status}) is done but has no resolution time")),
    ("status IN ('new', 'in_progress', 'waiting') AND resolved_at IS NOT NULL",
     N_("ticket {number} ({status}) is open but has a resolution time")),
    ("satisfaction IS NOT NULL AND (satisfaction < 1 OR satisfaction > 5)",
     N_("ticket {number} ({status}) has a satisfaction score outside 1-5")),
    ("satisfaction IS NOT NULL AND status <> 'done'",
     N_("ticket {number} ({status}) has a score but is not done")),
    ("first_response_at < opened_at", N_("ticket {number} ({status}) was answered before it "
                                         "was opened")),
    ("resolved_at < opened_at", N_("ticket {number} ({status}) was resolved before it was "
                                   "opened")),
    ("status NOT IN ('new', 'in_progress', 'waiting', 'done', 'cancelled')",
     N_("ticket {number} ({status}) has an unknown status")),
    ("status <> 'new' AND status <> 'cancelled' AND first_response_at IS NULL",
     N_("ticket {number} ({status}) left 'new' without a first response time")),
]


@check("tickets", "service tickets carry the times and scores of their state")
def tickets(limit: int) -> Iterator[str]:
    found = 0
    for where, what in _PROBLEMS:
        sql = (f'SELECT number, status FROM ticket WHERE {where} ORDER BY number '
               f'LIMIT {int(limit - found)}')
        for number, status in database.execute_sql(sql).fetchall():
            found += 1
            yield _(what).format(number=number, status=status)
        if found >= limit:
            return
