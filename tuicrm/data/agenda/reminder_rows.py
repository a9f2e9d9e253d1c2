"""Reminders as the screens see them: ``ReminderRow``, a plain frozen value with the names of
its assignee, its creator and its customer already joined in (one query, however many rows;
no foreign key is walked later), the text of one reminder for a dialog, and the reading
operations (one reminder, the follow-up a form proposes, what comes due, whom one may
assign). The writes are in ``reminders``, which also offers these under its name.

``joined()`` is the query every reminder read starts from: the operations, the Reminders list
(``agenda.lists``) and Today. Who may see or change a reminder: its assignee and its creator;
anyone else needs ``reminder.assign`` (``check_may_change``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import _
from ..core import settings
from ..core.errors import NotFound
from ..core.operation import Op, reader
from ..core.text import visible
from ..core.vocab import ReminderStatus
from ..models.activity import Reminder
from ..models.parties import Customer
from ..models.users import User
from ..staff.users import UserChoice
from .schedule import due_note, follow_up_due
from .vocab import KIND_LABELS, REPEAT_LABELS, ReminderKind, Repeat

MAX_TITLE = 200

# The two users a reminder names: whose it is and who made it.
Assignee = User.alias("assignee_user")
Creator = User.alias("creator_user")


@dataclass(frozen=True)
class ReminderRow:
    id: int
    kind: ReminderKind
    title: str
    notes: str
    status: ReminderStatus
    due_at: dt.datetime
    remind_at: dt.datetime | None
    lead_minutes: int
    repeat: Repeat
    repeat_day: int | None
    assignee_id: int
    assignee: str  # user name
    assignee_name: str  # full name, or the user name
    created_by_id: int | None
    created_by: str
    created_by_name: str
    customer_id: int | None
    customer_code: str
    customer_name: str
    link_type: str
    link_id: int | None
    follows_id: int | None
    done_at: dt.datetime | None
    version: int

    @property
    def is_open(self) -> bool:
        return self.status is ReminderStatus.OPEN

    @property
    def kind_label(self) -> str:
        return _(KIND_LABELS[self.kind])

    @property
    def customer_label(self) -> str:
        """``C001 Acme Ltd``, or empty without a customer."""
        return f"{self.customer_code} {self.customer_name}" if self.customer_id else ""

    @property
    def rings_at(self) -> dt.datetime:
        return self.remind_at or self.due_at


_COLUMNS = (
    Reminder.id, Reminder.kind, Reminder.title, Reminder.notes, Reminder.status,
    Reminder.due_at, Reminder.remind_at, Reminder.lead_minutes, Reminder.repeat,
    Reminder.repeat_day, Reminder.assignee, Assignee.username, Assignee.full_name,
    Reminder.created_by, Creator.username, Creator.full_name, Reminder.customer,
    Customer.code, Customer.name, Reminder.link_type, Reminder.link_id, Reminder.follows,
    Reminder.done_at, Reminder.version,
)


def joined(*columns: Any) -> peewee.ModelSelect[Any]:
    """Reminders with their assignee, creator and customer LEFT-joined (left joins on primary
    keys: a count of the list can leave them out)."""
    return (
        Reminder.select(*columns)
        .join(Assignee, JOIN.LEFT_OUTER, on=(Reminder.assignee == Assignee.id))
        .switch(Reminder)
        .join(Creator, JOIN.LEFT_OUTER, on=(Reminder.created_by == Creator.id))
        .switch(Reminder)
        .join(Customer, JOIN.LEFT_OUTER, on=(Reminder.customer == Customer.id))
    )


def select_rows() -> peewee.ModelSelect[Any]:
    """``joined()`` selecting what a ``ReminderRow`` holds; read it with ``rows()``."""
    return joined(*_COLUMNS)


def rows(query: peewee.ModelSelect[Any]) -> list[ReminderRow]:
    """The rows of a ``select_rows()`` query (narrowed and ordered as the caller likes)."""
    return [_row(t) for t in query.tuples().execute()]


def _row(t: tuple[Any, ...]) -> ReminderRow:
    (rid, kind, title, notes, status, due_at, remind_at, lead, repeat, repeat_day,
     assignee_id, assignee, assignee_full, creator_id, creator, creator_full, customer_id,
     customer_code, customer_name, link_type, link_id, follows_id, done_at, version) = t
    return ReminderRow(
        id=rid, kind=ReminderKind(kind), title=title, notes=notes,
        status=ReminderStatus(status), due_at=due_at, remind_at=remind_at,
        lead_minutes=lead or 0, repeat=Repeat(repeat), repeat_day=repeat_day,
        assignee_id=assignee_id, assignee=assignee or "",
        assignee_name=assignee_full or assignee or "",
        created_by_id=creator_id, created_by=creator or "",
        created_by_name=creator_full or creator or "",
        customer_id=customer_id, customer_code=customer_code or "",
        customer_name=customer_name or "", link_type=link_type or "", link_id=link_id,
        follows_id=follows_id, done_at=done_at, version=version,
    )


def load(reminder_id: int) -> ReminderRow | None:
    found = rows(select_rows().where(Reminder.id == reminder_id))
    return found[0] if found else None


def describe(r: ReminderRow, at: dt.datetime | None = None) -> str:
    """A plain-text summary of a reminder for a dialog or a report."""
    lines = [visible(r.title), ""]
    lines.append(f"Type:      {r.kind_label}")
    lines.append(f"Due:       {r.due_at:%Y-%m-%d %H:%M}  ({due_note(r.due_at, at)})")
    if r.remind_at and r.remind_at != r.due_at:
        lines.append(f"Remind at: {r.remind_at:%Y-%m-%d %H:%M}")
    if r.repeat is not Repeat.NONE:
        lines.append(f"Repeats:   {REPEAT_LABELS[r.repeat].lower()}")
    lines.append(f"For:       {r.assignee_name}")
    if r.created_by_id and r.created_by_id != r.assignee_id:
        lines.append(f"From:      {r.created_by_name}")
    if r.customer_id:
        lines.append(f"Customer:  {r.customer_label}")
    if r.link_type:
        lines.append(f"Refers to: {r.link_type} #{r.link_id}")
    lines.append(f"Status:    {r.status.value}")
    if r.notes:
        lines += ["", visible(r.notes, multiline=True)]
    return visible("\n".join(lines), multiline=True)


# -- reading operations ------------------------------------------------------------------------


def check_may_change(op: Op, row: ReminderRow) -> None:
    """The assignee and the creator may see and change a reminder; others need
    ``reminder.assign``."""
    if op.actor.system or op.actor.id in (row.assignee_id, row.created_by_id):
        return
    op.require("reminder.assign")


def loaded(reminder_id: int) -> ReminderRow:
    row = load(reminder_id)
    if row is None:
        raise NotFound(_("reminder #{reminder_id} does not exist").format(reminder_id=reminder_id))
    return row


def _readable(op: Op, reminder_id: int) -> ReminderRow:
    row = loaded(reminder_id)
    check_may_change(op, row)
    return row


@reader(None)
def get_reminder(op: Op, reminder_id: int) -> ReminderRow:
    """One reminder: the assignee's, the creator's, or anyone's with ``reminder.assign``."""
    return _readable(op, reminder_id)


