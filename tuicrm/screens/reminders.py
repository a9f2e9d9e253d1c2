"""Reminders and tasks: the list (``agenda.lists.REMINDERS`` on a ``ListScreen``: search,
filter, columns, export and print like every list), open / done / all, one's own or
(managers) everyone's. The dialogs are in ``reminder_dialogs``."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..data.agenda.lists import REMINDERS, ReminderFilter, ReminderSummary, reminder_summary
from ..data.core.permissions import allowed
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from .list_screen import ListScreen
from .reminder_dialogs import ReminderActions, open_new_reminder

FILTERS = (ReminderFilter.OPEN, ReminderFilter.DONE, ReminderFilter.ALL)
LEGEND = N_("! overdue  * today")


class RemindersScreen(ReminderActions, ListScreen):
    LIST = REMINDERS
    TITLE_TEXT = N_("Reminders")
    HELP = (
        N_("Your reminders and tasks (and, for managers, everyone's with W); f steps through "
        "open, done and all. Done (d) on a repeating one creates the next; Shift+D is done "
        "plus a follow-up; l is done plus a log of what happened (outcome, next step); snooze (s) moves only the reminder time, never the due date. "
        "/ searches titles, notes and customers. Ctrl+R adds a reminder from any screen.")
    )
    # "f" and "D" are this list's own (open/done/all, done + follow-up): search stays on /.
    BINDINGS = [
        Binding("a", "add", "Add", id="reminders.add"),
        Binding("d", "done", "Done", id="reminders.done"),
        Binding("D", "done_next", "Done+next", id="reminders.done_next"),
        Binding("l", "done_log", "Done+log", id="reminders.done_log"),
        Binding("s", "snooze", "Snooze", id="reminders.snooze"),
        Binding("e", "edit", "Edit", id="reminders.edit", show=False),
        Binding("f", "status_filter", "Open/done/all", id="reminders.filter"),
        Binding("w", "everyone", "Mine/everyone's", id="reminders.everyone", show=False),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.status = ReminderFilter.OPEN
        self.everyone = False
        self.summary: ReminderSummary | None = None

    # -- the list ------------------------------------------------------------------------------

    def list_options(self) -> dict[str, Any]:
        return {"status": self.status.value, "everyone": self.everyone}

    def visible_names(self) -> list[str]:
        """The chosen columns, with whose it is instead of the type on everyone's list."""
        names = super().visible_names()
        mine, theirs = ("assignee", "kind") if self.everyone else ("kind", "assignee")
        if mine not in names and theirs in names:
            names[names.index(theirs)] = mine
        return names

    def on_mount(self) -> None:
        # Textual runs ListScreen.on_mount after this one (every class's handler runs).
        self._count()

    def reload(self) -> None:
        self.table.set_columns(self.visible_names())
        super().reload()
        self._count()

    def refresh_data(self) -> None:
        """After a change: read the rows again, in the same place."""
        self.table.refresh_data()
        self._count()

    def _count(self) -> None:
        actor, options = self.user, self.list_options()
        run_in_thread(self, lambda: reminder_summary(actor, options), self._counted,
                      lambda e: self.notify_error(str(e)), name="reminders-count",
                      exclusive=True)

    def _counted(self, summary: ReminderSummary) -> None:
        self.summary = summary
        self._show_status()

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        if self.summary is not None:
            whose = "everyone's" if self.everyone else "yours"
            text = f"{self.summary.total} {self.status.value} reminders ({whose})"
            if self.summary.overdue:
                text += f", {self.summary.overdue} overdue (!)"
            parts[0:1] = [text]
        return parts + [_(LEGEND)]

    # -- keys ----------------------------------------------------------------------------------

    def _cursor_reminder(self) -> int | None:
        row_id: Any = self.table.cursor_row_id
        if row_id is None:
            self.app.bell()
            return None
        return int(row_id)

    def on_list_selected(self, row_id: Any) -> None:
        self.reminder_open(int(row_id))

    def action_add(self) -> None:
        open_new_reminder(self.app, self.user, self.refresh_data)

    def action_done(self) -> None:
        if (rid := self._cursor_reminder()) is not None:
            self.reminder_done(rid)

    def action_done_next(self) -> None:
        if (rid := self._cursor_reminder()) is not None:
            self.reminder_done_next(rid)

    def action_done_log(self) -> None:
        if (rid := self._cursor_reminder()) is not None:
            self.reminder_done_log(rid)

    def action_snooze(self) -> None:
        if (rid := self._cursor_reminder()) is not None:
            self.reminder_snooze(rid)

    def action_edit(self) -> None:
        if (rid := self._cursor_reminder()) is not None:
            self.reminder_edit(rid)

    def action_status_filter(self) -> None:
        self.status = FILTERS[(FILTERS.index(self.status) + 1) % len(FILTERS)]
        # Open ones soonest first; done ones and all of them the latest first.
        self._sort = ("due", self.status is not ReminderFilter.OPEN)
        self.summary = None
        self.reload()

    def action_everyone(self) -> None:
        if not allowed(self.user, "reminder.assign"):
            self.notify_error(_("only managers can see everyone's reminders"))
            return
        self.everyone = not self.everyone
        self.summary = None
        self.reload()
