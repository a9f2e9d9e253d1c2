"""The audit trail and the login log on screen (A7), for those with ``audit.view``.

Audit: who changed which record when, and what changed (old → new), newest first, with every
list tool (search, filter by user / record / kind, date range, columns, export, print). Enter
shows one entry in full. Login log: logins, failures, lock-outs, locks and log-outs with the
SSH address a session came from. L switches from one to the other.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..data.staff.audit_lists import AUDIT, LOGINS, changes_text
from ..i18n import N_, _
from .list_screen import ListScreen
from .today import InfoDialog


class AuditScreen(ListScreen):
    LIST = AUDIT
    TITLE_TEXT = N_("Audit trail")
    HELP = N_(
        "Every change made in tuicrm: when, by whom, which record (kind and number) and what "
        "changed, from the old value to the new one. Search finds a user, a kind of record or "
        "a value; F filters by user, record, kind or changes; D limits the dates. Enter shows "
        "one entry in full. L opens the login log."
    )
    BINDINGS = [
        Binding("l", "logins", "Login log", id="audit.logins"),
    ]

    def on_list_selected(self, row_id: Any) -> None:
        when = self.cursor_value("at")
        lines = [
            _("Time: {at:%Y-%m-%d %H:%M:%S}").format(at=when) if when else "",
            _("User: {user}").format(user=self.cursor_value("user")),
            _("Record: {record} {number}").format(record=self.cursor_value("record"),
                                                  number=self.cursor_value("record_id") or ""),
            _("Kind: {kind}").format(kind=self.cursor_value("kind")),
            "",
            *changes_text(self.cursor_value("changes")).split("; "),
        ]
        self.app.push_screen(InfoDialog(_("Audit entry"), "\n".join(lines)))

    def action_logins(self) -> None:
        self.app.switch_screen(LoginLogScreen())


class LoginLogScreen(ListScreen):
    LIST = LOGINS
    TITLE_TEXT = N_("Login log")
    HELP = N_(
        "Every login, failed attempt, lock-out, screen lock and log-out, newest first, with "
        "where the session came from (the SSH address, or the terminal). F filters by user "
        "or event; D limits the dates. L opens the audit trail."
    )
    BINDINGS = [
        Binding("l", "audit", "Audit trail", id="logins.audit"),
    ]

    def action_audit(self) -> None:
        self.app.switch_screen(AuditScreen())
