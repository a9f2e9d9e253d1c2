"""Order entry's controller (``sales.entry.OrderEntry``) driven with plain calls, no screen:
scan routing, the first line and its order in one transaction, and what F7-F10 do for each
kind of order. A failure here is something an operator at the counter would see go wrong."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tuicrm.data.catalog import barcodes, products
from tuicrm.data.core.vocab import OrderKind, OrderStatus
from tuicrm.data.models import AuditLog, DocSequence, Order, OrderLine
from tuicrm.data.parties import customers, suppliers
from tuicrm.data.sales import orders
from tuicrm.data.sales.entry import OrderEntry
from tuicrm.data.sales.entry_rules import Level, LineField
from tuicrm.data.stock import ledger as stock

pytestmark = pytest.mark.pg

UNIT = barcodes.make_ean13("400638", 133393)
CARTON = barcodes.carton_gtin14(UNIT)  # 12 units of P001
OTHER = barcodes.make_ean13("400638", 133394)
UNKNOWN = barcodes.make_ean13("400638", 999999)


@pytest.fixture
def goods(admin):
    p1 = products.create_product(admin, code="P001", name="Green tea 绿茶", price1="2.50",
                                 price2="2.00", min_stock="5", barcodes=[UNIT, (CARTON, 12)])
    p2 = products.create_product(admin, code="P002", name="Black tea", price1="4.00",
                                 barcodes=[OTHER])
    stock.set_opening(admin, p1, 100)
    stock.set_opening(admin, p2, 3)
    return p1, p2


@pytest.fixture
def parties(admin, sales):
    cust = customers.create_customer(admin, code="C001", name="Wholesale Wang", price_level=2,
                                     salesperson=sales.id)
    sup = suppliers.create_supplier(admin, code="S001", name="Tea Farm Ltd")
    return cust, sup


def _lines(view) -> dict[str, Decimal]:
    return {ln.product_code: ln.quantity for ln in view.lines}


def _nothing_written() -> bool:
    return (Order.select().count() == 0 and OrderLine.select().count() == 0
            and DocSequence.select().count() == 0
            and not AuditLog.select().where(AuditLog.entity == "order").exists())


def test_scans_repeat_multiply_and_cartons(admin, goods):
    """Scans land on one line per product; the status says what changed."""
    entry = OrderEntry(admin)
    assert entry.view().status.startswith("New sales order")
    view = entry.scan(UNIT)
    assert view.status == "P001 +1 -> 1" and view.order is not None
    assert view.header.startswith(f"Sales order {view.order.number} [draft]")
    view = entry.scan("0" + UNIT)  # the same EAN with a leading 0 (GTIN-14)
    view = entry.scan(CARTON)
    assert view.status == "P001 +12 -> 14"
    view = entry.scan("3*" + OTHER)
    assert _lines(view) == {"P001": Decimal(14), "P002": Decimal(3)}
    assert view.selected_id == view.changed_id == view.lines[1].id
    assert view.totals == "Lines 2   Subtotal 47.00   TOTAL 47.00"
    stored = orders.order_lines(admin, view.order.id)
    assert [(ln.product_code, ln.quantity) for ln in stored] == [("P001", 14), ("P002", 3)]


def test_unknown_first_scan_leaves_nothing_and_the_next_scan_works(admin, goods):
    entry = OrderEntry(admin)
    view = entry.scan(UNKNOWN)
    assert view.level == Level.WARN and view.bell and f"unknown code {UNKNOWN}" in view.status
    assert view.order is None and view.unknown_code == UNKNOWN
    assert _nothing_written()
    view = entry.scan(UNIT)
    assert view.bell is False and _lines(view) == {"P001": 1}
    assert view.order.number.endswith("000001")  # the refused scan used no number


def test_refused_first_product_leaves_no_numbered_draft(admin, sales, warehouse, goods):
    """One user action, one transaction: an inactive product, a sale by someone who may not
    sell, a bad quantity: nothing is left behind."""
    products.deactivate_product(admin, goods[1].id)
    view = OrderEntry(sales).scan(OTHER)
    assert view.level == Level.ERROR and "inactive" in view.status and view.order is None
    view = OrderEntry(warehouse).scan(UNIT)
    assert "may not" in view.status and view.order is None
    view = OrderEntry(sales).scan("0*" + UNIT)
    assert "quantity" in view.status
    view = OrderEntry(sales).add_product(goods[1].id)
    assert "inactive" in view.status
    assert _nothing_written()


def test_a_return_is_made_with_its_first_line(admin, goods):
    """A return opened from a sale exists only once something comes back; more than was sold
    is refused and leaves no return draft."""
    sale = orders.start_order(admin, "sale", "5*" + UNIT).order
    orders.complete_sale(admin, sale.id)
    entry = OrderEntry(admin)
    view = entry.open_return(sale.id)
    assert view.kind == OrderKind.SALE_RETURN and view.order is None
    assert view.header.startswith(f"Sales return (new) of {sale.number}")
    view = entry.scan("6*" + UNIT)
    assert "only 5" in view.status and view.order is None
    assert not Order.select().where(Order.kind == "sale_return").exists()
    view = entry.scan("2*" + UNIT)
    assert view.order.kind == OrderKind.SALE_RETURN and view.order.source_id == sale.id
    view = entry.complete()
    assert view.finished.message.endswith("booked: stock back in")
    assert stock.on_hand(goods[0]) == Decimal(97)
    assert view.order is None and view.kind == OrderKind.SALE  # the next sale starts


def test_complete_sale_gives_the_receipt_and_starts_the_next(admin, goods, parties):
    cust, _ = parties
    entry = OrderEntry(admin)
    view = entry.choose_customer(cust.id)
    assert "Customer: C001 Wholesale Wang" in view.header
    view = entry.scan("96*" + UNIT)  # price level 2: 2.00
    assert view.totals.endswith("TOTAL 192.00")
    number = view.order.number
    view = entry.complete()
    done = view.finished
    assert done.order.number == number and done.order.status == OrderStatus.DELIVERED
    assert done.document is not None and done.document.lines[0].product_code == "P001"
    assert done.receipt_width == 42
    assert view.notes and "low stock: P001" in view.notes[0]
    assert view.order is None and view.lines == () and view.status.startswith(f"Sale {number}")


def test_a_short_sale_changes_nothing(admin, goods):
    entry = OrderEntry(admin)
    entry.scan("5*" + OTHER)  # 3 on hand
    view = entry.complete()
    assert view.level == Level.ERROR and "nothing changed" in view.status and "P002" in view.status
    assert view.order.status == OrderStatus.DRAFT and view.finished is None
    assert stock.on_hand(goods[1]) == Decimal(3)


def test_quote_then_order_then_confirm(admin, goods, parties):
    cust, _ = parties
    entry = OrderEntry(admin)
    assert entry.save_as_quote(dt.date(2026, 7, 1)).status.startswith("a quote is made out")
    entry.choose_customer(cust.id)
    view = entry.save_as_quote(dt.date(2026, 7, 1))  # before any line: the next scan quotes
    assert view.kind == OrderKind.QUOTE and "valid until 2026-07-01" in view.header
    view = entry.scan("2*" + UNIT)
    quote = view.order
    assert quote.kind == OrderKind.QUOTE and quote.valid_until == dt.date(2026, 7, 1)
    view = entry.complete()  # F10 on a quote: a sales order, shown for completing
    sale = view.order
    assert sale.kind == OrderKind.SALE and sale.source_id == quote.id
    assert _lines(view) == {"P001": 2}
    view = entry.confirm()
    assert view.finished.message == f"{sale.number} confirmed: deliver it later from Orders"
    assert orders.get_order(admin, sale.id).status == OrderStatus.CONFIRMED


def test_a_draft_sale_saved_as_a_quote(admin, goods, parties):
    cust, _ = parties
    entry = OrderEntry(admin)
    entry.scan(UNIT)
    entry.choose_customer(cust.id)  # repriced at level 2
    view = entry.save_as_quote(dt.date(2026, 7, 31))
    assert view.finished.order.kind == OrderKind.QUOTE
    assert view.finished.order.total == Decimal("2.00")
    assert not Order.select().where(Order.kind == "sale").exists()  # no SO used up


def test_purchase_needs_its_supplier_then_receives(admin, goods, parties):
    _, sup = parties
    entry = OrderEntry(admin, OrderKind.PURCHASE)
    view = entry.scan(UNIT)
    assert "choose the supplier" in view.status and _nothing_written()
    view = entry.choose_supplier(sup.id)
    assert "Supplier: S001 Tea Farm Ltd" in view.header
    entry.scan(CARTON)
    view = entry.scan(CARTON)
    assert _lines(view) == {"P001": 24}
    assert entry.choose_supplier(sup.id).status.endswith("fixed once it has lines")
    view = entry.complete()
    assert view.finished.message.endswith("received: stock in")
    assert view.kind == OrderKind.PURCHASE and stock.on_hand(goods[0]) == Decimal(124)


def test_edit_delete_and_discounts(admin, goods):
    entry = OrderEntry(admin)
    entry.scan(UNIT)
    view = entry.scan(OTHER)
    first, second = view.lines
    view = entry.edit_line(first.id, LineField.QUANTITY, "4")
    assert view.status == "P001: quantity 4, amount 10.00"
    entry.edit_line(first.id, LineField.PRICE, "3.00")
    view = entry.edit_line(first.id, LineField.DISCOUNT, "1.50")
    assert view.line(first.id).amount == Decimal("10.50")
    view = entry.edit_line(first.id, LineField.DISCOUNT, "99")
    assert view.level == Level.ERROR and view.line(first.id).discount == Decimal("1.50")
    view = entry.set_order_discount("0.50")
    assert view.totals == "Lines 2   Subtotal 14.50   Discount 0.50   TOTAL 14.00"
    view = entry.delete_line(second.id)
    assert _lines(view) == {"P001": 4} and view.status == "line P002 Black tea deleted"
    assert view.totals.endswith("TOTAL 10.00")


def test_a_salesperson_cannot_open_another_salespersons_order(admin, sales, goods):
    mine = OrderEntry(admin).scan(UNIT).order
    view = OrderEntry(sales).open(mine.id)
    assert "not yours" in view.status and view.order is None


def test_keep_draft_and_reopen(admin, goods):
    entry = OrderEntry(admin)
    assert entry.keep_draft().status == "nothing to save yet: scan a product"
    number = entry.scan(UNIT).order.number
    view = entry.keep_draft()
    assert view.finished.message.startswith(f"Sales order {number} kept as a draft")
    view = entry.open(view.finished.order.id)
    assert view.status == f"{number} opened: scan to add" and _lines(view) == {"P001": 1}
    assert _lines(entry.scan(UNIT)) == {"P001": 2}


def test_f7_on_a_finished_order_starts_a_new_one(admin, goods):
    sale = orders.start_order(admin, "sale", UNIT).order
    orders.complete_sale(admin, sale.id)
    entry = OrderEntry(admin)
    view = entry.open(sale.id)
    assert view.level == Level.WARN and "can no longer be changed" in view.status
    assert "only a draft" in entry.scan(UNIT).status  # a delivered sale takes no more lines
    view = entry.keep_draft()
    assert view.finished is None and view.order is None
    assert view.status == f"{sale.number} is delivered; a new order starts"


def test_an_unknown_code_linked_to_an_existing_product(admin, goods):
    """Issue 17: the unknown code becomes a barcode of a chosen product; the refused scan
    (with its count) lands on the order and the next scan of the code finds the product."""
    entry = OrderEntry(admin)
    entry.scan("2*" + UNIT)
    view = entry.scan("3*" + UNKNOWN)
    assert view.unknown_code == UNKNOWN
    view = entry.link_code(goods[1].id)
    assert _lines(view) == {"P001": Decimal(2), "P002": Decimal(3)}
    assert f"{UNKNOWN} is now a barcode of P002" in view.status
    view = entry.scan(UNKNOWN)
    assert _lines(view) == {"P001": Decimal(2), "P002": Decimal(4)}


def test_a_product_made_at_the_counter_sells_at_once(admin, goods, monkeypatch):
    """Issue 17: F6 with the stock on the shelf receives it as first stock, so F10 completes;
    where negative stock is allowed it sells without any."""
    from tuicrm.data.core import settings

    entry = OrderEntry(admin)
    entry.scan(UNKNOWN)
    assert entry.first_stock_offer() == "" and entry.may_receive_stock()
    pid = entry.create_product({"name": "Oolong", "code": "P009", "barcodes": UNKNOWN,
                                "price1": "8", "on_hand": "6"})
    assert stock.on_hand(products.get_product(admin, pid)) == Decimal(6)
    entry.scan("2*" + UNKNOWN)
    view = entry.complete()
    assert view.finished is not None and view.level != Level.ERROR
    assert stock.on_hand(products.get_product(admin, pid)) == Decimal(4)

    settings.set_value(admin, "stock.allow_negative", "yes")
    code = barcodes.make_ean13("400638", 999998)  # another unknown code
    entry.scan(code)
    assert "sells at once" in entry.first_stock_offer()
    other = entry.create_product({"name": "Puer", "code": "P010", "barcodes": code,
                                  "price1": "5"})
    entry.scan(code)
    view = entry.complete()
    assert view.finished is not None
    assert stock.on_hand(products.get_product(admin, other)) == Decimal(-1)
