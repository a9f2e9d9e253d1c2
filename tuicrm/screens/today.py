"""Today (SPEC S4): shown right after login. The operator's overdue, due-today and coming
reminders, unread announcements, and alerts from the data; Enter opens what a line refers to.

Overdue lines are red and due-today yellow, and each group has a heading and every line a
mark (``!`` overdue, ``*`` today), so the groups differ without colour too.
"""

from __future__ import annotations

import datetime as dt

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from ..data.agenda import today as today_ops
from ..data.agenda.today import ItemKind, TodayGroup, TodayItem
from ..data.core import clock
from ..data.core.errors import TuicrmError
from ..data.core.formats import day_heading
from ..i18n import N_, _
from ..widgets.background import run_in_thread
from ..widgets.focus import focus_now
from .announcements import read_announcement
from .base import AppScreen
from .reminder_dialogs import ReminderActions, open_new_reminder
from .ticket_dialogs import TicketActions

GROUP_STYLES = {
    TodayGroup.OVERDUE: "bold red",
    TodayGroup.TODAY: "bold yellow",
    TodayGroup.UPCOMING: "",
    TodayGroup.TICKETS: "bold",
    TodayGroup.ANNOUNCEMENTS: "bold",
    TodayGroup.ALERTS: "",
}
LINE_STYLES = {TodayGroup.OVERDUE: "red", TodayGroup.TODAY: "yellow"}
WHEN_WIDTH = 16


class InfoDialog(ModalScreen[None]):
    """Plain text and a close key (a birthday, a "... and 12 more" line)."""

    DEFAULT_CSS = """
    InfoDialog { align: center middle; }
    InfoDialog > Vertical {
        width: 72; max-width: 100%; height: auto; max-height: 100%;
        border: round $primary; background: $surface; padding: 0 1;
    }
    InfoDialog VerticalScroll { height: auto; max-height: 18; }
    InfoDialog .keys { color: $text-muted; margin-top: 1; }
    """
    BINDINGS = [Binding("escape,enter", "close", "Close", id="info.close")]

    def __init__(self, title: str, body: str) -> None:
        super().__init__()
        self.info_title = title
        self.body = body

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Text(self.info_title, style="bold"))
            with VerticalScroll():
                yield Static(Text(self.body))
            yield Static(Text(_("Enter / Esc: close")), classes="keys")

    def action_close(self) -> None:
        self.dismiss(None)


def _line(item: TodayItem, width: int) -> Text:
    """One line, cut to ``width`` cells with an ellipsis (display width: CJK is 2 cells)."""
    style = LINE_STYLES.get(item.group, "")
    line = Text(no_wrap=True, overflow="ellipsis", end="")
    line.append(f"{item.mark} ", style=style or "bold")
    when = Text(item.when)
    when.truncate(WHEN_WIDTH, overflow="ellipsis", pad=True)
    when.stylize(style)
    line.append_text(when)
    line.append(" ")
    line.append(item.title, style=style)
    if item.detail:
        line.append("  ")
        line.append(item.detail, style="dim")
    line.truncate(max(10, width), overflow="ellipsis")
    return line


