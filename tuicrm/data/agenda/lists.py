"""The Reminders and Announcements lists, defined once (``lists.view``): columns, the actor's
scope, the list's options, quick search and the sort keys an index serves.

Reminders: ``ListRequest(options={"status": "open" | "done" | "all", "everyone": bool})``;
the actor's own (assigned to or made by them), or everyone's with ``reminder.assign``.
Announcements: those the actor may see, unread ones marked ``NEW``.

Both lists are for every user; ``ListDef`` names a permission, so they name all of them (any
one lets the actor in: every role holds at least one).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import peewee
from peewee import JOIN, Case

from ...i18n import N_, _
from ..core import clock
from ..core.actor import Actor
from ..core.operation import Op, reader
from ..core.permissions import require
from ..core.vocab import ReminderStatus
from ..lists.columns import Column
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike
from ..lists.view import ListDef, define
from ..models.activity import Announcement, AnnouncementRead, Reminder
from ..models.parties import Customer
from .announcements import Author, visible_to, with_author
from .reminder_rows import Assignee, joined
from .schedule import classify, fmt_when
from .vocab import KIND_LABELS, Audience, Due, ReminderKind


class ReminderFilter(StrEnum):
    """Which reminders the list shows (f on the screen steps through them)."""

    OPEN = "open"
    DONE = "done"
    ALL = "all"


# Fixed widths: the lists fit 80 columns whatever the first page holds.

# -- reminders ---------------------------------------------------------------------------------

_MARKS = {ReminderStatus.DONE.value: "ok", ReminderStatus.CANCELLED.value: "x"}
_DUE_MARKS = {Due.OVERDUE: "!", Due.TODAY: "*"}


def _mark(value: Any) -> str:
    """``!`` overdue, ``*`` due today (seen now, when the row is shown), ``ok`` done,
    ``x`` cancelled. The value is the status, or the due time (as text) of an open one."""
    if value is None:
        return ""
    if str(value) in _MARKS:
        return _MARKS[str(value)]
    try:
        due = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError:
        return ""
    return _DUE_MARKS.get(classify(due, clock.now()), "")


def _kind(value: Any) -> str:
    try:
        return _(KIND_LABELS[ReminderKind(value)])
    except ValueError:
        return str(value or "")


def _repeat(value: Any) -> str:
    return "" if value in (None, "none") else str(value)[0]


def _when(value: Any) -> str:
    return fmt_when(value) if isinstance(value, dt.datetime) else ""


# An open reminder's due time (as text on both engines), else its status.
REMINDER_MARK = Case(None, [(Reminder.status == ReminderStatus.OPEN.value,
                             Reminder.due_at.cast("TEXT"))], Reminder.status)
CUSTOMER_LABEL = Customer.code.concat(" ").concat(Customer.name)


def _reminders(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    query = joined()
    if options.get("everyone"):
        require(actor, "reminder.assign")
    else:
        query = query.where((Reminder.assignee == actor.id) | (Reminder.created_by == actor.id))
    wanted = ReminderFilter(options.get("status", ReminderFilter.OPEN))
    if wanted is not ReminderFilter.ALL:
        query = query.where(Reminder.status == wanted.value)
    return query


def _search_reminders(text: str) -> Any:
    pattern = contains_pattern(text)
    return (ilike(Reminder.title, pattern) | ilike(Reminder.notes, pattern)
            | ilike(Customer.code, pattern) | ilike(Customer.name, pattern))


REMINDERS = define(ListDef(
    name="reminders",
    title=N_("Reminders"),
    permission=None,  # any active user: each sees their own
    columns=(
        Column("mark", REMINDER_MARK, "", width=2, format=_mark, sortable=False),
        Column("due", Reminder.due_at, "Due", width=16, format=_when),
        Column("title", Reminder.title, "Title", width=24, sortable=False),
        Column("kind", Reminder.kind, "Type", width=11, format=_kind, sortable=False),
        Column("assignee", Assignee.username, "For", width=11, sortable=False),
        Column("repeat", Reminder.repeat, "Rep", width=3, format=_repeat, sortable=False),
        Column("customer", CUSTOMER_LABEL, "Customer", width=16, sortable=False),
        Column("status", Reminder.status, "Status", width=9, sortable=False),
    ),
    query=_reminders,
    search=_search_reminders,
    filters=filter_columns(
        FilterColumn("title", "Title", Reminder.title),
        FilterColumn("kind", "Type", Reminder.kind),
        FilterColumn("customer", "Customer code", Customer.code),
        FilterColumn("due", "Due", Reminder.due_at, "datetime"),
    ),
    date=FilterColumn("due", "Due", Reminder.due_at, "datetime"),
    # The (assignee, status, due_at) index serves one's own open reminders by due time.
    default_sort=("due", False),
    default_visible=("mark", "due", "title", "kind", "repeat", "customer"),
    search_hint=N_("type to search titles, notes, customers (/)"),
))


# -- announcements -----------------------------------------------------------------------------

AUDIENCE_TEXT = Case(Announcement.audience, [
    (Audience.ALL.value, "everyone"),
    (Audience.ROLE.value, peewee.Value("role: ").concat(Announcement.audience_role)),
], "chosen users")
UNREAD_MARK = Case(None, [(AnnouncementRead.id.is_null(), "NEW")], "")


def _announcements(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    # The actor's own read marks only (the command line has none: everything is new to it).
    read = ((AnnouncementRead.announcement == Announcement.id)
            & (AnnouncementRead.user == actor.id))
    return (with_author().switch(Announcement)
            .join(AnnouncementRead, JOIN.LEFT_OUTER, on=read)
            .where(visible_to(actor)))


def _search_announcements(text: str) -> Any:
    pattern = contains_pattern(text)
    return ilike(Announcement.title, pattern) | ilike(Announcement.body, pattern)


ANNOUNCEMENTS = define(ListDef(
    name="announcements",
    title=N_("Announcements"),
    permission=None,  # any active user: each sees their own
    columns=(
        Column("new", UNREAD_MARK, "", width=3, sortable=False),
        Column("posted", Announcement.posted_at, "Posted", width=16),
        Column("author", Author.username, "From", width=10, sortable=False),
        Column("title", Announcement.title, "Title", width=28, sortable=False),
        Column("to", AUDIENCE_TEXT, "To", width=16, sortable=False),
    ),
    query=_announcements,
    search=_search_announcements,
    filters=filter_columns(
        FilterColumn("title", "Title", Announcement.title),
        FilterColumn("posted", "Posted", Announcement.posted_at, "datetime"),
    ),
    date=FilterColumn("posted", "Posted", Announcement.posted_at, "datetime"),
    default_sort=("posted", True),  # newest first, on the posted_at index
    search_hint=N_("type to search announcements (/)"),
))


@dataclass(frozen=True)
class ReminderSummary:
    total: int
    overdue: int


@reader(None)
def reminder_summary(op: Op, options: Mapping[str, Any]) -> ReminderSummary:
    """How many reminders the list holds with these options, and how many are overdue (the
    Reminders screen's status line; two counts, run in a worker)."""
    query = _reminders(op.actor, options)
    overdue = query.where((Reminder.status == ReminderStatus.OPEN.value)
                          & (Reminder.due_at < clock.now()))
    return ReminderSummary(int(query.count()), int(overdue.count()))
