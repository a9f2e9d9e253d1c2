"""Reminders and tasks: the list, and the dialogs every screen shares to add, open, finish,
follow up and snooze one (the Today screen and Ctrl+R from anywhere use them too)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import DataTable, OptionList, Static
from textual.widgets.option_list import Option

from ..data.agenda import reminders
from ..data.core.errors import TuicrmError
from ..data.core.permissions import allowed
from ..data.models import Reminder, User, now
from ..widgets.form import FormDialog, FormField
from .base import AppScreen

if TYPE_CHECKING:
    from textual.app import App

KIND_CHOICES = [(label, key) for key, label in reminders.KINDS.items()]
REPEAT_CHOICES = [(label, key) for key, label in reminders.REPEATS.items()]
STAMP = "%Y-%m-%d %H:%M"
WHEN_HINT = "YYYY-MM-DD HH:MM, tomorrow, +3d"


# -- dialogs --------------------------------------------------------------------------------------


class ReminderDialog(ModalScreen[str | None]):
    """One reminder in plain text with what can be done to it; returns the chosen action
    (``done``, ``next``, ``snooze``, ``edit``, ``cancel``) or None."""

    DEFAULT_CSS = """
    ReminderDialog { align: center middle; }
    ReminderDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ReminderDialog VerticalScroll { height: auto; max-height: 17; }
    ReminderDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("d", "choose('done')", "Done", id="reminder.done"),
        Binding("D", "choose('next')", "Done+follow-up", id="reminder.next"),
        Binding("s", "choose('snooze')", "Snooze", id="reminder.snooze"),
        Binding("e", "choose('edit')", "Edit", id="reminder.edit"),
        Binding("x", "choose('cancel')", "Cancel reminder", id="reminder.cancel"),
        Binding("escape,enter", "choose('')", "Close", id="reminder.close"),
    ]

    def __init__(self, reminder: Reminder) -> None:
        super().__init__()
        self.reminder = reminder

    def compose(self) -> ComposeResult:
        open_ = self.reminder.status == "open"
        with Vertical():
            with VerticalScroll():
                yield Static(Text(reminders.describe(self.reminder)))
            keys = ("d: done   D: done + follow-up   s: snooze   e: edit   x: cancel it   "
                    "Esc: close") if open_ else "e: edit   Esc: close"
            yield Static(Text(keys), classes="keys")

    def action_choose(self, action: str) -> None:
        if action and self.reminder.status != "open" and action != "edit":
            self.app.bell()
            return
        self.dismiss(action or None)


