"""Customer, contact, supplier and competitor operations (C3-C7)."""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest

from tuicrm.data.core import db as dbmod
from tuicrm.data.core.errors import Conflict, InUse, NotFound, PermissionDenied, ValidationError
from tuicrm.data.models import AuditLog, Contact, Customer, Order, now
from tuicrm.data.parties import contacts as K
from tuicrm.data.parties import customers as C
from tuicrm.data.parties import suppliers as S
from tuicrm.data.parties.groups import customer_groups

pytestmark = pytest.mark.pg


def test_create_generates_code_and_stores_money(admin):
    a = C.create_customer(admin, name="张三丰贸易有限公司", credit_limit="1,234.5")
    b = C.create_customer(admin, name="Acme", code="  ")
    assert (a.code, b.code) == ("C000001", "C000002")
    row = Customer.get_by_id(a.id)
    assert row.credit_limit == Decimal("1234.50")
    assert AuditLog.select().where(
        (AuditLog.entity == "customer") & (AuditLog.action == "create")
    ).count() == 2


def test_next_code_follows_highest(admin):
    C.create_customer(admin, name="x", code="C000041")
    C.create_customer(admin, name="y", code="CUSTOM")
    assert C.create_customer(admin, name="z").code == "C000042"


def test_validation_lists_every_field(admin):
    with pytest.raises(ValidationError) as e:
        C.create_customer(
            admin, name=" ", email="not-mail", credit_limit="abc", price_level=9,
            phone=13800138000, address="x" * 300, status="gone",
        )
    errs = e.value.errors
    assert set(errs) == {"name", "email", "credit_limit", "price_level", "phone", "address",
                         "status"}
    assert "text" in errs["phone"]
    assert Customer.select().count() == 0


def test_duplicate_code_refused(admin):
    C.create_customer(admin, name="a", code="K1")
    with pytest.raises(ValidationError) as e:
        C.create_customer(admin, name="b", code="K1")
    assert "code" in e.value.errors
    assert Customer.select().count() == 1


def test_stale_update_raises_conflict_naming_who(admin, manager):
    c = C.create_customer(admin, name="Old name")
    C.update_customer(manager, c.id, c.version, name="Manny's name")
    with pytest.raises(Conflict) as e:
        C.update_customer(admin, c.id, c.version, name="Ada's name")
    assert "manny" in str(e.value)
    assert Customer.get_by_id(c.id).name == "Manny's name"
    assert Customer.get_by_id(c.id).version == 2


def test_delete_refused_while_referenced(admin):
    a = C.create_customer(admin, name="has contact")
    b = C.create_customer(admin, name="free")
    K.create_contact(admin, a.id, name="李四")
    with pytest.raises(InUse) as e:
        C.delete_customers(admin, [b.id, a.id])
    assert "1 contact" in str(e.value) and "nothing was deleted" in str(e.value)
    assert Customer.select().count() == 2  # b not deleted either
    Order.create(number="SO-1", kind="sale", status="draft", date=now().date(), customer=b.id)
    with pytest.raises(InUse, match="1 order"):
        C.delete_customers(admin, [b.id])
    c = C.create_customer(admin, name="gone")
    assert C.delete_customers(admin, [c.id]) == 1
    assert not Customer.select().where(Customer.id == c.id).exists()


def test_twins(admin):
    a = C.create_customer(admin, name="张三丰贸易", phone="021-1", tax_number="T9")
    C.create_customer(admin, name="other", mobile="139")
    assert [t.id for t in C.likely_twins(admin, "张三丰贸易")] == [a.id]
    assert [t.name for t in C.likely_twins(admin, "x", phone="139")] == ["other"]
    assert [t.id for t in C.likely_twins(admin, "", "", "T9")] == [a.id]
    assert C.likely_twins(admin, "张三丰贸易", exclude_id=a.id) == []
    assert C.likely_twins(admin, "nobody") == []


def test_sales_sees_and_edits_only_own(admin, sales, make_user):
    other = make_user("sales", "sam")
    mine = C.create_customer(sales, name="mine")
    theirs = C.create_customer(other, name="theirs")
    assert mine.salesperson_id == sales.id
    assert [c.name for c in C.customer_query(sales)] == ["mine"]
    assert {c.name for c in C.customer_query(admin)} == {"mine", "theirs"}
    with pytest.raises(NotFound):
        C.update_customer(sales, theirs.id, theirs.version, name="stolen")
    with pytest.raises(ValidationError):
        C.create_customer(sales, name="for sam", salesperson=other.id)
    with pytest.raises(PermissionDenied):
        C.delete_customers(sales, [mine.id])
    with pytest.raises(PermissionDenied):
        C.reassign_customers(sales, [mine.id], other.id)
    assert Customer.get_by_id(theirs.id).name == "theirs"


def test_warehouse_cannot_view(warehouse):
    with pytest.raises(PermissionDenied):
        C.customer_query(warehouse)


def test_move_and_reassign_many(admin, manager, sales):
    g = customer_groups.create(admin, "VIP")
    ids = [C.create_customer(admin, name=f"c{i}").id for i in range(3)]
    assert C.move_customers(manager, ids, g.id) == 3
    assert C.reassign_customers(manager, ids, sales.id) == 3
    rows = list(Customer.select().where(Customer.id.in_(ids)))
    assert {(r.group_id, r.salesperson_id, r.version) for r in rows} == {(g.id, sales.id, 3)}
    assert [c.name for c in C.customer_query(sales).order_by(Customer.name)] == ["c0", "c1", "c2"]


