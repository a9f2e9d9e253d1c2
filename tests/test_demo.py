"""The demo company: realistic, exact, a consistent stock ledger, safe to run twice."""

from __future__ import annotations

import datetime as dt
import re
import threading
from collections import Counter, defaultdict
from decimal import ROUND_HALF_UP, Decimal

import pytest

from tuicrm.data.catalog.barcodes import is_valid_gtin, normalize
from tuicrm.data.check import run_checks
from tuicrm.data.core import clock, settings
from tuicrm.data.core import db as db_module
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.money import CENT
from tuicrm.data.core.vocab import OrderKind
from tuicrm.data.demo import builder as demo_module
from tuicrm.data.demo.builder import DEMO_PASSWORD, build_demo
from tuicrm.data.demo.bulk import BulkSql
from tuicrm.data.models import (
    Barcode,
    Contact,
    Customer,
    CustomerGroup,
    DocSequence,
    Location,
    MoneyDoc,
    Order,
    OrderLine,
    Product,
    ProductCategory,
    StockLevel,
    StockMovement,
    Supplier,
    Ticket,
    User,
)
from tuicrm.data.staff import users

pytestmark = pytest.mark.pg

SIZE = {"customers": 80, "products": 50, "orders": 700}
CJK = re.compile(r"[\u4e00-\u9fff]")


def _depth(model, node) -> int:
    depth = 1
    while node.parent_id is not None:
        node = model.get_by_id(node.parent_id)
        depth += 1
    return depth


def test_small_demo_is_realistic_and_consistent(db):
    steps = []
    summary = build_demo(**SIZE, progress=lambda step, done, total: steps.append(step))
    assert {"customers", "products", "orders", "stock", "done"} <= set(steps)

    # counts: what the summary says is what is there
    assert Customer.select().count() == summary.customers == 80
    assert Product.select().count() == summary.products == 50
    assert Order.select().count() == summary.orders == 700
    assert OrderLine.select().count() == summary.order_lines > 700
    assert Contact.select().count() == summary.contacts >= 80
    assert Barcode.select().count() == summary.barcodes >= 50
    assert StockMovement.select().count() == summary.stock_movements
    assert StockLevel.select().count() == summary.stock_levels == 50
    assert Supplier.select().count() == summary.suppliers >= 3
    assert summary.rows > 2000 and summary.seconds > 0
    assert str(summary).startswith("4 demo users (password demo1234), 80 customers (")
    assert "700 orders (" in str(summary) and "sales returns" in str(summary)

    # demo users (none existed): one password for all, and the demo flag
    assert {(u.username, u.role) for u in User.select()} == {
        ("admin", "admin"), ("manager", "manager"), ("counter", "sales"),
        ("warehouse", "warehouse")}
    assert users.authenticate("counter", DEMO_PASSWORD).role == "sales"
    assert settings.get("demo") == "1"

    # trees two and three levels deep, names in Chinese and Latin letters
    assert max(_depth(CustomerGroup, g) for g in CustomerGroup.select()) == 3
    assert max(_depth(ProductCategory, c) for c in ProductCategory.select()) == 2
    names = [c.name for c in Customer.select()]
    assert any(CJK.search(n) for n in names) and any(re.search(r"[A-Za-z]{4}", n) for n in names)
    assert all(re.fullmatch(r"C\d{6}", c.code) for c in Customer.select())
    assert {c.salesperson.role for c in Customer.select()} <= {"sales", "manager"}
    today = clock.today()
    assert Contact.select().where(Contact.birthday.is_null(False)).count() > 3
    assert any((b.month, b.day) == (today.month, today.day)
               for b in (c.birthday for c in Contact.select()) if b)
    assert Location.get(Location.code == "MAIN").is_default

    # every barcode valid, stored normalised; some cartons of 12
    for b in Barcode.select():
        assert is_valid_gtin(b.raw), b.raw
        assert b.code == normalize(b.raw)
    assert Barcode.select().where(Barcode.pack_qty == Decimal(12)).exists()

    # documents: every kind and status the screens need, numbered per kind and year
    kinds = Counter((o.kind, o.status) for o in Order.select())
    for kind_status in [("sale", "delivered"), ("sale", "confirmed"), ("sale", "draft"),
                        ("quote", "draft"), ("quote", "converted"), ("purchase", "delivered"),
                        ("sale_return", "delivered"), ("purchase_return", "delivered")]:
        assert kinds[kind_status] > 0, kind_status
    assert {o.date for o in Order.select()} <= {
        today - dt.timedelta(days=d) for d in range(365)}
    assert Order.select().where(Order.date == today).exists()
    expiring = Order.select().where(
        (Order.kind == "quote") & (Order.status == "draft")
        & Order.valid_until.between(today, today + dt.timedelta(days=3)))
    assert expiring.exists()
    converted = Order.select().where((Order.kind == "sale") & Order.source.is_null(False))
    assert all(o.source.kind == "quote" and o.source.status == "converted" for o in converted)
    assert Order.select().where(Order.kind == "sale_return").first().source.kind == "sale"
    numbers = [o.number for o in Order.select()]
    assert len(set(numbers)) == len(numbers)
    assert all(re.fullmatch(r"(QT|SO|SR|PO|PR)-\d{4}-\d{6}", n) for n in numbers)
    first_sale = Order.select().where(Order.kind == "sale").order_by(Order.id).first()
    assert first_sale.number.endswith("-000001")
    for seq in DocSequence.select():  # the sequences are past every number handed out
        kind, year = seq.key.split(":")
        model = Order if kind in set(OrderKind) else MoneyDoc  # receipts, payments, expenses
        used = model.select().where((model.kind == kind) & (model.number.contains(f"-{year}-")))
        if kind == "ticket":
            used = Ticket.select().where(Ticket.number.contains(f"-{year}-"))
        assert seq.next_value == used.count() + 1, seq.key

    # service tickets in every state, valid for tuicrm check
    assert Ticket.select().count() == summary.tickets == 240  # three per customer (80)
    states = {t.status for t in Ticket.select(Ticket.status)}
    assert states == {"new", "in_progress", "waiting", "done", "cancelled"}
    assert Ticket.select().where(Ticket.satisfaction.is_null(False)).exists()

    # money exact: line = round(q * price) - discount; subtotal = lines; total = sub - disc
    sums: dict[int, Decimal] = defaultdict(Decimal)
    for line in OrderLine.select():
        gross = (line.quantity * line.unit_price).quantize(CENT, rounding=ROUND_HALF_UP)
        assert line.amount == gross - line.discount
        sums[line.order_id] += line.amount
    assert any(line.quantity != line.quantity.to_integral() for line in OrderLine.select())
    assert any(line.discount for line in OrderLine.select())
    for order in Order.select():
        assert order.subtotal == sums[order.id]
        assert order.total == order.subtotal - order.discount >= 0

    # the stock ledger: levels = sum of movements, never negative, some to reorder
    moved: dict[int, Decimal] = defaultdict(Decimal)
    for m in StockMovement.select():
        moved[m.product_id] += m.quantity
    for level in StockLevel.select():
        assert level.on_hand == moved[level.product_id]
        assert level.on_hand >= 0
    low = [lv for lv in StockLevel.select() if lv.on_hand < lv.product.min_stock]
    assert len(low) == summary.below_min_stock > 0
    assert StockMovement.select().where(StockMovement.reason == "opening").exists()
    delivered_lines = (OrderLine.select().join(Order)
                       .where(Order.status == "delivered", Order.kind != "quote").count())
    opening = StockMovement.select().where(StockMovement.reason == "opening").count()
    assert summary.stock_movements == delivered_lines + opening

    assert run_checks() == []


