"""Issue 17, text at 80x24: messages keep their numbers, plurals, list columns that yield
room instead of pushing the totals off or showing a sliver."""

from __future__ import annotations

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.core.errors import InsufficientStock
from tuicrm.data.lists.columns import Column
from tuicrm.data.models import Order
from tuicrm.data.sales import orders
from tuicrm.widgets.table_layout import ColumnLayout


def test_not_enough_stock_says_the_numbers_before_the_name(db, admin):
    p = products.create_product(admin, code="P000005", name="罗技 机械键盘 104键 USB 有线",
                                price1="10")
    sale = orders.new_order(admin, "sale")
    orders.add_line(admin, sale, p.id, 5)
    with pytest.raises(InsufficientStock) as caught:
        orders.complete_sale(admin, sale)
    message = str(caught.value)
    assert message.index("5 needed") < message.index("罗技")
    assert message.index("on hand") < message.index("罗技")
    assert message.index("short by 5") < message.index("罗技")


def test_a_wide_name_column_yields_before_the_total_falls_off():
    cols = [Column("number", Order.number, "Number", width=16),
            Column("date", Order.date, "Date", width=10),
            Column("kind", Order.kind, "Kind", width=9),
            Column("status", Order.status, "Status", width=9),
            Column("party", Order.notes, "Customer / supplier", min_width=12, max_width=30),
            Column("total", Order.total, "Total", min_width=9)]
    layout = ColumnLayout()
    layout.measure(cols, [["SO-2026-000001", "2026-06-15", "sale", "confirmed",
                           "成都联创电子有限公司 Chengdu", "1,234.00"]])
    shown = [cols[i].name for i, _x, _w in layout.slots(cols, 78)]
    assert shown[-1] == "total"


def test_a_column_with_no_room_is_left_for_right_not_shown_as_a_sliver():
    cols = [Column("a", Order.number, "A", width=70), Column("op", Order.notes, "Operator",
                                                            max_width=10)]
    layout = ColumnLayout(show_marks=False)
    layout.measure(cols, [["x", "admin"]])
    assert [cols[i].name for i, _x, _w in layout.slots(cols, 74)] == ["a"]  # not "a…"
    assert layout.scroll(cols, 1, 74)


def test_rows_and_imports_are_counted_in_words(db):
    from tuicrm.widgets.record_table import _rows

    assert _rows(1) == "1 row" and _rows(1234) == "1,234 rows"
