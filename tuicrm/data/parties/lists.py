"""The Customers, Contacts, Suppliers and Competitors lists (C2, C7 with L1-L6), defined once.

Each ``ListDef`` names the list's columns, the query behind it (with the actor's customer
scope and the list's options), its quick search, its custom-filter columns and its date; the
screens, their exports and ``tuicrm export`` read them through ``lists.view.open_list``.

Customers' quick search is the full-text search of ``parties.search`` (trigram index on SQLite,
ILIKE on PostgreSQL); a term found in thousands of names is listed by id, so each page reads
only a window of the match index (``broad`` on the pager tells the screen to say so).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import peewee

from ...i18n import N_
from ..core.actor import Actor
from ..lists.columns import Column
from ..lists.deferred import DeferredPager
from ..lists.filters import FilterColumn, contains_pattern, filter_columns, ilike, spelt_pattern
from ..lists.paging import PagedQuery, SortSpec
from ..lists.view import ListDef, ListRequest, define
from ..models import Competitor, Contact, Customer, CustomerGroup, Supplier, User
from . import customers
from .groups import customer_groups
from .scope import customer_scope_where
from .search import SearchPagedQuery, analyse, customer_search_where


def _contains_any(*exprs: Any, pinyin: Any = None) -> Any:
    """A quick search: any of ``exprs`` contains the text, Latin case ignored; or the
    ``pinyin`` column of the name matches it (initials, full pinyin)."""

    def where(text: str) -> Any:
        pattern = contains_pattern(text)
        cond = None if pinyin is None else ilike(pinyin, spelt_pattern(text))
        for e in exprs:
            c = ilike(e, pattern)
            cond = c if cond is None else (cond | c)
        return cond

    return where


# -- customers ---------------------------------------------------------------------------------

CUSTOMER_FILTERS = filter_columns(
    FilterColumn("code", "Code", Customer.code),
    FilterColumn("name", "Name", Customer.name),
    FilterColumn("group", "Group", CustomerGroup.name),
    FilterColumn("grade", "Grade", Customer.grade),
    FilterColumn("status", "Status", Customer.status),
    FilterColumn("salesperson", "Salesperson", User.username),
    FilterColumn("phone", "Phone", Customer.phone),
    FilterColumn("mobile", "Mobile", Customer.mobile),
    FilterColumn("fax", "Fax", Customer.fax),
    FilterColumn("email", "E-mail", Customer.email),
    FilterColumn("address", "Address", Customer.address),
    FilterColumn("region", "Region", Customer.region),
    FilterColumn("industry", "Industry", Customer.industry),
    FilterColumn("source", "Source", Customer.source),
    FilterColumn("tax_number", "Tax number", Customer.tax_number),
    FilterColumn("credit_limit", "Credit limit", Customer.credit_limit, "money"),
    FilterColumn("payment_terms_days", "Payment terms (days)", Customer.payment_terms_days, "int"),
    FilterColumn("price_level", "Price level", Customer.price_level, "int"),
    FilterColumn("notes", "Notes", Customer.notes),
    FilterColumn("created_at", "Created", Customer.created_at, "datetime"),
    FilterColumn("updated_at", "Updated", Customer.updated_at, "datetime"),
)


def _customer_query(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """Options: ``group_id`` (0: customers without a group), ``subgroups`` (with the
    group's sub-groups; default yes) and ``salesperson_id`` (one salesperson's customers, as
    their staff record lists them)."""
    query = customers.customer_query(actor, group_id=options.get("group_id"),
                                     subgroups=bool(options.get("subgroups", True)))
    if options.get("salesperson_id") is not None:
        query = query.where(Customer.salesperson == options["salesperson_id"])
    return query


def _customer_lean(actor: Actor, options: Mapping[str, Any]) -> peewee.ModelSelect[Any]:
    """The customers of the list from the customer table alone (to count them)."""
    query: Any = Customer.select()
    where = customer_scope_where(actor)
    if where is not None:
        query = query.where(where)
    group_id = options.get("group_id")
    if group_id == 0:
        query = query.where(Customer.group.is_null())
    elif group_id is not None:
        ids = (customer_groups.descendants(group_id) if options.get("subgroups", True)
               else [group_id])
        query = query.where(Customer.group.in_(ids))
    if options.get("salesperson_id") is not None:
        query = query.where(Customer.salesperson == options["salesperson_id"])
    lean: peewee.ModelSelect[Any] = query
    return lean


def _customer_pager(listdef: ListDef, actor: Actor, request: ListRequest,
                    base: peewee.ModelSelect[Any], lean: peewee.ModelSelect[Any] | None,
                    columns: list[Column], sort: tuple[str, bool]) -> PagedQuery | DeferredPager:
    text = request.search.strip()
    if not text:
        return PagedQuery(base, columns, sort=[sort], count_query=lean)

    def build(cols: Sequence[Column], order: SortSpec) -> PagedQuery:
        # In the list's reader thread (``DeferredPager``): the UI thread never waits on it.
        match = analyse(text)
        if match is None:  # PostgreSQL: ILIKE served by pg_trgm
            return PagedQuery(base.where(customer_search_where(text)), cols, sort=order)
        # A term in thousands of names (张, 有限公司, Acme) is listed by id: sorting every
        # match by name is what made such a search take 200+ ms at a million customers.
        by: SortSpec = [(Customer.id, False)] if match.broad else order
        return SearchPagedQuery(base, cols, by, match=match, lean=lean)

    return DeferredPager(build, columns, [sort])


CUSTOMERS = define(ListDef(
    name="customers",
    title=N_("Customers"),
    permission="customer.view",
    columns=(
        Column("code", Customer.code, "Code", width=8),
        Column("name", Customer.name, "Name", min_width=20, max_width=26),
        Column("phone", Customer.phone, "Phone", min_width=12, max_width=16),
        Column("group", CustomerGroup.name, "Group", max_width=12, sortable=False),
        Column("grade", Customer.grade, "Grade", max_width=5, sortable=False),
        Column("status", Customer.status, "Status", sortable=False),
        Column("salesperson", User.username, "Sales", max_width=10, sortable=False),
        Column("mobile", Customer.mobile, "Mobile", sortable=False),
        Column("email", Customer.email, "E-mail", max_width=24, sortable=False),
        Column("region", Customer.region, "Region", sortable=False),
        Column("industry", Customer.industry, "Industry", sortable=False),
        Column("credit_limit", Customer.credit_limit, "Credit limit", sortable=False),
        Column("created_at", Customer.created_at, "Created", sortable=False),
    ),
    query=_customer_query,
    search=customer_search_where,  # the pager below pages a search its own way
    filters=CUSTOMER_FILTERS,
    date=CUSTOMER_FILTERS["created_at"],
    default_sort=("name", False),
    default_visible=("code", "name", "phone", "group"),
    search_hint=N_("code, name, phone, contact (/)"),
    pager=_customer_pager,
    lean=_customer_lean,
))


# -- contacts ----------------------------------------------------------------------------------

CONTACT_FILTERS = filter_columns(
    FilterColumn("name", "Name", Contact.name),
    FilterColumn("customer", "Customer", Customer.name),
    FilterColumn("title", "Title", Contact.title),
    FilterColumn("phone", "Phone", Contact.phone),
    FilterColumn("mobile", "Mobile", Contact.mobile),
    FilterColumn("email", "E-mail", Contact.email),
    FilterColumn("birthday", "Birthday", Contact.birthday, "date"),
    FilterColumn("is_key", "Key contact", Contact.is_key, "bool"),
    FilterColumn("created_at", "Created", Contact.created_at, "datetime"),
)

CONTACTS = define(ListDef(
    name="contacts",
    title=N_("Contacts"),
    permission="customer.view",
    columns=(
        Column("name", Contact.name, "Name", min_width=12, max_width=16),
        Column("customer", Customer.name, "Customer", min_width=16, max_width=22,
               sortable=False),
        Column("title", Contact.title, "Title", max_width=10, sortable=False),
        Column("mobile", Contact.mobile, "Mobile", min_width=12, sortable=False),
        Column("phone", Contact.phone, "Phone", min_width=12, sortable=False),
        Column("email", Contact.email, "E-mail", max_width=24, sortable=False),
        Column("birthday", Contact.birthday, "Birthday", sortable=False),
        Column("is_key", Contact.is_key, "Key", sortable=False),
        Column("created_at", Contact.created_at, "Created", sortable=False),
        Column("customer_code", Customer.code, "Customer code", internal=True),
    ),
    query=lambda actor, options: customers.contact_query(actor, options.get("customer_id")),
    search=_contains_any(Contact.name, Contact.mobile, Contact.phone, Customer.name,
                         Customer.code, pinyin=Contact.pinyin),
    filters=CONTACT_FILTERS,
    date=CONTACT_FILTERS["created_at"],
    default_sort=("name", False),
    default_visible=("name", "customer", "title", "mobile", "is_key"),
    search_hint=N_("name, phone, customer (/)"),
))


# -- suppliers ---------------------------------------------------------------------------------

SUPPLIER_FILTERS = filter_columns(
    FilterColumn("code", "Code", Supplier.code),
    FilterColumn("name", "Name", Supplier.name),
    FilterColumn("contact_name", "Contact", Supplier.contact_name),
    FilterColumn("phone", "Phone", Supplier.phone),
    FilterColumn("email", "E-mail", Supplier.email),
    FilterColumn("address", "Address", Supplier.address),
    FilterColumn("tax_number", "Tax number", Supplier.tax_number),
    FilterColumn("payment_terms_days", "Payment terms (days)", Supplier.payment_terms_days, "int"),
    FilterColumn("active", "Active", Supplier.active, "bool"),
    FilterColumn("created_at", "Created", Supplier.created_at, "datetime"),
)

SUPPLIERS = define(ListDef(
    name="suppliers",
    title=N_("Suppliers"),
    permission=("supplier.edit", "order.purchase"),
    columns=(
        Column("code", Supplier.code, "Code", width=10),
        Column("name", Supplier.name, "Name", min_width=18, max_width=26),
        Column("contact_name", Supplier.contact_name, "Contact", max_width=12, sortable=False),
        Column("phone", Supplier.phone, "Phone", min_width=12, sortable=False),
        Column("email", Supplier.email, "E-mail", max_width=24, sortable=False),
        Column("address", Supplier.address, "Address", max_width=30, sortable=False),
        Column("tax_number", Supplier.tax_number, "Tax number", sortable=False),
        Column("payment_terms_days", Supplier.payment_terms_days, "Terms", sortable=False),
        Column("active", Supplier.active, "Active", sortable=False),
        Column("created_at", Supplier.created_at, "Created", sortable=False),
    ),
    query=lambda actor, options: customers.supplier_query(actor),
    search=_contains_any(Supplier.code, Supplier.name, Supplier.phone, Supplier.contact_name,
                         pinyin=Supplier.pinyin),
    filters=SUPPLIER_FILTERS,
    date=SUPPLIER_FILTERS["created_at"],
    default_sort=("name", False),
    default_visible=("code", "name", "contact_name", "phone"),
    search_hint=N_("code, name, phone (/)"),
))


# -- competitors -------------------------------------------------------------------------------

COMPETITOR_FILTERS = filter_columns(
    FilterColumn("name", "Name", Competitor.name),
    FilterColumn("products", "Products", Competitor.products),
    FilterColumn("strengths", "Strengths", Competitor.strengths),
    FilterColumn("weaknesses", "Weaknesses", Competitor.weaknesses),
    FilterColumn("notes", "Notes", Competitor.notes),
    FilterColumn("created_at", "Created", Competitor.created_at, "datetime"),
)

COMPETITORS = define(ListDef(
    name="competitors",
    title=N_("Competitors"),
    permission="customer.view",
    columns=(
        Column("name", Competitor.name, "Name", min_width=20, max_width=24),
        Column("products", Competitor.products, "Products", max_width=20, sortable=False),
        Column("strengths", Competitor.strengths, "Strengths", max_width=20, sortable=False),
        Column("weaknesses", Competitor.weaknesses, "Weaknesses", max_width=20,
               sortable=False),
        Column("notes", Competitor.notes, "Notes", max_width=30, sortable=False),
        Column("created_at", Competitor.created_at, "Created", sortable=False),
    ),
    query=lambda actor, options: customers.competitor_query(actor),
    search=_contains_any(Competitor.name, Competitor.products),
    filters=COMPETITOR_FILTERS,
    date=COMPETITOR_FILTERS["created_at"],
    default_sort=("name", False),
    default_visible=("name", "products", "strengths"),
    search_hint=N_("name, products (/)"),
))
