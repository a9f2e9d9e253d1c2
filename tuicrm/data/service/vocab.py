"""The words of service tickets (SPEC S1): kinds, states, priorities and channels, each with the
label the screens show, and which state a ticket may move to from which.

``StrEnum`` members equal the strings stored in the database (``TicketStatus.DONE == "done"``).
"""

from __future__ import annotations

from enum import StrEnum

from ...i18n import N_


class TicketKind(StrEnum):
    REQUEST = "request"
    SERVICE = "service"  # a repair or service visit
    FEEDBACK = "feedback"
    COMPLAINT = "complaint"


KIND_LABELS: dict[TicketKind, str] = {
    TicketKind.REQUEST: N_("Request"),
    TicketKind.SERVICE: N_("Service"),
    TicketKind.FEEDBACK: N_("Feedback"),
    TicketKind.COMPLAINT: N_("Complaint"),
}


class TicketStatus(StrEnum):
    NEW = "new"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"  # for the customer
    DONE = "done"
    CANCELLED = "cancelled"

    @property
    def is_open(self) -> bool:
        return self in OPEN_STATUSES


OPEN_STATUSES = (TicketStatus.NEW, TicketStatus.IN_PROGRESS, TicketStatus.WAITING)
# The tickets that wait on their owner (not on the customer): Today lists them.
ON_OWNER = (TicketStatus.NEW, TicketStatus.IN_PROGRESS)

STATUS_LABELS: dict[TicketStatus, str] = {
    TicketStatus.NEW: N_("New"),
    TicketStatus.IN_PROGRESS: N_("In progress"),
    TicketStatus.WAITING: N_("Waiting for customer"),
    TicketStatus.DONE: N_("Done"),
    TicketStatus.CANCELLED: N_("Cancelled"),
}

# Where each state may go (one key per move on the Tickets screen). Done and cancelled
# tickets are reopened to "in progress".
MOVES: dict[TicketStatus, frozenset[TicketStatus]] = {
    TicketStatus.NEW: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.WAITING,
                                 TicketStatus.DONE, TicketStatus.CANCELLED}),
    TicketStatus.IN_PROGRESS: frozenset({TicketStatus.WAITING, TicketStatus.DONE,
                                         TicketStatus.CANCELLED}),
    TicketStatus.WAITING: frozenset({TicketStatus.IN_PROGRESS, TicketStatus.DONE,
                                     TicketStatus.CANCELLED}),
    TicketStatus.DONE: frozenset({TicketStatus.IN_PROGRESS}),
    TicketStatus.CANCELLED: frozenset({TicketStatus.IN_PROGRESS}),
}


class Priority(StrEnum):
    """In the order of the response and resolution times in the settings (urgent first)."""

    URGENT = "urgent"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


PRIORITY_LABELS: dict[Priority, str] = {
    Priority.URGENT: N_("Urgent"),
    Priority.HIGH: N_("High"),
    Priority.NORMAL: N_("Normal"),
    Priority.LOW: N_("Low"),
}


class Channel(StrEnum):
    PHONE = "phone"
    VISIT = "visit"
    COUNTER = "counter"
    EMAIL = "email"
    WECHAT = "wechat"
    OTHER = "other"


CHANNEL_LABELS: dict[Channel, str] = {
    Channel.PHONE: N_("Phone"),
    Channel.VISIT: N_("Visit"),
    Channel.COUNTER: N_("Counter"),
    Channel.EMAIL: N_("E-mail"),
    Channel.WECHAT: N_("WeChat"),
    Channel.OTHER: N_("Other"),
}

SATISFACTION = range(1, 6)  # 1 (very unhappy) .. 5 (very happy)
