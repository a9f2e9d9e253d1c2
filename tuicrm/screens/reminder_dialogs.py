"""The dialogs every screen shares to add, open, finish, follow up and snooze a reminder (the
Reminders list, Today and Ctrl+R from anywhere), and ``ReminderActions``, the mixin that runs
them: the writes (done, snooze, cancel, save) in thread workers, the screen refreshed when
they come back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.agenda import reminders
from ..data.agenda.reminder_rows import ReminderRow, describe
from ..data.agenda.reminders import FollowUpDraft
from ..data.agenda.schedule import default_due, fmt_when, snooze_until
from ..data.agenda.vocab import KIND_LABELS, REPEAT_LABELS, SNOOZE_LABELS, ReminderKind, Repeat
from ..data.core import clock
from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError
from ..data.core.vocab import shown_word
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog

if TYPE_CHECKING:
    from textual.app import App

    from .base import AppScreen as _ScreenBase  # what the mixin is mixed into
else:
    _ScreenBase = object

STAMP = "%Y-%m-%d %H:%M"
WHEN_HINT = N_("YYYY-MM-DD HH:MM, tomorrow, +3d")


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
        Binding("l", "choose('log')", "Done+log", id="reminder.log"),
        Binding("s", "choose('snooze')", "Snooze", id="reminder.snooze"),
        Binding("e", "choose('edit')", "Edit", id="reminder.edit"),
        Binding("x", "choose('cancel')", "Cancel reminder", id="reminder.cancel"),
        Binding("escape,enter", "choose('')", "Close", id="reminder.close"),
    ]

    def __init__(self, reminder: ReminderRow) -> None:
        super().__init__()
        self.reminder = reminder

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(Text(describe(self.reminder)))
            keys = _("d: done   D: done + follow-up   l: done + log what happened   "
                     "s: snooze   e: edit   x: cancel it   Esc: close"
                     ) if self.reminder.is_open else _("e: edit   Esc: close")
            yield Static(Text(keys), classes="keys")

    def action_choose(self, action: str) -> None:
        if action and not self.reminder.is_open and action != "edit":
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
        self.options = [s.value for s in SNOOZE_LABELS]

    def compose(self) -> ComposeResult:
        at = clock.now()
        with Vertical():
            yield Static(Text(_("Snooze: {title}").format(title=self.reminder_title)))
            choices = [
                Option(Text(f"{n}  {_(label)}{' ' * max(0, 16 - cell_len(_(label)))}"
                            f"-> {fmt_when(snooze_until(key, at), at)}"),
                       id=key.value)
                for n, (key, label) in enumerate(SNOOZE_LABELS.items(), start=1)
            ]
            yield OptionList(*choices, id="snooze-choices")
            yield Static(Text(_("The due date stays; only the reminder time moves. Esc: cancel")),
                         classes="keys")

    def on_mount(self) -> None:
        self.query_one(OptionList).highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(event.option.id)

    def action_pick(self, index: int) -> None:
        self.dismiss(self.options[index] if index >= 0 else None)


def _assignee_field(actor: Actor, reminder: ReminderRow | None) -> FormField | None:
    users = reminders.assignable_users(actor)
    current = reminder.assignee_id if reminder else actor.id
    if len(users) <= 1 and current == actor.id:
        return None  # only yourself: no choice to make
    choices = [(u.label, str(u.id)) for u in users]
    if reminder is not None and str(current) not in {v for _, v in choices}:
        choices.append((f"{reminder.assignee}: {reminder.assignee_name}", str(current)))
    return FormField("assignee", _("For"), str(current), kind="choice", choices=choices)


def reminder_form(actor: Actor, reminder: ReminderRow | None = None, *,
                  customer_code: str = "") -> SavingFormDialog:
    """The add / edit form. ``form.result`` is the saved ``ReminderRow`` after it closes."""
    r = reminder
    due = r.due_at if r else default_due()
    remind = r.remind_at if r and r.remind_at and r.remind_at != r.due_at else None
    fields = [
        FormField("title", _("Title"), r.title if r else "", max_length=reminders.MAX_TITLE),
        FormField("kind", _("Type"), r.kind.value if r else ReminderKind.REMINDER.value,
                  kind="choice", choices=[(_(label), kind.value) for kind,
                                          label in KIND_LABELS.items()]),
        FormField("due_at", _("Due"), f"{due:{STAMP}}", placeholder=_(WHEN_HINT)),
        FormField("remind_at", _("Remind at"), f"{remind:{STAMP}}" if remind else "",
                  placeholder=_("empty: at the due time")),
        FormField("repeat", _("Repeat"), r.repeat.value if r else Repeat.NONE.value,
                  kind="choice", choices=[(_(label), repeat.value)
                                           for repeat, label in REPEAT_LABELS.items()]),
    ]
    assignee = _assignee_field(actor, r)
    if assignee is not None:
        fields.append(assignee)
    fields += [
        FormField("customer_code", _("Customer code"), r.customer_code if r else customer_code,
                  placeholder=_("optional")),
        FormField("notes", _("Notes"), r.notes if r else ""),
    ]

    def save(values: dict[str, str]) -> ReminderRow:  # runs in a worker
        data: dict[str, Any] = {k: values[k] for k in (
            "title", "kind", "due_at", "remind_at", "repeat", "customer_code", "notes")}
        if "assignee" in values:
            data["assignee"] = values["assignee"]
        if r is None:
            return reminders.create_reminder(actor, **data)
        if remind is None and not data["remind_at"]:
            data.pop("remind_at")  # untouched: keep the lead (or the snooze)
        return reminders.update_reminder(actor, r.id, version=r.version, **data)

    title = _("New reminder") if r is None else _("Edit reminder #{id}").format(id=r.id)
    return SavingFormDialog(title, fields, submit=save, submit_label=_("Save"))


def follow_up_form(actor: Actor, draft: FollowUpDraft) -> SavingFormDialog:
    """Done + follow-up: the follow-up's title, due time and notes, prefilled."""
    fields = [
        FormField("title", _("Follow-up"), draft.title, max_length=reminders.MAX_TITLE),
        FormField("due_at", _("Due"), f"{draft.due_at:{STAMP}}", placeholder=_(WHEN_HINT)),
        FormField("notes", _("Notes"), draft.notes),
    ]
    rid = draft.reminder.id

    def save(values: dict[str, str]) -> Any:  # runs in a worker
        return reminders.complete_and_follow_up(
            actor, rid, title=values["title"], due_at=values["due_at"], notes=values["notes"]
        )

    return SavingFormDialog(_("Done: {title}").format(title=draft.reminder.title), fields,
                            submit=save,
                          submit_label=_("Done + follow-up"))