def test_contacts_crud(admin):
    c = C.create_customer(admin, name="x")
    ct = K.create_contact(admin, c.id, name="王五", birthday="1990-02-03", is_key="yes")
    ct = K.update_contact(admin, ct.id, ct.version, title="经理")
    assert (ct.title, ct.is_key, str(ct.birthday)) == ("经理", True, "1990-02-03")
    with pytest.raises(ValidationError):
        K.create_contact(admin, c.id, name="", email="bad")
    assert K.delete_contacts(admin, [ct.id]) == 1
    assert Contact.select().count() == 0


def test_suppliers_and_competitors(admin, warehouse):
    s = S.create_supplier(admin, code="S1", name="供应商")
    with pytest.raises(ValidationError):
        S.create_supplier(admin, code="S1", name="dup")
    with pytest.raises(PermissionDenied):
        S.create_supplier(warehouse, code="S2", name="no")
    s2 = S.update_supplier(admin, s.id, s.version, phone="123")
    assert s2.version == 2
    with pytest.raises(Conflict):
        S.update_supplier(admin, s.id, s.version, phone="456")
    Order.create(number="PO-1", kind="purchase", status="draft", date=now().date(), supplier=s.id)
    with pytest.raises(InUse, match="order"):
        S.delete_suppliers(admin, [s.id])
    comp = S.create_competitor(admin, name="Rival")
    assert S.delete_competitors(admin, [comp.id]) == 1


def test_concurrent_creates_never_share_a_code(admin):
    """Four sessions add customers without a code at the same time: each gets its own next
    code (PostgreSQL: the unique index refuses a code taken meanwhile; the next is taken)."""
    got: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()
    start = threading.Barrier(4)

    def worker(n: int) -> None:
        try:
            start.wait()
            for i in range(10):
                code = C.create_customer(admin, name=f"w{n}-{i}").code
                with lock:
                    got.append(code)
        except BaseException as e:  # noqa: BLE001 - reported by the assertion below
            errors.append(e)
        finally:
            dbmod.database.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(got) == [f"C{n:06d}" for n in range(1, 41)]


def test_writers_to_different_customers_do_not_wait(admin, manager):
    """PostgreSQL: while one session holds its change to one customer uncommitted, another
    changes a different customer at once; a stale change to the same one waits, then is
    refused as a conflict (never a lost update)."""
    if dbmod.is_sqlite():
        pytest.skip("SQLite has one writer at a time")
    c1 = C.create_customer(admin, name="one")
    c2 = C.create_customer(admin, name="two")
    holding, release = threading.Event(), threading.Event()
    results: list[object] = []

    def hold() -> None:
        try:
            with dbmod.write():
                C.update_customer(admin, c1.id, c1.version, name="one by A")
                holding.set()
                release.wait(10)
        finally:
            dbmod.database.close()

    def stale() -> None:
        try:
            C.update_customer(manager, c1.id, c1.version, name="one by B")
            results.append("saved")
        except Conflict as e:
            results.append(e)
        finally:
            dbmod.database.close()

    a = threading.Thread(target=hold)
    a.start()
    assert holding.wait(10)
    started = time.monotonic()
    C.update_customer(manager, c2.id, c2.version, name="two by C")
    assert time.monotonic() - started < 2  # did not wait for A
    b = threading.Thread(target=stale)
    b.start()
    b.join(0.5)
    assert b.is_alive()  # waits for A's lock on the same customer
    release.set()
    a.join(10)
    b.join(10)
    assert len(results) == 1 and isinstance(results[0], Conflict)
    assert Customer.get_by_id(c1.id).name == "one by A"
    assert Customer.get_by_id(c2.id).name == "two by C"


def test_related_information_in_a_fixed_number_of_queries(admin, caplog):
    """The pane below the customer list reads the same few queries whatever the customer
    holds (a screen walking foreign keys read one query per row)."""
    import datetime as dt
    import logging

    from tuicrm.data.models import Activity, Reminder
    from tuicrm.data.parties.related import customer_related

    c = C.create_customer(admin, name="busy")

    def add(n: int, start: int) -> None:
        for i in range(start, start + n):
            K.create_contact(admin, c.id, name=f"p{i}", is_key=i == 1)
            Order.create(number=f"SO-{i}", kind="sale", date=dt.date(2026, 6, i % 28 + 1),
                         customer=c.id, total=i)
            Activity.create(kind="call", customer=c.id, subject=f"call {i}", user=admin.id)
            Reminder.create(title=f"r{i}", assignee=admin.id, customer=c.id,
                            due_at=now() + dt.timedelta(days=i))

    def queries() -> int:
        caplog.clear()
        with caplog.at_level(logging.DEBUG, logger="peewee"):
            customer_related(admin, c.id)
        return sum(1 for r in caplog.records if r.name == "peewee")

    add(2, 1)
    few = queries()
    add(20, 3)
    # permission and scope checks (3), the ticket permission (1), then 7 reads; the
    # balance: its permission and one sum
    assert queries() == few <= 13
    r = customer_related(admin, c.id)
    assert (r.contact_count, r.order_count, r.activity_count) == (22, 22, 22)
    assert [x.name for x in r.contacts] == ["p1", "p10", "p11"]  # key contact first
    assert r.orders[0].date >= r.orders[1].date and len(r.reminders) == 3
