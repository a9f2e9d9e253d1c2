"""The dialogs of service tickets, shared by the Tickets list, Today and the Customers screen:
the ticket form (open / edit), the done form (resolution notes and satisfaction), the ticket
view with one key per move, and ``TicketActions``, the mixin that runs them: every write in a
thread worker, the screen refreshed when it comes back."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from ..data.core import clock
from ..data.core.actor import Actor
from ..data.core.errors import TuicrmError, ValidationError
from ..data.service import tickets
from ..data.service.rows import TicketRow, describe
from ..data.service.vocab import (
    CHANNEL_LABELS,
    KIND_LABELS,
    MOVES,
    PRIORITY_LABELS,
    STATUS_LABELS,
    Priority,
    TicketKind,
    TicketStatus,
)
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.form import FormField
from ..widgets.saving_form import SavingFormDialog

if TYPE_CHECKING:
    from .base import AppScreen as _ScreenBase
else:
    _ScreenBase = object



def _choices(labels: dict[Any, str]) -> list[tuple[str, str]]:
    """In the language spoken when the form opens (not at import, before anyone logs in)."""
    return [(_(label), str(key.value)) for key, label in labels.items()]
SCORE_CHOICES = [(f"{n}", str(n)) for n in range(5, 0, -1)]  # blank: not given

# The form field a record named on a ticket is typed in.
FIELD_OF = {"customer": "customer_code", "contact": "contact_name", "order": "order_number",
            "product": "product_code", "return_order": "return_number"}

# The move each key makes, and what the key says.
MOVE_KEYS: dict[str, TicketStatus] = {
    "s": TicketStatus.IN_PROGRESS, "w": TicketStatus.WAITING, "d": TicketStatus.DONE,
    "k": TicketStatus.CANCELLED, "o": TicketStatus.IN_PROGRESS,
}


def ticket_form(actor: Actor, ticket: TicketRow | None = None, *,
                customer_code: str = "") -> SavingFormDialog:
    """The open / edit form; ``form.result`` is the saved ``TicketRow`` after it closes."""
    t = ticket
    fields: list[FormField] = []
    if t is None:
        fields.append(FormField("customer_code", _("Customer code"), customer_code))
    fields += [
        FormField("subject", _("Subject"), t.subject if t else "",
                  max_length=tickets.MAX_SUBJECT),
        FormField("kind", _("Kind"), t.kind.value if t else TicketKind.REQUEST.value,
                  kind="choice", choices=_choices(KIND_LABELS)),
        FormField("priority", _("Priority"), t.priority.value if t else Priority.NORMAL.value,
                  kind="choice", choices=_choices(PRIORITY_LABELS)),
        FormField("channel", _("Channel"), t.channel.value if t else "phone", kind="choice",
                  choices=_choices(CHANNEL_LABELS)),
        FormField("details", _("Details"), t.details if t else ""),
        FormField("contact_name", _("Contact"), t.contact_name if t else "",
                  placeholder=_("optional: the contact's name")),
        FormField("order_number", _("Order"), t.order_number if t else "",
                  placeholder=_("optional: SO-2026-000123")),
        FormField("product_code", _("Product code"), t.product_code if t else "",
                  placeholder=_("optional")),
        FormField("return_number", _("Settled by return"), t.return_number if t else "",
                  placeholder=_("optional: the sales return (SR-...)")),
    ]
    owners = tickets.owner_choices(actor)
    current = t.owner_id if t else actor.id
    if len(owners) > 1 or (t is not None and current != actor.id):
        choices = [(u.label, str(u.id)) for u in owners]
        if t is not None and current is not None and str(current) not in {v for _l, v in
                                                                              choices}:
            choices.append((t.owner, str(current)))
        choices.insert(0, (_("(nobody)"), ""))
        fields.append(FormField("owner", _("Owner"), str(current or ""), kind="choice",
                                choices=choices))

    def save(values: dict[str, str]) -> TicketRow:  # in a worker
        data: dict[str, Any] = dict(values)
        try:
            if t is None:
                if "owner" in data:
                    data["owner"] = data["owner"] or None
                return tickets.open_ticket(actor, **data)
            if "owner" in data and data["owner"] == str(t.owner_id or ""):
                data.pop("owner")  # untouched: no assign permission needed
            return tickets.update_ticket(actor, t.id, version=t.version, **data)
        except ValidationError as e:  # shown beside the field it is about
            raise ValidationError({FIELD_OF.get(k, k): v for k, v in e.errors.items()}
                                  ) from None

    title = _("New ticket") if t is None else _("Edit ticket {number}").format(number=t.number)
    return SavingFormDialog(title, fields, submit=save,
                            submit_label=_("Open") if t is None else _("Save"))


def done_form(actor: Actor, ticket: TicketRow) -> SavingFormDialog:
    """Done: what was done (resolution notes) and the customer's satisfaction, if given."""
    fields = [
        FormField("resolution", _("Resolution"), ticket.resolution),
        FormField("satisfaction", _("Satisfaction"), "", kind="choice",
                  choices=SCORE_CHOICES),
    ]

    def save(values: dict[str, str]) -> TicketRow:
        return tickets.move_ticket(actor, ticket.id, TicketStatus.DONE, version=ticket.version,
                                   resolution=values["resolution"],
                                   satisfaction=values["satisfaction"])

    return SavingFormDialog(_("Done: {number} {subject}").format(
        number=ticket.number, subject=ticket.subject), fields, submit=save,
        submit_label=_("Done"))


