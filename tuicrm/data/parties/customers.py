"""Customers (C3-C6): read one, add, edit, delete, move to a group, give to a salesperson, and
the likely twins of a new customer. No Textual, no SQL in the callers.

Every operation is an ``@operation`` / ``@reader``: its permission and the customers' scope
(a salesperson without ``customer.view_all`` reaches only their own customers) are checked
before the body runs, in one transaction, audited. Customers come back as ``CustomerRow``s
with the group name and the salesperson joined in.

Edits use optimistic locking (``records.save_version``): a stale save raises ``Conflict``.
On PostgreSQL what an operation reads before it writes is locked (``db.for_update``), and the
groups and users it points customers at are held against deletion (``db.for_key_share``).

The list queries (``customer_query``, ``contact_query``, ``supplier_query``,
``competitor_query``) stay here until the lists move to ``lists.py``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import peewee
from peewee import JOIN

from ...i18n import _
from ..core import db
from ..core.actor import Actor
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..core.permissions import require, require_any
from ..models.base import now
from ..models.parties import Competitor, Contact, Customer, CustomerGroup, Supplier
from ..models.users import User
from .fields import CUSTOMER_RULES, clean
from .groups import customer_groups
from .records import refuse_if_referenced, save_version, taken
from .rows import CustomerRow, PersonRow, TwinRow, row_of
from .scope import CUSTOMERS, customer_scope_where, sees_all_customers

CODE_PREFIX = "C"
CODE_DIGITS = 6
CODE_ATTEMPTS = 5  # a code typed by hand elsewhere may still take the one we picked
CODE_LOCK = 0x7475_6963_6F64  # PostgreSQL advisory lock: "the next customer code"


# -- the list queries (used by the lists; they move to lists.py) -----------------------------


def customer_query(
    actor: Actor,
    *,
    group_id: int | None = None,
    subgroups: bool = False,
    search: str | None = None,
    where: Any = None,
) -> peewee.ModelSelect[Any]:
    """Customers ``actor`` may see, joined to their group and salesperson (LEFT OUTER, so
    ``CustomerGroup.name`` and ``User.username`` can be list columns); narrowed to a group
    (and its sub-groups), a quick search (L1) and any extra WHERE (filters, date range).
    Unordered and unlimited: the list widget pages it by keyset."""
    require(actor, "customer.view")
    q = (
        Customer.select(Customer, CustomerGroup, User)
        .join(CustomerGroup, JOIN.LEFT_OUTER, on=(Customer.group == CustomerGroup.id))
        .switch(Customer)
        .join(User, JOIN.LEFT_OUTER, on=(Customer.salesperson == User.id))
        .switch(Customer)
    )
    conds = []
    s = customer_scope_where(actor)
    if s is not None:
        conds.append(s)
    if group_id is not None:
        if group_id == 0:
            conds.append(Customer.group.is_null())
        elif subgroups:
            conds.append(Customer.group.in_(customer_groups.descendants(group_id)))
        else:
            conds.append(Customer.group == group_id)
    if search and search.strip():
        from .search import customer_search_where

        conds.append(customer_search_where(search))
    if where is not None:
        conds.append(where)
    for c in conds:
        q = q.where(c)
    return q


def contact_query(actor: Actor, customer_id: int | None = None) -> peewee.ModelSelect[Any]:
    """Contacts of the customers ``actor`` may see (of one customer if given)."""
    require(actor, "customer.view")
    q = Contact.select(Contact, Customer).join(Customer)
    s = customer_scope_where(actor)
    if s is not None:
        q = q.where(s)
    if customer_id is not None:
        q = q.where(Contact.customer == customer_id)
    return q


def supplier_query(actor: Actor) -> peewee.ModelSelect[Any]:
    require_any(actor, ("supplier.edit", "order.purchase"))
    return Supplier.select()


def competitor_query(actor: Actor) -> peewee.ModelSelect[Any]:
    require(actor, "customer.view")
    return Competitor.select()


# -- reading ---------------------------------------------------------------------------------


def customer_rows(where: Any = None) -> peewee.ModelSelect[Any]:
    """Customers with their group name and salesperson's user name, for ``as_rows``."""
    q = (
        Customer.select(Customer, CustomerGroup.name.alias("group_name"),
                        User.username.alias("salesperson_name"))
        .join(CustomerGroup, JOIN.LEFT_OUTER, on=(Customer.group == CustomerGroup.id))
        .switch(Customer)
        .join(User, JOIN.LEFT_OUTER, on=(Customer.salesperson == User.id))
        .switch(Customer)
    )
    return q if where is None else q.where(where)