class SnoozeDialog(ModalScreen[str | None]):
    """Pick how long: 1 / 2 / 3 or the arrows and Enter. Shows the exact time each gives."""

    DEFAULT_CSS = """
    SnoozeDialog { align: center middle; }
    SnoozeDialog > Vertical {
        width: 56; max-width: 100%; height: auto; border: round $primary;
        background: $surface; padding: 0 1;
    }
    SnoozeDialog #snooze-choices { height: auto; border: none; padding: 0; margin: 1 0; }
    SnoozeDialog .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("1", "pick(0)", show=False),
        Binding("2", "pick(1)", show=False),
        Binding("3", "pick(2)", show=False),
        Binding("escape", "pick(-1)", "Cancel", id="snooze.cancel"),
    ]

    def __init__(self, title: str) -> None:
        super().__init__()
        self.reminder_title = title
        self.options = list(reminders.SNOOZES)

    def compose(self) -> ComposeResult:
        at = now()
        with Vertical():
            yield Static(Text(f"Snooze: {self.reminder_title}"))
            choices = [
                Option(Text(f"{n}  {label:<16}-> "
                            f"{reminders.fmt_when(reminders.snooze_until(key, at), at)}"), id=key)
                for n, (key, label) in enumerate(reminders.SNOOZES.items(), start=1)
            ]
            yield OptionList(*choices, id="snooze-choices")
            yield Static(Text("The due date stays; only the reminder time moves. Esc: cancel"),
                         classes="keys")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        self.dismiss(self.options[index] if index >= 0 else None)


def _assignee_field(actor: User, current: int | None) -> FormField | None:
    users = reminders.assignable_users(actor)
    if len(users) <= 1 and (current is None or current == actor.id):
        return None  # only yourself: no choice to make
    choices = [(f"{u.username}: {u.display_name}", str(u.id)) for u in users]
    if current is not None and str(current) not in {v for _, v in choices}:
        who = User.get_by_id(current)
        choices.append((f"{who.username}: {who.display_name}", str(current)))
    return FormField("assignee", "For", str(current or actor.id), kind="choice", choices=choices)


def reminder_form(actor: User, reminder: Reminder | None = None, *,
                  customer_code: str = "") -> FormDialog:
    """The add / edit form. ``form.result`` is the saved Reminder after it closes."""
    r = reminder
    due = r.due_at if r else reminders.default_due()
    remind = r.remind_at if r and r.remind_at and r.remind_at != r.due_at else None
    fields = [
        FormField("title", "Title", r.title if r else "", max_length=reminders.MAX_TITLE),
        FormField("kind", "Type", r.kind if r else "reminder", kind="choice",
                  choices=KIND_CHOICES),
        FormField("due_at", "Due", f"{due:{STAMP}}", placeholder=WHEN_HINT),
        FormField("remind_at", "Remind at", f"{remind:{STAMP}}" if remind else "",
                  placeholder="empty: at the due time"),
        FormField("repeat", "Repeat", r.repeat if r else "none", kind="choice",
                  choices=REPEAT_CHOICES),
    ]
    assignee = _assignee_field(actor, r.assignee_id if r else None)
    if assignee is not None:
        fields.append(assignee)
    code = r.customer.code if r and r.customer_id else customer_code
    fields += [
        FormField("customer", "Customer code", code, placeholder="optional"),
        FormField("notes", "Notes", r.notes if r else ""),
    ]

    def save(values: dict[str, str]) -> Reminder:
        data = {k: values[k] for k in ("title", "kind", "due_at", "remind_at", "repeat",
                                        "customer", "notes")}
        if "assignee" in values:
            data["assignee"] = values["assignee"]
        if r is None:
            return reminders.create_reminder(actor, **data)
        if remind is None and not data["remind_at"]:
            data.pop("remind_at")  # untouched: keep the lead (or the snooze)
        return reminders.update_reminder(actor, r.id, version=r.version, **data)

    title = "New reminder" if r is None else f"Edit reminder #{r.id}"
    return FormDialog(title, fields, submit=save, submit_label="Save")


def follow_up_form(actor: User, reminder: Reminder) -> FormDialog:
    """Done + follow-up: the follow-up's title, due time and notes, prefilled."""
    due = reminders.default_follow_up_due(reminder)
    fields = [
        FormField("title", "Follow-up", reminders.follow_up_title(reminder.title),
                  max_length=reminders.MAX_TITLE),
        FormField("due_at", "Due", f"{due:{STAMP}}", placeholder=WHEN_HINT),
        FormField("notes", "Notes", reminder.notes),
    ]
    rid = reminder.id

    def save(values: dict[str, str]):
        return reminders.complete_and_follow_up(
            actor, rid, title=values["title"], due_at=values["due_at"], notes=values["notes"]
        )

    return FormDialog(f"Done: {reminder.title}", fields, submit=save,
                      submit_label="Done + follow-up")


def open_new_reminder(app: App, actor: User, on_saved: Callable[[], None] | None = None,
                      customer_code: str = "") -> None:
    """The new-reminder form from anywhere (Ctrl+R); says what was saved."""
    form = reminder_form(actor, customer_code=customer_code)

    def done(values: dict[str, str] | None) -> None:
        if values is None or not isinstance(form.result, Reminder):
            return
        r = form.result
        who = "" if r.assignee_id == actor.id else f" for {r.assignee.username}"
        app.notify(f"Reminder saved{who}: {r.title} (due {reminders.fmt_when(r.due_at)})",
                   markup=False)
        if on_saved is not None:
            on_saved()

    app.push_screen(form, done)