def test_quick_search_finds_demo_customers_by_contact(db):
    build_demo(customers=30, products=10, orders=20)
    from tuicrm.data.parties.search import customer_search_where

    contact = Contact.select().order_by(Contact.id.desc()).first()
    customer = Customer.get_by_id(contact.customer_id)
    for text in (contact.name if len(contact.name) >= 3 else customer.name, customer.code):
        found = Customer.select().where(customer_search_where(text))
        assert customer.id in {c.id for c in found}, text


def test_same_seed_same_company(db):
    a = build_demo(customers=20, products=10, orders=50, seed=7)
    first = [(c.code, c.name, c.phone) for c in Customer.select().order_by(Customer.id)]
    lines = [(ln.product.code, ln.quantity, ln.amount) for ln in OrderLine.select()]
    b = build_demo(customers=20, products=10, orders=50, seed=7)
    again = [(c.name, c.phone) for c in Customer.select().order_by(Customer.id)][20:]
    assert again == [(n, p) for _c, n, p in first]
    assert a.order_lines == b.order_lines
    assert lines == [(ln.product.code, ln.quantity, ln.amount)
                     for ln in OrderLine.select()][: len(lines)] and len(lines) > 50


def test_running_twice_adds_a_second_company_with_fresh_codes(db):
    first = build_demo(customers=25, products=15, orders=120, seed=1)
    second = build_demo(customers=25, products=15, orders=120, seed=2)
    assert second.users_created == 0 and User.select().count() == 4
    assert Customer.select().count() == 50 and Product.select().count() == 30
    assert Order.select().count() == 240
    assert second.customer_groups == 0 and second.competitors == 0  # reused, not doubled
    codes = [c.code for c in Customer.select().order_by(Customer.id)]
    assert codes[25] == "C000026" and len(set(codes)) == 50
    assert Product.select().order_by(Product.id.desc()).first().code == "P000030"
    sales = Order.select().where(Order.kind == "sale").count()
    assert DocSequence.select().where(DocSequence.key.startswith("sale:")).count() >= 1
    total = sum(s.next_value - 1 for s in DocSequence.select()
                .where(DocSequence.key.startswith("sale:")))
    assert total == sales == first.by_kind["sale"] + second.by_kind["sale"]
    assert run_checks() == []
    # ids were written by the builder: the database hands out the next ones (PostgreSQL's
    # sequences were moved past them)
    assert Customer.create(code="ZZ1", name="after the demo").id == 51
    assert Order.create(number="T-1", kind="sale", date=clock.today()).id == 241


