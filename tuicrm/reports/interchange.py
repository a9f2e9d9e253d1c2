"""The interchange formats of ``tuicrm export`` (A5): stable lower-case English headers that
scripts rely on and the importers read back, over the same list definitions as the screens.

- customers: ``code, name, group, grade, status, salesperson, phone, mobile, fax, email,
  address, region, industry, source, tax_number, credit_limit, payment_terms_days,
  price_level, notes, created_at`` (``group`` as a ``parent/child`` path);
- contacts: ``customer_code, customer, name, title, phone, mobile, email, birthday, is_key,
  notes``; suppliers: ``code, name, contact_name, phone, email, address, tax_number,
  payment_terms_days, active, notes``;
- products: ``code, name, barcodes, category, unit, cost, price1..price4, min_stock``;
  ``barcodes`` holds all of a product's barcodes separated by ``;`` (a carton code as
  ``12*code``), ``category`` the ``parent/child`` path; without ``product.see_cost`` the
  ``cost`` column is left out;
- orders: ``number, date, customer_code, kind, status, total`` (``customer_code`` is the
  supplier's code on purchases and returns to supplier);
- order-lines: ``order_number, product_code, quantity, unit_price, amount``;
- stock: ``product_code, location, on_hand``; adjustments: the adjustment log;
- tickets: ``number, opened_at, kind, status, priority, channel, customer_code, customer,
  contact, order_number, product_code, return_number, subject, details, owner, respond_by,
  resolve_by, first_response_at, resolved_at, resolution, satisfaction``.

Money is a typed money cell, dates are date cells; no cell becomes a formula.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ..data.core.errors import ValidationError
from ..i18n import _
from .spreadsheet import ExportColumn, Progress, export_rows, fmt_of

WHAT = ("customers", "contacts", "suppliers", "products", "orders", "order-lines", "stock",
        "adjustments", "tickets", "receipts", "payments", "expenses")

PRODUCT_COLUMNS = [
    ExportColumn("code"), ExportColumn("name"), ExportColumn("barcodes"),
    ExportColumn("category"), ExportColumn("unit"), ExportColumn("cost", "money"),
    ExportColumn("price1", "money"), ExportColumn("price2", "money"),
    ExportColumn("price3", "money"), ExportColumn("price4", "money"),
    ExportColumn("min_stock", "number"),
]
ORDER_COLUMNS = [
    ExportColumn("number"), ExportColumn("date", "date"), ExportColumn("customer_code"),
    ExportColumn("kind"), ExportColumn("status"), ExportColumn("total", "money"),
]
LINE_COLUMNS = [
    ExportColumn("order_number"), ExportColumn("product_code"),
    ExportColumn("quantity", "number"), ExportColumn("unit_price", "money"),
    ExportColumn("amount", "money"),
]
ADJUSTMENT_COLUMNS = [
    ExportColumn("at", "datetime"), ExportColumn("product_code"), ExportColumn("product"),
    ExportColumn("quantity", "number"), ExportColumn("reason"), ExportColumn("operator"),
    ExportColumn("document"), ExportColumn("kind"), ExportColumn("location"),
]
STOCK_COLUMNS = [
    ExportColumn("product_code"), ExportColumn("location"), ExportColumn("on_hand", "number"),
]
TICKET_COLUMNS = [
    ExportColumn("number"), ExportColumn("opened_at", "datetime"), ExportColumn("kind"),
    ExportColumn("status"), ExportColumn("priority"), ExportColumn("channel"),
    ExportColumn("customer_code"), ExportColumn("customer"), ExportColumn("contact"),
    ExportColumn("order_number"), ExportColumn("product_code"), ExportColumn("return_number"),
    ExportColumn("subject"), ExportColumn("details"), ExportColumn("owner"),
    ExportColumn("respond_by", "datetime"), ExportColumn("resolve_by", "datetime"),
    ExportColumn("first_response_at", "datetime"), ExportColumn("resolved_at", "datetime"),
    ExportColumn("resolution"), ExportColumn("satisfaction", "int"),
]
BATCH = 1000

Rows = tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]


def _require_export(actor: Any) -> None:
    from ..data.core.permissions import require

    require(actor, "export")


def format_barcodes(codes: list[tuple[str, Decimal]]) -> str:
    """``[("690...", 1), ("1690...", 12)]`` -> ``"690...;12*1690..."``."""
    from ..data.core.money import fmt_qty

    out = []
    for raw, pack in codes:
        out.append(raw if Decimal(pack) == 1 else f"{fmt_qty(Decimal(pack))}*{raw}")
    return ";".join(out)


def product_rows(actor: Any, *, category_id: int | None = None,
                 search: str | None = None) -> Rows:
    """The product list (category subtree and search applied), by code."""
    from ..data.catalog import lists as product_lists
    from ..data.catalog.products import can_see_cost
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Product

    _require_export(actor)
    see_cost = can_see_cost(actor)
    columns = [c for c in PRODUCT_COLUMNS if see_cost or c.name != "cost"]
    paths = product_lists.category_paths(actor)
    query = narrowed(actor, product_lists.PRODUCTS,
                     ListRequest(search=search or "", options={"category_id": category_id}))
    fields = [Product.id, Product.code, Product.name, Product.category, Product.unit,
              Product.cost, Product.price1, Product.price2, Product.price3, Product.price4,
              Product.min_stock]
    query = query.select(*fields).order_by(Product.code)
    total = query.count()

    def rows() -> Iterator[tuple[Any, ...]]:
        batch: list[tuple[Any, ...]] = []

        def flush() -> Iterator[tuple[Any, ...]]:
            codes = product_lists.barcodes_by_product([r[0] for r in batch])
            for pid, code, name, cat, unit, cost, p1, p2, p3, p4, min_stock in batch:
                row = [code, name, format_barcodes(codes.get(pid, [])),
                       paths.get(cat, "") if cat is not None else "", unit]
                if see_cost:
                    row.append(cost)
                row += [p1, p2, p3, p4, min_stock]
                yield tuple(row)

        for r in query.tuples().iterator():
            batch.append(r)
            if len(batch) >= BATCH:
                yield from flush()
                batch = []
        if batch:
            yield from flush()

    return columns, rows(), total


def order_rows(actor: Any, *, kind: str | None = None) -> Rows:
    """Every order the actor may see (the Orders list's query), by date and number."""
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Order
    from ..data.sales.lists import ORDERS, PARTY_CODE

    _require_export(actor)
    query = narrowed(actor, ORDERS, ListRequest(options={"kind": kind})).select(
        Order.number, Order.date, PARTY_CODE, Order.kind, Order.status, Order.total,
    ).order_by(Order.date, Order.number)
    return ORDER_COLUMNS, iter(query.tuples().iterator()), query.count()


def order_line_rows(actor: Any, *, kind: str | None = None) -> Rows:
    """Every order line the actor may see (the Order lines list's query)."""
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Order, OrderLine, Product
    from ..data.sales.lists import ORDER_LINES

    _require_export(actor)
    query = narrowed(actor, ORDER_LINES, ListRequest(options={"kind": kind})).select(
        Order.number, Product.code, OrderLine.quantity, OrderLine.unit_price, OrderLine.amount,
    ).order_by(Order.date, Order.number, OrderLine.line_no)
    return LINE_COLUMNS, iter(query.tuples().iterator()), query.count()


def stock_rows(actor: Any, *, search: str | None = None, below_min: bool = False) -> Rows:
    """Stock on hand (the Stock on hand list's query), by product and location."""
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Location, Product, StockLevel
    from ..data.stock.lists import STOCK

    _require_export(actor)
    query = narrowed(actor, STOCK, ListRequest(search=search or "",
                                               options={"below_min": below_min}))
    query = query.select(Product.code, Location.code, StockLevel.on_hand).order_by(
        Product.code, Location.code)
    return STOCK_COLUMNS, iter(query.tuples().iterator()), query.count()


def adjustment_rows(actor: Any, *, search: str | None = None) -> Rows:
    """The adjustment log (P6, the Adjustment log list's query), newest first."""
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Location, Product, StockMovement, User
    from ..data.stock.lists import ADJUSTMENTS, reason_text

    _require_export(actor)
    query = narrowed(actor, ADJUSTMENTS, ListRequest(search=search or "")).select(
        StockMovement.at, Product.code, Product.name, StockMovement.quantity, StockMovement.note,
        User.username, StockMovement.doc_number, StockMovement.reason, Location.code,
    ).order_by(StockMovement.id.desc())

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in query.tuples().iterator():
            r = list(r)
            r[5] = r[5] or ""
            r[7] = reason_text(r[7])
            yield tuple(r)

    return ADJUSTMENT_COLUMNS, rows(), query.count()


def ticket_rows(actor: Any, *, search: str | None = None, status: str = "all") -> Rows:
    """Every ticket the actor may see (the Tickets list's query), by number."""
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Ticket
    from ..data.service.lists import TICKETS
    from ..data.service.rows import joined, rows

    _require_export(actor)
    ids = narrowed(actor, TICKETS, ListRequest(search=search or "",
                                               options={"status": status}))
    query = joined().where(Ticket.id.in_(ids.select(Ticket.id))).order_by(Ticket.number)

    def out() -> Iterator[tuple[Any, ...]]:
        after: str | None = None
        while True:  # pages by number: no cursor held open while the file is written
            page = rows((query if after is None else query.where(Ticket.number > after))
                        .limit(BATCH))
            for t in page:
                yield (t.number, t.opened_at, t.kind.value, t.status.value, t.priority.value,
                       t.channel.value, t.customer_code, t.customer_name, t.contact_name,
                       t.order_number, t.product_code, t.return_number, t.subject, t.details,
                       t.owner, t.respond_by, t.resolve_by, t.first_response_at,
                       t.resolved_at, t.resolution, t.satisfaction)
            if len(page) < BATCH:
                return
            after = page[-1].number

    return TICKET_COLUMNS, out(), ids.count()


# -- customers, contacts, suppliers ------------------------------------------------------------

CUSTOMER_COLUMNS = [
    ExportColumn("code"), ExportColumn("name"), ExportColumn("group"), ExportColumn("grade"),
    ExportColumn("status"), ExportColumn("salesperson"), ExportColumn("phone"),
    ExportColumn("mobile"), ExportColumn("fax"), ExportColumn("email"), ExportColumn("address"),
    ExportColumn("region"), ExportColumn("industry"), ExportColumn("source"),
    ExportColumn("tax_number"), ExportColumn("credit_limit", "money"),
    ExportColumn("payment_terms_days", "int"), ExportColumn("price_level", "int"),
    ExportColumn("notes"), ExportColumn("created_at", "datetime"),
]
CONTACT_COLUMNS = [
    ExportColumn("customer_code"), ExportColumn("customer"), ExportColumn("name"),
    ExportColumn("title"), ExportColumn("phone"), ExportColumn("mobile"), ExportColumn("email"),
    ExportColumn("birthday", "date"), ExportColumn("is_key", "bool"), ExportColumn("notes"),
]
SUPPLIER_COLUMNS = [
    ExportColumn("code"), ExportColumn("name"), ExportColumn("contact_name"),
    ExportColumn("phone"), ExportColumn("email"), ExportColumn("address"),
    ExportColumn("tax_number"), ExportColumn("payment_terms_days", "int"),
    ExportColumn("active", "bool"), ExportColumn("notes"),
]


def customer_rows(
    actor: Any, *, group_id: int | None = None, subgroups: bool = True,
    search: str | None = None,
) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The customers the actor may see (the Customers list's query, a group and a search
    applied) in the interchange format the importer reads back, by code."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Customer, User
    from ..data.parties.groups import customer_groups
    from ..data.parties.lists import CUSTOMERS

    require(actor, "export")
    paths = {n.id: n.path for n in customer_groups.nodes(actor)}
    q = narrowed(actor, CUSTOMERS, ListRequest(
        search=search or "", options={"group_id": group_id, "subgroups": subgroups}))
    fields = [Customer.code, Customer.name, Customer.group, Customer.grade, Customer.status,
              User.username, Customer.phone, Customer.mobile, Customer.fax, Customer.email,
              Customer.address, Customer.region, Customer.industry, Customer.source,
              Customer.tax_number, Customer.credit_limit, Customer.payment_terms_days,
              Customer.price_level, Customer.notes, Customer.created_at]
    q = q.select(*fields).order_by(Customer.code)
    total = q.count()

    def rows() -> Iterator[tuple[Any, ...]]:
        for r in q.tuples().iterator():
            r = list(r)
            r[2] = paths.get(r[2], "") if r[2] is not None else ""
            r[5] = r[5] or ""
            yield tuple(r)

    return CUSTOMER_COLUMNS, rows(), total


def contact_rows(actor: Any, *, search: str | None = None
                 ) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The contacts the actor may see (the Contacts list's query and search)."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Contact, Customer
    from ..data.parties.lists import CONTACTS

    require(actor, "export")
    q = narrowed(actor, CONTACTS, ListRequest(search=search or "")).select(
        Customer.code, Customer.name, Contact.name, Contact.title, Contact.phone, Contact.mobile,
        Contact.email, Contact.birthday, Contact.is_key, Contact.notes,
    ).order_by(Customer.code, Contact.name, Contact.id)
    return CONTACT_COLUMNS, iter(q.tuples().iterator()), q.count()


def supplier_rows(actor: Any, *, search: str | None = None
                  ) -> tuple[list[ExportColumn], Iterator[tuple[Any, ...]], int]:
    """The suppliers (the Suppliers list's query and search), by code."""
    from ..data.core.permissions import require
    from ..data.lists.view import ListRequest, narrowed
    from ..data.models import Supplier
    from ..data.parties.lists import SUPPLIERS

    require(actor, "export")
    q = narrowed(actor, SUPPLIERS, ListRequest(search=search or "")).select(
        Supplier.code, Supplier.name, Supplier.contact_name, Supplier.phone, Supplier.email,
        Supplier.address, Supplier.tax_number, Supplier.payment_terms_days, Supplier.active,
        Supplier.notes,
    ).order_by(Supplier.code)
    return SUPPLIER_COLUMNS, iter(q.tuples().iterator()), q.count()


def _group_id(group: str | int) -> int:
    from ..data.core.errors import NotFound
    from ..data.parties.groups import customer_groups

    node: Any = (customer_groups.get(group) if isinstance(group, int)
                 else customer_groups.find(str(group)))
    if node is None:
        raise NotFound(_("no customer group {group!r}").format(group=group))
    return int(node.id)


# -- the one entry point ------------------------------------------------------------------


def export_data(
    what: str, path: str | os.PathLike[str], actor: Any, *,
    search: str | None = None, group: str | int | None = None,
    category_id: int | None = None, kind: str | None = None, below_min: bool = False,
    progress: Progress | None = None, cancel: Any = None, overwrite: bool = False,
) -> int:
    """``what`` (one of ``WHAT``) to ``path``; returns the number of rows written (an
    existing file is replaced only with ``overwrite``). ``group``
    is a customer group id, name or path (``华东/上海``), its sub-groups included."""
    fmt_of(path)
    if what == "customers":
        group_id = _group_id(group) if group not in (None, "") else None
        cols, rows, total = customer_rows(actor, group_id=group_id, search=search)
    elif what == "contacts":
        cols, rows, total = contact_rows(actor, search=search)
    elif what == "suppliers":
        cols, rows, total = supplier_rows(actor, search=search)
    elif what == "products":
        cols, rows, total = product_rows(actor, category_id=category_id, search=search)
    elif what == "orders":
        cols, rows, total = order_rows(actor, kind=kind)
    elif what == "order-lines":
        cols, rows, total = order_line_rows(actor, kind=kind)
    elif what == "stock":
        cols, rows, total = stock_rows(actor, search=search, below_min=below_min)
    elif what == "adjustments":
        cols, rows, total = adjustment_rows(actor, search=search)
    elif what == "tickets":
        cols, rows, total = ticket_rows(actor, search=search)
    elif what in ("receipts", "payments", "expenses"):
        from .money_exports import money_rows

        cols, rows, total = money_rows(actor, what, search=search)
    else:
        raise ValidationError({"what": _("export {join}, not {what!r}").format(
                                         join=', '.join(WHAT),
                                         what=what)})
    return export_rows(path, cols, rows, progress=progress, cancel=cancel, total=total,
                       sheet_title=what, overwrite=overwrite)
