"""RecordTable in a tiny app at 80x24: what the user sees, and the messages a screen gets.

The table reads in worker threads: after anything that reads (opening, End, a go-to, a new
sort or filter) a test waits with ``settle`` until the table shows what was asked of it.
"""

from __future__ import annotations

import threading

import pytest
from peewee import JOIN
from rich.cells import cell_len
from textual import events
from textual.app import App, ComposeResult
from textual.widgets import Input

from tests.helpers import wait_for
from tuicrm.data.core import db as dbmod
from tuicrm.data.lists.columns import Column
from tuicrm.data.lists.paging import PagedQuery
from tuicrm.data.models import Customer, CustomerGroup
from tuicrm.widgets.record_table import RecordTable, clean_text, fit

N = 300
LONG_NAME = "Very long name " + "x" * 10_000
SPECIAL = {  # code -> name: they sort first by code ("A..." < "C...")
    "A01": "[/]",
    "A02": "[b]x",
    "A03": "[@click=app.quit]x",
    "A04": "\x1b[31mred\x1b[0m",
    "A05": LONG_NAME,
    "A06": "王小明五金店",
    "A07": "Bob's Shop",
    "A08": "张三李四王五赵六钱七孙八周九吴十郑十一王十二冯十三陈十四",
}


@pytest.fixture(autouse=True)
def steady_pages(monkeypatch):
    """Page sizes that do not grow when the machine is slow (tests count rows at hand)."""
    monkeypatch.setattr(RecordTable, "SLOW_FETCH", 1e9)


@pytest.fixture
def customers(db):
    """N customers C0001..C0300 in three groups (every fourth without one)."""
    groups = [CustomerGroup.create(name=n) for n in ("North", "South", "东区")]
    with dbmod.write():
        for i in range(1, N + 1):
            Customer.create(
                code=f"C{i:04d}",
                name=f"Customer {i:04d}",
                group=groups[i % 3] if i % 4 else None,
                phone=f"555-{i:04d}",
                credit_limit=i * 10,
            )


@pytest.fixture
def special(customers):
    for code, name in SPECIAL.items():
        Customer.create(code=code, name=name, phone="555-SPEC")


COLUMNS = [
    Column("code", Customer.code, "Code", width=6),
    Column("name", Customer.name, "Name", max_width=20),
    Column("phone", Customer.phone, "Phone"),
    Column("group", CustomerGroup.name, "Group"),
    Column("credit", Customer.credit_limit, "Credit"),
]


def make_query(where=None, sort=(("code", False),)) -> PagedQuery:
    q = Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)
    if where is not None:
        q = q.where(where)
    return PagedQuery(q, COLUMNS, sort=list(sort))


class TableApp(App):
    def __init__(self, pq: PagedQuery, **kwargs) -> None:
        super().__init__()
        self.pq = pq
        self.kwargs = kwargs
        self.messages: list = []

    def compose(self) -> ComposeResult:
        yield RecordTable(self.pq, id="table", **self.kwargs)

    def on_record_table_highlighted(self, event: RecordTable.Highlighted) -> None:
        self.messages.append(("highlighted", event.row_id))

    def on_record_table_selected(self, event: RecordTable.Selected) -> None:
        self.messages.append(("selected", event.row_id))

    def on_record_table_position_changed(self, event: RecordTable.PositionChanged) -> None:
        self.messages.append(("position", event.text))

    def on_record_table_marks_changed(self, event: RecordTable.MarksChanged) -> None:
        self.messages.append(("marks", event.count))


def screen_lines(app: App) -> list[str]:
    """The text of each line of the composed screen, as the terminal would show it."""
    return [strip.text for strip in app.screen._compositor.render_strips()]


def cid(code: str) -> int:
    return Customer.get(Customer.code == code).id