def test_existing_users_are_kept_and_sell(db, admin, password):
    before = User.get_by_id(admin.id).password_hash
    summary = build_demo(customers=15, products=10, orders=40)
    assert summary.users_created == 0
    assert [u.username for u in User.select()] == ["admin"]
    assert User.get_by_id(admin.id).password_hash == before
    assert users.authenticate("admin", password).id == admin.id
    assert settings.get("demo") == "0"  # a real database, not the demo one
    assert {c.salesperson_id for c in Customer.select()} == {admin.id}
    assert {o.salesperson_id for o in Order.select()} == {admin.id}
    assert run_checks() == []


def test_empty_and_wrong_sizes(db):
    summary = build_demo(customers=0, products=0, orders=0)
    assert summary.orders == 0 and Customer.select().count() == 0
    assert run_checks() == []
    for bad in ({"customers": -1}, {"orders": 1.5}, {"products": True},
                {"customers": 0, "orders": 5}):
        with pytest.raises(ValidationError):
            build_demo(**bad)
    assert Order.select().count() == 0


def _schema_snapshot() -> set[tuple[str, str]]:
    """Every index and trigger (PostgreSQL: index and constraint) with its definition."""
    if db_module.is_sqlite():
        rows = db_module.database.execute_sql(
            "SELECT name, sql FROM sqlite_master WHERE type IN ('index', 'trigger') "
            "AND sql IS NOT NULL").fetchall()
    else:  # and the foreign keys, which the PostgreSQL bulk path drops and adds back too
        rows = db_module.database.execute_sql(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
            "UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE connamespace = current_schema()::regnamespace"
        ).fetchall()
    assert len(rows) > 30
    return set(rows)


def test_bulk_path_rebuilds_every_index_and_trigger(db, monkeypatch):
    """The big-load path (indexes and search triggers dropped, rebuilt after) on a small
    database: the schema afterwards is exactly the schema before."""
    monkeypatch.setattr(demo_module, "BULK", 1)
    monkeypatch.setattr(demo_module, "LINES_PER_FLUSH", 100)  # many writer jobs
    monkeypatch.setattr(demo_module, "MAX_PENDING_ROWS", 300)  # and back-pressure
    before = _schema_snapshot()
    summary = build_demo(customers=40, products=20, orders=150)
    assert _schema_snapshot() == before
    assert Order.select().count() == summary.orders == 150
    assert run_checks() == []
    from tuicrm.data.parties.search import customer_search_where

    customer = Customer.select().order_by(Customer.id.desc()).first()
    assert customer.id in {c.id for c in Customer.select().where(
        customer_search_where(customer.code))}


@pytest.mark.parametrize("threaded", [True, False])
def test_a_failure_leaves_nothing_behind(db, monkeypatch, threaded):
    monkeypatch.setattr(demo_module, "BULK", 1)
    monkeypatch.setattr(demo_module, "THREADED", threaded)
    before = _schema_snapshot()
    real_insert = BulkSql.insert

    def failing_insert(self, table, columns, rows):
        if table == "order_line":
            raise RuntimeError("disk full (test)")
        real_insert(self, table, columns, rows)

    monkeypatch.setattr(BulkSql, "insert", failing_insert)
    with pytest.raises(RuntimeError, match="disk full"):
        build_demo(customers=30, products=10, orders=60)
    assert _schema_snapshot() == before
    for model in (User, Customer, Contact, Product, Order, OrderLine, StockMovement):
        assert model.select().count() == 0, model
    assert not [t for t in threading.enumerate() if t.name == "demo-writer"]  # it ended
    monkeypatch.setattr(BulkSql, "insert", real_insert)
    assert build_demo(customers=30, products=10, orders=60).orders == 60
    assert run_checks() == []
