"""Reminders and tasks, the activities log, and announcements (SPEC S2-S5).

Times are naive local wall-clock times, like every other timestamp here (``base.now``): a
reminder "at 09:00" stays at 09:00 across a daylight-saving change.
"""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import BaseModel, Versioned, now
from .parties import Customer
from .users import User


class Reminder(Versioned):
    """A reminder or task of one user (the assignee).

    ``due_at`` is when the thing is due; ``remind_at`` when to raise the notification (snooze
    moves only this). ``lead_minutes`` is how long before the due time the reminder rings, kept
    so that the next occurrence of a repeating reminder rings as early. ``repeat_day`` is the
    day of the month the series started on, so a monthly reminder from Jan 31 goes to Feb 28
    and back to Mar 31. Besides the customer, ``link_type``/``link_id`` can point at an order, a
    service record or a stock count once those exist.
    """

    id = AutoField()
    kind = CharField(default="reminder")  # reminder | task | work_plan | market_task | follow_up
    title = CharField()
    notes = TextField(default="")
    assignee = ForeignKeyField(User, backref="reminders", on_delete="RESTRICT")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    customer = ForeignKeyField(Customer, null=True, backref="reminders", on_delete="RESTRICT")
    link_type = CharField(default="")  # "" | order | service | count (later)
    link_id = IntegerField(null=True)
    due_at = DateTimeField(index=True)  # the Reminders list's order (migration 0007)
    remind_at = DateTimeField(null=True)
    lead_minutes = IntegerField(default=0)
    repeat = CharField(default="none")  # none | daily | weekly | monthly | yearly
    repeat_day = IntegerField(null=True)
    status = CharField(default="open")  # open | done | cancelled
    done_at = DateTimeField(null=True)
    follows = ForeignKeyField("self", null=True, backref="followers", on_delete="SET NULL")

    class Meta:
        indexes = (
            (("assignee", "status", "due_at"), False),
            (("assignee", "status", "remind_at"), False),
            (("link_type", "link_id"), False),
        )


class Activity(BaseModel):
    """One contact with a customer: a call, visit, e-mail or meeting, and how it went."""

    id = AutoField()
    kind = CharField()  # call | visit | email | meeting | wechat
    at = DateTimeField(default=now)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    customer = ForeignKeyField(Customer, null=True, backref="activities", on_delete="RESTRICT")
    link_type = CharField(default="")
    link_id = IntegerField(null=True)
    subject = CharField(default="")
    notes = TextField(default="")
    outcome = TextField(default="")
    next_step = TextField(default="")
    # The follow-up reminder its next step made (migration 0040).
    follow_up = ForeignKeyField(Reminder, null=True, on_delete="SET NULL")
    created_at = DateTimeField(default=now)
    updated_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("customer", "at"), False), (("user", "at"), False))


class Announcement(BaseModel):
    """A notice for everyone, one role, or chosen users (``AnnouncementTarget`` rows)."""

    id = AutoField()
    title = CharField()
    body = TextField(default="")
    author = ForeignKeyField(User, null=True, on_delete="SET NULL")
    posted_at = DateTimeField(default=now, index=True)
    audience = CharField(default="all")  # all | role | users
    audience_role = CharField(default="")


class AnnouncementTarget(BaseModel):
    """A chosen recipient of an announcement whose audience is ``users``."""

    id = AutoField()
    announcement = ForeignKeyField(Announcement, backref="targets", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")

    class Meta:
        indexes = ((("announcement", "user"), True),)


class AnnouncementRead(BaseModel):
    """That a user has seen an announcement (shown once as unread on Today, then listed)."""

    id = AutoField()
    announcement = ForeignKeyField(Announcement, backref="reads", on_delete="CASCADE")
    user = ForeignKeyField(User, on_delete="CASCADE")
    read_at = DateTimeField(default=now)

    class Meta:
        indexes = ((("announcement", "user"), True),)
