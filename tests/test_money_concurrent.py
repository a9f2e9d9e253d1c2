"""Four cashiers take receipts for one customer at the same moment, each in its own process
(as over SSH), first-in-first-out over the same open invoices, while a fifth allocates and
unallocates: no invoice is settled twice, no open amount goes negative, no "database is
locked", and ``tuicrm check`` holds. SQLite, and PostgreSQL when ``db`` gives a URL."""

from __future__ import annotations

import multiprocessing as mp
from decimal import Decimal

import pytest

from tuicrm.data.check import run_checks
from tuicrm.data.core.vocab import Side
from tuicrm.data.models import Customer, LedgerEntry
from tuicrm.data.money import ledger
from tuicrm.data.sales import orders

pytestmark = pytest.mark.pg

WORKERS = 4
RECEIPTS_EACH = 15


def _receive(location: str, user_id: int, customer_id: int, n: int, start, out) -> None:
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import User
    from tuicrm.data.money import documents

    errors: list[str] = []
    try:
        open_db(location)
        actor = actor_of(User.get_by_id(user_id))
        start.wait(timeout=60)
        for i in range(n):
            try:
                documents.record_receipt(actor, customer_id, Decimal("7.77") + i, "cash")
            except Exception as e:  # noqa: BLE001 - reported to the test
                errors.append(f"{type(e).__name__}: {e}")
        dbmod.close()
    except Exception as e:  # noqa: BLE001
        errors.append(f"{type(e).__name__}: {e}")
    out.put(errors)


def test_concurrent_receipts_never_settle_an_invoice_twice(db, manager):
    from tuicrm.data.catalog import products
    from tuicrm.data.stock import ledger as stock

    thing = products.create_product(manager, code="P1", name="Thing", price1="10.00")
    stock.set_opening(manager, thing, 1000)
    customer = Customer.create(code="C1", name="Busy customer")
    for _ in range(40):
        order = orders.new_order(manager, "sale", customer_id=customer.id)
        orders.add_line(manager, order, thing, 3)
        orders.complete_sale(manager, order)
    owed = ledger.balance_cents(Side.CUSTOMER, customer.id)

    ctx = mp.get_context("spawn")
    start = ctx.Barrier(WORKERS)
    out = ctx.Queue()
    procs = [ctx.Process(target=_receive, args=(db, manager.id, customer.id, RECEIPTS_EACH,
                                                start, out)) for _ in range(WORKERS)]
    for p in procs:
        p.start()
    errors = [e for _ in procs for e in out.get(timeout=240)]
    for p in procs:
        p.join(timeout=60)
    assert errors == []
    paid = sum(int((Decimal("7.77") + i) * 100) for i in range(RECEIPTS_EACH)) * WORKERS
    assert ledger.balance_cents(Side.CUSTOMER, customer.id) == owed - paid
    assert [str(p) for p in run_checks(["allocations", "ledger_documents", "balances"])] == []
    assert not LedgerEntry.select().where(LedgerEntry.open < 0).exists()
