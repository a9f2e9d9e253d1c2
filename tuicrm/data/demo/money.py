"""The demo's money: a year of invoices and credit notes from the delivered sales and returns,
receipts (paid at the counter, on time, late, in part, some rounded up and left on account,
some never), supplier bills and payments, expenses and other income by category.

Run after the orders are written, in the build's transaction. The year is replayed day by day
with the same first-in-first-out rule as ``money.ledger.settle_fifo``, and the rows are
written with their final open amounts, so ``tuicrm check`` holds and ageing and statements
have realistic content. Its own random stream: the rest of the demo stays as it was.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from ..core import numbering
from .bulk import stamp
from .context import BuildContext

ENTRY_COLUMNS = ("id", "side", "customer_id", "supplier_id", "kind", "number", "date",
                 "due_date", "amount", "open", "order_id", "doc_id", "reason", "created_by_id",
                 "created_at")
DOC_COLUMNS = ("id", "number", "kind", "date", "customer_id", "supplier_id", "order_id",
               "category_id", "account_id", "method", "amount", "tendered", "reference",
               "notes", "created_by_id", "created_at")
ALLOCATION_COLUMNS = ("id", "debit_id", "credit_id", "amount", "date", "created_by_id",
                      "created_at", "undone_on", "undone_by_id")
CATEGORIES = {
    "费用 Expenses": ["房租 Rent", "工资 Wages", "水电 Utilities", "运输 Transport",
                    "办公 Office supplies"],
    "其他收入 Other income": ["利息 Interest", "废品 Scrap sales"],
}
COUNTER_METHODS = ("cash", "cash", "wechat", "wechat", "alipay", "card")
TRANSFER_METHODS = ("bank", "bank", "bank", "wechat", "alipay")
ACCOUNT_OF = {"cash": "CASH", "wechat": "MOBILE", "alipay": "MOBILE"}


@dataclass
class _Entry:
    id: int
    side: str
    party: int
    kind: str
    number: str
    date: dt.date
    due: dt.date | None
    amount: int
    order_id: int | None = None
    doc_id: int | None = None
    open: int = field(init=False)

    def __post_init__(self) -> None:
        self.open = abs(self.amount)


class MoneyYear:
    def __init__(self, ctx: BuildContext, first_order_id: int, user_id: int) -> None:
        self.ctx = ctx
        self.sql = ctx.sql
        self.rnd = random.Random(7919 * ctx.today.toordinal() + first_order_id).random
        self.first_order_id = first_order_id
        self.user_id = user_id
        self.entries: list[_Entry] = []
        self.docs: list[Any] = []
        self.allocations: list[Any] = []
        self.open_debits: dict[tuple[str, int], list[_Entry]] = defaultdict(list)
        self.open_credits: dict[tuple[str, int], list[_Entry]] = defaultdict(list)
        self.by_order: dict[int, _Entry] = {}
        self.sellers: dict[int, int] = {}  # order id -> its salesperson
        self.next_id = {t: self._first_id(t) for t in ("ledger_entry", "money_doc",
                                                        "allocation")}
        self.numbers: dict[tuple[str, int], int] = {}
        self.first_numbers: dict[tuple[str, int], int] = {}
        self.prefixes: dict[str, str] = {}
        self.accounts = dict(self.sql.execute("SELECT code, id FROM money_account").fetchall())

    def _first_id(self, table: str) -> int:
        first = self.sql.max_id(table) + 1
        if not self.sql.sqlite:
            seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            first = max(first, int(self.sql.scalar(f"SELECT nextval({seq})")))
        return first

    def _id(self, table: str) -> int:
        value = self.next_id[table]
        self.next_id[table] = value + 1
        return value

    def _number(self, kind: str, year: int) -> str:
        key = (kind, year)
        if key not in self.numbers:
            self.numbers[key] = 0
            self.first_numbers[key] = numbering.peek(kind, year)
            self.prefixes.setdefault(kind, numbering.prefix(kind))
        self.numbers[key] += 1
        return numbering.format_number(self.prefixes[kind], year,
                                       self.first_numbers[key] + self.numbers[key] - 1)

    # -- the ledger ---------------------------------------------------------------------------

    def post(self, side: str, party: int, kind: str, number: str, day: dt.date, cents: int,
             due: dt.date | None = None, order_id: int | None = None,
             doc_id: int | None = None) -> _Entry:
        entry = _Entry(self._id("ledger_entry"), side, party, kind, number, day, due, cents,
                       order_id, doc_id)
        self.entries.append(entry)
        book = self.open_debits if cents > 0 else self.open_credits
        book[(side, party)].append(entry)
        return entry

    def settle(self, entry: _Entry, prefer: _Entry | None = None) -> None:
        """First in, first out (the preferred document first), as ``ledger.settle_fifo``."""
        book = self.open_credits if entry.amount > 0 else self.open_debits
        others = book[(entry.side, entry.party)]
        order = ([prefer] if prefer is not None and prefer in others else []) + others
        for other in order:
            if entry.open == 0:
                break
            if other.open == 0:
                continue
            cents = min(entry.open, other.open)
            debit, credit = (entry, other) if entry.amount > 0 else (other, entry)
            day = max(debit.date, credit.date)
            self.allocations.append((self._id("allocation"), debit.id, credit.id, cents, day,
                                     self.user_id, stamp(day, 17 * 3600), None, None))
            entry.open -= cents
            other.open -= cents
        book[(entry.side, entry.party)] = [e for e in others if e.open]

    def doc(self, kind: str, day: dt.date, cents: int, method: str, *, customer: int | None =
            None, supplier: int | None = None, order_id: int | None = None,
            category: int | None = None, tendered: int | None = None, ref: str = "",
            user: int | None = None) -> tuple[int, str]:
        doc_id = self._id("money_doc")
        number = self._number(kind, day.year)
        account = self.accounts[ACCOUNT_OF.get(method, "BANK")]
        self.docs.append((doc_id, number, kind, day, customer, supplier, order_id, category,
                          account, method, cents, tendered, ref, "", user or self.user_id,
                          stamp(day, 9 * 3600 + int(self.rnd() * 8 * 3600))))
        return doc_id, number

    # -- the year -----------------------------------------------------------------------------

    def run(self) -> None:
        p = self.sql.p
        rows = self.sql.execute(f"""
            SELECT o.id, o.kind, o.number, o.date, o.customer_id, o.supplier_id, o.total,
                   o.source_id, COALESCE(c.payment_terms_days, s.payment_terms_days, 0),
                   o.salesperson_id
            FROM "order" o
            LEFT JOIN customer c ON c.id = o.customer_id
            LEFT JOIN supplier s ON s.id = o.supplier_id
            WHERE o.status = 'delivered' AND o.id >= {p} AND o.total <> 0
              AND (o.customer_id IS NOT NULL OR o.supplier_id IS NOT NULL)
            ORDER BY o.date, o.id""", (self.first_order_id,)).fetchall()
        events: list[tuple[dt.date, int, int, Any]] = []
        for n, row in enumerate(rows):
            day = _day(row[3])
            events.append((day, 0, n, row))
        profile: dict[int, float] = {}
        today = self.ctx.today
        pending: list[tuple[dt.date, int, int, Any]] = []
        for day, _, n, row in sorted(events):
            oid, kind, number, _, customer, supplier, total, source, terms, seller = row
            if seller is not None:
                self.sellers[oid] = int(seller)  # who took the money at the counter
            total, terms = int(total), int(terms)
            if kind in ("sale", "purchase"):
                side, party = ("customer", customer) if kind == "sale" else ("supplier", supplier)
                due = day + dt.timedelta(days=terms)
                entry = self.post(side, party, "invoice" if kind == "sale" else "bill", number,
                                  day, total, due, order_id=oid)
                self.by_order[oid] = entry
                pending.extend(self._plan_payment(entry, profile, today, n))
            else:
                side, party = (("customer", customer) if kind == "sale_return"
                               else ("supplier", supplier))
                entry = self.post(side, party, "credit_note" if kind == "sale_return"
                                  else "supplier_credit", number, day, -total, order_id=oid)
                self.settle(entry, self.by_order.get(source))
        self._replay(sorted(pending))
        self._refund_some(today)

    def _plan_payment(self, entry: _Entry, profile: dict[int, float], today: dt.date,
                      n: int) -> list[tuple[dt.date, int, int, Any]]:
        rnd = self.rnd
        key = entry.party if entry.side == "customer" else -entry.party
        if key not in profile:
            profile[key] = rnd()
        habit = profile[key]
        cents = entry.amount
        if entry.side == "customer" and (entry.due == entry.date or rnd() < 0.35):
            return [(entry.date, 1, n, (entry, cents, "counter"))]  # paid at the counter
        if habit > 0.95:
            return []  # never pays
        late = int(rnd() * 10) if habit < 0.55 else int(10 + rnd() * 70)
        day = (entry.due or entry.date) + dt.timedelta(days=late - 5)
        day = max(day, entry.date)
        if day > today:
            return []
        if habit > 0.8 and rnd() < 0.6:  # pays part now, the rest later or never
            part = cents * (5 + int(rnd() * 4)) // 10
            rest_day = day + dt.timedelta(days=20 + int(rnd() * 60))
            plan = [(day, 1, n, (entry, part, "transfer"))]
            if rest_day <= today and rnd() < 0.5:
                plan.append((rest_day, 1, n, (entry, cents - part, "transfer")))
            return plan
        if entry.side == "customer" and rnd() < 0.08:
            cents = (cents + 9999) // 10000 * 10000  # rounded up: the rest on account
        return [(day, 1, n, (entry, cents, "transfer"))]

    def _replay(self, pending: list[tuple[dt.date, int, int, Any]]) -> None:
        for day, _, _, (entry, cents, how) in pending:
            methods = COUNTER_METHODS if how == "counter" else TRANSFER_METHODS
            method = methods[int(self.rnd() * len(methods))]
            if entry.side == "customer":
                tendered = None
                if how == "counter" and method == "cash" and self.rnd() < 0.5:
                    tendered = (cents + 4999) // 5000 * 5000
                counter = how == "counter" and entry.order_id is not None
                doc_id, number = self.doc("receipt", day, cents, method, customer=entry.party,
                                          order_id=entry.order_id if how == "counter" else None,
                                          tendered=tendered,
                                          user=self.sellers.get(entry.order_id or 0)
                                          if counter else None)
                credit = self.post("customer", entry.party, "receipt", number, day, -cents,
                                   doc_id=doc_id)
                if how == "counter":
                    self.settle(credit, entry)
                else:
                    self.settle(credit)
            else:
                doc_id, number = self.doc("payment", day, cents, method, supplier=entry.party)
                credit = self.post("supplier", entry.party, "payment", number, day, -cents,
                                   doc_id=doc_id)
                self.settle(credit)

    def _refund_some(self, today: dt.date) -> None:
        """About a third of the money customers have on account is paid back."""
        for (side, party), credits in list(self.open_credits.items()):
            if side != "customer" or not credits or self.rnd() > 0.33:
                continue
            cents = sum(e.open for e in credits)
            day = min(today, max(e.date for e in credits) + dt.timedelta(days=7))
            doc_id, number = self.doc("refund", day, cents, "cash", customer=party)
            debit = self.post("customer", party, "refund", number, day, cents, doc_id=doc_id)
            self.settle(debit)

    def expenses(self) -> None:
        """Rent, wages, utilities, transport, office supplies; a little other income."""
        sql, p = self.sql, self.sql.p
        ids: dict[str, int] = {}
        for top, children in CATEGORIES.items():
            ids[top] = self._category(top, None)
            for child in children:
                ids[child] = self._category(child, ids[top])
        rnd, start, today = self.rnd, self.ctx.start, self.ctx.today
        day = start
        while day <= today:
            if day.day == 1:
                self.doc("expense", day, 800_000, "bank", category=ids["房租 Rent"], ref="rent")
            if day.day == 10:
                self.doc("expense", day, 2_400_000 + int(rnd() * 300_000), "bank",
                         category=ids["工资 Wages"], ref="wages")
            if day.day == 15:
                self.doc("expense", day, 60_000 + int(rnd() * 90_000), "bank",
                         category=ids["水电 Utilities"])
            if day.weekday() == 2 and rnd() < 0.7:
                self.doc("expense", day, 5_000 + int(rnd() * 40_000), "cash",
                         category=ids["运输 Transport"])
            if rnd() < 0.04:
                self.doc("expense", day, 2_000 + int(rnd() * 30_000), "cash",
                         category=ids["办公 Office supplies"])
            if day.day == 21 and day.month % 3 == 0:
                self.doc("income", day, 1_000 + int(rnd() * 20_000), "bank",
                         category=ids["利息 Interest"])
            if rnd() < 0.02:
                self.doc("income", day, 5_000 + int(rnd() * 50_000), "cash",
                         category=ids["废品 Scrap sales"])
            day += dt.timedelta(days=1)
        del sql, p

    def _category(self, name: str, parent: int | None) -> int:
        p = self.sql.p
        where = "parent_id IS NULL" if parent is None else f"parent_id = {p}"
        params: tuple[Any, ...] = (name,) if parent is None else (name, parent)
        found = self.sql.scalar(f"SELECT id FROM money_category WHERE name = {p} AND {where}",
                                params)
        if found is not None:
            return int(found)
        if self.sql.sqlite:
            self.sql.execute(f"INSERT INTO money_category (name, parent_id) VALUES ({p}, {p})",
                             (name, parent))
            return int(self.sql.scalar("SELECT last_insert_rowid()"))
        return int(self.sql.scalar(f"INSERT INTO money_category (name, parent_id) VALUES "
                                   f"({p}, {p}) RETURNING id", (name, parent)))

    def write(self) -> None:
        sql = self.sql
        iso = _iso if sql.sqlite else _keep
        sql.insert("money_doc", DOC_COLUMNS,
                   [(*r[:3], iso(r[3]), *r[4:]) for r in self.docs])
        sql.insert("ledger_entry", ENTRY_COLUMNS, [
            (e.id, e.side, e.party if e.side == "customer" else None,
             e.party if e.side == "supplier" else None, e.kind, e.number, iso(e.date),
             iso(e.due) if e.due else None, e.amount, e.open, e.order_id, e.doc_id, "",
             self.user_id, stamp(e.date, 12 * 3600)) for e in self.entries])
        sql.insert("allocation", ALLOCATION_COLUMNS,
                   [(*r[:4], iso(r[4]), *r[5:]) for r in self.allocations])
        for (kind, year), used in self.numbers.items():
            numbering.reserve(kind, year, used)
        if not sql.sqlite:
            for table, stop in self.next_id.items():
                if stop > 1:
                    sql.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
                                f"{int(stop) - 1})")


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])


def _iso(day: dt.date) -> str:
    return day.isoformat()


def _keep(day: dt.date) -> dt.date:
    return day


def write_money(ctx: BuildContext, first_order_id: int, user_id: int) -> None:
    """The demo's year of money (see the module docstring)."""
    ctx.progress("money", 0, 1)
    year = MoneyYear(ctx, first_order_id, user_id)
    year.run()
    year.expenses()
    year.write()
