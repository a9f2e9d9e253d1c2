"""The activities log (SPEC S2): calls, visits, e-mails and meetings with customers.

The customer screen lists them in its related information (``list_for_customer``); work plans
and market tasks are reminders with a type (see ``vocab.ReminderKind``). A salesperson logs and
reads activities only on the customers within their reach (``parties.scope``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import JOIN

from ..core import clock
from ..core.errors import ValidationError
from ..core.operation import Op, operation, reader
from ..models.activity import Activity
from ..models.parties import Customer
from ..models.users import User
from ..parties.scope import CUSTOMERS
from .vocab import ACTIVITY_LABELS, ActivityKind

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

    @property
    def kind_label(self) -> str:
        return ACTIVITY_LABELS[self.kind]


def _select() -> peewee.ModelSelect[Any]:
    return (Activity.select(Activity.id, Activity.kind, Activity.at, Activity.user,
                            User.username, Activity.customer, Customer.code, Customer.name,
                            Activity.subject, Activity.notes, Activity.outcome)
            .join(User, JOIN.LEFT_OUTER, on=(Activity.user == User.id))
            .switch(Activity)
            .join(Customer, JOIN.LEFT_OUTER, on=(Activity.customer == Customer.id)))


def _rows(query: peewee.ModelSelect[Any]) -> list[ActivityRow]:
    return [
        ActivityRow(aid, ActivityKind(kind), at, user_id, username or "", customer_id,
                    code or "", name or "", subject, notes, outcome)
        for (aid, kind, at, user_id, username, customer_id, code, name, subject, notes,
             outcome) in query.tuples().execute()
    ]


@operation("customer.edit", scoped={"customer_id": CUSTOMERS})
def add_activity(
    op: Op,
    customer_id: int | None,
    kind: ActivityKind | str,
    *,
    subject: str = "",
    notes: str = "",
    outcome: str = "",
    at: dt.datetime | None = None,
    user_id: int | None = None,
    link_type: str = "",
    link_id: int | None = None,
) -> ActivityRow:
    """Log one contact. ``user_id`` (who made it) defaults to the actor; ``at`` to now."""
    errors: dict[str, str] = {}
    try:
        checked_kind = ActivityKind(kind)
    except ValueError:
        errors["kind"] = f"one of: {', '.join(k.value for k in ActivityKind)}"
    subject = " ".join((subject or "").split())
    notes = (notes or "").strip()
    outcome = (outcome or "").strip()
    if len(subject) > MAX_SUBJECT:
        errors["subject"] = f"at most {MAX_SUBJECT} characters"
    if len(notes) > MAX_TEXT:
        errors["notes"] = f"at most {MAX_TEXT} characters"
    if len(outcome) > MAX_TEXT:
        errors["outcome"] = f"at most {MAX_TEXT} characters"
    if not (subject or notes):
        errors["subject"] = "say what it was about (a subject or notes)"
    if errors:
        raise ValidationError(errors)
    who = user_id if user_id is not None else op.actor.id
    if who != op.actor.id and not User.select().where(User.id == who).exists():
        raise ValidationError({"user": f"no user #{who}"})
    activity = Activity.create(
        kind=checked_kind.value, at=(at or clock.now()).replace(microsecond=0), user=who,
        customer=customer_id, link_type=link_type or "", link_id=link_id, subject=subject,
        notes=notes, outcome=outcome, created_at=clock.now(),
    )
    op.audit("activity", activity.id, "create",
             {"kind": checked_kind.value, "customer": customer_id, "subject": subject,
              "at": activity.at})
    return _rows(_select().where(Activity.id == activity.id))[0]


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
