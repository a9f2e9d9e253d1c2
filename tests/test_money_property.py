"""Random invoices, receipts, returns, refunds, allocations, unallocations and write-offs keep
every money invariant exactly (the issue's property test).

A model kept beside the database says what each balance must be (the sum of what every
operation added); ``tuicrm check`` must find nothing; refused operations change nothing.
The default run makes 400 operations; ``-m slow`` makes the issue's 10,000.
"""

from __future__ import annotations

import random
from collections import defaultdict
from decimal import Decimal

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.check import run_checks
from tuicrm.data.core import settings
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.money import from_cents, to_cents
from tuicrm.data.core.vocab import Side
from tuicrm.data.models import Allocation, Customer, LedgerEntry
from tuicrm.data.money import allocating, counter, documents, ledger
from tuicrm.data.money.documents import Apply
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock

pytestmark = pytest.mark.pg

MONEY_CHECKS = ["allocations", "ledger_documents", "balances"]


class World:
    def __init__(self, actor, seed: int) -> None:
        self.actor = actor
        self.rnd = random.Random(seed)
        self.product = products.create_product(actor, code="P1", name="Thing", price1="0.01")
        stock.set_opening(actor, self.product, 10_000_000)
        self.customers = [Customer.create(code=f"C{i}", name=f"Customer {i}",
                                          credit_limit=Decimal("1e8")).id for i in range(4)]
        self.expected: dict[int, int] = defaultdict(int)  # customer -> balance in cents
        self.sales: list[tuple[int, int, int]] = []  # (order id, customer, units left)
        self.done: dict[str, int] = defaultdict(int)

    def cents(self, top: int) -> int:
        return self.rnd.randint(1, max(1, top))

    def open_entries(self, customer: int, debits: bool) -> list[ledger.Entry]:
        return ledger.open_entries(Side.CUSTOMER, customer, debits=debits)

    # -- the operations ------------------------------------------------------------------------

    def sale(self, customer: int) -> None:
        units = self.rnd.randint(1, 50_000)  # 0.01 each: up to 500.00
        order = orders.new_order(self.actor, "sale", customer_id=customer)
        orders.add_line(self.actor, order, self.product, units)
        if self.rnd.random() < 0.5:
            tenders = [counter.Tender(self.rnd.choice(["cash", "card", "wechat"]),
                                      from_cents(self.cents(units)))
                       for _ in range(self.rnd.randint(0, 2))]
            try:
                paid = counter.pay_sale(self.actor, order, tenders)
            except ValidationError:  # card over the total: nothing happened
                assert orders.get_order(self.actor, order).status == "draft"
                orders.cancel(self.actor, order)
                return
            self.expected[customer] += units - to_cents(paid.paid)
        else:
            orders.complete_sale(self.actor, order)
            self.expected[customer] += units
        self.sales.append((order.id, customer, units))

    def receipt(self, customer: int) -> None:
        amount = self.cents(60_000)
        debits = self.open_entries(customer, True)
        apply = None
        if debits and self.rnd.random() < 0.4:
            target = self.rnd.choice(debits)
            apply = [Apply(target.id, from_cents(self.cents(min(amount, target.open))))]
        documents.record_receipt(self.actor, customer, from_cents(amount),
                                 self.rnd.choice(["cash", "bank", "alipay"]), apply=apply,
                                 fifo=self.rnd.random() < 0.8)
        self.expected[customer] -= amount

    def sale_return(self, customer: int) -> None:
        mine = [(i, s) for i, s in enumerate(self.sales) if s[1] == customer and s[2] > 0]
        if not mine:
            return
        index, (order_id, _, left) = self.rnd.choice(mine)
        units = self.rnd.randint(1, left)
        ret = orders.start_return(self.actor, order_id)
        orders.add_line(self.actor, ret, self.product, units)
        orders.complete_return(self.actor, ret)
        self.sales[index] = (order_id, customer, left - units)
        self.expected[customer] -= units

    def refund(self, customer: int) -> None:
        credits = sum(e.open for e in self.open_entries(customer, False))
        if not credits:
            return
        amount = self.cents(credits)
        documents.refund_customer(self.actor, customer, from_cents(amount), "cash")
        self.expected[customer] += amount

    def allocate(self, customer: int) -> None:
        debits, credits = self.open_entries(customer, True), self.open_entries(customer, False)
        if not debits or not credits:
            return
        debit, credit = self.rnd.choice(debits), self.rnd.choice(credits)
        cents = self.cents(min(debit.open, credit.open))
        if self.rnd.random() < 0.1:
            cents = min(debit.open, credit.open) + 1  # too much: refused, nothing changes
            with pytest.raises(ValidationError):
                allocating.allocate(self.actor, credit.id, debit.id, from_cents(cents))
            return
        allocating.allocate(self.actor, credit.id, debit.id, from_cents(cents))

    def unallocate(self, customer: int) -> None:
        live = list(Allocation.select(Allocation.id)
                    .join(LedgerEntry, on=(Allocation.debit == LedgerEntry.id))
                    .where(Allocation.undone_on.is_null() & (LedgerEntry.customer == customer))
                    .tuples())
        if live:
            allocating.unallocate(self.actor, self.rnd.choice(live)[0])

    def write_off(self, customer: int) -> None:
        entries = self.open_entries(customer, self.rnd.random() < 0.7)
        if not entries:
            return
        entry = self.rnd.choice(entries)
        cents = self.cents(min(entry.open, 100))
        allocating.write_off(self.actor, entry.id, from_cents(cents), "small difference")
        self.expected[customer] += -cents if entry.is_debit else cents

    OPERATIONS = (("sale", 5), ("receipt", 4), ("sale_return", 1), ("refund", 1),
                  ("allocate", 3), ("unallocate", 2), ("write_off", 1))

    def step(self) -> None:
        names = [n for n, _ in self.OPERATIONS]
        weights = [w for _, w in self.OPERATIONS]
        name = self.rnd.choices(names, weights)[0]
        getattr(self, name)(self.rnd.choice(self.customers))
        self.done[name] += 1

    def verify(self) -> None:
        assert [str(p) for p in run_checks(MONEY_CHECKS)] == []
        for customer in self.customers:
            assert ledger.balance_cents(Side.CUSTOMER, customer) == self.expected[customer]
            for entry in (LedgerEntry.select(LedgerEntry.open, LedgerEntry.amount)
                          .where(LedgerEntry.customer == customer)):
                assert 0 <= entry.open <= abs(entry.amount)


def _run(manager, operations: int, seed: int) -> World:
    settings.set_value(manager, "money.write_off_limit", "1.00")
    settings.set_value(manager, "stock.allow_negative", "1")  # stock is not what is tested
    world = World(manager, seed)
    for n in range(1, operations + 1):
        world.step()
        if n % 100 == 0:
            world.verify()
    world.verify()
    return world


def test_random_money_operations_keep_every_invariant(manager):
    world = _run(manager, 400, seed=11)
    assert all(world.done[name] > 0 for name, _ in World.OPERATIONS)


@pytest.mark.slow
def test_ten_thousand_random_money_operations(manager):
    world = _run(manager, 10_000, seed=12345)
    assert sum(world.done.values()) == 10_000
