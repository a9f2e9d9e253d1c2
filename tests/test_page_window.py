"""PageWindow without Textual: what a list reads next and how typed keys wait for their rows.

Most tests run the window against ``FakePager`` (a list in memory) and play the worker
thread's part themselves: ``serve`` runs each request the window hands out and applies the
result. The last ones use a real ``PagedQuery`` over customers.
"""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from tests.fake_pager import FakePager, names
from tuicrm.widgets.page_window import PageWindow


def test_the_window_needs_neither_textual_nor_the_database():
    """The list's state is plain Python: its modules load neither Textual nor peewee, and the
    widget itself does not name peewee or the models (it gets plain rows)."""
    code = ("import json, sys, tuicrm.widgets.page_window, tuicrm.widgets.table_layout; "
            "print(json.dumps(sorted(m for m in sys.modules "
            "if m.split('.')[0] in ('textual', 'peewee') or m.startswith('tuicrm.data'))))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=60, check=True)
    assert json.loads(done.stdout) == []
    widgets = Path(__file__).resolve().parents[1] / "tuicrm" / "widgets"
    for name in ("record_table.py", "record_lines.py"):
        source = (widgets / name).read_text(encoding="utf-8")
        assert "peewee" not in source and "data.models" not in source, name


def window(rows: int = 23) -> PageWindow:
    w = PageWindow(slow_fetch=1e9)  # reads never count as slow: page sizes stay fixed
    w.set_page_rows(rows)
    return w


def serve(w: PageWindow, limit: int = 200) -> int:
    """Run every read the window asks for until it asks for nothing; returns how many."""
    done = 0
    for _ in range(limit):
        request, count = w.next_request(), w.next_count()
        if request is None and count is None:
            return done
        if request is not None:
            assert w.apply(request.run())
            done += 1
        if count is not None:
            assert w.apply_count(count.run())
    raise AssertionError("the window kept asking for rows")


def opened(n: int, rows: int = 23, **kwargs) -> tuple[PageWindow, FakePager]:
    w, pager = window(rows), FakePager(names(n), **kwargs)
    w.set_pager(pager)
    serve(w)
    return w, pager


def name_at_cursor(w: PageWindow) -> str:
    row = w.cursor_row
    assert row is not None
    return row.values[0]


def test_a_new_list_is_read_then_shown_with_its_count():
    """Opening a list shows its first rows, row 1 of N, and reads one page ahead."""
    w, pager = window(), FakePager(names(5000))
    w.set_pager(pager)
    assert w.loading and w.cursor_row is None and w.waiting_for_list
    assert w.missing(w.top)  # the first line shows "..." until the rows come
    request = w.next_request()
    assert request is not None and request.kind == "load"
    assert w.next_request() is None  # handed out once
    assert w.apply(request.run())
    assert name_at_cursor(w) == "name 00001" and w.row_number == 1
    assert len(w.items) == 50 and w.at_start and not w.at_end
    ahead = w.next_request()
    assert ahead is not None and ahead.kind == "after"  # the next page, before it is needed
    count = w.next_count()
    assert count is not None and count.total
    assert w.apply_count(count.run())
    assert w.total == 5000
    assert w.apply(ahead.run())
    assert len(w.items) == 100 and not w.loading and w.next_request() is None


def test_moves_among_rows_at_hand_need_no_read():
    """Down, Up and PgDn within the rows at hand apply at once and read nothing."""
    w, pager = opened(5000)
    calls = len(pager.calls)
    w.move(1)
    w.move(1)
    w.move(-1)
    assert name_at_cursor(w) == "name 00002" and not w.loading
    w.move(23, scroll=True)
    assert name_at_cursor(w) == "name 00025" and w.top == 23
    assert len(pager.calls) == calls


def test_moves_typed_faster_than_rows_arrive_are_shown_then_applied():
    """Ten PgDn at once: the screen goes where they lead ('...' for missing rows) and the
    cursor lands on row 231 when the rows have come."""
    w, _ = opened(5000)
    for _ in range(10):
        w.move(23, scroll=True)
    assert w.loading and w.row_number < 231  # the cursor waits for rows
    cursor, top = w.view()
    assert cursor == top == 230  # what the screen shows meanwhile
    assert w.item_at(cursor) is None and w.missing(cursor)
    serve(w)
    assert name_at_cursor(w) == "name 00231" and w.row_number == 231
    assert (w.cursor, w.top) == w.view() == (230, 230)


def test_queued_moves_stop_at_the_end_one_by_one():
    """PgDn x3 then Up x2 near the end lands 2 above the last row, as typed one at a time
    (not the sum of the moves, cut at the end)."""
    w, _ = opened(60, rows=10)  # 50 rows at hand of 60
    w.move(40)
    assert name_at_cursor(w) == "name 00041" and not w.at_end
    for delta, scroll in [(10, True), (10, True), (10, True), (-1, False), (-1, False)]:
        w.move(delta, scroll)
    assert w.loading
    serve(w)
    assert w.at_end and name_at_cursor(w) == "name 00058" and w.row_number == 58


def test_end_then_home_typed_before_the_rows_reads_only_what_is_needed():
    """Home right after End: the last rows never show and their late result is ignored."""
    w, pager = opened(5000)
    w.edge(last=True)
    late = w.next_request()
    assert late is not None and late.kind == "last"
    w.move(-23, scroll=True)
    w.edge(last=False)  # the first rows are at hand: done at once
    assert not w.loading and w.row_number == 1
    assert not w.apply(late.run())  # stale
    assert name_at_cursor(w) == "name 00001" and w.first == 0


@pytest.mark.parametrize("seed", range(40))
def test_keys_waiting_for_rows_land_where_they_land_with_every_row_at_hand(seed):
    """Random keys (Down, Up, PgDn, PgUp, Space, Home, End) typed while rows are read give the
    same cursor, screen and marks as the same keys on a list held whole."""
    rnd = random.Random(seed)
    n = rnd.choice([30, 70, 260, 700])
    keys = [rnd.choice(["down", "up", "pgdn", "pgdn", "pgup", "space", "home", "end"])
            for _ in range(rnd.randrange(5, 60))]
    whole = window(10)
    whole.boost = 16  # room for every row
    whole.set_pager(FakePager(names(n)))
    request = whole.next_request()
    assert request is not None
    whole.apply(_whole(request, n))
    assert whole.at_end and len(whole.items) == n
    w, _ = opened(n, rows=10)
    for key in keys:
        for target in (whole, w):
            press(target, key)
        if rnd.random() < 0.3:
            serve(w)  # some rows arrive while typing goes on
    serve(w)
    assert not w.loading
    assert (w.cursor_row.id, w.row_number) == (whole.cursor_row.id, whole.row_number), keys
    assert w.item_at(w.top).row.id == whole.item_at(whole.top).row.id, keys
    assert list(w.marks) == list(whole.marks), keys


def _whole(request, n):
    """The list's every row in one read (a window that never waits)."""
    from dataclasses import replace

    return replace(request, n=n + 1).run()


def press(w: PageWindow, key: str) -> None:
    page = w.page_rows
    {"down": lambda: w.move(1), "up": lambda: w.move(-1),
     "pgdn": lambda: w.move(page, scroll=True), "pgup": lambda: w.move(-page, scroll=True),
     "space": w.toggle_mark, "home": lambda: w.edge(last=False),
     "end": lambda: w.edge(last=True)}[key]()


def test_end_and_moves_after_it():
    """End, then Up Up: the cursor ends two rows above the last one, numbered."""
    w, _ = opened(5000)
    w.edge(last=True)
    w.move(-1)
    w.move(-1)
    serve(w)
    assert name_at_cursor(w) == "name 04998" and w.row_number == 4998
    w.move(10, scroll=True)
    assert name_at_cursor(w) == "name 05000" and w.row_number == 5000


def test_a_newer_list_makes_an_older_result_stale():
    """Two searches in quick succession: only the second one's rows are ever shown."""
    w = window()
    older, newer = FakePager(names(100)), FakePager(["only match"])
    w.set_pager(older)
    first = w.next_request()
    w.set_pager(newer)
    second = w.next_request()
    assert first is not None and second is not None and second.token != first.token
    assert w.apply(second.run())
    assert not w.apply(first.run())
    assert [i.row.values[0] for i in w.items] == ["only match"]
    assert w.rows_pager is newer and w.pager is newer


def test_a_new_list_stops_the_count_of_the_old_one():
    """A count for a list typed past is told to stop and is not taken as the new list's
    total; the new list's count starts without waiting for it."""
    w, older, newer = window(), FakePager(names(300)), FakePager(names(40))
    w.set_pager(older)
    assert w.apply(w.next_request().run())
    count_older = w.next_count()
    assert count_older is not None and not count_older.stop.is_set()
    assert w.next_count() is None  # one at a time
    w.set_pager(newer)
    assert count_older.stop.is_set()
    assert w.apply(w.next_request().run())
    count_newer = w.next_count()
    assert count_newer is not None and count_newer.pager is newer
    assert not w.apply_count(count_older.run()) and w.total is None
    assert w.apply_count(count_newer.run()) and w.total == 40


def test_space_and_enter_wait_behind_the_moves_before_them():
    """Space and Enter typed after moves that wait for rows act on the row they lead to."""
    w, _ = opened(5000)
    for _ in range(5):
        w.move(23, scroll=True)
    w.toggle_mark()
    w.select()
    assert not w.marks and not w.selected
    serve(w)
    assert [w.item_at(w.cursor - 1).row.id] == list(w.marks)  # row 116 marked
    assert list(w.marks) == [116] and [r.id for r in w.selected] == [117]
    assert w.row_number == 117


def test_go_to_a_row_at_hand_or_read_it():
    """Go to: at once when the row is at hand (and read again around it), else read around
    it first; an unknown id changes nothing."""
    w, pager = opened(5000)
    assert w.go_to(10) and w.row_number == 10
    calls = len(pager.calls)
    serve(w)  # the rows around it read again (the caller may just have changed it)
    assert ("get", 10) in pager.calls[calls:] and w.row_number == 10
    assert not w.go_to(3000)
    assert w.loading
    serve(w)
    assert name_at_cursor(w) == "name 03000" and w.row_number == 3000  # position counted
    gen = w.gen
    assert not w.go_to(10**9)
    serve(w)
    assert name_at_cursor(w) == "name 03000" and w.gen == gen


def test_refresh_keeps_the_cursor_and_drops_marks_of_deleted_rows():
    """After a delete elsewhere: the cursor moves to the next record, its mark is gone."""
    w, pager = opened(300)
    w.go_to(10)
    w.toggle_mark()  # marks 10, moves to 11
    w.go_to(10)
    w.toggle_mark()  # unmarks 10
    w.toggle_mark()  # marks 11, moves to 12
    w.move(-1)
    assert list(w.marks) == [11] and w.row_number == 11
    pager.delete(11)
    w.refresh()
    serve(w)
    assert w.marks == {} and name_at_cursor(w) == "name 00012" and w.row_number == 11
    assert w.total == 299


def test_keys_do_not_wait_for_the_list_to_be_read_again():
    """After an edit the list is read again in the background: Space and Down apply at once
    to the rows at hand, and the fresh rows keep the cursor where the keys took it."""
    w, pager = opened(300)
    w.refresh()
    stale = w.next_request()
    assert stale is not None and stale.kind == "load"
    w.refresh()  # a second edit: the first read may predate it
    assert not w.apply(stale.run())
    w.toggle_mark()  # marks 1, moves to 2
    w.move(1)
    assert list(w.marks) == [1] and w.row_number == 3 and w.loading
    pager.delete(2)
    serve(w)
    assert list(w.marks) == [1] and name_at_cursor(w) == "name 00003" and w.row_number == 2
    assert w.total == 299 and not w.loading


def test_go_to_while_the_list_is_read_again():
    """Go to a row at hand while the list is read again: there at once, and still there
    after; a row not at hand is read with the fresh list."""
    w, _ = opened(5000)
    w.refresh()
    assert w.go_to(40) and w.row_number == 40
    serve(w)
    assert w.cursor_row.id == 40 and w.row_number == 40
    w.refresh()
    assert not w.go_to(4000)
    serve(w)
    assert w.cursor_row.id == 4000 and w.row_number == 4000


def test_another_order_keeps_the_cursor_on_its_record():
    """Sorting the other way round keeps the cursor on the same record (now near the end)."""
    w, _ = opened(300)
    w.go_to(3)
    w.set_pager(FakePager(names(300), desc=True))
    serve(w)
    assert w.cursor_row.id == 3 and w.row_number == 298


def test_paging_through_keeps_the_window_small():
    """PgDn through 5,000 rows: at most ``cap`` rows held, numbers right all the way."""
    w, _ = opened(5000)
    for n in range(1, 5000 // 23 + 1):
        w.move(23, scroll=True)
        serve(w)
        assert w.row_number == 1 + 23 * n
        assert len(w.items) <= w.cap
    w.edge(last=True)
    serve(w)
    for _ in range(40):
        w.move(-23, scroll=True)
    serve(w)
    assert w.row_number == 5000 - 40 * 23 and len(w.items) <= w.cap


def test_a_failed_read_drops_the_waiting_keys():
    """A read that fails: the keys waiting for it are dropped and nothing is asked again
    until the next key (a lost database is not asked in a loop)."""
    w, _ = opened(5000)  # 100 rows at hand
    for _ in range(6):
        w.move(23, scroll=True)
    assert w.row_number == 100  # as far as the rows at hand go; the rest waits for rows
    request = w.next_request()
    assert request is not None
    assert w.failed(request.token)
    assert not w.loading and w.next_request() is None and w.row_number == 100
    w.move(23, scroll=True)
    assert w.next_request() is not None  # asked again on the next key


@pytest.fixture
def many_customers(db):
    """1,200 customers K0001..K1200; names repeat (97 of them), so sorting by name ties."""
    import datetime as dt
    from decimal import Decimal

    from tuicrm.data.core import db as dbmod
    from tuicrm.data.models import Customer

    now = dt.datetime(2026, 1, 1)
    rows = [{"code": f"K{i:04d}", "name": f"Name {i % 97:02d}", "credit_limit": Decimal(i) / 100,
             "created_at": now, "updated_at": now} for i in range(1, 1201)]
    with dbmod.write():
        for start in range(0, len(rows), 200):
            Customer.insert_many(rows[start:start + 200]).execute()


def customer_query(sort=(("code", False),)):
    from tuicrm.data.lists.columns import Column
    from tuicrm.data.lists.paging import PagedQuery
    from tuicrm.data.models import Customer

    columns = [Column("code", Customer.code), Column("name", Customer.name),
               Column("credit", Customer.credit_limit)]
    return PagedQuery(Customer.select(), columns, sort=list(sort))


@pytest.mark.pg
def test_real_query_pages_end_and_row_numbers(many_customers):
    """Against a PagedQuery: PgDn, End and Up give the rows and numbers the table holds."""
    w = window()
    w.set_pager(customer_query())
    serve(w)
    assert w.total == 1200 and name_at_cursor(w) == "K0001"
    for _ in range(8):
        w.move(23, scroll=True)
    serve(w)
    assert name_at_cursor(w) == "K0185" and w.row_number == 185
    w.edge(last=True)
    w.move(-5)
    serve(w)
    assert name_at_cursor(w) == "K1195" and w.row_number == 1195
    cell = w.item_at(w.cursor).texts
    assert cell[0] == "K1195" and cell[2] == "11.95"  # formatted as money, in the thread


@pytest.mark.pg
def test_real_query_other_order_and_go_to(many_customers):
    """Sorting by name (ties by id) keeps the cursor's record; go to reads its position."""
    from tuicrm.data.models import Customer

    w = window()
    w.set_pager(customer_query())
    serve(w)
    target = Customer.get(Customer.code == "K0700").id
    assert not w.go_to(target)
    serve(w)
    assert name_at_cursor(w) == "K0700" and w.row_number == 700
    w.set_pager(customer_query(sort=(("name", True),)))
    serve(w)
    assert name_at_cursor(w) == "K0700"
    before = Customer.select().where(
        (Customer.name > "Name 21") | ((Customer.name == "Name 21") & (Customer.id > target))
    ).count()
    assert w.row_number == before + 1
