"""Reminders and tasks: create, edit, done, done-and-follow-up, snooze, repeat (SPEC S2, S3).

Time arithmetic works on naive local wall-clock times (what ``models.now()`` returns), so a
reminder at 09:00 stays at 09:00 across a daylight-saving change; only "+1 hour" is a real
elapsed hour. A monthly or yearly series keeps the day it started on: Jan 31 -> Feb 28 (29 in
a leap year) -> Mar 31, and Feb 29 -> Feb 28 -> ... -> Feb 29 four years on.

Every operation is one write transaction, checks the operator's right itself and writes the
audit trail. ``actor`` None is the command line or set-up code run by the server's owner.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from peewee import fn

from ..core import audit, settings
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from ..core.permissions import allowed, require
from ..models import Customer, Reminder, User, now

KINDS: dict[str, str] = {
    "reminder": "Reminder",
    "task": "Task",
    "work_plan": "Work plan",
    "market_task": "Market task",
    "follow_up": "Follow-up",
}
REPEATS: dict[str, str] = {
    "none": "Once",
    "daily": "Daily",
    "weekly": "Weekly",
    "monthly": "Monthly",
    "yearly": "Yearly",
}
STATUSES = ("open", "done", "cancelled")
SNOOZES: dict[str, str] = {
    "hour": "+1 hour",
    "tomorrow": "Tomorrow 09:00",
    "week": "Next week 09:00",
}
MORNING = dt.time(9, 0)
FOLLOW_UP_DAYS_SETTING = "reminder.follow_up_days"
DEFAULT_FOLLOW_UP_DAYS = 3
MAX_TITLE = 200
MAX_NOTES = 10_000

# -- time arithmetic (no database) ------------------------------------------------------------


def days_in_month(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(when: dt.datetime, months: int, day: int | None = None) -> dt.datetime:
    """``when`` moved by whole months, on ``day`` of the month (default: ``when``'s day), or
    the month's last day when it is shorter. The clock time is kept."""
    index = when.year * 12 + (when.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    if not 1 <= year <= 9999:
        raise ValueError("date out of range")
    wanted = day or when.day
    return when.replace(year=year, month=month, day=min(wanted, days_in_month(year, month)))


def next_due(due: dt.datetime, repeat: str, repeat_day: int | None = None) -> dt.datetime:
    """The occurrence after ``due`` of a series repeating ``repeat``, same wall-clock time."""
    if repeat == "daily":
        return due + dt.timedelta(days=1)
    if repeat == "weekly":
        return due + dt.timedelta(days=7)
    if repeat == "monthly":
        return add_months(due, 1, repeat_day)
    if repeat == "yearly":
        return add_months(due, 12, repeat_day)
    raise ValueError(f"{repeat!r} does not repeat")


def next_due_after(
    due: dt.datetime, repeat: str, repeat_day: int | None, after: dt.datetime
) -> dt.datetime:
    """The first occurrence after ``due`` that is also later than ``after``: a daily reminder
    done three days late comes back once, not three times overdue."""
    nxt = next_due(due, repeat, repeat_day)
    for _ in range(100_000):  # a daily series left for centuries still ends
        if nxt > after:
            return nxt
        nxt = next_due(nxt, repeat, repeat_day)
    return nxt


def plus_real_hours(when: dt.datetime, hours: float) -> dt.datetime:
    """``when`` (naive local) plus elapsed hours, as naive local time: across the spring
    change 01:30 + 1 hour is 03:30, across the autumn one 02:30 may become 02:30 again."""
    aware = when.astimezone()  # interprets the naive time in the machine's zone
    return (aware + dt.timedelta(hours=hours)).astimezone().replace(tzinfo=None)


def snooze_until(option: str, at: dt.datetime) -> dt.datetime:
    """Where a snooze choice moves the reminder time, seen at ``at``."""
    if option == "hour":
        return plus_real_hours(at, 1).replace(microsecond=0)
    if option == "tomorrow":
        return dt.datetime.combine(at.date() + dt.timedelta(days=1), MORNING)
    if option == "week":
        return dt.datetime.combine(at.date() + dt.timedelta(days=7), MORNING)
    raise ValueError(f"unknown snooze {option!r}; one of: {', '.join(SNOOZES)}")


def classify(due: dt.datetime, at: dt.datetime, days_ahead: int = 7) -> str:
    """``overdue`` (due time passed), ``today`` (later today), ``upcoming`` (within
    ``days_ahead`` days) or ``later``."""
    if due < at:
        return "overdue"
    if due.date() == at.date():
        return "today"
    if due.date() <= at.date() + dt.timedelta(days=days_ahead):
        return "upcoming"
    return "later"


_RELATIVE = re.compile(r"^\+\s*(\d+)\s*([hdwm])$")
_DATE_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M", "%Y/%m/%d %H:%M")


def parse_when(text: str, at: dt.datetime | None = None, default_time: dt.time = MORNING
               ) -> dt.datetime:
    """A date/time as typed: ``2026-05-10 14:30``, ``2026-05-10`` (09:00), ``14:30`` (today),
    ``today``, ``tomorrow``, ``+2h``, ``+3d``, ``+1w``, ``+1m``. ``ValueError`` if not."""
    at = at or now()
    s = " ".join((text or "").strip().lower().split())
    if not s:
        raise ValueError("a date is required (e.g. 2026-05-10 14:30, tomorrow, +3d)")
    words = s.split(" ", 1)
    if words[0] in ("today", "tomorrow"):
        day = at.date() + dt.timedelta(days=1 if words[0] == "tomorrow" else 0)
        clock = _parse_clock(words[1]) if len(words) > 1 else default_time
        return dt.datetime.combine(day, clock)
    m = _RELATIVE.match(s)
    if m:
        n, unit = int(m.group(1)), m.group(2)
        if unit == "h":
            return plus_real_hours(at, n).replace(second=0, microsecond=0)
        if unit == "m":
            return add_months(at, n).replace(second=0, microsecond=0)
        days = n * (7 if unit == "w" else 1)
        return (at + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    if re.fullmatch(r"\d{1,2}:\d{2}", s):
        return dt.datetime.combine(at.date(), _parse_clock(s))
    for fmt in _DATE_FORMATS:
        try:
            return dt.datetime.strptime(s, fmt)
        except ValueError:
            pass
    for fmt in ("%Y-%m-%d", "%Y/%m/%d"):
        try:
            return dt.datetime.combine(dt.datetime.strptime(s, fmt).date(), default_time)
        except ValueError:
            pass
    raise ValueError(f"not a date/time: {text!r} (use YYYY-MM-DD HH:MM, tomorrow, +3d)")


def _parse_clock(text: str) -> dt.time:
    try:
        return dt.datetime.strptime(text.strip(), "%H:%M").time()
    except ValueError:
        raise ValueError(f"not a time: {text!r} (use HH:MM)") from None


def fmt_when(when: dt.datetime | None, at: dt.datetime | None = None) -> str:
    """Short and unambiguous: ``today 14:30``, ``tomorrow 09:00``, ``Mon 05-11 09:00``
    (within a week), else ``2026-06-01 09:00``."""
    if when is None:
        return ""
    at = at or now()
    days = (when.date() - at.date()).days
    clock = f"{when:%H:%M}"
    if days == 0:
        return f"today {clock}"
    if days == 1:
        return f"tomorrow {clock}"
    if days == -1:
        return f"yesterday {clock}"
    if 1 < days <= 6:
        return f"{when:%a %m-%d} {clock}"
    return f"{when:%Y-%m-%d} {clock}"


def due_note(due: dt.datetime, at: dt.datetime | None = None) -> str:
    """``overdue by 2 days`` / ``3 h`` / ``20 min``, or when it is due from now."""
    at = at or now()
    if due >= at:
        days = (due.date() - at.date()).days
        return fmt_when(due, at).split(" ")[0] if days <= 1 else f"in {days} days"
    late = at - due
    if late >= dt.timedelta(days=1):
        n = late.days
        return f"overdue by {n} day{'s' if n > 1 else ''}"
    if late >= dt.timedelta(hours=1):
        return f"overdue by {late.seconds // 3600} h"
    return f"overdue by {max(1, late.seconds // 60)} min"


def default_due(at: dt.datetime | None = None) -> dt.datetime:
    """What a new reminder's due time starts as: today 17:00, or tomorrow 09:00 after 16:00."""
    at = at or now()
    if at.time() < dt.time(16, 0):
        return dt.datetime.combine(at.date(), dt.time(17, 0))
    return dt.datetime.combine(at.date() + dt.timedelta(days=1), MORNING)


def follow_up_days() -> int:
    try:
        days = int(settings.get(FOLLOW_UP_DAYS_SETTING) or DEFAULT_FOLLOW_UP_DAYS)
    except ValueError:
        days = DEFAULT_FOLLOW_UP_DAYS
    return max(0, days)


def default_follow_up_due(reminder: Reminder, at: dt.datetime | None = None) -> dt.datetime:
    """``follow_up_days`` (setting, default 3) from today, at the reminder's clock time."""
    at = at or now()
    day = at.date() + dt.timedelta(days=follow_up_days())
    return dt.datetime.combine(day, reminder.due_at.time().replace(second=0, microsecond=0))


# -- checks -------------------------------------------------------------------------------------


def _require_active(actor: Actor) -> None:
    if actor.system:
        return
    active = User.select(User.active).where(User.id == actor.id).scalar()
    if not active:
        raise PermissionDenied(f"{actor.username} is not an active user")


def _require_may_change(actor: Actor, reminder: Reminder) -> None:
    """The assignee and the creator may change a reminder; others need ``reminder.assign``."""
    _require_active(actor)
    if actor.system or actor.id in (reminder.assignee_id, reminder.created_by_id):
        return
    require(actor, "reminder.assign")


def _changeable(actor: Actor, reminder_id: int) -> Reminder:
    """The reminder, if it exists (``NotFound``) and ``actor`` may change it."""
    reminder = Reminder.get_or_none(Reminder.id == reminder_id)
    if reminder is None:
        raise NotFound(f"reminder #{reminder_id} does not exist")
    _require_may_change(actor, reminder)
    return reminder


def _when(value: dt.datetime | str | None, field: str, at: dt.datetime) -> dt.datetime | None:
    if value is None or isinstance(value, dt.datetime):
        return value.replace(microsecond=0) if value else None
    if isinstance(value, str) and not value.strip():
        return None
    try:
        return parse_when(value, at)
    except ValueError as e:
        raise ValidationError({field: str(e)}) from None


def _resolve_user(value: int | str | User | None, actor: Actor) -> User:
    if isinstance(value, User | Actor):
        value = value.id
    if value in (None, ""):
        if actor.system:
            raise ValidationError({"assignee": "say whose reminder it is"})
        return User.get_by_id(actor.id)
    if isinstance(value, str) and not value.isdigit():
        user = User.get_or_none(User.username == value.strip().lower())
    else:
        user = User.get_or_none(User.id == int(value))
    if user is None:
        raise ValidationError({"assignee": f"no user {value!r}"})
    if not user.active:
        raise ValidationError({"assignee": f"{user.username} is disabled"})
    return user


def _resolve_customer(value: int | str | Customer | None) -> Customer | None:
    """A customer by id, or by code as typed (case-insensitive); empty is none."""
    if isinstance(value, Customer):
        return value
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, int):
        customer = Customer.get_or_none(Customer.id == value)
    else:
        code = value.strip()
        customer = Customer.get_or_none(Customer.code == code) or Customer.get_or_none(
            fn.LOWER(Customer.code) == code.lower()
        )
    if customer is None:
        raise ValidationError({"customer": f"no customer with code {value!r}"})
    return customer


def _clean(values: dict[str, Any]) -> dict[str, Any]:
    errors: dict[str, str] = {}
    if "title" in values:
        values["title"] = " ".join((values["title"] or "").split())
        if not values["title"]:
            errors["title"] = "a title is required"
        elif len(values["title"]) > MAX_TITLE:
            errors["title"] = f"at most {MAX_TITLE} characters"
    if "notes" in values:
        values["notes"] = (values["notes"] or "").strip()
        if len(values["notes"]) > MAX_NOTES:
            errors["notes"] = f"at most {MAX_NOTES} characters"
    if "kind" in values and values["kind"] not in KINDS:
        errors["kind"] = f"one of: {', '.join(KINDS)}"
    if "repeat" in values and values["repeat"] not in REPEATS:
        errors["repeat"] = f"one of: {', '.join(REPEATS)}"
    if errors:
        raise ValidationError(errors)
    return values


def _lead(due: dt.datetime, remind: dt.datetime) -> int:
    return max(0, int((due - remind).total_seconds() // 60))


# -- reading ------------------------------------------------------------------------------------


def get_reminder(actor: Actor, reminder_id: int) -> Reminder:
    reminder = Reminder.get_or_none(Reminder.id == reminder_id)
    if reminder is None:
        raise NotFound(f"reminder #{reminder_id} does not exist")
    if not actor.system and actor.id not in (reminder.assignee_id, reminder.created_by_id):
        require(actor, "reminder.assign")
    return reminder


def open_for_user(user: User, until: dt.datetime) -> list[Reminder]:
    """The user's open reminders due before ``until`` (overdue ones included), by due time."""
    return list(
        Reminder.select()
        .where(
            (Reminder.assignee == user.id)
            & (Reminder.status == "open")
            & (Reminder.due_at < until)
        )
        .order_by(Reminder.due_at, Reminder.id)
    )


def coming_due(user: User, after: dt.datetime, until: dt.datetime) -> list[Reminder]:
    """Open reminders of ``user`` whose reminder time falls in (``after``, ``until``]: what the
    app notifies about while it runs."""
    return list(
        Reminder.select()
        .where(
            (Reminder.assignee == user.id)
            & (Reminder.status == "open")
            & (Reminder.remind_at > after)
            & (Reminder.remind_at <= until)
        )
        .order_by(Reminder.remind_at, Reminder.id)
    )


def list_reminders(
    actor: User,
    *,
    status: str | None = "open",
    everyone: bool = False,
    limit: int = 500,
) -> list[Reminder]:
    """The actor's reminders (assigned to or created by them), or everyone's with
    ``reminder.assign``; open ones by due time, others newest first."""
    query = Reminder.select()
    if everyone:
        require(actor, "reminder.assign")
    else:
        query = query.where(
            (Reminder.assignee == actor.id) | (Reminder.created_by == actor.id)
        )
    if status:
        query = query.where(Reminder.status == status)
        order = (Reminder.due_at, Reminder.id) if status == "open" else (
            Reminder.due_at.desc(), Reminder.id.desc())
    else:
        order = (Reminder.status.desc(), Reminder.due_at, Reminder.id)  # open first
    return list(query.order_by(*order).limit(limit))


def describe(reminder: Reminder) -> str:
    """A plain-text summary of a reminder for a dialog or a report."""
    lines = [reminder.title, ""]
    lines.append(f"Type:      {KINDS.get(reminder.kind, reminder.kind)}")
    lines.append(f"Due:       {reminder.due_at:%Y-%m-%d %H:%M}  ({due_note(reminder.due_at)})")
    if reminder.remind_at and reminder.remind_at != reminder.due_at:
        lines.append(f"Remind at: {reminder.remind_at:%Y-%m-%d %H:%M}")
    if reminder.repeat != "none":
        lines.append(f"Repeats:   {REPEATS[reminder.repeat].lower()}")
    lines.append(f"For:       {reminder.assignee.display_name}")
    if reminder.created_by_id and reminder.created_by_id != reminder.assignee_id:
        lines.append(f"From:      {reminder.created_by.display_name}")
    if reminder.customer_id:
        lines.append(f"Customer:  {reminder.customer.code} {reminder.customer.name}")
    if reminder.link_type:
        lines.append(f"Refers to: {reminder.link_type} #{reminder.link_id}")
    lines.append(f"Status:    {reminder.status}")
    if reminder.notes:
        lines += ["", reminder.notes]
    return "\n".join(lines)


# -- writing ------------------------------------------------------------------------------------


def create_reminder(
    actor: Actor,
    *,
    title: str,
    due_at: dt.datetime | str,
    remind_at: dt.datetime | str | None = None,
    assignee: int | str | User | None = None,
    kind: str = "reminder",
    notes: str = "",
    repeat: str = "none",
    customer: int | str | Customer | None = None,
    link_type: str = "",
    link_id: int | None = None,
    follows: int | None = None,
) -> Reminder:
    """A new reminder for ``assignee`` (default: the actor). For someone else the actor needs
    ``reminder.assign``. ``remind_at`` defaults to the due time."""
    _require_active(actor)
    at = now()
    values = _clean({"title": title, "notes": notes, "kind": kind, "repeat": repeat})
    due = _when(due_at, "due_at", at)
    if due is None:
        raise ValidationError({"due_at": "a due date is required"})
    remind = _when(remind_at, "remind_at", at) or due
    with write():
        user = _resolve_user(assignee, actor)
        if not actor.system and user.id != actor.id:
            require(actor, "reminder.assign")
        cust = _resolve_customer(customer)
        reminder = Reminder.create(
            **values,
            assignee=user.id,
            created_by=actor.id,
            customer=cust.id if cust else None,
            link_type=link_type or "",
            link_id=link_id,
            due_at=due,
            remind_at=remind,
            lead_minutes=_lead(due, remind),
            repeat_day=due.day if values["repeat"] in ("monthly", "yearly") else None,
            follows=follows,
            created_at=at,
            updated_at=at,
        )
        audit.record(
            actor, "reminder", reminder.id, "create",
            {"title": reminder.title, "assignee": user.username, "due_at": due,
             "remind_at": remind, "repeat": reminder.repeat, "kind": reminder.kind,
             "customer": cust.id if cust else None},
        )
    return reminder


def _guarded_update(reminder: Reminder, changes: dict[str, Any], *, open_only: bool) -> None:
    """Write ``changes`` if nobody changed the reminder since it was read (and it is still
    open when ``open_only``); ``Conflict`` otherwise."""
    changes = dict(changes, version=reminder.version + 1, updated_at=now())
    cond = (Reminder.id == reminder.id) & (Reminder.version == reminder.version)
    if open_only:
        cond &= Reminder.status == "open"
    if Reminder.update(**changes).where(cond).execute() != 1:
        fresh = Reminder.get_or_none(Reminder.id == reminder.id)
        if fresh is None:
            raise NotFound(f"reminder #{reminder.id} was deleted by someone else")
        if open_only and fresh.status != "open":
            raise Conflict(f"reminder {fresh.title!r} is already {fresh.status}")
        raise Conflict(f"reminder {fresh.title!r} was changed by someone else; look again")


def update_reminder(
    actor: Actor,
    reminder_id: int,
    *,
    version: int | None = None,
    **fields: Any,
) -> Reminder:
    """Change a reminder's title, notes, kind, due/remind time, repeat, assignee or customer.
    ``version`` (from when it was read) refuses a stale save."""
    allowed_fields = {"title", "notes", "kind", "due_at", "remind_at", "repeat", "assignee",
                      "customer", "link_type", "link_id"}
    unknown = set(fields) - allowed_fields
    if unknown:
        raise ValueError(f"cannot change {', '.join(sorted(unknown))}")
    at = now()
    with write():
        reminder = _changeable(actor, reminder_id)
        if version is not None and version != reminder.version:
            raise Conflict(f"reminder {reminder.title!r} was changed by someone else; look again")
        values = _clean({k: v for k, v in fields.items() if k in ("title", "notes", "kind",
                                                                   "repeat")})
        if "link_type" in fields:
            values["link_type"] = fields["link_type"] or ""
        if "link_id" in fields:
            values["link_id"] = fields["link_id"]
        due = reminder.due_at
        if "due_at" in fields:
            due = _when(fields["due_at"], "due_at", at)
            if due is None:
                raise ValidationError({"due_at": "a due date is required"})
            values["due_at"] = due
        remind = reminder.remind_at or reminder.due_at
        if "remind_at" in fields:
            remind = _when(fields["remind_at"], "remind_at", at) or due
            values["remind_at"] = remind
        elif "due_at" in fields and due != reminder.due_at:
            remind = due - dt.timedelta(minutes=reminder.lead_minutes)  # keep the lead
            values["remind_at"] = remind
        if "due_at" in fields or "remind_at" in fields:
            values["lead_minutes"] = _lead(due, remind)
        repeat = values.get("repeat", reminder.repeat)
        if "due_at" in values or "repeat" in values:
            values["repeat_day"] = due.day if repeat in ("monthly", "yearly") else None
        if "assignee" in fields:
            user = _resolve_user(fields["assignee"], actor)
            if not actor.system and user.id != actor.id and user.id != reminder.assignee_id:
                require(actor, "reminder.assign")
            values["assignee"] = user.id
        if "customer" in fields:
            cust = _resolve_customer(fields["customer"])
            values["customer"] = cust.id if cust else None
        changes = audit.diff(reminder, values)
        if changes:
            _guarded_update(reminder, values, open_only=False)
            audit.record(actor, "reminder", reminder.id, "update", changes)
    return Reminder.get_by_id(reminder_id)


def _complete(actor: Actor, reminder: Reminder, at: dt.datetime) -> Reminder | None:
    """Mark done; a repeating reminder gets its next occurrence (returned)."""
    _guarded_update(reminder, {"status": "done", "done_at": at}, open_only=True)
    audit.record(actor, "reminder", reminder.id, "done", {"status": ("open", "done")})
    if reminder.repeat == "none":
        return None
    due = next_due_after(reminder.due_at, reminder.repeat, reminder.repeat_day, at)
    nxt = Reminder.create(
        kind=reminder.kind,
        title=reminder.title,
        notes=reminder.notes,
        assignee=reminder.assignee_id,
        created_by=reminder.created_by_id,
        customer=reminder.customer_id,
        link_type=reminder.link_type,
        link_id=reminder.link_id,
        due_at=due,
        remind_at=due - dt.timedelta(minutes=reminder.lead_minutes),
        lead_minutes=reminder.lead_minutes,
        repeat=reminder.repeat,
        repeat_day=reminder.repeat_day,
        follows=reminder.id,
        created_at=at,
        updated_at=at,
    )
    audit.record(
        actor, "reminder", nxt.id, "create",
        {"title": nxt.title, "due_at": due, "repeat": nxt.repeat, "follows": reminder.id},
    )
    return nxt


def complete(actor: Actor, reminder_id: int) -> tuple[Reminder, Reminder | None]:
    """Done. Returns the reminder and, for a repeating one, its next occurrence. Done twice
    (two sessions at once) is refused, so a series never gets two next occurrences."""
    at = now()
    with write():
        reminder = _changeable(actor, reminder_id)
        nxt = _complete(actor, reminder, at)
    return Reminder.get_by_id(reminder_id), nxt


def complete_and_follow_up(
    actor: Actor,
    reminder_id: int,
    *,
    title: str | None = None,
    due_at: dt.datetime | str | None = None,
    notes: str | None = None,
) -> tuple[Reminder, Reminder | None, Reminder]:
    """Done, and schedule a follow-up (type follow-up, same assignee and customer), due
    ``due_at`` or ``follow_up_days`` from today at the same clock time. Returns the reminder,
    its next occurrence if it repeats, and the follow-up."""
    at = now()
    with write():
        reminder = _changeable(actor, reminder_id)
        due = _when(due_at, "due_at", at) if due_at is not None else None
        due = due or default_follow_up_due(reminder, at)
        nxt = _complete(actor, reminder, at)
        # For someone else this is assigning: create_reminder checks ``reminder.assign``.
        follow = create_reminder(
            actor,
            title=title if title is not None else follow_up_title(reminder.title),
            due_at=due,
            assignee=reminder.assignee_id,
            kind="follow_up",
            notes=reminder.notes if notes is None else notes,
            customer=reminder.customer_id,
            link_type=reminder.link_type,
            link_id=reminder.link_id,
            follows=reminder.id,
        )
    return Reminder.get_by_id(reminder_id), nxt, follow


def follow_up_title(title: str) -> str:
    prefix = "Follow up: "
    text = title if title.startswith(prefix) else prefix + title
    return text[:MAX_TITLE]


def snooze(
    actor: Actor, reminder_id: int, option: str | dt.datetime
) -> Reminder:
    """Move the reminder time (never the due date): ``hour``, ``tomorrow`` (09:00), ``week``
    (in 7 days, 09:00), or a given time."""
    at = now()
    until = option if isinstance(option, dt.datetime) else snooze_until(option, at)
    with write():
        reminder = _changeable(actor, reminder_id)
        if reminder.status != "open":
            raise Conflict(f"reminder {reminder.title!r} is already {reminder.status}")
        _guarded_update(reminder, {"remind_at": until}, open_only=True)
        audit.record(actor, "reminder", reminder.id, "snooze",
                     {"remind_at": (reminder.remind_at, until)})
    return Reminder.get_by_id(reminder_id)


def cancel_reminder(actor: Actor, reminder_id: int) -> Reminder:
    """Drop a reminder without doing it (kept, status ``cancelled``; no next occurrence)."""
    with write():
        reminder = _changeable(actor, reminder_id)
        _guarded_update(reminder, {"status": "cancelled"}, open_only=True)
        audit.record(actor, "reminder", reminder.id, "cancel",
                     {"status": ("open", "cancelled")})
    return Reminder.get_by_id(reminder_id)


def assignable_users(actor: User) -> list[User]:
    """Whom the actor may create reminders for: everyone active with ``reminder.assign``,
    else only themselves."""
    if allowed(actor, "reminder.assign"):
        return list(User.select().where(User.active == True).order_by(User.username))  # noqa: E712
    return [User.get_by_id(actor.id)]
