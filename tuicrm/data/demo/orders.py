"""A year of demo documents ending today: quotes (some accepted and converted into sales
orders, some about to expire), sales, purchases, and returns of both, numbered per kind and year.

Recent documents are still open (drafts, confirmed orders, goods not yet received); older ones
are delivered or, now and then, cancelled. Every delivered line moves stock; the running
balance of each product is kept here as the documents are made, so that the opening stock can
be set to what keeps every product at or above zero all year (``stock.py``).
"""

from __future__ import annotations

import datetime as dt
from collections import deque
from collections.abc import Iterable

from ..core import clock, numbering
from ..core.vocab import OrderKind, OrderStatus
from .bulk import Row, stamp
from .catalog import Catalog
from .context import BuildContext
from .parties import Parties
from .vocabulary import ORDER_NOTES

# (order id, line no, product id, quantity, unit price, discount, amount): thousandths and
# cents; amount = round_half_up(quantity * unit price) - discount
Line = tuple[int, int, int, int, int, int, int]
Sent = tuple[int, int, list[Line]]  # order id, customer index or supplier id, delivered lines
# (due on this day of the year, quote id, customer index, the quote's lines, its discount)
AcceptedQuote = tuple[int, int, int, list[Line], int]


class DocumentNumbers:
    """Each kind's numbers continue its sequence for the year; the ones this build used are
    reserved in one go at the end, when no other writer can have taken them (the build holds
    the write lock)."""

    def __init__(self, years: Iterable[int]) -> None:
        years = set(years)
        self.first = {(kind, year): numbering.peek(kind, year)
                      for kind in OrderKind for year in years}
        self.prefixes = {kind: numbering.prefix(kind) for kind in OrderKind}
        self.used: dict[tuple[OrderKind, int], int] = {}

    def take(self, kind: OrderKind, year: int) -> str:
        key = (kind, year)
        used = self.used.get(key, 0)
        self.used[key] = used + 1
        return numbering.format_number(self.prefixes[kind], year, self.first[key] + used)

    def reserve(self) -> None:
        for (kind, year), used in self.used.items():
            if numbering.reserve(kind, year, used) != self.first[(kind, year)]:
                raise RuntimeError(f"{kind} numbers of {year} were taken meanwhile")


