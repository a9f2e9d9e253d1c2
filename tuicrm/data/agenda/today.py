"""The Today list (SPEC S4): one user's overdue, due-today and coming reminders, unread
announcements, and alerts from the data (``today_alerts``). No Textual: the Today screen and
``tuicrm today`` build the same list here.

It is read in a bounded number of queries whatever its length: one for the reminders (their
customers and creators joined in), one for the announcements (with their authors), one for
the user's permissions and one or two per kind of alert.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from dataclasses import dataclass
from enum import StrEnum

from ...i18n import N_, _
from ..core import clock
from ..core.actor import Actor
from ..core.errors import ValidationError
from ..core.formats import day_heading
from ..core.operation import Op, reader
from ..core.text import visible
from ..core.vocab import ReminderStatus
from ..models.activity import Reminder
from ..models.parties import Contact, Customer
from ..parties.scope import CONTACTS
from ..staff import users
from . import announcements, reminder_rows
from .schedule import classify, fmt_when, start_of_day
from .today_alerts import ALERT_LIMIT, ItemKind, alerts, birthday_keys
from .vocab import REPEAT_LABELS, Due, Repeat

__all__ = [
    "ALERT_LIMIT",
    "DAYS_AHEAD",
    "GROUPS",
    "MARKS",
    "ItemKind",
    "TodayGroup",
    "TodayItem",
    "birthday_card",
    "birthday_keys",
    "build_today",
    "grouped",
    "group_total",
    "heading",
    "render_csv",
    "render_text",
]


class TodayGroup(StrEnum):
    OVERDUE = "overdue"
    TODAY = "today"
    UPCOMING = "upcoming"
    TICKETS = "tickets"
    ANNOUNCEMENTS = "announcements"
    ALERTS = "alerts"


GROUPS: dict[TodayGroup, str] = {
    TodayGroup.OVERDUE: N_("OVERDUE"),
    TodayGroup.TODAY: N_("DUE TODAY"),
    TodayGroup.UPCOMING: N_("NEXT 7 DAYS"),
    TodayGroup.TICKETS: N_("TICKETS WAITING ON YOU"),
    TodayGroup.ANNOUNCEMENTS: N_("NEW ANNOUNCEMENTS"),
    TodayGroup.ALERTS: N_("ALERTS"),
}
# A mark on every line, so overdue and due-today differ without colour.
MARKS: dict[TodayGroup, str] = {
    TodayGroup.OVERDUE: "!", TodayGroup.TODAY: "*", TodayGroup.UPCOMING: "-",
    TodayGroup.TICKETS: ">",
    TodayGroup.ANNOUNCEMENTS: "+", TodayGroup.ALERTS: "#",
}
_DUE_GROUPS = {Due.OVERDUE: TodayGroup.OVERDUE, Due.TODAY: TodayGroup.TODAY,
               Due.UPCOMING: TodayGroup.UPCOMING}
DAYS_AHEAD = 7


@dataclass(frozen=True)
class TodayItem:
    group: TodayGroup
    kind: ItemKind
    ref_id: int | None  # the record the line opens (reminder, announcement, product, order, ...)
    when: str  # as shown
    title: str
    detail: str = ""
    stamp: str = ""  # the same moment for scripts: ISO date or date-time
    more: int = 0  # a "... and 69 more" line: the 69 it stands for

    def __post_init__(self) -> None:
        # Shown on screen, in a login banner and in a cron mail: never a raw control character.
        object.__setattr__(self, "title", visible(self.title))
        object.__setattr__(self, "detail", visible(self.detail))

    @property
    def mark(self) -> str:
        return MARKS[self.group]


def _reminder_items(user: Actor, at: dt.datetime) -> list[TodayItem]:
    until = start_of_day(at.date() + dt.timedelta(days=DAYS_AHEAD + 1))
    rows = reminder_rows.rows(
        reminder_rows.select_rows()
        .where((Reminder.assignee == user.id) & (Reminder.status == ReminderStatus.OPEN.value)
               & (Reminder.due_at < until))
        .order_by(Reminder.due_at, Reminder.id)
    )
    items = []
    for r in rows:
        group = _DUE_GROUPS.get(classify(r.due_at, at, DAYS_AHEAD))
        if group is None:
            continue
        parts = [r.kind_label]
        if r.customer_id:
            parts.append(r.customer_label)
        if r.repeat is not Repeat.NONE:
            parts.append(_("repeats {how}").format(how=_(REPEAT_LABELS[r.repeat]).lower()))
        if r.remind_at and r.remind_at > r.due_at:
            parts.append(_("snoozed to {when}").format(when=fmt_when(r.remind_at, at)))
        elif r.remind_at and at < r.remind_at < r.due_at:
            parts.append(_("rings {when}").format(when=fmt_when(r.remind_at, at)))
        if r.created_by_id and r.created_by_id != r.assignee_id:
            parts.append(_("from {name}").format(name=r.created_by))
        items.append(TodayItem(group, ItemKind.REMINDER, r.id, fmt_when(r.due_at, at), r.title,
                               ", ".join(parts), f"{r.due_at:%Y-%m-%dT%H:%M}"))
    return items


def _ticket_items(user: Actor, at: dt.datetime) -> list[TodayItem]:
    """The user's overdue tickets (in the OVERDUE group) and those waiting on them."""
    from ..service.today import tickets_due, today_detail

    due = tickets_due(user, at)
    items = []
    for group, found, more in ((TodayGroup.OVERDUE, due.overdue, due.overdue_more),
                               (TodayGroup.TICKETS, due.waiting, due.waiting_more)):
        for t in found:
            when = t.resolve_by or t.opened_at
            items.append(TodayItem(group, ItemKind.TICKET, t.id, fmt_when(when, at),
                                   f"{t.number} {t.subject}", today_detail(t, at),
                                   f"{when:%Y-%m-%dT%H:%M}"))
        if more:
            said = (_("... and {n} more overdue tickets") if group is TodayGroup.OVERDUE
                    else _("... and {n} more tickets waiting"))
            items.append(TodayItem(group, ItemKind.MORE, None, "", said.format(n=more)))
    return items