def rate_form(actor: Actor, ticket: TicketRow) -> SavingFormDialog:
    value = "" if ticket.satisfaction is None else str(ticket.satisfaction)
    fields = [FormField("satisfaction", _("Satisfaction"), value, kind="choice",
                        choices=SCORE_CHOICES)]
    return SavingFormDialog(
        _("Satisfaction with {number}").format(number=ticket.number), fields,
        submit=lambda v: tickets.rate_ticket(actor, ticket.id, v["satisfaction"]))


class TicketDialog(ModalScreen[str | None]):
    """One ticket as plain text with a key per move; returns the key pressed (``s``, ``w``,
    ``d``, ``k``, ``o``, ``e``, ``r``) or None."""

    DEFAULT_CSS = """
    TicketDialog { align: center middle; }
    TicketDialog > Vertical {
        width: 76; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    TicketDialog VerticalScroll { height: auto; max-height: 17; }
    TicketDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [
        Binding("s", "choose('s')", "Start", id="ticket.start"),
        Binding("w", "choose('w')", "Waiting", id="ticket.waiting"),
        Binding("d", "choose('d')", "Done", id="ticket.done"),
        Binding("k", "choose('k')", "Cancel ticket", id="ticket.cancel"),
        Binding("o", "choose('o')", "Reopen", id="ticket.reopen"),
        Binding("e", "choose('e')", "Edit", id="ticket.edit"),
        Binding("r", "choose('r')", "Satisfaction", id="ticket.rate"),
        Binding("escape,enter", "choose('')", "Close", id="ticket.close"),
    ]

    def __init__(self, ticket: TicketRow) -> None:
        super().__init__()
        self.ticket = ticket

    def compose(self) -> ComposeResult:
        with Vertical():
            with VerticalScroll():
                yield Static(Text(describe(self.ticket, clock.now())))
            yield Static(Text(keys_text(self.ticket)), classes="keys")

    def action_choose(self, key: str) -> None:
        if key and key not in allowed_keys(self.ticket):
            self.app.bell()
            return
        self.dismiss(key or None)


def allowed_keys(t: TicketRow) -> list[str]:
    keys = [k for k, target in MOVE_KEYS.items()
            if target in MOVES[t.status] and (k == "o") == (not t.is_open)]
    keys.append("e")
    if t.status is TicketStatus.DONE:
        keys.append("r")
    return keys


KEY_WORDS = {"s": N_("start"), "w": N_("waiting for customer"), "d": N_("done"),
             "k": N_("cancel it"), "o": N_("reopen"), "e": N_("edit"), "r": N_("satisfaction")}


def keys_text(t: TicketRow) -> str:
    return "   ".join(f"{k}: {_(KEY_WORDS[k])}" for k in allowed_keys(t)) + "   " + _(
        "Esc: close")


class TicketActions(_ScreenBase):
    """Open, move, finish, edit and rate a ticket, for a screen that has ``user``,
    ``notify_error()`` (AppScreen) and ``refresh_data()``; put it first in the bases."""

    if TYPE_CHECKING:

        def refresh_data(self) -> None: ...

    def _ticket(self, ticket_id: int) -> TicketRow | None:
        try:
            return tickets.get_ticket(self.user, ticket_id)
        except TuicrmError as e:
            self.notify_error(str(e))
            self.refresh_data()
            return None

    def _ticket_write(self, work: Callable[[], TicketRow], said: Callable[[TicketRow], str]
                      ) -> None:
        def done(t: TicketRow) -> None:
            self.app.notify(said(t), markup=False)
            if self.is_attached:
                self.refresh_data()

        def failed(error: TuicrmError) -> None:
            self.notify_error(str(error))
            if self.is_attached:
                self.refresh_data()

        run_in_thread(self, work, done, failed, name="ticket-write", keep=True)

    def ticket_open(self, ticket_id: int) -> None:
        t = self._ticket(ticket_id)
        if t is None:
            return

        def chosen(key: str | None) -> None:
            if key:
                self.ticket_key(key, ticket_id)

        self.app.push_screen(TicketDialog(t), chosen)

    def ticket_key(self, key: str, ticket_id: int) -> None:
        """What a move key does to a ticket (on the list or in the ticket view)."""
        t = self._ticket(ticket_id)
        if t is None:
            return
        if key == "e":
            self._form(ticket_form(self.user, t))
        elif key == "r":
            if t.status is not TicketStatus.DONE:
                self.notify_error(_("{number} is not done: a score is given when it is "
                                    "done").format(number=t.number))
                return
            self._form(rate_form(self.user, t))
        elif key not in allowed_keys(t):
            self.notify_error(_("{number} is {status}: it cannot be moved that way").format(
                number=t.number, status=t.status_label.lower()))
        elif key == "d":
            self._form(done_form(self.user, t))
        else:
            actor, target = self.user, MOVE_KEYS[key]
            self._ticket_write(
                lambda: tickets.move_ticket(actor, t.id, target, version=t.version),
                lambda new: _("{number}: {status}").format(number=new.number,
                                                            status=new.status_label))

    def _form(self, form: SavingFormDialog) -> None:
        def saved(values: dict[str, str] | None) -> None:
            result = getattr(form, "result", None)
            if values is not None and isinstance(result, TicketRow):
                self.app.notify(_("{number} saved: {status}").format(
                    number=result.number, status=result.status_label), markup=False)
                self.refresh_data()

        self.app.push_screen(form, saved)

    def ticket_new(self, customer_code: str = "") -> None:
        try:
            form = ticket_form(self.user, customer_code=customer_code)
        except TuicrmError as e:
            self.notify_error(str(e))
            return
        self._form(form)


__all__ = ["STATUS_LABELS", "TicketActions", "TicketDialog", "done_form", "ticket_form"]