def as_rows(query: peewee.ModelSelect[Customer]) -> list[CustomerRow]:
    """The ``CustomerRow``s of a ``customer_rows`` query (one query, no lazy lookups)."""
    rows: Any = query.objects()  # the joined names are attributes of each row
    return [row_of(CustomerRow, c, group_name=c.group_name or "",
                   salesperson=c.salesperson_name or "")
            for c in rows]


def _one_row(customer_id: int) -> CustomerRow:
    rows = as_rows(customer_rows(Customer.id == customer_id))
    if not rows:
        raise NotFound(_("customer #{customer_id} no longer exists").format(customer_id=customer_id))
    return rows[0]


@reader("customer.view", scoped={"customer_id": CUSTOMERS})
def get_customer(op: Op, customer_id: int) -> CustomerRow:
    """One customer ``op.actor`` may see (``NotFound`` otherwise), for its edit form."""
    return _one_row(customer_id)


@reader("customer.view")
def customer_by_code(op: Op, code: str) -> CustomerRow | None:
    """The customer with this code (as typed, or in upper or lower case: ``c000123`` finds
    ``C000123``) that the actor may see, or None. Read through the unique code index."""
    text = str(code or "").strip()
    if not text:
        return None
    where = Customer.code.in_(sorted({text, text.upper(), text.lower()}))
    scope = customer_scope_where(op.actor)
    rows = as_rows(customer_rows(where if scope is None else where & scope))
    exact = [r for r in rows if r.code == text]
    return (exact or rows)[0] if rows else None


@reader("customer.view")
def likely_twins(op: Op, name: str = "", phone: str = "", tax_number: str = "", *,
                 exclude_id: int | None = None, limit: int = 10) -> list[TwinRow]:
    """Existing customers with the same name, phone/mobile or tax number (C4), any owner:
    the point is to stop a second salesperson from creating the same customer again."""
    name, phone, tax_number = (str(x or "").strip() for x in (name, phone, tax_number))
    conds = []
    if name:
        conds.append(Customer.name == name)
    if phone:
        conds += [Customer.phone == phone, Customer.mobile == phone]
    if tax_number:
        conds.append(Customer.tax_number == tax_number)
    if not conds:
        return []
    cond = conds[0]
    for c in conds[1:]:
        cond = cond | c
    q = Customer.select(Customer.id, Customer.code, Customer.name, Customer.phone,
                        Customer.mobile, Customer.tax_number).where(cond)
    if exclude_id is not None:
        q = q.where(Customer.id != exclude_id)
    return [row_of(TwinRow, c) for c in q.order_by(Customer.id).limit(limit)]


@reader("customer.reassign")
def salesperson_choices(op: Op) -> list[PersonRow]:
    """The active users a customer can be given to, by user name."""
    q = (User.select(User.id, User.username, User.full_name)
         .where(User.active == True)  # noqa: E712 (peewee expression)
         .order_by(User.username))
    return [row_of(PersonRow, u) for u in q]


# -- adding and editing ----------------------------------------------------------------------


def lock_customer_codes() -> None:
    """Until this transaction ends, no other session picks a next customer code.

    The next code is the highest one plus one: two sessions reading the highest at once
    would pick the same. SQLite's IMMEDIATE transactions already run one writer at a time;
    on PostgreSQL a transaction-scoped advisory lock queues only the sessions that pick a
    code (for the few ms to their commit), not other writers. (Retrying on the unique index
    instead starved: 4 sessions adding 10 customers each lost 5 times in a row.)"""
    if not db.is_sqlite():
        db.database.execute_sql("SELECT pg_advisory_xact_lock(%s)", (CODE_LOCK,))