async def settle(pilot, table: RecordTable) -> None:
    """Wait until the rows and the count asked for have arrived (read in workers)."""
    for _ in range(300):
        await pilot.pause()
        if table.total is not None and not table.fetching and not table.counting:
            return
    raise AssertionError("the rows or the count never arrived")


def row_line(app: App, code: str) -> str:
    lines = [line for line in screen_lines(app) if f" {code} " in line]
    assert len(lines) == 1, (code, screen_lines(app))
    return lines[0]


async def test_first_rows_visible_and_position(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        lines = screen_lines(app)
        assert "Code" in lines[0] and "Name" in lines[0] and "Phone" in lines[0]
        assert "▲" in lines[0]  # sorted by code
        assert lines[1].split()[:3] == ["C0001", "Customer", "0001"]
        assert lines[23].split()[0] == "C0023"  # 23 data rows under the header
        assert table.cursor_row_id == cid("C0001")
        assert table.row_number == 1 and table.total == N
        assert table.position_text == "row 1 of 300"
        assert ("highlighted", cid("C0001")) in app.messages
        assert ("position", "row 1 of 300") in app.messages
        # money right-aligned and formatted
        assert lines[1].rstrip().endswith("10.00")


async def test_cursor_page_down_end_home(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        await pilot.press("down", "down")
        assert table.cursor_row_id == cid("C0003")
        assert app.messages[-2:] == [("highlighted", cid("C0003")), ("position", "row 3 of 300")]
        await pilot.press("up")
        assert table.cursor_row_id == cid("C0002")
        await pilot.press("pagedown")  # one screen (23 rows) further, view moves along
        assert table.cursor_row_id == cid("C0025")
        assert screen_lines(app)[1].split()[0] == "C0024"
        await pilot.press("pageup")
        assert table.cursor_row_id == cid("C0002")
        assert screen_lines(app)[1].split()[0] == "C0001"
        await pilot.press("end")  # only the first rows are at hand: the last are read
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0300")
        lines = screen_lines(app)
        assert lines[23].split()[0] == "C0300" and lines[1].split()[0] == "C0278"
        assert table.position_text == "row 300 of 300"
        await pilot.press("down")  # nothing below the last row
        assert table.cursor_row_id == cid("C0300")
        await pilot.press("home")
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0001")
        await pilot.press("ctrl+end")
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0300")
        await pilot.press("ctrl+home")
        await settle(pilot, table)
        assert table.row_number == 1


async def test_enter_posts_selected(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("down", "down", "down", "enter")  # typed before the rows arrive
        await settle(pilot, table)
        assert app.messages[-1] == ("selected", cid("C0004"))
        assert table.cursor_row.values[0] == "C0004"


async def test_user_text_is_shown_literally(special):
    app = TableApp(make_query(), visible_columns=["code", "name", "phone"])
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        assert row_line(app, "A01").split()[1] == "[/]"
        assert "[b]x" in row_line(app, "A02")
        assert "[@click=app.quit]x" in row_line(app, "A03")
        red = row_line(app, "A04")
        assert "?[31mred?[0m" in red
        long = row_line(app, "A05")
        assert "Very long name xxxx" in long and "…" in long and cell_len(long) == 80
        assert "王小明五金店" in row_line(app, "A06")
        assert "Bob's Shop" in row_line(app, "A07")
        # No escape character ever reaches the terminal from the table.
        for line in screen_lines(app):
            assert "\x1b" not in line
        # Clicking the would-be link does nothing but move the cursor there.
        line_no = screen_lines(app).index(row_line(app, "A03"))
        x = row_line(app, "A03").index("[@click")
        await pilot.click(RecordTable, offset=(x + 2, line_no))
        await pilot.pause()
        assert app.is_running and app.return_code is None
        assert table.cursor_row_id == cid("A03")


async def test_cjk_columns_align_by_display_width(special):
    app = TableApp(make_query(), visible_columns=["code", "name", "phone"])
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app.query_one(RecordTable))
        starts = set()
        for code in ("A06", "A07", "A08", "C0001"):
            line = row_line(app, code)
            # display cells before the phone column must be the same on every line
            starts.add(cell_len(line[: line.index("555-")]))
            assert cell_len(line) == 80
        assert len(starts) == 1, starts
        # A long Chinese name takes the room the three columns leave (issue 16: names grow
        # on a wide line); it is shown whole, or cut with an ellipsis, never cut bare.
        cut = row_line(app, "A08")
        name_cell = cut[cut.index("张") : cut.index("555-")].rstrip()
        assert cell_len(name_cell) > 20
        assert name_cell.endswith(("…", "陈十四"))


async def test_multi_select_with_space(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        await pilot.press("space")  # marks C0001, moves to C0002
        assert table.cursor_row_id == cid("C0002")
        await pilot.press("down", "space")  # marks C0003
        assert table.selected_ids == [cid("C0001"), cid("C0003")]
        assert ("marks", 2) in app.messages
        assert row_line(app, "C0001").startswith("* ")
        assert row_line(app, "C0002").startswith("  ")
        assert row_line(app, "C0003").startswith("* ")
        await pilot.press("up", "up", "up", "space")  # unmark C0001
        assert table.selected_ids == [cid("C0003")]
        assert row_line(app, "C0001").startswith("  ")
        assert table.target_ids() == [cid("C0003")]
        table.clear_marks()
        await pilot.pause()
        assert table.selected_ids == [] and table.target_ids() == [table.cursor_row_id]
        # Marks survive scrolling away and back.
        await pilot.press("home", "space", "end", "home")
        await settle(pilot, table)
        assert table.selected_ids == [cid("C0001")]
        assert row_line(app, "C0001").startswith("* ")
        # Marked records that are deleted drop out of the selection on refresh.
        await pilot.press("down", "space")
        assert table.selected_ids == [cid("C0001"), cid("C0002")]
        gone = cid("C0001")
        Customer.delete().where(Customer.id == gone).execute()
        table.refresh_data()
        await settle(pilot, table)
        assert table.selected_ids == [cid("C0002")]
        assert app.messages[-1] == ("marks", 1) or ("marks", 1) in app.messages[-4:]


async def test_go_to_id(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        assert table.go_to_id(cid("C0020"))  # at hand: done at once
        assert table.cursor_row_id == cid("C0020") and table.row_number == 20
        assert not table.go_to_id(cid("C0150"))  # not at hand: looked up in a worker
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0150") and table.row_number == 150
        assert "C0150" in row_line(app, "C0150")
        await pilot.press("up")
        assert table.row_number == 149
        assert not table.go_to_id(10**9)  # not listed: the cursor stays
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0149")


async def test_set_columns_hides_a_column(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        assert "555-0001" in row_line(app, "C0001")
        table.set_columns(["code", "name"])
        await pilot.pause()
        assert "Phone" not in screen_lines(app)[0]
        assert "555-0001" not in row_line(app, "C0001")
        assert "Customer 0001" in row_line(app, "C0001")
        with pytest.raises(KeyError):
            table.set_columns(["code", "nope"])


async def test_sort_by_changes_the_order_and_keeps_the_cursor(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        await pilot.press("down", "down")  # on C0003
        table.sort_by("name", desc=True)
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0003")  # same record, now near the end
        assert table.row_number == N - 2
        assert "▼" in screen_lines(app)[0]
        await pilot.press("home")
        await settle(pilot, table)
        assert screen_lines(app)[1].split()[0] == "C0300"  # "Customer 0300" sorts first
        assert table.sort == ("name", True)
        # Clicking the Credit header sorts by it (ascending first).
        header = screen_lines(app)[0]
        await pilot.click(RecordTable, offset=(header.index("Credit"), 0))
        assert table.sort == ("credit", False)  # asked for at once, read in a worker
        await settle(pilot, table)
        assert "▲" in screen_lines(app)[0]


async def test_filter_keeps_cursor_on_same_record_or_next(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        await pilot.press(*["down"] * 9)  # C0010: group South (10 % 3 == 1)
        assert table.cursor_row_id == cid("C0010")
        south = CustomerGroup.get(CustomerGroup.name == "South")
        table.set_query(make_query(Customer.group == south))
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0010")
        assert table.total == Customer.select().where(Customer.group == south).count()
        assert table.row_number == 3  # C0001, C0007, C0010 (C0004 has no group)
        # Deleting the cursor record: refresh puts the cursor on the next one.
        Customer.delete().where(Customer.code == "C0010").execute()
        table.refresh_data()
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0013")
        assert table.row_number == 3
        # A filter that drops the record, unsorted by a new order: back to the top.
        table.set_query(make_query(Customer.code == "C0200"))
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0200") and table.total == 1
        table.set_query(make_query(Customer.code == "nothing"))
        await settle(pilot, table)
        assert table.cursor_row_id is None and table.total == 0
        assert "No records" in screen_lines(app)[1]
        assert ("highlighted", None) in app.messages[-3:]
        assert app.messages[-1] == ("position", "no rows")
        await pilot.press("down", "end", "enter", "space")  # nothing to do, no crash
        await settle(pilot, table)
        assert app.messages[-1] == ("position", "no rows")


@pytest.mark.parametrize("slow", [False, True], ids=["fast", "slow-fetches"])
async def test_window_stays_small_and_consistent_over_many_pages(db, monkeypatch, slow):
    """Paging through 5,000 rows keeps a few pages in memory and the row numbers right."""
    # Every fetch counts as slow (pages grow to 16x, the window with them) or none does,
    # whatever the machine's load.
    monkeypatch.setattr(RecordTable, "SLOW_FETCH", -1.0 if slow else 1e9)
    conn = dbmod.database.connection()
    with dbmod.write():
        conn.executemany(
            "INSERT INTO customer (version, created_at, updated_at, code, name, grade, status,"
            " phone, mobile, fax, email, address, region, industry, source, tax_number,"
            " credit_limit, payment_terms_days, price_level, notes)"
            " VALUES (1, '2026-01-01 00:00:00', '2026-01-01 00:00:00', ?, ?, '', 'active',"
            " '', '', '', '', '', '', '', '', '', 0, 0, 1, '')",
            [(f"K{i:05d}", f"Name {i}") for i in range(1, 5001)],
        )
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        window = table._window
        await settle(pilot, table)
        page = 23
        for n in range(1, 5000 // page + 1):
            table.action_page_down()
            await settle(pilot, table)
            assert table.cursor_row.values[0] == f"K{1 + n * page:05d}"
            assert table.row_number == 1 + n * page
            assert len(window.items) <= window.cap  # the window does not grow
        table.action_last()
        await settle(pilot, table)
        assert table.row_number == 5000 and len(window.items) <= window.cap
        for _ in range(30):  # typed faster than pages arrive: applied in order
            table.action_page_up()
        await settle(pilot, table)
        assert table.cursor_row.values[0] == f"K{5000 - 30 * page:05d}"
        assert table.row_number == 5000 - 30 * page
        for _ in range(300):
            table.action_cursor_up()
        await settle(pilot, table)
        assert table.row_number == 5000 - 30 * page - 300
        assert screen_lines(app)[1].split()[0].startswith("K")
        assert not table._timers  # nothing ticks while idle
        assert window.boost == (16 if slow else 1)


async def test_horizontal_column_scroll(customers):
    wide = [
        Column("code", Customer.code, "Code", width=6),
        Column("name", Customer.name, "Name", width=30),
        Column("phone", Customer.phone, "Phone", width=40),
        Column("credit", Customer.credit_limit, "Credit", width=20),
    ]
    q = Customer.select()
    app = TableApp(PagedQuery(q, wide, sort=[("code", False)]), fixed_columns=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app.query_one(RecordTable))
        assert "Credit" not in screen_lines(app)[0]
        await pilot.press("right")
        header = screen_lines(app)[0]
        assert "Code" in header and "Name" not in header and "Credit" in header
        await pilot.press("right", "right")  # everything already fits: no further
        assert screen_lines(app)[0] == header
        await pilot.press("left")
        assert "Name" in screen_lines(app)[0]


class GatedQuery(PagedQuery):
    """A PagedQuery whose reads wait while ``gate`` is closed (a database busy elsewhere)."""

    def __init__(self, *args, gate: threading.Event, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.gate = gate
        self.held = threading.Event()  # a read is waiting at the closed gate

    def _run(self, query):
        if not self.gate.is_set():
            self.held.set()
        assert self.gate.wait(10), "the test never opened the gate"
        return super()._run(query)


def gated_query(gate: threading.Event, where=None) -> GatedQuery:
    q = Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)
    if where is not None:
        q = q.where(where)
    return GatedQuery(q, COLUMNS, sort=[("code", False)], gate=gate)


class TypingApp(App):
    """A list and a text field below it."""

    def __init__(self, pq: PagedQuery) -> None:
        super().__init__()
        self.pq = pq

    def compose(self) -> ComposeResult:
        yield RecordTable(self.pq, id="table")
        yield Input(id="note")


async def test_keys_are_handled_while_a_read_waits(customers):
    """While the database keeps a read waiting, the app takes keys (End and Up queue in the
    list, text echoes in a field); once the read returns, the keys apply in order."""
    gate = threading.Event()
    gate.set()
    pq = gated_query(gate)
    app = TypingApp(pq)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        table.focus()
        gate.clear()
        try:
            await pilot.press("end", "up", "up")
            await wait_for(pilot, pq.held.is_set)
            assert table.fetching and table.cursor_row_id == cid("C0001")
            note = app.query_one(Input)
            note.focus()
            await pilot.press(*"still typing")
            assert note.value == "still typing"
            assert table.fetching and table.row_number == 1
        finally:
            gate.set()
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0298") and table.row_number == 298
        assert row_line(app, "C0298")


async def test_a_list_whose_first_rows_are_held_opens_anyway(customers):
    """The first rows of a list are waited for a moment (so the first frame shows them); if
    the database holds them longer, the app goes on taking keys and shows them on arrival."""
    gate = threading.Event()
    pq = gated_query(gate)
    app = TypingApp(pq)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            table = app.query_one(RecordTable)
            await wait_for(pilot, pq.held.is_set)
            note = app.query_one(Input)
            note.focus()
            await pilot.press(*"typed")
            assert note.value == "typed" and table.fetching and table.cursor_row is None
            assert screen_lines(app)[1].strip() == "..."
            gate.set()
            await settle(pilot, table)
            assert table.cursor_row_id == cid("C0001") and row_line(app, "C0001")
    finally:
        gate.set()


async def test_rows_on_their_way_show_as_dots(customers):
    """PgDn past the rows at hand moves the screen at once: '...' where rows are missing,
    the rows themselves when they come."""
    gate = threading.Event()
    gate.set()
    pq = gated_query(gate)
    app = TableApp(pq)
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        gate.clear()
        try:
            await pilot.press(*["pagedown"] * 4)  # rows 1-100 are at hand
            await wait_for(pilot, pq.held.is_set)  # reading rows 101-150
            lines = screen_lines(app)
            assert [line.split()[0] for line in lines[1:9]] == [
                f"C{i:04d}" for i in range(93, 101)]
            assert [line.strip() for line in lines[9:24]] == ["..."] * 15
            assert table.row_number == 93
            await pilot.press("pagedown", "pagedown")  # these wait for the rows
            assert table.row_number == 100  # the last row at hand
            assert [line.strip() for line in screen_lines(app)[1:24]] == ["..."] * 23
        finally:
            gate.set()
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0139") and table.row_number == 139
        assert screen_lines(app)[1].split()[0] == "C0139"
        assert all("..." not in line for line in screen_lines(app))


async def test_a_superseded_list_never_shows(customers):
    """A slow search overtaken by the next one: its late rows are ignored."""
    gate = threading.Event()
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        slow = gated_query(gate, Customer.code == "C0100")
        try:
            table.set_query(slow)
            await wait_for(pilot, slow.held.is_set)
            table.set_query(make_query(Customer.code == "C0200"))
            await settle(pilot, table)
            assert table.cursor_row_id == cid("C0200") and table.total == 1
        finally:
            gate.set()
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert table.cursor_row_id == cid("C0200") and table.total == 1
        assert "C0100" not in "\n".join(screen_lines(app))
        assert table.paged_query is not slow


async def test_readers_end_when_the_list_is_idle(customers, monkeypatch):
    """The threads that read pages keep their connection while keys come, then end: nothing
    runs while the list is idle."""
    from tuicrm.widgets import page_reader

    monkeypatch.setattr(page_reader, "IDLE", 0.2)
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await settle(pilot, table)
        await pilot.press("end")
        await settle(pilot, table)
        await wait_for(pilot, lambda: table._reader.running == 0)
        await pilot.press("home")  # a reader starts again
        await settle(pilot, table)
        assert table.cursor_row_id == cid("C0001")


def test_clean_and_fit():
    assert clean_text("a\x1b[1mb\tc\nd\x00\u202ee") == "a?[1mb c d??e"
    assert clean_text("[b]x") == "[b]x"
    assert fit("王小明", 5) == "王小…"
    assert fit("王小明", 4) == "王 …"  # a cut wide character leaves a space
    assert cell_len(fit("王小明", 4)) == 4
    assert fit("ab", 4, "right") == "  ab" and fit("ab", 5, "center") == " ab  "
    assert fit("abc", 0) == ""
    assert len(clean_text("x" * 10_000)) < 1000


def _sixteen_colour_look(style) -> tuple:
    """What a 16-colour terminal can show of a style: the colours downgraded, and bold/reverse."""
    from rich.color import ColorSystem

    def down(color):
        return None if color is None else color.downgrade(ColorSystem.STANDARD).number

    return (down(style.color), down(style.bgcolor), bool(style.bold), bool(style.reverse))


async def test_cursor_and_marks_visible_in_16_colours(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app.query_one(RecordTable))
        await pilot.press("down", "space")  # cursor on C0003, C0002 marked
        strips = app.screen._compositor.render_strips()
        look = {y: _sixteen_colour_look(list(strips[y])[0].style) for y in range(0, 5)}
        header, plain, marked, cursor = look[0], look[1], look[2], look[3]
        assert len({header, plain, marked, cursor}) == 4, look
        assert look[4] == plain


async def test_resize_fills_the_screen_and_wheel_moves(customers):
    app = TableApp(make_query())
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(RecordTable)
        await pilot.press("end")
        await settle(pilot, table)
        await pilot.resize_terminal(80, 40)
        await settle(pilot, table)
        lines = screen_lines(app)
        assert lines[39].split()[0] == "C0300"  # still at the bottom, no blank rows below
        assert lines[1].split()[0] == "C0262"  # 39 rows shown
        assert table.cursor_row_id == cid("C0300")
        await pilot.press("home")
        await settle(pilot, table)
        wheel = (table, 5, 5, 0, 1, 0, False, False, False)
        table.post_message(events.MouseScrollDown(*wheel))
        await pilot.pause()
        assert table.cursor_row_id == cid("C0004")
        table.post_message(events.MouseScrollUp(*wheel))
        await pilot.pause()
        assert table.cursor_row_id == cid("C0001")
