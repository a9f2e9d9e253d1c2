"""Reminders and tasks: create, edit, done, done-and-follow-up, snooze, cancel, repeat (SPEC
S2, S3), and (from ``reminder_rows``) the reads: ``get_reminder``, ``follow_up_draft``,
``coming_due``, ``assignable_users``.

Who may change a reminder: its assignee and its creator; anyone else needs
``reminder.assign`` (managers). Making one for someone else needs ``reminder.assign`` too.
A customer named on a reminder must be within the actor's reach (``parties.scope``).
Every operation is one transaction and returns ``ReminderRow``s; the time arithmetic is in
``schedule``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ...i18n import _
from ..core import clock, settings
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.operation import Op, operation
from ..core.vocab import ReminderStatus, shown_word
from ..models.activity import Reminder
from ..models.users import User
from ..parties.scope import CUSTOMERS, customer_id_by_code
from .reminder_rows import (
    MAX_TITLE,
    FollowUpDraft,
    ReminderRow,
    assignable_users,
    check_may_change,
    coming_due,
    follow_up_draft,
    follow_up_title,
    get_reminder,
    loaded,
)
from .schedule import follow_up_due, lead_minutes, next_due_after, parse_when, snooze_until
from .vocab import ReminderKind, Repeat, Snooze

MAX_NOTES = 10_000
OPEN = ReminderStatus.OPEN

__all__ = [
    "MAX_NOTES",
    "MAX_TITLE",
    "FollowUpDraft",
    "ReminderRow",
    "assignable_users",
    "cancel_reminder",
    "coming_due",
    "complete",
    "complete_and_follow_up",
    "create_reminder",
    "follow_up_draft",
    "follow_up_title",
    "get_reminder",
    "snooze",
    "update_reminder",
]


# -- checks ------------------------------------------------------------------------------------


def _changeable(op: Op, reminder_id: int) -> ReminderRow:
    """The reminder, if it exists (``NotFound``) and the actor may change it. Writes to it
    go through ``_guarded_update``, conditional on the version read here."""
    row = loaded(reminder_id)
    check_may_change(op, row)
    return row


def _when(value: dt.datetime | str | None, field: str, at: dt.datetime) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value.replace(microsecond=0) if value else None
    if not value.strip():
        return None
    try:
        return parse_when(value, at)
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None


def _assignee(op: Op, value: int | str | None) -> int:
    """The id of an active user given by id or user name (default: the actor)."""
    if value is None or value == "":
        if op.actor.id is None:
            raise ValidationError({"assignee": _("say whose reminder it is")})
        return op.actor.id
    if isinstance(value, str) and not value.strip().isdigit():
        user = User.get_or_none(User.username == value.strip().lower())
    else:
        user = User.get_or_none(User.id == int(value))
    if user is None:
        raise ValidationError({"assignee": _("no user {value!r}").format(value=value)})
    if not user.active:
        raise ValidationError({"assignee": _("{username} is disabled").format(
                                             username=user.username)})
    return int(user.id)


def _customer_by_code(op: Op, code: str) -> int | None:
    """A customer by code as typed (case-insensitive) within the actor's reach; empty is
    none. One the actor may not see is "no customer", like one that does not exist."""
    text = (code or "").strip()
    if not text:
        return None
    found = customer_id_by_code(op.actor, text)
    if found is None:
        raise ValidationError({"customer": _("no customer with code {code!r}").format(code=code)})
    return found


def _text(values: dict[str, Any]) -> dict[str, Any]:
    """Title, notes, kind and repeat, cleaned and checked (``ValidationError`` per field)."""
    errors: dict[str, str] = {}
    if "title" in values:
        values["title"] = " ".join((values["title"] or "").split())
        if not values["title"]:
            errors["title"] = _("a title is required")
        elif len(values["title"]) > MAX_TITLE:
            errors["title"] = _("at most {MAX_TITLE} characters").format(MAX_TITLE=MAX_TITLE)
    if "notes" in values:
        values["notes"] = (values["notes"] or "").strip()
        if len(values["notes"]) > MAX_NOTES:
            errors["notes"] = _("at most {MAX_NOTES} characters").format(MAX_NOTES=MAX_NOTES)
    for name, enum in (("kind", ReminderKind), ("repeat", Repeat)):
        if name in values:
            try:
                values[name] = enum(values[name]).value
            except ValueError:
                errors[name] = _("one of: {join}").format(join=', '.join(m.value for m in enum))
    if errors:
        raise ValidationError(errors)
    return values


# -- writing -----------------------------------------------------------------------------------


def _insert(op: Op, values: dict[str, Any], at: dt.datetime) -> Reminder:
    reminder = Reminder.create(**values, created_at=at, updated_at=at)
    op.audit("reminder", reminder.id, "create",
             {"title": reminder.title, "assignee": values["assignee"],
              "due_at": values["due_at"], "remind_at": values["remind_at"],
              "repeat": values["repeat"], "kind": values["kind"],
              "customer": values.get("customer"), "follows": values.get("follows")})
    return reminder


@operation(None, scoped={"customer_id": CUSTOMERS})
def create_reminder(
    op: Op,
    *,
    title: str,
    due_at: dt.datetime | str,
    remind_at: dt.datetime | str | None = None,
    assignee: int | str | None = None,
    kind: ReminderKind | str = ReminderKind.REMINDER,
    notes: str = "",
    repeat: Repeat | str = Repeat.NONE,
    customer_id: int | None = None,
    customer_code: str = "",
    link_type: str = "",
    link_id: int | None = None,
) -> ReminderRow:
    """A new reminder for ``assignee`` (an id or user name; default: the actor). For someone
    else the actor needs ``reminder.assign``. ``remind_at`` defaults to the due time. The
    customer is given by id or by code as typed."""
    at = clock.now()
    values = _text({"title": title, "notes": notes, "kind": kind, "repeat": repeat})
    due = _when(due_at, "due_at", at)
    if due is None:
        raise ValidationError({"due_at": _("a due date is required")})
    remind = _when(remind_at, "remind_at", at) or due
    user_id = _assignee(op, assignee)
    if user_id != op.actor.id:
        op.require("reminder.assign")
    if customer_id is None:
        customer_id = _customer_by_code(op, customer_code)
    reminder = _insert(op, dict(
        values, assignee=user_id, created_by=op.actor.id, customer=customer_id,
        link_type=link_type or "", link_id=link_id, due_at=due, remind_at=remind,
        lead_minutes=lead_minutes(due, remind),
        repeat_day=due.day if Repeat(values["repeat"]).keeps_day else None,
    ), at)
    return loaded(reminder.id)


def _guarded_update(reminder: ReminderRow, changes: dict[str, Any], *, open_only: bool) -> None:
    """Write ``changes`` if nobody changed the reminder since it was read (and it is still
    open when ``open_only``); ``Conflict`` otherwise. The conditional UPDATE is the row lock:
    of two sessions pressing done at once, one wins."""
    changes = dict(changes, version=reminder.version + 1, updated_at=clock.now())
    cond = (Reminder.id == reminder.id) & (Reminder.version == reminder.version)
    if open_only:
        cond &= Reminder.status == OPEN
    if Reminder.update(**changes).where(cond).execute() != 1:
        fresh = Reminder.get_or_none(Reminder.id == reminder.id)
        if fresh is None:
            raise NotFound(_("reminder #{id} was deleted by someone else").format(id=reminder.id))
        if open_only and fresh.status != OPEN:
            raise Conflict(_("reminder {title!r} is already {status}").format(
                             title=fresh.title,
                             status=shown_word(fresh.status)))
        raise Conflict(_("reminder {title!r} was changed by someone else; look again").format(
                         title=fresh.title))


@operation(None, scoped={"customer_id": CUSTOMERS})
def update_reminder(
    op: Op,
    reminder_id: int,
    *,
    version: int | None = None,
    title: str | None = None,
    notes: str | None = None,
    kind: ReminderKind | str | None = None,
    due_at: dt.datetime | str | None = None,
    remind_at: dt.datetime | str | None = None,
    repeat: Repeat | str | None = None,
    assignee: int | str | None = None,
    customer_id: int | None = None,
    customer_code: str | None = None,
    link_type: str | None = None,
    link_id: int | None = None,
) -> ReminderRow:
    """Change what is given (None: unchanged). ``remind_at=""`` rings at the due time;
    ``customer_code=""`` takes the customer off. A new due time keeps the lead (the reminder
    still rings as long before). ``version`` (from when it was read) refuses a stale save."""
    at = clock.now()
    reminder = _changeable(op, reminder_id)
    if version is not None and version != reminder.version:
        raise Conflict(_("reminder {title!r} was changed by someone else; look again").format(
                         title=reminder.title))
    given = {"title": title, "notes": notes, "kind": kind, "repeat": repeat}
    values = _text({k: v for k, v in given.items() if v is not None})
    if link_type is not None:
        values["link_type"] = link_type
    if link_id is not None:
        values["link_id"] = link_id
    due = reminder.due_at
    if due_at is not None:
        new_due = _when(due_at, "due_at", at)
        if new_due is None:
            raise ValidationError({"due_at": _("a due date is required")})
        due = values["due_at"] = new_due
    remind = reminder.remind_at or reminder.due_at
    if remind_at is not None:
        remind = values["remind_at"] = _when(remind_at, "remind_at", at) or due
    elif due != reminder.due_at:
        remind = values["remind_at"] = due - dt.timedelta(minutes=reminder.lead_minutes)
    if "due_at" in values or "remind_at" in values:
        values["lead_minutes"] = lead_minutes(due, remind)
    if "due_at" in values or "repeat" in values:
        keeps_day = Repeat(values.get("repeat", reminder.repeat)).keeps_day
        values["repeat_day"] = due.day if keeps_day else None
    if assignee is not None:
        user_id = _assignee(op, assignee)
        if user_id not in (op.actor.id, reminder.assignee_id):
            op.require("reminder.assign")
        values["assignee"] = user_id
    if customer_id is not None:
        values["customer"] = customer_id
    elif customer_code is not None:
        values["customer"] = _customer_by_code(op, customer_code)
    changes = _diff(reminder, values)
    if changes:
        _guarded_update(reminder, values, open_only=False)
        op.audit("reminder", reminder.id, "update", changes)
    return loaded(reminder_id)


def _diff(reminder: ReminderRow, values: dict[str, Any]) -> dict[str, tuple[Any, Any]]:
    out: dict[str, tuple[Any, Any]] = {}
    for name, new in values.items():
        old = getattr(reminder, f"{name}_id" if name in ("assignee", "customer") else name)
        if old != new:
            out[name] = (old, new)
    return out


def _complete(op: Op, reminder: ReminderRow, at: dt.datetime) -> int | None:
    """Mark done; a repeating reminder gets its next occurrence (its id is returned)."""
    _guarded_update(reminder, {"status": ReminderStatus.DONE.value, "done_at": at},
                    open_only=True)
    op.audit("reminder", reminder.id, "done", {"status": (OPEN.value, "done")})
    if reminder.repeat == Repeat.NONE:
        return None
    due = next_due_after(reminder.due_at, reminder.repeat, reminder.repeat_day, at)
    nxt = _insert(op, dict(
        kind=reminder.kind, title=reminder.title, notes=reminder.notes,
        assignee=reminder.assignee_id, created_by=reminder.created_by_id,
        customer=reminder.customer_id, link_type=reminder.link_type, link_id=reminder.link_id,
        due_at=due, remind_at=due - dt.timedelta(minutes=reminder.lead_minutes),
        lead_minutes=reminder.lead_minutes, repeat=reminder.repeat,
        repeat_day=reminder.repeat_day, follows=reminder.id,
    ), at)
    return int(nxt.id)


def _maybe(reminder_id: int | None) -> ReminderRow | None:
    return None if reminder_id is None else loaded(reminder_id)


@operation(None)
def complete(op: Op, reminder_id: int) -> tuple[ReminderRow, ReminderRow | None]:
    """Done. Returns the reminder and, for a repeating one, its next occurrence. Done twice
    (two sessions at once) is refused, so a series never gets two next occurrences."""
    nxt = _complete(op, _changeable(op, reminder_id), clock.now())
    return loaded(reminder_id), _maybe(nxt)


@operation(None)
def complete_and_follow_up(
    op: Op,
    reminder_id: int,
    *,
    title: str | None = None,
    due_at: dt.datetime | str | None = None,
    notes: str | None = None,
) -> tuple[ReminderRow, ReminderRow | None, ReminderRow]:
    """Done, and a follow-up (type follow-up, same assignee and customer), due ``due_at`` or
    ``reminder.follow_up_days`` from today at the same clock time. Returns the reminder, its
    next occurrence if it repeats, and the follow-up."""
    at = clock.now()
    reminder = _changeable(op, reminder_id)
    if reminder.assignee_id != op.actor.id:
        op.require("reminder.assign")  # the follow-up is made for someone else
    due = _when(due_at, "due_at", at) if due_at is not None else None
    due = due or follow_up_due(reminder.due_at, settings.value(settings.FOLLOW_UP_DAYS), at)
    values = _text({"title": follow_up_title(reminder.title) if title is None else title,
                    "notes": reminder.notes if notes is None else notes,
                    "kind": ReminderKind.FOLLOW_UP, "repeat": Repeat.NONE})
    nxt = _complete(op, reminder, at)
    # The customer was on the reminder already: it follows it, whoever's it is now.
    follow = _insert(op, dict(
        values, assignee=reminder.assignee_id, created_by=op.actor.id,
        customer=reminder.customer_id, link_type=reminder.link_type, link_id=reminder.link_id,
        due_at=due, remind_at=due, lead_minutes=0, repeat_day=None, follows=reminder.id,
    ), at)
    return loaded(reminder_id), _maybe(nxt), loaded(follow.id)


@operation(None)
def snooze(op: Op, reminder_id: int, option: Snooze | str | dt.datetime) -> ReminderRow:
    """Move the reminder time (never the due date): ``hour``, ``tomorrow`` (09:00), ``week``
    (in 7 days, 09:00), or a given time."""
    at = clock.now()
    until = option if isinstance(option, dt.datetime) else snooze_until(option, at)
    reminder = _changeable(op, reminder_id)
    if reminder.status != OPEN:
        raise Conflict(_("reminder {title!r} is already {status}").format(
                         title=reminder.title,
                         status=shown_word(reminder.status)))
    _guarded_update(reminder, {"remind_at": until}, open_only=True)
    op.audit("reminder", reminder.id, "snooze", {"remind_at": (reminder.remind_at, until)})
    return loaded(reminder_id)


@operation(None)
def cancel_reminder(op: Op, reminder_id: int) -> ReminderRow:
    """Drop a reminder without doing it (kept, status ``cancelled``; no next occurrence)."""
    reminder = _changeable(op, reminder_id)
    _guarded_update(reminder, {"status": ReminderStatus.CANCELLED.value}, open_only=True)
    op.audit("reminder", reminder.id, "cancel",
             {"status": (OPEN.value, ReminderStatus.CANCELLED.value)})
    return loaded(reminder_id)