def next_customer_code() -> str:
    """The next free code ``C000124`` after the highest ``C`` + digits code (call
    ``lock_customer_codes`` first in the transaction that uses it)."""
    for width in range(12, CODE_DIGITS - 1, -1):
        lo, hi = CODE_PREFIX + "0" * width, CODE_PREFIX + "9" * width
        rows: Any = (
            Customer.select(Customer.code)
            .where((Customer.code >= lo) & (Customer.code <= hi))
            .order_by(Customer.code.desc())
            .limit(200)
            .tuples()
        )
        for (code,) in rows:
            digits = code[len(CODE_PREFIX):]
            if len(digits) == width and digits.isdigit():
                return f"{CODE_PREFIX}{int(digits) + 1:0{CODE_DIGITS}d}"
    return f"{CODE_PREFIX}{1:0{CODE_DIGITS}d}"


def _clean_fields(raw: Mapping[str, Any], *, partial: bool
                  ) -> tuple[dict[str, Any], dict[str, Any], dict[str, str]]:
    """The cleaned plain fields, the references (group, salesperson) still to resolve, and the
    errors so far (collected, not raised, so reference errors join them)."""
    plain = {k: v for k, v in raw.items() if k not in ("group", "salesperson")}
    refs = {k: v for k, v in raw.items() if k in ("group", "salesperson")}
    try:
        return clean(CUSTOMER_RULES, plain, partial=partial), refs, {}
    except ValidationError as e:
        return {}, refs, dict(e.errors)


def _ref_id(value: Any) -> int | None:
    value = getattr(value, "id", value)
    return int(value) if value else None


def _resolve_refs(op: Op, values: dict[str, Any], refs: Mapping[str, Any],
                  errors: dict[str, str]) -> None:
    """Put the ``group`` and ``salesperson`` ids of ``refs`` into ``values``, each checked to
    exist (and held so until the transaction ends)."""
    if "group" in refs:
        gid = _ref_id(refs["group"])
        if gid is not None and db.for_key_share(
                CustomerGroup.select(CustomerGroup.id).where(CustomerGroup.id == gid)
        ).first() is None:
            errors["group"] = _("group #{gid} does not exist").format(gid=gid)
        values["group"] = gid
    if "salesperson" in refs:
        sid = _ref_id(refs["salesperson"])
        if sid is not None and db.for_key_share(
                User.select(User.id).where(User.id == sid)).first() is None:
            errors["salesperson"] = _("user #{sid} does not exist").format(sid=sid)
        elif (sid != op.actor.id and not sees_all_customers(op.actor)
              and not op.allowed("customer.reassign")):
            errors["salesperson"] = _("you may only keep customers of your own")
        values["salesperson"] = sid


def _code_taken(code: str, exclude: int | None = None) -> bool:
    q = Customer.select(Customer.id).where(Customer.code == code)
    if exclude is not None:
        q = q.where(Customer.id != exclude)
    return bool(q.exists())


@operation("customer.edit")
def create_customer(op: Op, /, **fields: Any) -> CustomerRow:
    """Add a customer. A blank ``code`` gets the next ``C000123``. A salesperson without
    ``customer.view_all`` becomes the owner of what they create."""
    values, refs, errors = _clean_fields(fields, partial=False)
    if not sees_all_customers(op.actor) and "salesperson" not in refs:
        refs["salesperson"] = op.actor.id
    _resolve_refs(op, values, refs, errors)
    if errors:
        raise ValidationError(errors)
    given = values.get("code") or ""
    if given and _code_taken(given):
        raise taken("code", given)
    if not given:
        lock_customer_codes()
    for _attempt in range(CODE_ATTEMPTS):
        values["code"] = given or next_customer_code()
        try:
            with db.write():  # a savepoint: the unique index decides between two sessions
                c = Customer.create(**values)
            break
        except peewee.IntegrityError:
            if given or not _code_taken(values["code"]):
                raise taken("code", values["code"]) from None
            # A code typed by hand in another session took this one: take the next.
    else:
        raise ValidationError({"code": _("no free customer code now; try again")})
    op.audit("customer", c.id, "create", values)
    return _one_row(c.id)


