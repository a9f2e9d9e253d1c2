"""Small screens (issue 16): on a 40x16 handheld, order entry shows each line's name,
quantity and amount, and the total is always on screen."""

from __future__ import annotations

from tests.helpers import screen_text
from tests.test_order_entry import goods, open_entry, scan  # noqa: F401 (fixture)
from tuicrm.app import make_app
from tuicrm.screens.order_entry import fit_totals

HANDHELD = (40, 16)


async def test_order_entry_on_a_handheld_shows_amounts_and_the_total(db, admin, goods):  # noqa: F811
    app = make_app(db)
    async with app.run_test(size=HANDHELD) as pilot:
        await open_entry(pilot, admin)
        await scan(pilot, "3*P001")
        await scan(pilot, "P002")
        text = screen_text(app)
        assert "Amount" in text
        assert "Green tea 绿茶" in text and "7.50" in text  # 3 x 2.50, the line's amount
        assert "TOTAL 11.50" in text
        assert all(len(line.rstrip()) <= 40 for line in text.splitlines())


def test_the_total_is_the_part_of_the_totals_that_stays():
    totals = "Lines 2   Subtotal 1,107.06   Discount 5.00   TOTAL 1,102.06"
    assert fit_totals(totals, 80) == totals
    assert fit_totals(totals, 38) == "Discount 5.00   TOTAL 1,102.06"
    assert fit_totals(totals, 20) == "TOTAL 1,102.06"
