"""The activities log (SPEC S2): calls, visits, e-mails, meetings and WeChat messages with
customers, with their outcome and the next step.

A next step makes its follow-up reminder (type follow-up, for whoever logged it, on the same
customer, due when the user said or ``reminder.follow_up_days`` from now) in the same
transaction as the activity: both are saved or neither. An activity is logged from the
Customers screen or when a reminder is marked done ("log what happened":
``complete_and_log``). The customer screen lists them in its related information
(``list_for_customer``); work plans and market tasks are reminders with a type.

Who: ``customer.edit`` on a customer within reach (``parties.scope``); an activity someone
else logged is edited with ``activity.edit_all`` (managers).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import _
from ..core import clock, settings
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..models.activity import Activity
from ..models.parties import Customer
from ..models.users import User
from ..parties.scope import CUSTOMERS, customer_scope_where
from .schedule import parse_when
from .vocab import ACTIVITY_LABELS, ActivityKind, ReminderKind

MAX_SUBJECT = 200
MAX_TEXT = 10_000


@dataclass(frozen=True)
class ActivityRow:
    id: int
    kind: ActivityKind
    at: dt.datetime
    user_id: int | None
    username: str
    customer_id: int | None
    customer_code: str
    customer_name: str
    subject: str
    notes: str
    outcome: str
    next_step: str = ""
    follow_up_id: int | None = None

    @property
    def kind_label(self) -> str:
        return _(ACTIVITY_LABELS[self.kind])


def _select() -> peewee.ModelSelect[Any]:
    return (Activity.select(Activity.id, Activity.kind, Activity.at, Activity.user,
                            User.username, Activity.customer, Customer.code, Customer.name,
                            Activity.subject, Activity.notes, Activity.outcome,
                            Activity.next_step, Activity.follow_up)
            .join(User, JOIN.LEFT_OUTER, on=(Activity.user == User.id))
            .switch(Activity)
            .join(Customer, JOIN.LEFT_OUTER, on=(Activity.customer == Customer.id)))


def _rows(query: peewee.ModelSelect[Any]) -> list[ActivityRow]:
    return [
        ActivityRow(aid, ActivityKind(kind), at, user_id, username or "", customer_id,
                    code or "", name or "", subject, notes, outcome, next_step or "",
                    follow_up)
        for (aid, kind, at, user_id, username, customer_id, code, name, subject, notes,
             outcome, next_step, follow_up) in query.tuples().execute()
    ]


def _loaded(activity_id: int) -> ActivityRow:
    found = _rows(_select().where(Activity.id == activity_id))
    if not found:
        raise NotFound(_("activity #{activity_id} does not exist").format(activity_id=activity_id))
    return found[0]


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    """Kind, subject and texts checked (``ValidationError`` per field); control characters
    never reach the database."""
    errors: dict[str, str] = {}
    if "kind" in values:
        try:
            values["kind"] = ActivityKind(values["kind"]).value
        except ValueError:
            errors["kind"] = _("one of: {join}").format(
                               join=', '.join(k.value for k in ActivityKind))
    for name in ("subject", "notes", "outcome", "next_step"):
        if name not in values:
            continue
        text = "".join(c for c in (values[name] or "")
                       if c in "\n\t" or not (ord(c) < 32 or 0x7F <= ord(c) < 0xA0))
        values[name] = " ".join(text.split()) if name == "subject" else text.strip()
        limit = MAX_SUBJECT if name == "subject" else MAX_TEXT
        if len(values[name]) > limit:
            errors[name] = _("at most {limit} characters").format(limit=limit)
    if "subject" in values and not (values["subject"] or values.get("notes")):
        errors["subject"] = _("say what it was about (a subject or notes)")
    if errors:
        raise ValidationError(errors)
    return values


def _when(value: dt.datetime | str | None, field: str, default: dt.datetime | None
          ) -> dt.datetime | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    if isinstance(value, dt.datetime):
        return value.replace(microsecond=0)
    try:
        return parse_when(value, clock.now())
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None


def _follow_up(op: Op, activity_id: int, customer_id: int | None, user_id: int,
               subject: str, next_step: str, due: dt.datetime | str | None) -> int:
    """The next step's follow-up reminder (a nested operation: the same transaction)."""
    from . import reminders

    at = clock.now()
    days = settings.value(settings.FOLLOW_UP_DAYS)
    default = dt.datetime.combine(at.date() + dt.timedelta(days=days), dt.time(9, 0))
    when = _when(due, "next_due", default) or default
    title = " ".join(next_step.split())
    if len(title) > reminders.MAX_TITLE:
        title = title[: reminders.MAX_TITLE - 1] + "…"
    row = reminders.create_reminder(
        op.actor, title=title, due_at=when, assignee=user_id, kind=ReminderKind.FOLLOW_UP,
        notes=f"{subject}\n{next_step}".strip(), customer_id=customer_id,
        link_type="activity", link_id=activity_id)
    return row.id