@operation("customer.edit", scoped={"customer_id": CUSTOMERS})
def update_customer(op: Op, /, customer_id: int, version: int, **fields: Any) -> CustomerRow:
    """Change the given fields of a customer read at ``version`` (``Conflict`` if stale)."""
    values, refs, errors = _clean_fields(fields, partial=True)
    if "code" in values and not values["code"]:
        errors["code"] = _("required")
    c = db.for_update(Customer.select().where(Customer.id == customer_id)).first()
    if c is None:
        raise NotFound(_("customer #{customer_id} no longer exists").format(customer_id=customer_id))
    if "salesperson" in refs and _ref_id(refs["salesperson"]) != c.salesperson_id:
        op.require("customer.reassign")
    _resolve_refs(op, values, refs, errors)
    if errors:
        raise ValidationError(errors)
    if "code" in values and values["code"] != c.code and _code_taken(values["code"], c.id):
        raise taken("code", values["code"])
    try:
        with db.write():
            save_version(op, Customer, "customer", c, version, values)
    except peewee.IntegrityError:
        raise taken("code", values.get("code", c.code)) from None
    return _one_row(c.id)


# -- many at once: delete, move, reassign ------------------------------------------------------


def _locked(customer_ids: Sequence[int]) -> list[Any]:
    """The customers, locked until the transaction ends (the scope check found them all)."""
    ids = list(dict.fromkeys(int(i) for i in customer_ids))
    rows = list(db.for_update(Customer.select().where(Customer.id.in_(ids)).order_by(Customer.id)))
    if len(rows) != len(ids):
        raise NotFound(_("some of these customers were deleted meanwhile; nothing was changed"))
    return rows


@operation("customer.delete", scoped={"customer_ids": CUSTOMERS})
def delete_customers(op: Op, customer_ids: Sequence[int]) -> int:
    """Delete customers; refused as a whole (``InUse``) if anything refers to any of them."""
    rows = _locked(customer_ids)
    refuse_if_referenced(Customer, "customer", rows)
    Customer.delete().where(Customer.id.in_([c.id for c in rows])).execute()
    for c in rows:
        op.audit("customer", c.id, "delete", {"code": c.code, "name": c.name})
    return len(rows)


def _bulk_set(op: Op, customer_ids: Sequence[int], field_name: str, value: int | None) -> int:
    rows = _locked(customer_ids)
    changed = [c for c in rows if getattr(c, field_name + "_id") != value]
    if changed:
        (
            Customer.update({field_name: value, "version": Customer.version + 1,
                             "updated_at": now()})
            .where(Customer.id.in_([c.id for c in changed]))
            .execute()
        )
        for c in changed:
            op.audit("customer", c.id, "update",
                     {field_name: (getattr(c, field_name + "_id"), value)})
    return len(changed)


@operation("customer.edit", scoped={"customer_ids": CUSTOMERS})
def move_customers(op: Op, customer_ids: Sequence[int], group_id: int | None) -> int:
    """Put customers into ``group_id`` (None: no group); returns how many changed."""
    if group_id is not None and db.for_key_share(
            CustomerGroup.select(CustomerGroup.id).where(CustomerGroup.id == group_id)
    ).first() is None:
        raise NotFound(_("group #{group_id} does not exist (deleted by someone else?)").format(
                         group_id=group_id))
    return _bulk_set(op, customer_ids, "group", group_id)


@operation("customer.reassign", scoped={"customer_ids": CUSTOMERS})
def reassign_customers(op: Op, customer_ids: Sequence[int], salesperson_id: int | None) -> int:
    """Give customers to another salesperson (C6); returns how many changed."""
    if salesperson_id is not None:
        u = db.for_key_share(User.select(User.id, User.username, User.active)
                             .where(User.id == salesperson_id)).first()
        if u is None:
            raise ValidationError({"salesperson": _("user #{salesperson_id} does not exist").format(
                                                    salesperson_id=salesperson_id)})
        if not u.active:
            raise ValidationError({"salesperson": _("{username} is disabled").format(
                                                    username=u.username)})
    return _bulk_set(op, customer_ids, "salesperson", salesperson_id)


__all__ = ["CODE_DIGITS", "CODE_PREFIX", "as_rows", "lock_customer_codes", "competitor_query", "contact_query",
           "create_customer", "customer_by_code", "customer_query", "customer_rows",
           "delete_customers", "get_customer", "likely_twins", "move_customers",
           "next_customer_code", "reassign_customers", "salesperson_choices", "supplier_query",
           "update_customer"]