class TodayScreen(TicketActions, ReminderActions, AppScreen):
    TITLE_TEXT = N_("Today")
    HELP = (
        N_("What needs you today: overdue reminders (red, marked !), due today (yellow, marked "
        "*), the next 7 days, your overdue service tickets and those waiting on you, new "
        "announcements and alerts (low stock, quotes about to expire, birthdays). Enter opens "
        "the line; d on a ticket finishes it; l marks a reminder done and logs what happened. "
        "Snooze moves only the reminder time. Esc goes Home.")
    )
    BINDINGS = [
        Binding("escape", "back", "Home", id="today.back"),
        Binding("d", "done", "Done", id="today.done"),
        Binding("D", "done_next", "Done+next", id="today.done_next"),
        Binding("l", "done_log", "Done+log", id="today.done_log", show=False),
        Binding("s", "snooze", "Snooze", id="today.snooze"),
        Binding("a", "add", "Add", id="today.add"),
        Binding("r", "refresh", "Refresh", id="today.refresh"),
    ]
    DEFAULT_CSS = """
    TodayScreen #today { height: 1fr; border: none; padding: 0 1; }
    TodayScreen #status { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.items: dict[str, TodayItem] = {}
        self.loaded: list[TodayItem] | None = None  # None until the first read comes back
        self._opened = clock.now()
        self._width = 0

    def title_text(self) -> str:
        # the day it was opened
        return _("Today, {day}").format(day=day_heading(self._opened))

    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield OptionList(Option(Text(_("Reading your day ...")), id="h-loading", disabled=True),
                         id="today")
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()

    def on_mount(self) -> None:
        self.refresh_data()
        focus_now(self.query_one("#today", OptionList))

    # -- the list ----------------------------------------------------------------------------
    def refresh_data(self) -> None:
        """Read the list again in a worker (a newer read replaces an older one)."""
        actor = self.user
        run_in_thread(self, lambda: (clock.now(), today_ops.build_today(actor)), self._show,
                      self._not_read, name="today", exclusive=True)

    def _not_read(self, error: TuicrmError) -> None:
        self.notify_error(str(error))
        if self.loaded is None:
            self._show((clock.now(), []))

    def _show(self, result: tuple[dt.datetime, list[TodayItem]]) -> None:
        at, items = result
        self.loaded = items
        self._fill(at, items)

    def _fill(self, at: dt.datetime, items: list[TodayItem]) -> None:
        olist = self.query_one("#today", OptionList)
        old = olist.highlighted
        old_id = olist.get_option_at_index(old).id if old is not None else None
        olist.clear_options()
        self.items = {}
        # padding and the scrollbar take 4 cells; the lines are cut to fit, never wrapped
        self._width = self.app.size.width
        width = self._width - 4
        options: list[Option] = []
        for group, members in today_ops.grouped(items):
            options.append(Option(
                Text(today_ops.heading(group, members), style=GROUP_STYLES[group]),
                id=f"h-{group.value}", disabled=True,
            ))
            for item in members:
                key = f"{item.kind.value}-{item.ref_id}-{len(self.items)}"
                self.items[key] = item
                options.append(Option(_line(item, width), id=key))
        if not items:
            options.append(Option(Text(_("Nothing due and no alerts. a: add a reminder")),
                                  id="h-empty", disabled=True))
        olist.add_options(options)
        self._restore_highlight(olist, old_id, old)
        counts = {g: today_ops.group_total([i for i in items if i.group == g])
                  for g in TodayGroup}
        waiting = counts[TodayGroup.TICKETS]
        self.query_one("#status", Static).update(Text(
            f"{at:%H:%M}  "
            + _("{overdue} overdue, {today} today, {upcoming} next 7 days, ").format(
                overdue=counts[TodayGroup.OVERDUE], today=counts[TodayGroup.TODAY],
                upcoming=counts[TodayGroup.UPCOMING])
            + (_("{n} tickets, ").format(n=waiting) if waiting else "")
            + _("{new} new, {alerts} alerts").format(new=counts[TodayGroup.ANNOUNCEMENTS],
                                                     alerts=counts[TodayGroup.ALERTS])
            + "  " + _("Ctrl+R: new")
        ))

    def on_resize(self) -> None:
        if self.is_mounted and self.loaded is not None and self.app.size.width != self._width:
            self._fill(clock.now(), self.loaded)  # the lines are cut anew; no new read

    def _restore_highlight(self, olist: OptionList, old_id: str | None, old: int | None) -> None:
        enabled = [i for i, o in enumerate(olist.options) if not o.disabled]
        if not enabled:
            olist.highlighted = None
            return
        if old_id is not None:
            for i, o in enumerate(olist.options):
                if o.id == old_id and not o.disabled:
                    olist.highlighted = i
                    return
        target = old if old is not None else 0
        olist.highlighted = next((i for i in enabled if i >= target), enabled[-1])

    def current(self) -> TodayItem | None:
        olist = self.query_one("#today", OptionList)
        if olist.highlighted is None:
            return None
        option = olist.get_option_at_index(olist.highlighted)
        return self.items.get(option.id or "")

    def _current_reminder(self) -> int | None:
        item = self.current()
        if item is None or item.kind is not ItemKind.REMINDER or item.ref_id is None:
            self.app.bell()
            self.notify(_("Choose a reminder first (the lines under the reminder headings)."),
                        markup=False)
            return None
        return item.ref_id

    # -- keys -------------------------------------------------------------------------------
    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        item = self.items.get(event.option.id or "")
        if item is not None:
            self.open_item(item)

    def open_item(self, item: TodayItem) -> None:
        if item.ref_id is None:
            self.app.push_screen(InfoDialog(item.title, item.detail))
        elif item.kind is ItemKind.REMINDER:
            self.reminder_open(item.ref_id)
        elif item.kind is ItemKind.TICKET:
            self.ticket_open(item.ref_id)
        elif item.kind is ItemKind.ANNOUNCEMENT:
            read_announcement(self, self.user, item.ref_id, self.refresh_data)
        elif item.kind is ItemKind.BIRTHDAY:
            try:
                title, body = today_ops.birthday_card(self.user, item.ref_id)
            except TuicrmError as e:
                self.notify_error(str(e))
                return
            self.app.push_screen(InfoDialog(title, body))
        else:
            self.app.push_screen(self.screen_for(item.kind, item.ref_id))

    def screen_for(self, kind: ItemKind, ref_id: int) -> AppScreen:
        """The screen an alert opens: the count, the product's movements, the quote."""
        if kind is ItemKind.STOCK_COUNT:
            from .stock_count import StockCountScreen

            return StockCountScreen(count_id=ref_id)
        if kind is ItemKind.RECEIVABLE:
            from .receipts import ReceiptsScreen

            return ReceiptsScreen(party_id=ref_id)
        if kind is ItemKind.LOW_STOCK:
            from .stock import MovementsScreen

            return MovementsScreen(ref_id)
        from .order_entry import OrderEntryScreen

        return OrderEntryScreen(order_id=ref_id)

    def action_done(self) -> None:
        item = self.current()
        if item is not None and item.kind is ItemKind.TICKET and item.ref_id is not None:
            self.ticket_key("d", item.ref_id)
            return
        rid = self._current_reminder()
        if rid is not None:
            self.reminder_done(rid)

    def action_done_next(self) -> None:
        rid = self._current_reminder()
        if rid is not None:
            self.reminder_done_next(rid)

    def action_done_log(self) -> None:
        rid = self._current_reminder()
        if rid is not None:
            self.reminder_done_log(rid)

    def action_snooze(self) -> None:
        rid = self._current_reminder()
        if rid is not None:
            self.reminder_snooze(rid)

    def action_add(self) -> None:
        open_new_reminder(self.app, self.user, self.refresh_data)

    def action_refresh(self) -> None:
        self.refresh_data()