@operation("customer.edit", scoped={"customer_id": CUSTOMERS})
def add_activity(
    op: Op,
    customer_id: int | None,
    kind: ActivityKind | str,
    *,
    subject: str = "",
    notes: str = "",
    outcome: str = "",
    next_step: str = "",
    next_due: dt.datetime | str | None = None,
    at: dt.datetime | str | None = None,
    user_id: int | None = None,
    link_type: str = "",
    link_id: int | None = None,
) -> ActivityRow:
    """Log one contact. ``user_id`` (who made it) defaults to the actor; ``at`` to now. A
    ``next_step`` makes its follow-up reminder (due ``next_due``) in the same transaction."""
    values = _clean({"kind": kind, "subject": subject, "notes": notes, "outcome": outcome,
                     "next_step": next_step})
    when = _when(at, "at", clock.now().replace(microsecond=0))
    who = user_id if user_id is not None else op.actor.id
    if who != op.actor.id and not User.select().where(User.id == who).exists():
        raise ValidationError({"user": _("no user #{who}").format(who=who)})
    activity = Activity.create(
        **values, at=when, user=who, customer=customer_id, link_type=link_type or "",
        link_id=link_id, created_at=clock.now(),
    )
    follow = None
    if values["next_step"]:
        if who is None:
            raise ValidationError({"next_step": _("a next step needs a user to follow it up")})
        follow = _follow_up(op, activity.id, customer_id, who, values["subject"],
                            values["next_step"], next_due)
        Activity.update(follow_up=follow).where(Activity.id == activity.id).execute()
    op.audit("activity", activity.id, "create",
             {"kind": values["kind"], "customer": customer_id, "subject": values["subject"],
              "at": when, "next_step": values["next_step"], "follow_up": follow})
    return _loaded(activity.id)


def _editable(op: Op, activity_id: int) -> ActivityRow:
    """The activity, if the actor reaches its customer and logged it (or may edit all)."""
    row = _loaded(activity_id)
    if row.customer_id is not None:
        query = Customer.select().where(Customer.id == row.customer_id)
        where = customer_scope_where(op.actor)
        if where is not None and not query.where(where).exists():
            raise NotFound(_("activity #{activity_id} does not exist or is not yours").format(
                             activity_id=activity_id))
    if row.user_id != op.actor.id:
        op.require("activity.edit_all")
    return row


@operation("customer.edit")
def update_activity(
    op: Op,
    activity_id: int,
    *,
    kind: ActivityKind | str | None = None,
    subject: str | None = None,
    notes: str | None = None,
    outcome: str | None = None,
    next_step: str | None = None,
    next_due: dt.datetime | str | None = None,
    at: dt.datetime | str | None = None,
) -> ActivityRow:
    """Change what is given (None: unchanged). A next step given to an activity that has no
    follow-up yet makes one (same transaction); an existing follow-up is left as it is (it
    may be done already, or moved by its owner)."""
    row = _editable(op, activity_id)
    given = {"kind": kind, "subject": subject, "notes": notes, "outcome": outcome,
             "next_step": next_step}
    values: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if "notes" in values and "subject" not in values:
        values["subject"] = row.subject
    values = _clean(values)
    if at is not None:
        values["at"] = _when(at, "at", row.at)
    changes: dict[str, tuple[Any, Any]] = {
        name: (getattr(row, name), new) for name, new in values.items()
        if getattr(row, name) != new}
    if values.get("next_step") and row.follow_up_id is None and row.user_id is not None:
        follow = _follow_up(op, row.id, row.customer_id, row.user_id,
                            values.get("subject", row.subject), values["next_step"], next_due)
        values["follow_up"] = follow
        changes["follow_up"] = (None, follow)
    if changes:
        Activity.update(**values, updated_at=clock.now()).where(
            Activity.id == row.id).execute()
        op.audit("activity", row.id, "update", changes)
    return _loaded(activity_id)


@reader("customer.view")
def get_activity(op: Op, activity_id: int) -> ActivityRow:
    """One activity the actor may read (its customer within reach)."""
    row = _loaded(activity_id)
    if row.customer_id is not None:
        where = customer_scope_where(op.actor)
        if where is not None and not (Customer.select().where(Customer.id == row.customer_id)
                                      .where(where).exists()):
            raise NotFound(_("activity #{activity_id} does not exist or is not yours").format(
                             activity_id=activity_id))
    elif row.user_id != op.actor.id:
        op.require("activity.edit_all")
    return row


@reader("customer.view", scoped={"customer_id": CUSTOMERS})
def list_for_customer(op: Op, customer_id: int, limit: int = 200) -> list[ActivityRow]:
    """A customer's activities, newest first (the customer/at index serves it)."""
    return _rows(_select().where(Activity.customer == customer_id)
                 .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))


@reader(None)
def list_for_user(op: Op, user_id: int | None = None, limit: int = 200) -> list[ActivityRow]:
    """What one user logged (default: the actor), newest first; others' need
    ``customer.view_all``."""
    target = op.actor.id if user_id is None else user_id
    if target != op.actor.id:
        op.require("customer.view_all")
    return _rows(_select().where(Activity.user == target)
                 .order_by(Activity.at.desc(), Activity.id.desc()).limit(limit))


@operation(None)
def complete_and_log(
    op: Op,
    reminder_id: int,
    kind: ActivityKind | str,
    *,
    subject: str = "",
    notes: str = "",
    outcome: str = "",
    next_step: str = "",
    next_due: dt.datetime | str | None = None,
) -> tuple[Any, ActivityRow]:
    """Done, and "log what happened": the reminder marked done (a repeating one gets its
    next occurrence), an activity on its customer, and the next step's follow-up, all in one
    transaction. Returns (the reminder, the activity)."""
    from . import reminders
    from .reminder_rows import loaded

    reminder = reminders._changeable(op, reminder_id)
    reminders._complete(op, reminder, clock.now())
    activity = add_activity(
        op.actor, reminder.customer_id, kind, subject=subject or reminder.title, notes=notes,
        outcome=outcome, next_step=next_step, next_due=next_due, link_type="reminder",
        link_id=reminder.id)
    return loaded(reminder_id), activity
