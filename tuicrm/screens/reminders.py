"""Reminders and tasks: the list (``agenda.lists.REMINDERS`` in a ``RecordTable``), open /
done / all, one's own or (managers) everyone's. The dialogs are in ``reminder_dialogs``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..data.agenda.lists import REMINDERS, ReminderFilter, ReminderSummary, reminder_summary
from ..data.core.errors import TuicrmError
from ..data.core.permissions import allowed
from ..data.lists.view import ListRequest, open_list
from ..widgets.record_table import RecordTable
from .base import AppScreen
from .reminder_dialogs import ReminderActions, open_new_reminder

FILTERS = (ReminderFilter.OPEN, ReminderFilter.DONE, ReminderFilter.ALL)
COLUMNS = ["mark", "due", "title", "kind", "repeat", "customer"]
EVERYONE_COLUMNS = ["mark", "due", "title", "assignee", "repeat", "customer"]
LEGEND = "   ! overdue  * today  Rep: d/w/m/y"


class RemindersScreen(ReminderActions, AppScreen):
    TITLE_TEXT = "Reminders"
    HELP = (
        "Your reminders and tasks (and, for managers, everyone's with W). Done (D) on a "
        "repeating one creates the next; Shift+D is done plus a follow-up; snooze (S) moves "
        "only the reminder time, never the due date. Ctrl+R adds a reminder from any screen."
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="reminders.back"),
        Binding("a", "add", "Add", id="reminders.add"),
        Binding("d", "done", "Done", id="reminders.done"),
        Binding("D", "done_next", "Done+next", id="reminders.done_next"),
        Binding("s", "snooze", "Snooze", id="reminders.snooze"),
        Binding("e", "edit", "Edit", id="reminders.edit", show=False),
        Binding("f", "filter", "Filter", id="reminders.filter"),
        Binding("w", "everyone", "Mine/everyone's", id="reminders.everyone", show=False),
    ]
    DEFAULT_CSS = """
    RemindersScreen RecordTable { height: 1fr; }
    RemindersScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter = ReminderFilter.OPEN
        self.everyone = False

    @property
    def table(self) -> RecordTable:
        return self.query_one("#reminders", RecordTable)

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield RecordTable(id="reminders", show_marks=False, empty_text="No reminders",
                          visible_columns=COLUMNS)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.reload()
        self.table.focus()

    def request(self) -> ListRequest:
        # Open ones soonest first; done and all the latest first.
        return ListRequest(sort=("due", self.filter is not ReminderFilter.OPEN),
                           options={"status": self.filter.value, "everyone": self.everyone})

    def reload(self) -> None:
        """Show the list with the current filter (the cursor stays on its reminder)."""
        try:
            pager = open_list(self.user, REMINDERS, self.request())
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        self.table.set_query(pager)
        self.table.set_columns(EVERYONE_COLUMNS if self.everyone else COLUMNS)
        self._count()

    def refresh_data(self) -> None:
        """After a change: read the rows again, in the same place."""
        self.table.refresh_data()
        self._count()

    def _count(self) -> None:
        actor, options = self.user, dict(self.request().options)
        self.run_db(lambda: reminder_summary(actor, options), self._show_summary,
                    group="reminders-count", exclusive=True)

    def _show_summary(self, summary: ReminderSummary) -> None:
        whose = "everyone's" if self.everyone else "yours"
        text = f"{summary.total} {self.filter.value} reminders ({whose})"
        if summary.overdue:
            text += f", {summary.overdue} overdue (!)"
        self.query_one("#status", Static).update(Text(text + LEGEND))

    def selected_id(self) -> int | None:
        row_id: Any = self.table.cursor_row_id
        return int(row_id) if row_id is not None else None

    def _with_selected(self, handler: Callable[[int], None]) -> None:
        rid = self.selected_id()
        if rid is None:
            self.app.bell()
            return
        handler(rid)

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        event.stop()
        self.reminder_open(int(event.row_id))

    def action_add(self) -> None:
        open_new_reminder(self.app, self.user, self.refresh_data)

    def action_done(self) -> None:
        self._with_selected(self.reminder_done)

    def action_done_next(self) -> None:
        self._with_selected(self.reminder_done_next)

    def action_snooze(self) -> None:
        self._with_selected(self.reminder_snooze)

    def action_edit(self) -> None:
        self._with_selected(self.reminder_edit)

    def action_filter(self) -> None:
        self.filter = FILTERS[(FILTERS.index(self.filter) + 1) % len(FILTERS)]
        self.reload()

    def action_everyone(self) -> None:
        if not allowed(self.user, "reminder.assign"):
            self.notify_error("only managers can see everyone's reminders")
            return
        self.everyone = not self.everyone
        self.reload()