class ReminderActions:
    """Done / done + follow-up / snooze / edit / cancel on a reminder, for a screen that has
    ``user``, ``notify_error()`` (AppScreen) and ``refresh_data()``; put it first in the
    bases."""

    if TYPE_CHECKING:
        app: App
        user: User

        def notify_error(self, message: str) -> None: ...

        def refresh_data(self) -> None: ...

    def _load(self, reminder_id: int) -> Reminder | None:
        try:
            return reminders.get_reminder(self.user, reminder_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.refresh_data()
            return None

    def reminder_open(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return

        def chosen(action: str | None) -> None:
            if action:
                self.reminder_do(action, reminder_id)

        self.app.push_screen(ReminderDialog(r), chosen)

    def reminder_do(self, action: str, reminder_id: int) -> None:
        handler = {
            "done": self.reminder_done,
            "next": self.reminder_done_next,
            "snooze": self.reminder_snooze,
            "edit": self.reminder_edit,
            "cancel": self.reminder_cancel,
        }[action]
        handler(reminder_id)

    def reminder_done(self, reminder_id: int) -> None:
        try:
            r, nxt = reminders.complete(self.user, reminder_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.refresh_data()
            return
        message = f"Done: {r.title}"
        if nxt is not None:
            message += f". Next one due {reminders.fmt_when(nxt.due_at)}"
        self.app.notify(message, markup=False)
        self.refresh_data()

    def reminder_done_next(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return
        if r.status != "open":
            self.notify_error(f"reminder {r.title!r} is already {r.status}")
            return
        form = follow_up_form(self.user, r)

        def saved(values: dict[str, str] | None) -> None:
            if values is None or not form.result:
                return
            _done, nxt, follow = form.result
            message = f"Done: {r.title}. Follow-up due {reminders.fmt_when(follow.due_at)}"
            if nxt is not None:
                message += f"; next one due {reminders.fmt_when(nxt.due_at)}"
            self.app.notify(message, markup=False)
            self.refresh_data()

        self.app.push_screen(form, saved)

    def reminder_snooze(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return

        def picked(option: str | None) -> None:
            if not option:
                return
            try:
                s = reminders.snooze(self.user, reminder_id, option)
            except TuicrmError as e:
                self.notify_error(str(e))
                self.refresh_data()
                return
            self.app.notify(
                f"Snoozed to {reminders.fmt_when(s.remind_at)}: {s.title} "
                f"(still due {reminders.fmt_when(s.due_at)})", markup=False,
            )
            self.refresh_data()

        self.app.push_screen(SnoozeDialog(r.title), picked)

    def reminder_edit(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return
        form = reminder_form(self.user, r)

        def saved(values: dict[str, str] | None) -> None:
            if values is not None:
                self.app.notify(f"Saved: {form.result.title}", markup=False)
                self.refresh_data()

        self.app.push_screen(form, saved)

    def reminder_cancel(self, reminder_id: int) -> None:
        try:
            r = reminders.cancel_reminder(self.user, reminder_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.refresh_data()
            return
        self.app.notify(f"Cancelled: {r.title}", markup=False)
        self.refresh_data()


# -- the list -------------------------------------------------------------------------------------

FILTERS = [("open", "open"), ("done", "done"), (None, "all")]


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
    RemindersScreen DataTable { height: 1fr; }
    RemindersScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.filter_index = 0
        self.everyone = False
        self._columns_for: bool | None = None

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield DataTable(cursor_type="row", zebra_stripes=True)
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.refresh_data()

    def _columns(self, table: DataTable) -> None:
        """Fixed widths that fit 80 columns; the fourth is the type, or whose it is when
        showing everyone's."""
        table.clear(columns=True)
        fourth = "For" if self.everyone else "Type"
        for label, width in (("", 1), ("Due", 16), ("Title", 24), (fourth, 11), ("Rep", 3),
                             ("Customer", 12)):
            table.add_column(label, width=width)
        self._columns_for = self.everyone

    def refresh_data(self) -> None:
        table = self.query_one(DataTable)
        current = self.selected_id()
        row_index = table.cursor_row
        table.clear()
        if self._columns_for != self.everyone:
            self._columns(table)
        status, label = FILTERS[self.filter_index]
        at = now()
        rows = reminders.list_reminders(self.user, status=status, everyone=self.everyone)
        for r in rows:
            group = reminders.classify(r.due_at, at) if r.status == "open" else r.status
            mark = {"overdue": "!", "today": "*", "done": "ok", "cancelled": "x"}.get(group, "")
            style = {"overdue": "bold red", "today": "yellow"}.get(group, "")
            customer = f"{r.customer.code} {r.customer.name}" if r.customer_id else ""
            table.add_row(
                Text(mark, style=style),
                Text(reminders.fmt_when(r.due_at, at), style=style),
                Text(r.title, style=style),
                Text(r.assignee.username if self.everyone else
                     reminders.KINDS.get(r.kind, r.kind)),
                Text("" if r.repeat == "none" else r.repeat[0]),
                Text(customer),
                key=str(r.id),
            )
        if current is not None and str(current) in table.rows:
            table.move_cursor(row=table.get_row_index(str(current)))
        elif table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1))
        whose = "everyone's" if self.everyone else "yours"
        overdue = sum(1 for r in rows if r.status == "open" and r.due_at < at)
        text = f"{len(rows)} {label} reminders ({whose})"
        if overdue:
            text += f", {overdue} overdue (!)"
        legend = "   ! overdue  * today  Rep: d/w/m/y"
        self.query_one("#status", Static).update(Text(text + legend))

    def selected_id(self) -> int | None:
        table = self.query_one(DataTable)
        if table.row_count == 0:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key
        return int(key.value) if key.value else None

    def _with_selected(self, handler: Callable[[int], None]) -> None:
        rid = self.selected_id()
        if rid is None:
            self.app.bell()
            return
        handler(rid)

    def on_data_table_row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self._with_selected(self.reminder_open)

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
        self.filter_index = (self.filter_index + 1) % len(FILTERS)
        self.refresh_data()

    def action_everyone(self) -> None:
        if not allowed(self.user, "reminder.assign"):
            self.notify_error("only managers can see everyone's reminders")
            return
        self.everyone = not self.everyone
        self.refresh_data()
