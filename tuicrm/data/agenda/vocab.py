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
    ReminderKind.REMINDER: N_("Reminder"),
    ReminderKind.TASK: N_("Task"),
    ReminderKind.WORK_PLAN: N_("Work plan"),
    ReminderKind.MARKET_TASK: N_("Market task"),
    ReminderKind.FOLLOW_UP: N_("Follow-up"),
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
    Repeat.NONE: N_("Once"),
    Repeat.DAILY: N_("Daily"),
    Repeat.WEEKLY: N_("Weekly"),
    Repeat.MONTHLY: N_("Monthly"),
    Repeat.YEARLY: N_("Yearly"),
}


class Snooze(StrEnum):
    HOUR = "hour"
    TOMORROW = "tomorrow"
    WEEK = "week"


SNOOZE_LABELS: dict[Snooze, str] = {
    Snooze.HOUR: N_("+1 hour"),
    Snooze.TOMORROW: N_("Tomorrow 09:00"),
    Snooze.WEEK: N_("Next week 09:00"),
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
    ActivityKind.CALL: N_("Call"),
    ActivityKind.VISIT: N_("Visit"),
    ActivityKind.EMAIL: N_("E-mail"),
    ActivityKind.MEETING: N_("Meeting"),
    ActivityKind.WECHAT: N_("WeChat message"),
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