def open_new_reminder(app: App[Any], actor: Actor, on_saved: Callable[[], None] | None = None,
                      customer_code: str = "") -> None:
    """The new-reminder form from anywhere (Ctrl+R); says what was saved."""
    try:
        form = reminder_form(actor, customer_code=customer_code)
    except TuicrmError as e:
        app.bell()
        app.notify(str(e), severity="error", markup=False)
        return

    def done(values: dict[str, str] | None) -> None:
        r = form.result
        if values is None or not isinstance(r, ReminderRow):
            return
        said = (_("Reminder saved: {title} (due {due})") if r.assignee_id == actor.id
                else _("Reminder saved for {who}: {title} (due {due})"))
        app.notify(said.format(who=r.assignee, title=r.title, due=fmt_when(r.due_at)),
                   markup=False)
        if on_saved is not None:
            on_saved()

    app.push_screen(form, done)


class ReminderActions(_ScreenBase):
    """Done / done + follow-up / snooze / edit / cancel on a reminder, for a screen that has
    ``user``, ``notify_error()`` (AppScreen) and ``refresh_data()``; put it first in the
    bases. Opening a dialog reads one reminder at once (so keys typed next go to the
    dialog); every write runs in a worker, one at a time per reminder."""

    if TYPE_CHECKING:

        def refresh_data(self) -> None: ...

    def _reminder_failed(self, error: TuicrmError) -> None:
        self.notify_error(str(error))
        self.refresh_data()

    def _load(self, reminder_id: int) -> ReminderRow | None:
        try:
            return reminders.get_reminder(self.user, reminder_id)
        except TuicrmError as e:
            self._reminder_failed(e)
            return None

    def _write(self, reminder_id: int, work: Callable[[], Any],
               done: Callable[[Any], None]) -> None:
        """``work`` in a worker, unless a write to this reminder is still under way."""
        busy: set[int] = self.__dict__.setdefault("_reminders_busy", set())
        if reminder_id in busy:
            self.app.bell()
            return
        busy.add(reminder_id)

        def finished(result: Any) -> None:
            busy.discard(reminder_id)
            done(result)
            if self.is_attached:
                self.refresh_data()

        def failed(error: TuicrmError) -> None:
            busy.discard(reminder_id)
            self.notify_error(str(error))
            if self.is_attached:
                self.refresh_data()

        # keep: the outcome is told even if the user has left the screen meanwhile.
        run_in_thread(self, work, finished, failed, name="reminder-write", keep=True)

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
            "log": self.reminder_done_log,
            "snooze": self.reminder_snooze,
            "edit": self.reminder_edit,
            "cancel": self.reminder_cancel,
        }[action]
        handler(reminder_id)

    def reminder_done(self, reminder_id: int) -> None:
        actor = self.user

        def said(result: tuple[ReminderRow, ReminderRow | None]) -> None:
            r, nxt = result
            message = _("Done: {title}").format(title=r.title)
            if nxt is not None:
                message += _(". Next one due {when}").format(when=fmt_when(nxt.due_at))
            self.app.notify(message, markup=False)

        self._write(reminder_id, lambda: reminders.complete(actor, reminder_id), said)

    def reminder_done_next(self, reminder_id: int) -> None:
        try:
            draft = reminders.follow_up_draft(self.user, reminder_id)
        except TuicrmError as e:
            self._reminder_failed(e)
            return
        r = draft.reminder
        if not r.is_open:
            self.notify_error(_("reminder “{title}” is already {status}").format(
                title=r.title, status=shown_word(r.status)))
            return
        form = follow_up_form(self.user, draft)

        def saved(values: dict[str, str] | None) -> None:
            if values is None or not form.result:
                return
            _done, nxt, follow = form.result
            message = _("Done: {title}. Follow-up due {when}").format(
                title=r.title, when=fmt_when(follow.due_at))
            if nxt is not None:
                message += _("; next one due {when}").format(when=fmt_when(nxt.due_at))
            self.app.notify(message, markup=False)
            self.refresh_data()

        self.app.push_screen(form, saved)

    def reminder_done_log(self, reminder_id: int) -> None:
        """Done + log what happened: an activity on the reminder's customer with outcome and
        next step (its follow-up), saved with the done in one transaction."""
        from .activity_dialogs import log_done_form

        r = self._load(reminder_id)
        if r is None:
            return
        if not r.is_open:
            self.notify_error(_("reminder {title!r} is already {status}").format(
                title=r.title, status=r.status.value))
            return
        form = log_done_form(self.user, r)

        def saved(values: dict[str, str] | None) -> None:
            if values is None or not form.result:
                return
            activity = form.result[1]
            message = _("Done: {title}. Logged: {kind}").format(
                title=r.title, kind=_(activity.kind_label))
            if activity.next_step:
                message += _("; follow-up: {step}").format(step=activity.next_step)
            self.app.notify(message, markup=False)
            self.refresh_data()

        self.app.push_screen(form, saved)

    def reminder_snooze(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return
        actor = self.user

        def said(s: ReminderRow) -> None:
            self.app.notify(_("Snoozed to {when}: {title} (still due {due})").format(
                when=fmt_when(s.remind_at), title=s.title, due=fmt_when(s.due_at)), markup=False)

        def picked(option: str | None) -> None:
            if option:
                self._write(reminder_id, lambda: reminders.snooze(actor, reminder_id, option),
                            said)

        self.app.push_screen(SnoozeDialog(r.title), picked)

    def reminder_edit(self, reminder_id: int) -> None:
        r = self._load(reminder_id)
        if r is None:
            return
        form = reminder_form(self.user, r)

        def saved(values: dict[str, str] | None) -> None:
            if values is not None and isinstance(form.result, ReminderRow):
                self.app.notify(_("Saved: {title}").format(title=form.result.title), markup=False)
                self.refresh_data()

        self.app.push_screen(form, saved)

    def reminder_cancel(self, reminder_id: int) -> None:
        actor = self.user

        def said(r: ReminderRow) -> None:
            self.app.notify(_("Cancelled: {title}").format(title=r.title), markup=False)

        self._write(reminder_id, lambda: reminders.cancel_reminder(actor, reminder_id), said)
