"""Stock count (SPEC P4): count by scanning into an open count, see the variance, post.

The screen shows one count session: a line with its number, status, mode, scope and
progress, the scan field, the lines (product, counted, and - for managers or in a guided
count - expected, or book and variance), a status line and the footer. Scans are captured
whatever has focus (``ScanScreenMixin``), also while one of its dialogs is open; each one is
one ``count_scan`` (an atomic add), and the line that changed is highlighted with
``T-1: +1 -> 3`` in the status line. An unknown code rings the bell and says so; the next scan
works at once. The list refreshes every few seconds so counts from other terminals show up.

Nothing here waits on the database on the UI thread for a write: every write (a scan, a typed
quantity, a recount, opening, posting, cancelling, a report) goes through the screen's
``WriteQueue`` - one at a time, in the order they came, in a thread worker - so keys keep
echoing while another terminal holds a lock, and a write that waits longer than a second says
so. The list is redrawn once a burst of scans is done, not after every scan. Headers and
summaries are read in workers too; the pages of the list come through ``RecordTable``.

Keys (F-keys, so they work while the scan field has the focus): F2 typed quantity for the
highlighted line, F3 recount (reset) it, F4 variance view (managers, or any counter in a
guided count), F5 choose another count, F6 open a new count, F7 post, F8 cancel the count,
F9 count sheet / variance report to a file. Up/Down/PgUp/PgDn move in the list.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from ..data.core.errors import Conflict, NotFound, PermissionDenied, TuicrmError
from ..data.core.money import fmt_qty
from ..data.core.permissions import ACTIONS
from ..data.core.vocab import CountMode, shown_word
from ..data.counts import sessions as counts
from ..data.lists.paging import PagedQuery
from ..i18n import N_, _, ngettext
from ..widgets.background import run_in_thread
from ..widgets.focus import focus_now
from ..widgets.record_table import RecordTable
from ..widgets.scan import ScanInput, Scanned, ScanScreenMixin
from ..widgets.write_queue import WriteQueue
from .base import AppScreen
from .stock_count_dialogs import (
    CountConfirm,
    CountPicker,
    open_count_form,
    post_form,
    quantity_form,
    report_form,
)

REFRESH_SECONDS = 3.0
T = TypeVar("T")

LINES = ["code", "name", "counted", "entries", "scope"]
GUIDED = ["code", "name", "counted", "entries", "expected", "scope"]
VARIANCE = ["code", "name", "counted", "entries", "book", "variance", "scope"]


class StockCountScreen(ScanScreenMixin, AppScreen):
    TITLE_TEXT = N_("Stock count")
    PRIORITY_TAB = False  # Tab may end a scan (some scanners send it)
    HELP = (
        N_("Count stock by scanning. Each scan adds 1 to the product's counted quantity "
        "(N*code adds N; a carton barcode adds its pack). Several terminals can count into "
        "the same count at once. F2 types the counted quantity of the highlighted line, F3 "
        "recounts it (back to not counted). A product outside the count's scope is added with "
        "a warning. In a blind count counters never see expected quantities; managers see the "
        "variance with F4: counted against the stock book at the time the line was counted, "
        "so sales made during the count are neither a loss nor a gain. Lines marked ! differ "
        "by more than the recount threshold (setting count.recount_threshold). F7 posts the "
        "count (managers): the stock becomes what was counted, as count movements with the "
        "count's number. F6 opens a count, F8 cancels it, F5 shows another count, F9 writes "
        "the count sheet or the variance report (.txt, .xlsx or .csv).")
    )
    BINDINGS = [
        Binding("escape", "back", "Back", id="count.back"),
        Binding("f2", "quantity", "Qty", id="count.quantity"),
        Binding("f3", "recount", "Recount", id="count.recount"),
        Binding("f4", "variance", "Var", id="count.variance"),
        Binding("f5,ctrl+b", "choose", "Counts", id="count.choose", show=False),  # 80 columns
        Binding("f6,ctrl+n", "open_count", "Open", id="count.open"),
        Binding("f7,ctrl+y", "post", "Post", id="count.post"),
        Binding("f8,ctrl+x", "cancel_count", "Cancel", id="count.cancel", priority=True),
        Binding("f9,ctrl+o", "report", "Report", id="count.report"),
        Binding("up", "move(-1)", show=False, id="count.up"),
        Binding("down", "move(1)", show=False, id="count.down"),
        Binding("pageup", "page(-1)", show=False, id="count.pageup"),
        Binding("pagedown", "page(1)", show=False, id="count.pagedown"),
    ]
    DEFAULT_CSS = """
    StockCountScreen #info { height: 1; padding: 0 1; text-style: bold; text-wrap: nowrap;
                             text-overflow: ellipsis; }
    StockCountScreen #scan { height: 1; border: none; padding: 0 1; }
    StockCountScreen RecordTable { height: 1fr; }
    StockCountScreen #status { height: 1; padding: 0 1; text-wrap: nowrap;
                               text-overflow: ellipsis; }
    """

    def __init__(self, count_id: int | None = None) -> None:
        super().__init__()
        self.count_id = count_id
        self.header: counts.CountRow | None = None
        self.show_variance = False
        self.last_status = ""
        self._loaded = False  # the first header has been read (scans before it are held)
        self._held: list[str] = []
        self._load_token = 0
        self._last_line: int | None = None  # the line the latest write changed

    # -- layout -------------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        yield from self.compose_title()
        yield Static("", id="info", markup=False)
        yield ScanInput(id="scan", placeholder=_("Scan or type a code (N*code)"))
        yield RecordTable(id="lines", show_marks=False, empty_text=_("No stock count open"))
        yield Static("", id="status", markup=False)
        yield from self.compose_footer()
        yield WriteQueue(id="writes", waiting=self._waiting)

    @property
    def table(self) -> RecordTable:
        return self.query_one(RecordTable)

    @property
    def writes(self) -> WriteQueue:
        return self.query_one(WriteQueue)

    def on_mount(self) -> None:
        focus_now(self.query_one("#scan", ScanInput))
        self._load(self.count_id)
        self.set_interval(REFRESH_SECONDS, self._tick)

    # -- reading (workers) ----------------------------------------------------------------------
    def _read(self, work: Callable[[], T], done: Callable[[T], object]) -> None:
        run_in_thread(self, work, done, self._error, name="count-read")

    def _load(self, count_id: int | None) -> None:
        """Read a count's header (the latest count for None) and its lines' pages, then show
        them; a newer load wins over an older one still running."""
        actor, variance = self.user, self.show_variance
        self._load_token += 1
        token = self._load_token

        def work() -> tuple[counts.CountRow | None, PagedQuery | None]:
            if count_id is None:
                recent = counts.recent_counts(actor, 1)
                header = recent[0] if recent else None
            else:
                header = counts.get_count(actor, count_id)
            if header is None:
                return None, None
            book = header.sees_expected and (variance or header.mode == CountMode.GUIDED)
            return header, counts.line_pages(actor, header.id, book=book)

        def done(result: tuple[counts.CountRow | None, PagedQuery | None]) -> None:
            if token == self._load_token:
                self._show(*result)

        run_in_thread(self, work, done, self._load_failed, name="count-load")

    def _load_failed(self, error: TuicrmError) -> None:
        self.notify_error(str(error))
        if self._loaded:
            return
        if isinstance(error, PermissionDenied):
            self.app.call_later(self.tuicrm.go_back)
        else:  # the count asked for is gone: show none (held scans say there is none)
            self._show(None, None)

    def _show(self, header: counts.CountRow | None, pages: PagedQuery | None) -> None:
        self.header = header
        self.count_id = None if header is None else header.id
        if header is not None and pages is not None:
            names = {c.name for c in pages.columns}
            self.show_variance = self.show_variance and "variance" in names
            self.table.set_query(pages)
            view = VARIANCE if self.show_variance else GUIDED if "expected" in names else LINES
            self.table.set_columns(view)
        self._show_info()
        if not self._loaded:
            self._loaded = True
            held, self._held = self._held, []
            for code in held:
                self.handle_scan(code)

    def _show_info(self) -> None:
        h = self.header
        text = h.describe() if h else _("No stock count yet. F6 opens one (managers).")
        self.query_one("#info", Static).update(Text(text))

    def _reload_header(self) -> None:
        if self.count_id is None:
            return
        actor, count_id = self.user, self.count_id

        def done(header: counts.CountRow) -> None:
            if header.id != self.count_id:
                return  # another count was chosen meanwhile
            if self.header is not None and header.status != self.header.status:
                self._load(header.id)  # posted or cancelled elsewhere: other columns
                if not header.is_open:
                    self._follow(header, None)
                return
            self.header = header
            self._show_info()

        self._read(lambda: counts.get_count(actor, count_id), done)

    def _refresh_lines(self, line_id: int | None = None) -> None:
        if line_id is None or not self.table.go_to_id(line_id):
            self.table.refresh_data()

    def _tick(self) -> None:
        if self.app.screen is not self or self.count_id is None or self.writes.pending:
            return
        self.table.refresh_data()
        self._reload_header()

    # -- status -------------------------------------------------------------------------------
    def set_status(self, text: str, warning: bool = False) -> None:
        self.last_status = text
        self.query_one("#status", Static).update(
            Text(text, style="bold yellow" if warning else ""))

    def _error(self, error: TuicrmError) -> None:
        self.set_status(str(error), warning=True)
        self.notify_error(str(error))

    def _waiting(self, pending: int) -> None:
        self.set_status(_("Waiting for another terminal... ({n} not saved yet; keep "
                          "scanning)").format(n=pending), warning=True)

    # -- scanning -----------------------------------------------------------------------------
    def on_scanned(self, event: Scanned) -> None:
        event.stop()
        self.handle_scan(event.code)

    def handle_scan(self, code: str) -> None:
        """Count ``code`` into the count shown, after every write before it."""
        if not self._loaded:
            self._held.append(code)  # the count is being read: count it once it is known
            return
        count_id = self.count_id
        if count_id is None:
            self.app.bell()
            self.set_status(_("{code}: no stock count is open (F6 opens one)").format(code=code),
                            warning=True)
            return
        actor = self.user
        self.writes.submit(lambda: counts.count_scan(actor, count_id, code), self._scanned,
                           lambda e: self._scan_refused(e, count_id, code))

    def _scanned(self, result: counts.CountResult) -> None:
        self._last_line = result.line_id
        if result.out_of_scope:
            self.app.bell()
            self.set_status(f"{result.status}   ({result.warning})", warning=True)
            if result.new_line:
                self.notify(result.warning, severity="warning", markup=False, timeout=5)
        else:
            self.set_status(f"{result.status}  {result.product_name}")

    def _scan_refused(self, error: TuicrmError, count_id: int | None = None,
                      code: str = "") -> None:
        if isinstance(error, Conflict) and count_id is not None:
            # The count was posted or cancelled (on another terminal): follow to the count
            # opened after it, with this scan, instead of refusing every scan until F5.
            actor = self.user
            self._read(lambda: counts.get_count(actor, count_id),
                       lambda old: self._follow(old, code, str(error)))
            return
        if isinstance(error, NotFound):
            self.app.bell()
            self.set_status(str(error), warning=True)
            self.notify(str(error), severity="warning", markup=False, timeout=4)
        else:
            self._error(error)

    def _follow(self, old: counts.CountRow, code: str | None, refusal: str = "") -> None:
        """``old`` is closed: go on in the newest count opened after it at its location (and
        count ``code`` there), or say that none is open."""
        if old.is_open:
            if code:
                self.handle_scan(code)
            return
        actor = self.user

        def found(new: counts.CountRow | None) -> None:
            if new is None:
                if code:
                    self._error(TuicrmError(refusal or _(
                        "{number} is {status}: F5 chooses another count, F6 opens one").format(
                            number=old.number, status=old.status)))
                return
            if self.count_id in (old.id, None):
                self.count_id, self.header = new.id, new
                self.show_variance = False
                self._load(new.id)
                self.set_status(_("{old} was {status}: now counting into {new}").format(
                    old=old.number, status=old.status, new=new.number), warning=True)
                self.notify(_("{old} was {status}; this terminal now counts into {new}.")
                            .format(old=old.number, status=old.status, new=new.number),
                            severity="warning", markup=False, timeout=8)
            if code:
                self.handle_scan(code)

        self._read(lambda: counts.successor(actor, old.id), found)

    def on_write_queue_idle(self, event: WriteQueue.Idle) -> None:
        """A burst of writes is done: show the lines once, on the line changed last."""
        event.stop()
        line, self._last_line = self._last_line, None
        if self.count_id is not None:
            self._refresh_lines(line)
            self._reload_header()

    # -- actions ------------------------------------------------------------------------------
    def action_move(self, delta: int) -> None:
        (self.table.action_cursor_down if delta > 0 else self.table.action_cursor_up)()

    def action_page(self, delta: int) -> None:
        (self.table.action_page_down if delta > 0 else self.table.action_page_up)()

    def _cursor(self) -> dict[str, Any] | None:
        """The highlighted line's values by column name (with its ``id``), or None."""
        row, pages = self.table.cursor_row, self.table.paged_query
        if row is None or pages is None:
            self.app.bell()
            self.set_status(_("No line chosen: scan a product or move to a line first."), True)
            return None
        values = {c.name: v for c, v in zip(pages.columns, row.values, strict=True)}
        values["id"] = int(row.id)
        return values

    def _manager(self) -> counts.CountRow | None:
        """The count shown, if the user may open, post and cancel counts (else say why)."""
        h = self.header
        if h is None:
            return None
        if not h.manages:
            user = self.user
            text = _("{user} ({role}) may not: {action}").format(
                user=user.username, role=_(user.role), action=_(ACTIONS["count.manage"]))
            self.notify_error(text)
            self.set_status(text, warning=True)
            return None
        return h

    def action_quantity(self) -> None:
        line = self._cursor()
        if line is not None:
            self.app.push_screen(quantity_form(self, self.user, line, saved=self._typed))

    def _typed(self, result: counts.CountResult) -> None:
        self.set_status(result.status)
        self._refresh_lines(result.line_id)

    def action_recount(self) -> None:
        line = self._cursor()
        if line is None:
            return
        actor, line_id, code = self.user, line["id"], line["code"]
        counted: Decimal | None = line["counted"]

        def recounted(result: counts.CountResult) -> None:
            self._last_line = result.line_id
            self.set_status(_("{code}: recount, back to not counted (was {quantity})").format(
                code=code, quantity=fmt_qty(-result.added)))

        def answer(yes: bool | None) -> None:
            if yes:
                self.writes.submit(lambda: counts.recount(actor, line_id), recounted,
                                   self._error)

        so_far = _("nothing") if counted is None else fmt_qty(counted)
        self.app.push_screen(CountConfirm(
            self, _("Recount {code} {name}? What was counted so far ({so_far}) is set back to "
                    "not counted.").format(code=code, name=line["name"], so_far=so_far),
            yes=_("Recount")), answer)

    def action_variance(self) -> None:
        h = self.header
        if h is None:
            return
        if not h.sees_expected:
            self.notify_error(_("This is a blind count: expected quantities and variances are "
                              "shown to managers only."))
            return
        self.show_variance = not self.show_variance
        self._load(h.id)
        if self.show_variance:
            actor = self.user
            self._read(lambda: counts.variance_summary(actor, h.id), lambda s: self.set_status(
                _("Variance: {progress}, marked !; net value at cost {value}").format(
                    progress=s.progress(), value=f"{s.value:,}")))

    def action_choose(self) -> None:
        actor = self.user

        def chosen(count_id: int | None) -> None:
            if count_id:
                self.show_variance = False
                self._load(count_id)

        def pick(items: list[counts.CountRow]) -> None:
            if items:
                self.app.push_screen(CountPicker(self, items), chosen)
            else:
                self.set_status(_("No stock counts yet. F6 opens one."), True)

        self._read(lambda: counts.recent_counts(actor), pick)

    def action_open_count(self) -> None:
        actor = self.user
        self._read(lambda: counts.count_locations(actor), lambda locations: self.app.push_screen(
            open_count_form(self, actor, locations, saved=self._opened)))

    def _opened(self, count: counts.CountRow) -> None:
        self.show_variance = False
        self._load(count.id)
        self.set_status(_("Opened {number}: start scanning.").format(number=count.number))

    def action_post(self) -> None:
        h = self._manager()
        if h is None:
            return
        if not h.is_open:
            self.notify_error(_("{number} is {status}: it cannot be posted.").format(
                number=h.number, status=shown_word(h.status)))
            return
        actor = self.user
        self._read(lambda: counts.variance_summary(actor, h.id), lambda s: self.app.push_screen(
            post_form(self, actor, h, s, saved=self._posted)))

    def _posted(self, r: counts.PostResult) -> None:
        self._load(self.count_id)
        self.set_status(ngettext("Posted {number}: {n} stock movement, value {value:,}.",
                                 "Posted {number}: {n} stock movements, value {value:,}.",
                                 r.movements).format(number=r.number, n=r.movements,
                                                     value=r.value))
        self.notify(_("Posted {number}.").format(number=r.number), markup=False)

    def action_cancel_count(self) -> None:
        h = self._manager()
        if h is None:
            return
        actor = self.user

        def cancelled(row: counts.CountRow) -> None:
            self._load(row.id)
            self.set_status(_("{number} cancelled: no stock was changed.").format(
                number=row.number))

        def answer(yes: bool | None) -> None:
            if yes:
                self.writes.submit(lambda: counts.cancel_count(actor, h.id), cancelled,
                                   self._error)

        self.app.push_screen(CountConfirm(
            self, _("Cancel stock count {number}? Nothing is posted; it stays listed as "
                    "cancelled.").format(number=h.number),
            yes=_("Cancel the count"), no=_("Keep it")), answer)

    def action_report(self) -> None:
        if self.header is not None:
            self.app.push_screen(report_form(self, self.user, self.header, saved=lambda path:
                                             self.set_status(_("Wrote {path}.").format(path=path))))
