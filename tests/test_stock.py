"""The stock ledger: move() with its conditional update, refusals, negative stock, low stock,
manual adjustments and the queries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.check import run_checks
from tuicrm.data.core import settings
from tuicrm.data.core.errors import InsufficientStock, PermissionDenied, ValidationError
from tuicrm.data.core.money import sum_of
from tuicrm.data.models import StockLevel, StockMovement
from tuicrm.data.stock import history, locations
from tuicrm.data.stock import ledger as stock

pytestmark = pytest.mark.pg


@pytest.fixture
def widget(manager):
    return products.create_product(manager, code="P001", name="Widget 小部件", min_stock="5")


def _ledger(product) -> Decimal:
    return StockMovement.select(sum_of(StockMovement.quantity)).where(
        StockMovement.product == product.id).scalar()


def test_default_location_is_created_once(db, warehouse):
    first = stock.default_location()
    assert (first.code, first.is_default) == ("MAIN", True)
    assert stock.default_location().id == first.id
    assert [loc.code for loc in locations.list_locations(warehouse)] == ["MAIN"]


def test_moves_update_on_hand_and_the_ledger(manager, widget):
    stock.set_opening(manager, widget, 10)
    r = stock.move(manager, widget, None, "-2.5", "sale", doc_number="SO-1")
    assert (r.on_hand, r.total_on_hand, r.low) == (Decimal("7.5"), Decimal("7.5"), False)
    r = stock.move(manager, widget, None, -3, "sale")
    assert r.low and "P001" in r.warning and "4.5" in r.warning
    assert stock.on_hand(widget) == Decimal("4.5") == _ledger(widget)
    assert [m.quantity for m in history.movements(manager, widget)] == [
        Decimal("-3"), Decimal("-2.5"), Decimal("10")]
    assert run_checks() == []


def test_refused_decrement_names_product_and_shortfall_and_changes_nothing(manager, widget):
    stock.set_opening(manager, widget, 2)
    before = StockMovement.select().count()
    with pytest.raises(InsufficientStock) as err:
        stock.move(manager, widget, None, -5, "sale")
    text = str(err.value)
    assert "P001" in text and "Widget" in text and "short by 3" in text
    assert StockMovement.select().count() == before
    assert StockLevel.get().on_hand == Decimal("2")
    with pytest.raises(InsufficientStock):  # no stock row at all yet at another location
        stock.move(manager, widget, locations.create_location(manager, "B", "Back room"), -1,
                   "sale")
    assert StockMovement.select().count() == before


def test_negative_stock_by_setting_or_product_flag(admin, manager, widget):
    settings.set_value(admin, "stock.allow_negative", "1")
    assert stock.move(manager, widget, None, -2, "sale").on_hand == Decimal("-2")
    settings.set_value(admin, "stock.allow_negative", "0")
    with pytest.raises(InsufficientStock):
        stock.move(manager, widget, None, -1, "sale")
    assert stock.move(manager, widget, None, 1, "purchase").on_hand == Decimal("-1")  # in: ok
    flagged = products.create_product(manager, code="P002", name="Deposit", allow_negative=True)
    assert stock.move(manager, flagged, None, -4, "sale").on_hand == Decimal("-4")


def test_adjust_needs_permission_and_reason_and_is_logged(manager, sales, widget):
    with pytest.raises(PermissionDenied):
        stock.adjust(sales, widget, 5, "found")
    with pytest.raises(ValidationError) as err:
        stock.adjust(manager, widget, 0, "")
    assert set(err.value.errors) == {"quantity", "note"}
    r = stock.adjust(manager, widget, 7, "found in back room")
    assert r.on_hand == Decimal("7")
    [row] = history.adjustment_log(manager)
    assert (row.reason, row.note, row.user_id, row.product_code) == (
        "adjust", "found in back room", manager.id, "P001")
    assert row.doc_number.startswith("ADJ-")


def test_stock_list_and_low_stock(manager, widget):
    other = products.create_product(manager, code="P002", name="Gadget")
    stock.set_opening(manager, widget, 3)
    stock.set_opening(manager, other, 9)
    rows = history.stock_list(manager)
    assert [(r.code, r.on_hand, r.low) for r in rows] == [
        ("P001", Decimal("3"), True), ("P002", Decimal("9"), False)]
    assert [r.code for r in history.stock_list(manager, after_code="P001")] == ["P002"]
    assert [r.code for r in history.stock_list(manager, below_min=True)] == ["P001"]
    assert [r.code for r in history.low_stock(manager)] == ["P001"]
