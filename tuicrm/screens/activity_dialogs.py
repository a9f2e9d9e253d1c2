"""Logging what happened with a customer (S2): the activity form (add / edit, with outcome
and next step; a next step makes its follow-up reminder in the same transaction), the list of
one customer's activities to pick one to edit, and the "done + log what happened" form of a
reminder. Every save runs in a thread worker (``SavingFormDialog``)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.agenda import activities
from ..data.agenda.activities import ActivityRow
from ..data.agenda.reminder_rows import ReminderRow
from ..data.agenda.vocab import ACTIVITY_LABELS, ActivityKind
from ..data.core import settings
from ..data.core.actor import Actor
from ..i18n import _
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog


def kind_choices() -> list[tuple[str, str]]:
    """In the language spoken when the form opens (not at import, before anyone logs in)."""
    return [(_(label), k.value) for k, label in ACTIVITY_LABELS.items()]
STAMP = "%Y-%m-%d %H:%M"


def _next_due_hint() -> str:
    days = settings.value(settings.FOLLOW_UP_DAYS)
    return _("blank: in {days} days 09:00; or +2d, 2026-06-20 10:00").format(days=days)


def _fields(a: ActivityRow | None, *, with_when: bool, subject: str = "",
            kind: str = ActivityKind.CALL.value) -> list[FormField]:
    fields = [FormField("kind", _("Kind"), a.kind.value if a else kind, kind="choice",
                        choices=kind_choices())]
    if with_when:
        fields.append(FormField("at", _("When"), f"{a.at:{STAMP}}" if a else "",
                                placeholder=_("blank: now; or 2026-06-15 10:30, 14:00")))
    fields += [
        FormField("subject", _("Subject"), a.subject if a else subject,
                  max_length=activities.MAX_SUBJECT),
        FormField("notes", _("Notes"), a.notes if a else ""),
        FormField("outcome", _("Outcome"), a.outcome if a else ""),
        FormField("next_step", _("Next step"), a.next_step if a else "",
                  placeholder=_("optional: makes a follow-up reminder")),
    ]
    if a is None or a.follow_up_id is None:
        fields.append(FormField("next_due", _("Follow up on"), "",
                                placeholder=_next_due_hint()))
    return fields


def activity_form(actor: Actor, customer_id: int, label: str,
                  activity: ActivityRow | None = None) -> SavingFormDialog:
    """Log a new activity with ``customer_id`` or edit ``activity``; ``form.result`` is the
    saved ``ActivityRow``."""
    a = activity

    def save(v: dict[str, str]) -> ActivityRow:  # in a worker
        data: dict[str, Any] = dict(v)
        if a is None:
            kind = data.pop("kind")
            return activities.add_activity(actor, customer_id, kind, **data)
        return activities.update_activity(actor, a.id, **data)

    title = (_("Log an activity: {customer}") if a is None
             else _("Edit activity: {customer}")).format(customer=label)
    return SavingFormDialog(title, _fields(a, with_when=True), submit=save,
                            submit_label=_("Save"))


def log_done_form(actor: Actor, reminder: ReminderRow) -> SavingFormDialog:
    """Done + log what happened: the reminder done, an activity on its customer, the next
    step's follow-up, in one transaction. ``form.result`` is (reminder, activity)."""
    kind = (ActivityKind.VISIT.value if reminder.kind.value == "work_plan"
            else ActivityKind.CALL.value)

    def save(v: dict[str, str]) -> Any:
        data: dict[str, Any] = dict(v)
        return activities.complete_and_log(actor, reminder.id, data.pop("kind"), **data)

    return SavingFormDialog(_("Done: {title} - what happened?").format(title=reminder.title),
                            _fields(None, with_when=False, subject=reminder.title, kind=kind),
                            submit=save, submit_label=_("Done + log"))


class ActivitiesDialog(ModalScreen[tuple[str, int | None] | None]):
    """One customer's activities, newest first: Enter edits the highlighted one, A logs a
    new one. Returns ("edit", id), ("add", None) or None."""

    DEFAULT_CSS = """
    ActivitiesDialog { align: center middle; }
    ActivitiesDialog > Vertical {
        width: 78; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    ActivitiesDialog OptionList { height: auto; max-height: 16; border: none; padding: 0; }
    ActivitiesDialog .keys { color: $text-muted; }
    """
    BINDINGS = [
        Binding("a", "add", "Log new", id="activities.add"),
        Binding("escape", "close", "Close", id="activities.close"),
    ]

    def __init__(self, label: str, rows: list[ActivityRow]) -> None:
        super().__init__()
        self.label = label
        self.rows = rows

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(_("Activities: {customer}").format(customer=self.label),
                              style="bold"))
            options = [Option(_activity_line(a), id=str(a.id)) for a in self.rows]
            if not options:
                options = [Option(Text(_("Nothing logged yet.")), id="none", disabled=True)]
            yield OptionList(*options, id="activities")
            yield Static(Text(_("Enter: edit   a: log new   Esc: close")), classes="keys")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id and event.option.id != "none":
            self.dismiss(("edit", int(event.option.id)))

    def action_add(self) -> None:
        self.dismiss(("add", None))

    def action_close(self) -> None:
        self.dismiss(None)


def _activity_line(a: ActivityRow) -> Text:
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f"{a.at:%Y-%m-%d %H:%M} ")
    line.append(f"{_(a.kind_label):<8} ", style="bold")
    line.append(" ".join(a.subject.split()))
    if a.outcome:
        line.append("  " + " ".join(a.outcome.split()), style="dim")
    if a.next_step:
        line.append("  -> " + " ".join(a.next_step.split()), style="dim")
    line.truncate(70, overflow="ellipsis")
    return line