class OrderWriter:
    """A year of documents, day by day, handed to the writer in batches (bounded memory)."""

    SALE_QTY = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 6, 10, 12, 12, 20, 24, 50)
    BUY_QTY = (5, 6, 10, 10, 12, 20, 24, 24, 30, 48, 50, 100)
    ORDER_COLUMNS = ("id", "created_at", "updated_at", "number", "kind", "status", "date",
                     "valid_until", "customer_id", "supplier_id", "salesperson_id", "source_id",
                     "subtotal", "discount", "total", "notes", "location_id", "version")
    LINE_COLUMNS = ("order_id", "line_no", "product_id", "quantity", "unit_price", "discount",
                    "amount")

    def __init__(self, ctx: BuildContext, parties: Parties, catalog: Catalog,
                 numbers: DocumentNumbers, *, first_id: int, location_id: int,
                 buyers: list[int], lines_per_flush: int) -> None:
        self.ctx = ctx
        self.rnd = ctx.rnd
        self.pick = ctx.pick
        self.parties = parties
        self.catalog = catalog
        self.numbers = numbers
        self.first_id = first_id
        self.oid = first_id  # the next order's id
        self.location_id = location_id
        self.buyers = buyers
        self.lines_per_flush = lines_per_flush  # order lines made before the writer gets them
        self.base_pid = catalog.product_ids.start
        np_ = len(catalog.product_ids)
        self.balance = [0] * np_  # stock change so far per product (thousandths)
        self.lowest = [0] * np_  # lowest running balance: what the opening stock must cover
        self.moved_lines = 0
        self.hot = list(range(np_))  # popularity rank -> product index
        ctx.rng.shuffle(self.hot)
        self.orders: list[Row] = []
        self.lines: list[Line] = []
        self.conversions: list[tuple[int]] = []  # quote ids
        self.by_kind = dict.fromkeys(OrderKind, 0)
        self.first_customer = parties.customer_ids.start
        self.recent_sales: deque[Sent] = deque(maxlen=400)  # what returns are made from
        self.recent_buys: deque[Sent] = deque(maxlen=200)
        self.pending_quotes: deque[AcceptedQuote] = deque()  # to become orders

    def per_day(self, n: int, days: int) -> list[int]:
        """Orders per day: fewer at weekends, some growth over the year; sums to ``n``."""
        weights = []
        for d in range(days):
            weekday = (self.ctx.start + dt.timedelta(days=d)).weekday()
            w = (1.0, 1.0, 1.0, 1.0, 1.1, 0.6, 0.3)[weekday] * (0.85 + 0.3 * d / days)
            weights.append(w * (0.8 + 0.4 * self.rnd()))
        total = sum(weights)
        counts: list[int] = []
        acc, given = 0.0, 0
        for w in weights:
            acc += w * n / total
            counts.append(round(acc) - given)
            given += counts[-1]
        return counts

    def run(self, n: int) -> None:
        ctx = self.ctx
        ctx.writer.run(ctx.indexes.drop, "order")
        ctx.writer.run(ctx.indexes.drop, "order_line")
        days = (ctx.today - ctx.start).days + 1
        at_now = clock.now()
        done = 0
        ctx.progress("orders", 0, n)
        for d, count in enumerate(self.per_day(n, days)):
            if not count:
                continue
            day = ctx.start + dt.timedelta(days=d)
            end = 19 * 3600
            if day == at_now.date():  # nothing later than now
                end = max(60, min(end, at_now.hour * 3600 + at_now.minute * 60))
            begin = min(8 * 3600, end - 60)
            span, one = end - begin, self.one
            for t in sorted(begin + int(self.rnd() * span) for _ in range(count)):
                one(d, day, stamp(day, t))
            done += count
            if len(self.lines) >= self.lines_per_flush:
                self.flush()
                ctx.progress("orders", done, n)
        self.flush()
        if self.conversions:
            ctx.writer.run(self._convert, self.conversions)
        ctx.summary.orders = self.oid - self.first_id
        ctx.summary.by_kind = {k: v for k, v in self.by_kind.items() if v}
        ctx.progress("orders", n, n)

    def flush(self) -> None:
        self.ctx.insert("order", self.ORDER_COLUMNS, self.orders)
        self.ctx.insert("order_line", self.LINE_COLUMNS, self.lines)
        self.ctx.summary.order_lines += len(self.lines)
        self.orders, self.lines = [], []  # new lists: the writer still holds the old ones

    def _convert(self, quote_ids: list[tuple[int]]) -> None:
        sql = self.ctx.sql
        sql.conn.cursor().executemany(
            f"UPDATE \"order\" SET status = '{OrderStatus.CONVERTED.value}' WHERE id = {sql.p}",
            quote_ids)

    def add(self, kind: OrderKind, status: OrderStatus, at: str, year: int, subtotal: int,
            discount: int, customer: int | None, supplier: int | None, seller: int,
            source: int | None = None, valid_until: str | None = None) -> None:
        """One order row (``customer`` is an index into this build's customers)."""
        self.by_kind[kind] += 1
        # The rows hold plain strings: binding a str subclass costs the driver a lookup.
        self.orders.append((
            self.oid, at, at, self.numbers.take(kind, year), kind.value, status.value, at[:10],
            valid_until,
            None if customer is None else self.first_customer + customer, supplier, seller, source,
            subtotal, discount, subtotal - discount,
            self.pick(ORDER_NOTES) if self.rnd() < 0.05 else "", self.location_id, 1,
        ))
        self.oid += 1

    def move(self, lines: list[Line], sign: int) -> None:
        """Book the stock effect of delivered ``lines`` into the running balances."""
        balance, lowest, base = self.balance, self.lowest, self.base_pid
        for line in lines:
            pi = line[2] - base
            bal = balance[pi] = balance[pi] + sign * line[3]
            if bal < lowest[pi]:
                lowest[pi] = bal
        self.moved_lines += len(lines)

    # one document --------------------------------------------------------------------------

    def one(self, d: int, day: dt.date, at: str) -> None:
        age = (self.ctx.today - day).days
        r = self.rnd()
        if r < 0.09:
            self.quote(d, day, at, age)
        elif r < 0.87:
            self.sale(d, day, at, age)
        elif r < 0.97 or not (self.recent_sales or self.recent_buys):
            self.purchase(day, at, age)
        elif (r < 0.99 and self.recent_sales) or not self.recent_buys:
            self.sale_return(day, at, age)
        else:
            self.purchase_return(day, at, age)

    def customer(self, d: int) -> int:
        p = self.parties
        i = int(len(p.customer_ids) * self.rnd() ** 1.6)  # some customers buy much more
        if p.first_day[i] > d:  # not a customer yet on that day
            i = self.pick(p.old_customers)
        return i

    def sell_lines(self, level: int, delivered: bool = False) -> tuple[list[Line], int]:
        """Up to nine lines of distinct products at the customer's price level; ``delivered``
        books them out of the running stock balances at once (the hottest loop here)."""
        rnd, oid, base = self.rnd, self.oid, self.base_pid
        np_, hot, qtys = len(self.hot), self.hot, self.SALE_QTY
        prices, weighed = self.catalog.prices[level], self.catalog.weighed
        balance, lowest = self.balance, self.lowest
        used: set[int] = set()
        lines: list[Line] = []
        subtotal = k = 0
        for _ in range(1 + int(rnd() * 9)):
            pi = hot[int(np_ * rnd() * rnd())]  # a few products sell far more than most
            if pi in used:
                continue
            used.add(pi)
            # weighed goods: 0.1 to 20 kg to the 5 g; others whole units
            q = 100 + int(rnd() * 4000) * 5 if weighed[pi] else qtys[int(rnd() * 19)] * 1000
            price = prices[pi]
            gross = (q * price + 500) // 1000
            discount = gross * 5 // 100 if rnd() < 0.08 else 0
            k += 1
            lines.append((oid, k, base + pi, q, price, discount, gross - discount))
            subtotal += gross - discount
            if delivered:
                bal = balance[pi] = balance[pi] - q
                if bal < lowest[pi]:
                    lowest[pi] = bal
        if delivered:
            self.moved_lines += k
        return lines, subtotal

    def order_discount(self, subtotal: int) -> int:
        if subtotal > 10_000 and self.rnd() < 0.06:  # drop the small change, or 2 % off
            return subtotal % 1000 if self.rnd() < 0.6 else subtotal * 2 // 100
        return 0

    def quote(self, d: int, day: dt.date, at: str, age: int) -> None:
        p, rnd = self.parties, self.rnd
        ci = self.customer(d)
        valid = day + dt.timedelta(days=30)
        if age <= 30 and rnd() < 0.3:  # about to expire: a reminder on the Today screen
            valid = max(day, self.ctx.today + dt.timedelta(days=int(rnd() * 4)))
        quote_id = self.oid
        lines, subtotal = self.sell_lines(p.level[ci])
        self.lines += lines
        discount = self.order_discount(subtotal)
        self.add(OrderKind.QUOTE, OrderStatus.DRAFT, at, day.year, subtotal, discount, ci,
                 None, p.seller[ci], None, valid.isoformat())
        if age > 10 and rnd() < 0.5:  # accepted: becomes a sales order within a week
            self.pending_quotes.append((d + 1 + int(rnd() * 7), quote_id, ci, lines, discount))

    def sale(self, d: int, day: dt.date, at: str, age: int) -> None:
        p, s = self.parties, self.rnd()
        if age <= 2:
            status = OrderStatus.DRAFT if s < 0.5 else OrderStatus.CONFIRMED
        elif age <= 10:
            status = OrderStatus.DELIVERED if s < 0.7 else OrderStatus.CONFIRMED
        else:
            status = OrderStatus.DELIVERED if s < 0.97 else OrderStatus.CANCELLED
        oid, source = self.oid, None
        delivered = status == OrderStatus.DELIVERED
        if self.pending_quotes and self.pending_quotes[0][0] <= d:
            _due, source, ci, quoted, discount = self.pending_quotes.popleft()
            lines = [(oid,) + line[1:] for line in quoted]
            subtotal = sum(line[6] for line in lines)
            self.conversions.append((source,))
            if delivered:
                self.move(lines, -1)
        else:
            ci = self.customer(d)
            lines, subtotal = self.sell_lines(p.level[ci], delivered)
            discount = self.order_discount(subtotal)
        self.lines += lines
        self.add(OrderKind.SALE, status, at, day.year, subtotal, discount, ci, None,
                 p.seller[ci], source)
        if delivered:
            self.recent_sales.append((oid, ci, lines))

    def purchase(self, day: dt.date, at: str, age: int) -> None:
        c, rnd, oid = self.catalog, self.rnd, self.oid
        received = age > 5 or rnd() < 0.3
        np_ = len(self.hot)
        used: set[int] = set()
        lines: list[Line] = []
        subtotal = 0
        for _ in range(1 + int(rnd() * 9)):
            pi = int(np_ * rnd())
            if pi in used:
                continue
            used.add(pi)
            q = (20 + int(rnd() * 200)) * 1000 if c.weighed[pi] else self.pick(self.BUY_QTY) * 1000
            price = c.cost[pi]
            amount = (q * price + 500) // 1000
            lines.append((oid, len(lines) + 1, self.base_pid + pi, q, price, 0, amount))
            subtotal += amount
        self.lines += lines
        supplier = self.pick(self.parties.supplier_ids)
        status = OrderStatus.DELIVERED if received else OrderStatus.CONFIRMED
        self.add(OrderKind.PURCHASE, status, at, day.year, subtotal, 0, None, supplier,
                 self.pick(self.buyers))
        if received:
            self.move(lines, +1)
            self.recent_buys.append((oid, supplier, lines))

    def sale_return(self, day: dt.date, at: str, age: int) -> None:
        c, rnd, oid = self.catalog, self.rnd, self.oid
        source, ci, sold = self.pick(self.recent_sales)
        lines: list[Line] = []
        subtotal = 0
        for line in self.ctx.rng.sample(sold, min(len(sold), 1 + (rnd() < 0.3))):
            q, price = line[3], line[4]
            if c.weighed[line[2] - self.base_pid]:
                back = max(1, q // (1 + int(rnd() * 3)))
            else:
                back = (1 + int(rnd() * (q // 1000))) * 1000
            amount = (back * price + 500) // 1000
            lines.append((oid, len(lines) + 1, line[2], back, price, 0, amount))
            subtotal += amount
        self.lines += lines
        done = age > 2
        status = OrderStatus.DELIVERED if done else OrderStatus.DRAFT
        self.add(OrderKind.SALE_RETURN, status, at, day.year, subtotal, 0, ci, None,
                 self.parties.seller[ci], source)
        if done:
            self.move(lines, +1)

    def purchase_return(self, day: dt.date, at: str, age: int) -> None:
        rnd = self.rnd
        source, supplier, bought = self.pick(self.recent_buys)
        line = self.pick(bought)
        q, price = line[3], line[4]
        back = max(1, q // self.pick((2, 4, 10)))
        if not self.catalog.weighed[line[2] - self.base_pid]:
            back = max(1000, back // 1000 * 1000)
        amount = (back * price + 500) // 1000
        lines = [(self.oid, 1, line[2], back, price, 0, amount)]
        self.lines += lines
        done = age > 2 or rnd() < 0.5
        status = OrderStatus.DELIVERED if done else OrderStatus.DRAFT
        self.add(OrderKind.PURCHASE_RETURN, status, at, day.year, amount, 0, None, supplier,
                 self.pick(self.buyers), source)
        if done:
            self.move(lines, -1)
