"""The words of the agenda: reminder types, repeats, snoozes, how due a reminder is, activity
kinds and announcement audiences, each with the label the screens show.

``StrEnum`` members equal the strings stored in the database (``Repeat.MONTHLY == "monthly"``),
so rows written before these types existed read back unchanged. Reminder states are
``core.vocab.ReminderStatus``.
"""

from __future__ import annotations

from enum import StrEnum

from ...i18n import N_


class ReminderKind(StrEnum):
    REMINDER = "reminder"
    TASK = "task"
    WORK_PLAN = "work_plan"
    MARKET_TASK = "market_task"
    FOLLOW_UP = "follow_up"


KIND_LABELS: dict[ReminderKind, str] = {
    ReminderKind.REMINDER: "Reminder",
    ReminderKind.TASK: "Task",
    ReminderKind.WORK_PLAN: "Work plan",
    ReminderKind.MARKET_TASK: "Market task",
    ReminderKind.FOLLOW_UP: "Follow-up",
}


class Repeat(StrEnum):
    NONE = "none"
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"
    YEARLY = "yearly"

    @property
    def keeps_day(self) -> bool:
        """A series that keeps the day of the month it started on (Jan 31 -> Feb 28 -> Mar 31)."""
        return self in (Repeat.MONTHLY, Repeat.YEARLY)


REPEAT_LABELS: dict[Repeat, str] = {
    Repeat.NONE: "Once",
    Repeat.DAILY: "Daily",
    Repeat.WEEKLY: "Weekly",
    Repeat.MONTHLY: "Monthly",
    Repeat.YEARLY: "Yearly",
}


class Snooze(StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    WEEK = "week"


SNOOZE_LABELS: dict[Snooze, str] = {
    Snooze.HOUR: "+1 hour",
    Snooze.TOMORROW: "Tomorrow 09:00",
    Snooze.WEEK: "Next week 09:00",
}


class Due(StrEnum):
    """Where a due time stands, seen at a moment (the Today groups of reminders)."""

    OVERDUE = "overdue"  # the due time has passed
    TODAY = "today"  # later today
    UPCOMING = "upcoming"  # within the next days
    LATER = "later"


class ActivityKind(StrEnum):
    CALL = "call"
    VISIT = "visit"
    EMAIL = "email"
    MEETING = "meeting"
    WECHAT = "wechat"


ACTIVITY_LABELS: dict[ActivityKind, str] = {
    ActivityKind.CALL: "Call",
    ActivityKind.VISIT: "Visit",
    ActivityKind.EMAIL: "E-mail",
    ActivityKind.MEETING: "Meeting",
    ActivityKind.WECHAT: "WeChat message",
}


class Audience(StrEnum):
    ALL = "all"
    ROLE = "role"
    USERS = "users"


AUDIENCE_LABELS: dict[Audience, str] = {
    Audience.ALL: N_("Everyone"),
    Audience.ROLE: N_("One role"),
    Audience.USERS: N_("Chosen users"),
}
