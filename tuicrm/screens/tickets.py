"""Tickets (S1): customers' requests, service records, feedback and complaints, with every
list tool (search, filter, dates, columns, export, print). Opens on the open tickets; **v**
steps through open / closed / all, **m** shows only yours. One key per move: **s** start
(in progress), **w** waiting for the customer, **d** done (resolution notes, satisfaction),
**k** cancel, **o** reopen; **a** opens a new ticket, **e** edits, **r** records the
satisfaction of a done one, Enter shows the ticket, **R** the tickets report."""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..data.service.lists import STATUS_FILTERS, TICKETS
from ..data.service.report import GroupBy
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.list_tools import PrintPreviewDialog, default_export_path
from .list_screen import ListScreen
from .ticket_dialogs import TicketActions

REPORT_ORDER = (GroupBy.KIND, GroupBy.OWNER, GroupBy.MONTH, GroupBy.WEEK)
LEGEND = N_("! overdue")


class TicketsScreen(TicketActions, ListScreen):
    TITLE_TEXT = N_("Tickets")
    LIST = TICKETS
    HELP = N_(
        "Service tickets: requests, service records, feedback and complaints. v: open / "
        "closed / all; m: only yours. s: start, w: waiting for the customer, d: done "
        "(resolution and satisfaction), k: cancel, o: reopen; a: new ticket, e: edit, "
        "r: satisfaction of a done ticket; Enter shows the ticket; R: the tickets report "
        "(again: by owner, month, week). ! marks a ticket past its due time."
    )
    BINDINGS = [
        Binding("a", "add", "New", id="tickets.add"),
        Binding("s", "move('s')", "Start", id="tickets.start"),
        Binding("w", "move('w')", "Waiting", id="tickets.waiting"),
        Binding("d", "move('d')", "Done", id="tickets.done"),
        Binding("k", "move('k')", "Cancel", id="tickets.cancel", show=False),
        Binding("o", "move('o')", "Reopen", id="tickets.reopen", show=False),
        Binding("e", "move('e')", "Edit", id="tickets.edit", show=False),
        Binding("r", "move('r')", "Satisfaction", id="tickets.rate", show=False),
        Binding("v", "status_filter", "Open/closed/all", id="tickets.filter"),
        Binding("m", "mine", "Mine/all", id="tickets.mine", show=False),
        Binding("R", "report", "Report", id="tickets.report", show=False),
    ]

    def __init__(self, customer_id: int | None = None) -> None:
        super().__init__()
        self.status = "open"
        self.mine = False
        self.customer_id = customer_id
        self._report_by = -1

    def list_options(self) -> dict[str, Any]:
        return {"status": self.status, "mine": self.mine, "customer_id": self.customer_id}

    def status_parts(self) -> list[str]:
        parts = super().status_parts()
        what = {"open": _("open"), "closed": _("closed"), "all": _("all")}[self.status]
        parts.insert(0, what + (" " + _("(mine)") if self.mine else ""))
        if self.customer_id is not None:
            parts.insert(1, _("one customer"))
        return parts + [_(LEGEND)]

    def refresh_data(self) -> None:
        self.table.refresh_data()

    # -- keys ----------------------------------------------------------------------------------

    def _cursor(self) -> int | None:
        row_id: Any = self.table.cursor_row_id
        if row_id is None:
            self.notify_error(_("No ticket selected."))
            return None
        return int(row_id)

    def on_list_selected(self, row_id: Any) -> None:
        if row_id is not None:
            self.ticket_open(int(row_id))

    def action_add(self) -> None:
        code = ""
        if self.customer_id is not None:
            code = str(self.cursor_value("customer") or "").split(" ", 1)[0]
        self.ticket_new(code)

    def action_move(self, key: str) -> None:
        if (tid := self._cursor()) is not None:
            self.ticket_key(key, tid)

    def action_status_filter(self) -> None:
        self.status = STATUS_FILTERS[(STATUS_FILTERS.index(self.status) + 1)
                                     % len(STATUS_FILTERS)]
        self.reload()

    def action_mine(self) -> None:
        self.mine = not self.mine
        self.reload()

    def action_report(self) -> None:
        """The tickets report this month (each R: the next grouping), on the report engine."""
        from ..reports.engine import run_report
        from ..reports.render import render_text

        self._report_by = (self._report_by + 1) % len(REPORT_ORDER)
        by, actor = REPORT_ORDER[self._report_by], self.user
        width = max(40, min(self.app.size.width - 4, 132))

        def work() -> str:
            return render_text(run_report(actor, "tickets", {"by": by.value}), width)

        def shown(text: str) -> None:
            self.app.push_screen(PrintPreviewDialog(
                _("Tickets report"), text, default_export_path("tickets-report", ".txt")))

        run_in_thread(self, work, shown, lambda e: self.notify_error(str(e)),
                      name="tickets-report")