def _announcement_items(user: Actor, at: dt.datetime) -> list[TodayItem]:
    return [
        TodayItem(TodayGroup.ANNOUNCEMENTS, ItemKind.ANNOUNCEMENT, a.id,
                  fmt_when(a.posted_at, at), a.title,
                  _("from {name}").format(name=a.author_name) if a.author_name else "",
                  f"{a.posted_at:%Y-%m-%dT%H:%M}")
        for a in announcements.unread(user)
    ]


def _whose(op: Op, user_id: int | None) -> Actor:
    """The user whose Today it is: the actor, or (for ``user.manage``, the command line) an
    active user named by id."""
    if user_id is None or user_id == op.actor.id:
        return op.actor
    op.require("user.manage")
    row = users.get_user(op.actor, user_id)
    if not row.active:
        raise ValidationError(_("user {username} is disabled").format(username=row.username))
    return row.actor


@reader(None)
def build_today(op: Op, at: dt.datetime | None = None, *, user_id: int | None = None
                ) -> list[TodayItem]:
    """Everything on a user's Today list (the actor's, or ``user_id``'s), in display order
    (group by group). Alerts follow that user's permissions and reach, not the actor's."""
    at = at or clock.now()
    user = _whose(op, user_id)
    granted = users.permissions_of(user)
    items = _reminder_items(user, at)
    if "ticket.view" in granted:
        items += _ticket_items(user, at)
    items += _announcement_items(user, at)
    items += [TodayItem(TodayGroup.ALERTS, a.kind, a.ref_id, a.when, a.title, a.detail, a.stamp,
                        a.more) for a in alerts(user, granted, at)]
    order = list(GROUPS)
    return sorted(items, key=lambda i: order.index(i.group))  # stable within a group


@reader("customer.view", scoped={"contact_id": CONTACTS})
def birthday_card(op: Op, contact_id: int) -> tuple[str, str]:
    """(title, plain text) of a contact whose birthday it is, for the Today screen."""
    row = (Contact.select(Contact.name, Contact.title, Contact.mobile, Contact.phone,
                          Contact.email, Contact.birthday, Customer.code, Customer.name)
           .join(Customer, on=(Contact.customer == Customer.id))
           .where(Contact.id == contact_id).tuples().first())
    if row is None:
        return _("Birthday"), _("The contact no longer exists.")
    name, title, mobile, phone, email, birthday, ccode, cname = row
    phones = ", ".join(p for p in (mobile, phone) if p) or "-"
    body = (f"{name} {title or ''}".rstrip() + "\n"
            + _("Customer: {code} {name}").format(code=ccode, name=cname) + "\n"
            + _("Phone: {phones}").format(phones=phones) + "\n"
            + _("E-mail: {email}").format(email=email or "-") + "\n"
            + _("Birthday: {day}").format(day=birthday))
    return _("Birthday today"), body


def grouped(items: list[TodayItem]) -> list[tuple[TodayGroup, list[TodayItem]]]:
    """(group, its items) for the groups that have any, in display order."""
    return [(g, [i for i in items if i.group == g]) for g in GROUPS
            if any(i.group == g for i in items)]


def group_total(members: list[TodayItem]) -> int:
    """How many things a group holds: its lines, a "... and 69 more" line counting as 69."""
    return sum(i.more if i.kind == ItemKind.MORE else 1 for i in members)


def heading(group: TodayGroup | str, count: int | list[TodayItem]) -> str:
    """``ALERTS (79)``: what exists, not how many lines fit (``count``: a number, or the
    group's items)."""
    total = count if isinstance(count, int) else group_total(count)
    return f"{_(GROUPS[TodayGroup(group)])} ({total})"


def render_text(items: list[TodayItem], user: Actor, at: dt.datetime | None = None) -> str:
    """The list as plain text: a heading per group, then a table (for a login banner)."""
    from tabulate import tabulate

    at = at or clock.now()
    lines = [visible(_("Today for {name} ({username}), {day} {time}").format(
        name=user.display_name, username=user.username, day=day_heading(at),
        time=f"{at:%H:%M}"))]
    if not items:
        lines += ["", _("Nothing due, no alerts.")]
    for group, members in grouped(items):
        lines += ["", heading(group, members)]
        rows = [[i.mark, i.when, i.title, i.detail] for i in members]
        table = tabulate(rows, tablefmt="plain", disable_numparse=True)
        lines += ["  " + line.rstrip() for line in table.splitlines()]
    return "\n".join(lines) + "\n"


def render_csv(items: list[TodayItem]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["group", "kind", "id", "at", "when", "title", "detail"])
    for i in items:
        writer.writerow([i.group.value, i.kind.value, "" if i.ref_id is None else i.ref_id,
                         i.stamp, i.when, i.title, i.detail])
    return out.getvalue()

