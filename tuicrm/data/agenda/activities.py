"""The activities log (SPEC S2): calls, visits, e-mails and meetings with customers.

The customer screen lists them in its related information (``list_for_customer``); work plans
and market tasks are reminders with a type (see ``reminders.KINDS``).
"""

from __future__ import annotations

import datetime as dt

from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import NotFound, ValidationError
from ..core.permissions import require
from ..models import Activity, Customer, User, now

KINDS: dict[str, str] = {"call": "Call", "visit": "Visit", "email": "E-mail", "meeting": "Meeting"}
MAX_SUBJECT = 200
MAX_TEXT = 10_000


def add_activity(
    actor: Actor,
    customer_id: int | None,
    kind: str,
    *,
    subject: str = "",
    notes: str = "",
    outcome: str = "",
    at: dt.datetime | None = None,
    user: User | int | None = None,
    link_type: str = "",
    link_id: int | None = None,
) -> Activity:
    """Log one contact. ``user`` (who made it) defaults to the actor; ``at`` to now."""
    require(actor, "customer.edit")
    errors: dict[str, str] = {}
    if kind not in KINDS:
        errors["kind"] = f"one of: {', '.join(KINDS)}"
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
    who = user if user is not None else actor
    who_id = who.id if isinstance(who, User | Actor) else who
    with write():
        if customer_id is not None and not Customer.select().where(
            Customer.id == customer_id
        ).exists():
            raise NotFound(f"customer #{customer_id} does not exist")
        activity = Activity.create(
            kind=kind,
            at=(at or now()).replace(microsecond=0),
            user=who_id,
            customer=customer_id,
            link_type=link_type or "",
            link_id=link_id,
            subject=subject,
            notes=notes,
            outcome=outcome,
            created_at=now(),
        )
        audit.record(
            actor, "activity", activity.id, "create",
            {"kind": kind, "customer": customer_id, "subject": subject, "at": activity.at},
        )
    return activity


def list_for_customer(actor: Actor, customer_id: int, limit: int = 200) -> list[Activity]:
    """A customer's activities, newest first."""
    require(actor, "customer.view")
    return list(
        Activity.select()
        .where(Activity.customer == customer_id)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
    )


def list_for_user(actor: User, user_id: int | None = None, limit: int = 200) -> list[Activity]:
    """What one user logged (default: the actor), newest first; others' need
    ``customer.view_all``."""
    target = actor.id if user_id is None else user_id
    if target != actor.id:
        require(actor, "customer.view_all")
    return list(
        Activity.select()
        .where(Activity.user == target)
        .order_by(Activity.at.desc(), Activity.id.desc())
        .limit(limit)
    )