def follow_up_title(title: str) -> str:
    prefix = "Follow up: "
    text = title if title.startswith(prefix) else prefix + title
    return text[:MAX_TITLE]


@dataclass(frozen=True)
class FollowUpDraft:
    """What "done + follow-up" proposes for a reminder (the form starts from it)."""

    reminder: ReminderRow
    title: str
    due_at: dt.datetime
    notes: str


@reader(None)
def follow_up_draft(op: Op, reminder_id: int) -> FollowUpDraft:
    """The reminder and its proposed follow-up: ``reminder.follow_up_days`` (setting) from
    today at the reminder's clock time."""
    row = _readable(op, reminder_id)
    days = settings.value(settings.FOLLOW_UP_DAYS)
    return FollowUpDraft(row, follow_up_title(row.title), follow_up_due(row.due_at, days),
                         row.notes)


@reader(None)
def coming_due(op: Op, after: dt.datetime, until: dt.datetime) -> list[ReminderRow]:
    """The actor's open reminders whose reminder time falls in (``after``, ``until``]: what
    the app rings for while it runs (the assignee/status/remind_at index serves it)."""
    if op.actor.id is None:
        return []
    return rows(
        select_rows()
        .where((Reminder.assignee == op.actor.id)
               & (Reminder.status == ReminderStatus.OPEN.value)
               & (Reminder.remind_at > after) & (Reminder.remind_at <= until))
        .order_by(Reminder.remind_at, Reminder.id)
    )


@reader(None)
def assignable_users(op: Op) -> list[UserChoice]:
    """Whom the actor may make reminders for: every active user with ``reminder.assign``,
    else only themselves."""
    query = (User.select(User.id, User.username, User.full_name)
             .where(User.active == True).order_by(User.username))  # noqa: E712 - SQL
    if not op.allowed("reminder.assign"):
        query = query.where(User.id == op.actor.id)
    return [UserChoice(uid, name, full) for uid, name, full in query.tuples().execute()]
