"""A demo company: customers, products, a year of orders and a consistent stock ledger.

``build_demo()`` fills the open database (SQLite or PostgreSQL) with realistic data that the
screens and reports can be tried and measured on: a customer-group tree, customers with Chinese
and Latin names, contacts (some with a birthday today), suppliers, competitors, a product
category tree, products with valid EAN-13 barcodes (some with a carton GTIN-14), and a year of
quotes, sales, purchases and returns ending today. Stock is a ledger: opening stock, purchases
in, deliveries out and returns are movement rows, and every stock level is their sum.

This module runs the build; the rows are made by topic: ``parties`` (groups, customers,
contacts, suppliers, competitors), ``catalog`` (categories, products, barcodes), ``orders``
(the year of documents), ``stock`` (the ledger), from the words in ``vocabulary``, written by
``bulk``; ``agenda`` adds the Today screen's reminders, activities and announcements.

Speed (100k customers, 50k products, 200k orders / ~1M lines, ~2.5M rows in all):

- rows are plain tuples in integer units (cents, thousandths) written with ``executemany``;
  no peewee model object is built per row;
- one transaction; the secondary indexes of the big tables (and the quick-search triggers) are
  dropped for the load and rebuilt once from the loaded rows, which is several times cheaper
  than updating them row by row;
- stock movements are derived with one ``INSERT ... SELECT`` from the delivered order lines;
- the SQL runs on a second thread (SQLite and the database driver release the GIL) while the
  next rows are made in Python, so on a 2-core machine the two overlap.

Running it again on the same database adds another company's worth of records with fresh codes
and document numbers; existing users are kept and become the salespeople.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from contextlib import AbstractContextManager, nullcontext

from ...i18n import _
from ..core import audit, clock, settings
from ..core import db as dbmod
from ..core.actor import system_actor
from ..core.db import database
from ..core.errors import ValidationError
from ..core.vocab import Role
from ..models import Location, User, now
from ..parties.customers import lock_customer_codes
from ..staff.users import hash_password
from .agenda import build_demo_activities
from .bulk import Progress, SearchTriggersOff, SqlWriter, no_progress
from .catalog import Catalog
from .context import BuildContext, DemoSummary
from .money import write_money
from .orders import DocumentNumbers, OrderWriter
from .parties import Parties
from .service import build_demo_tickets
from .stock import write_stock
from .vocabulary import DEMO_COMPANY, DEMO_PASSWORD, DEMO_USERS

__all__ = ["BULK", "DEMO_PASSWORD", "DEMO_USERS", "LINES_PER_FLUSH", "MAX_PENDING_ROWS",
           "THREADED", "DemoSummary", "Progress", "build_demo"]

# The build's tuning, read when a build starts (the tests turn them down to reach every path).
LINES_PER_FLUSH = 50_000  # order lines made before they are handed to the writer
BULK = 20_000  # a load this big (and bigger than the table) rebuilds the table's indexes
THREADED = True  # write on a second thread (False: everything in the caller's thread)
MAX_PENDING_ROWS = 300_000  # rows made ahead of the writer, at most (memory)


def build_demo(
    customers: int = 2000,
    products: int = 1000,
    orders: int = 5000,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill the open database with a demo company (see the module docstring).

    ``progress(step, done, total)`` is called now and then, always in the caller's thread.
    Raises ``ValidationError`` for impossible sizes. All or nothing: one transaction.
    """
    for name, value in (("customers", customers), ("products", products), ("orders", orders)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise ValidationError({name: _("a whole number from 0 to 10,000,000, not {value!r}").format(
                                           value=value)})
    if orders and (customers < 1 or products < 1):
        raise ValidationError(_("orders need at least one customer and one product"))
    started = time.perf_counter()
    progress = progress or no_progress
    restore: list[str] = []
    if dbmod.is_sqlite():
        # For this build only: a bigger page cache, in-memory sorts for the index builds, and
        # no per-row foreign key lookups (every id written here was just made here;
        # ``check.run_checks`` proves it). These pragmas do nothing inside a transaction.
        for pragma, value in (("cache_size", -131072), ("temp_store", 2), ("foreign_keys", 0)):
            (old,) = database.execute_sql(f"PRAGMA {pragma}").fetchone()
            restore.append(f"PRAGMA {pragma} = {int(old)}")
            database.execute_sql(f"PRAGMA {pragma} = {value}")
    # A given day pins the clock (at noon) for the whole build: the same seed and day give
    # the same company whatever the real date (the tests rely on it).
    pinned: AbstractContextManager[object] = (
        clock.pinned(dt.datetime.combine(today, dt.time(12))) if today else nullcontext())
    try:
        with pinned, database.atomic():
            ctx = BuildContext(random.Random(seed), clock.today(), progress,
                               SqlWriter(THREADED, MAX_PENDING_ROWS), BULK)
            b = _Builder(ctx)
            b.prepare(customers, products, orders)
            with ctx.writer:
                b.write(customers, products, orders)
                ctx.writer.wait(progress)
            b.finish()
            progress("commit", 0, 1)
    finally:
        for statement in restore:
            database.execute_sql(statement)
    ctx.summary.seconds = time.perf_counter() - started
    progress("done", 1, 1)
    return ctx.summary


class _Builder:
    """One build: the set-up in the caller's thread (users, trees, the first free ids, codes
    and numbers), then the rows through the writer, then what must follow the writer."""

    EXPLICIT_IDS = ("customer", "supplier", "product", "order")
    WRITTEN = ("customer", "contact", "supplier", "product", "barcode", "order", "order_line",
               "stock_movement", "stock_level")

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.sql = ctx.sql
        self.summary = ctx.summary
        self.parties = Parties(ctx, SearchTriggersOff(ctx.sql))
        self.catalog = Catalog(ctx)

    # -- set-up, in the caller's thread, before the writer starts -------------------------

    def prepare(self, customers: int, products: int, orders: int) -> None:
        ctx, sql = self.ctx, self.sql
        if not sql.sqlite:
            # SQLite's BEGIN IMMEDIATE already keeps other writers out; on PostgreSQL keep
            # them off the tables whose ids, codes and numbers are taken here (reads go on).
            # The customer-code lock first, as every session adding a customer takes it: one
            # that holds it waits for the table, never the other way round.
            lock_customer_codes()
            tables = ", ".join(f'"{t}"' for t in (*self.WRITTEN, "doc_sequence"))
            sql.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        self.users()
        self.location()
        self.parties.groups()
        self.catalog.categories()
        self.parties.competitors()
        first = {t: self._first_id(t) for t in self.EXPLICIT_IDS}
        self.customer_ids = range(first["customer"], first["customer"] + customers)
        self.first_supplier_id = first["supplier"]
        self.product_ids = range(first["product"], first["product"] + products)
        self.first_order_id = first["order"]
        self.first_codes = {t: sql.next_code(t, c) for t, c in
                            (("customer", "C"), ("supplier", "S"), ("product", "P"))}
        # Document numbers continue each kind's sequence; they are reserved at the end.
        self.numbers = DocumentNumbers({ctx.start.year, ctx.today.year})
        for table, rows in (("customer", customers), ("contact", 2 * customers),
                            ("product", products), ("barcode", products), ("order", orders),
                            ("order_line", 5 * orders), ("stock_movement", 5 * orders),
                            ("stock_level", products)):
            ctx.indexes.plan(table, rows)

    def _first_id(self, table: str) -> int:
        """The first id this build writes into ``table`` (ids are made here, not by the
        database, because the lines and movements refer to them)."""
        first = self.sql.max_id(table) + 1
        if not self.sql.sqlite:  # never below what the id sequence has handed out
            seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            first = max(first, int(self.sql.scalar(f"SELECT nextval({seq})")))
        return first

    def users(self) -> None:
        if not User.select().exists():
            self.ctx.progress("users", 0, len(DEMO_USERS))
            password_hash = hash_password(DEMO_PASSWORD)  # slow on purpose (argon2): once
            User.insert_many([
                {"username": u, "full_name": f, "department": d, "role": r,
                 "password_hash": password_hash, "active": True, "failed_logins": 0,
                 "created_at": now()}
                for u, f, d, r in DEMO_USERS
            ]).execute()
            settings.set_value(system_actor(), "demo", "1")
            for key, value in DEMO_COMPANY.items():  # the header of every printed document
                settings.set_value(system_actor(), key, value)
            self.summary.users_created = len(DEMO_USERS)
        everyone = list(User.select().order_by(User.id))
        active = [u for u in everyone if u.active] or everyone
        ids = [u.id for u in active]
        self.sellers = [u.id for u in active if u.role in (Role.SALES, Role.MANAGER)] or ids
        self.buyers = [u.id for u in active if u.role in (Role.WAREHOUSE, Role.MANAGER)] or ids
        self.admin_id = next((u.id for u in active if u.role == Role.ADMIN), active[0].id)
        self.summary.salespeople = len(self.sellers)

    def location(self) -> None:
        loc = Location.get_or_none(Location.code == "MAIN")
        if loc is None:
            has_default = Location.select().where(Location.is_default).exists()
            loc = Location.create(code="MAIN", name="主仓库 Main warehouse",
                                  is_default=not has_default)
        self.location_id = loc.id

    # -- the rows, through the writer, in the order they draw from the random stream -----

    def write(self, customers: int, products: int, orders: int) -> None:
        ctx, parties, catalog = self.ctx, self.parties, self.catalog
        parties.customers(self.customer_ids, self.first_codes["customer"], self.sellers)
        parties.contacts()
        suppliers = max(3, min(1000, products // 50)) if products else 0
        parties.suppliers(range(self.first_supplier_id, self.first_supplier_id + suppliers),
                          self.first_codes["supplier"])
        catalog.products(self.product_ids, self.first_codes["product"])
        self.order_writer = OrderWriter(
            ctx, parties, catalog, self.numbers, first_id=self.first_order_id,
            location_id=self.location_id, buyers=self.buyers, lines_per_flush=LINES_PER_FLUSH)
        self.order_writer.run(orders)
        write_stock(ctx, catalog, self.order_writer, location_id=self.location_id,
                    admin_id=self.admin_id)
        if not self.sql.sqlite:
            # Fresh statistics, or PostgreSQL plans the first queries (reports, checks) as if
            # the tables were still empty (measured: a 1 s check ran for 13 minutes).
            ctx.writer.run(self.sql.execute, "ANALYZE " + ", ".join(f'"{t}"' for t in self.WRITTEN))

    # -- after the writer ------------------------------------------------------------------

    def finish(self) -> None:
        """Reserve the numbers used, move PostgreSQL's id sequences past the ids written
        here, the Today screen's demo data, one audit row."""
        self.numbers.reserve()
        write_money(self.ctx, self.first_order_id, self.admin_id)
        if not self.sql.sqlite:  # move the id sequences past the ids written here
            last = {"customer": self.customer_ids.stop,
                    "supplier": self.parties.supplier_ids.stop,
                    "product": self.product_ids.stop, "order": self.order_writer.oid}
            for table, stop in last.items():
                if stop > 1:
                    self.sql.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', "
                                     f"'id'), {int(stop) - 1})")
        self.ctx.progress("activities", 0, 1)
        build_demo_activities(self.ctx.rng.randrange(1 << 30))  # reminders, announcements
        self.ctx.progress("tickets", 0, 1)
        self.summary.tickets = build_demo_tickets(self.ctx.rng.randrange(1 << 30),
                                                  len(self.customer_ids))
        s = self.summary
        audit.record(system_actor(), "demo", None, "build", {
            "customers": s.customers, "products": s.products, "orders": s.orders,
            "order_lines": s.order_lines, "stock_movements": s.stock_movements,
            "tickets": s.tickets,
        })
