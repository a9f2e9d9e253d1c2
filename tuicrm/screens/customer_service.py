"""What the Customers screen does for service (S1, S2) on the selected customer: log an
activity (l), list its activities to edit one (L), open a ticket (n), show its tickets (t).
A mixin of ``CustomersScreen``; the dialogs are in ``activity_dialogs`` and
``ticket_dialogs``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..data.core.errors import TuicrmError
from ..i18n import _
from ..widgets.background import run_in_thread
from ..widgets.related_pane import RelatedPane
from ..widgets.saving_form import SavingFormDialog
from .ticket_dialogs import ticket_form

if TYPE_CHECKING:
    from .list_screen import ListScreen as _ScreenBase
else:
    _ScreenBase = object


class CustomerServiceActions(_ScreenBase):
    # -- activities (S2) and tickets (S1) of the selected customer -------------------------------

    def _cursor_customer(self) -> tuple[int, str] | None:
        cid = self.table.cursor_row_id
        if cid is None:
            self.notify_error(_("No customer selected."))
            return None
        label = f"{self.cursor_value('code') or ''} {self.cursor_value('name') or ''}".strip()
        return int(cid), label

    def _after_activity(self, form: SavingFormDialog, said: str) -> Any:
        def done(v: dict[str, str] | None) -> None:
            result = getattr(form, "result", None)
            if v is None or result is None:
                return
            self.query_one(RelatedPane).reload()
            text = said
            if result.follow_up_id is not None and result.next_step:
                text += " " + _("Follow-up reminder made: {step}").format(step=result.next_step)
            self.notify(text, markup=False)

        return done

    def action_log_activity(self) -> None:
        from .activity_dialogs import activity_form

        target = self._cursor_customer()
        if target is None:
            return
        cid, label = target
        form = activity_form(self.user, cid, label)
        self.app.push_screen(form, self._after_activity(form, _("Activity logged.")))

    def action_activities(self) -> None:
        from ..data.agenda import activities
        from .activity_dialogs import ActivitiesDialog, activity_form

        target = self._cursor_customer()
        if target is None:
            return
        cid, label = target
        user = self.user

        def chosen(choice: tuple[str, int | None] | None) -> None:
            if choice is None:
                return
            what, aid = choice
            if what == "add" or aid is None:
                self.action_log_activity()
                return
            try:
                row = activities.get_activity(user, aid)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            form = activity_form(user, cid, label, row)
            self.app.push_screen(form, self._after_activity(form, _("Activity saved.")))

        def shown(rows: list[Any]) -> None:
            self.app.push_screen(ActivitiesDialog(label, rows), chosen)

        run_in_thread(self, lambda: activities.list_for_customer(user, cid), shown,
                      lambda e: self.notify_error(str(e)), name="customer-activities")

    def action_new_ticket(self) -> None:
        target = self._cursor_customer()
        if target is None:
            return
        code = str(self.cursor_value("code") or "")
        try:
            form = ticket_form(self.user, customer_code=code)
        except TuicrmError as e:
            self.notify_error(str(e))
            return

        def done(v: dict[str, str] | None) -> None:
            t = getattr(form, "result", None)
            if v is not None and t is not None:
                self.query_one(RelatedPane).reload()
                self.notify(_("Ticket {number} opened, due {due:%Y-%m-%d %H:%M}.").format(
                    number=t.number, due=t.resolve_by), markup=False)

        self.app.push_screen(form, done)

    def action_tickets(self) -> None:
        from .tickets import TicketsScreen

        target = self._cursor_customer()
        if target is not None:
            self.app.push_screen(TicketsScreen(customer_id=target[0]),
                                 lambda _r: self.query_one(RelatedPane).reload())
