"""Customers, contacts, suppliers and competitors: the operations the screens and the command
line call (C3-C7). No Textual, no SQL in the callers.

Every operation checks the operator's permission itself (``actor`` None means the command line
or set-up code, which acts as no user and may do everything), runs in one write transaction,
validates its input (``ValidationError({field: message})``), and writes the audit trail.

Salespeople whose role lacks ``customer.view_all`` see and change only their own customers:
``scope(actor)`` is the WHERE every query and operation adds.

Edits use optimistic locking: the caller passes the ``version`` it read; if someone saved in
between, ``Conflict`` says who and when, and nothing is overwritten.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import JOIN

from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import Conflict, NotFound, ValidationError
from ..core.money import money
from ..core.permissions import allowed, require
from ..models import AuditLog, Competitor, Contact, Customer, CustomerGroup, Supplier, User, now
from .groups import InUse, customer_groups, plural

STATUSES = ("active", "prospect", "inactive")
CODE_PREFIX = "C"
CODE_DIGITS = 6
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")


# -- field rules -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Rule:
    """How one input field is checked and converted."""

    kind: str = "text"  # text | email | money | int | date | bool | choice
    required: bool = False
    max_len: int = 255
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] = ()


CUSTOMER_RULES: dict[str, Rule] = {
    "code": Rule(max_len=40),
    "name": Rule(required=True, max_len=200),
    "grade": Rule(max_len=20),
    "status": Rule("choice", choices=STATUSES),
    "phone": Rule(max_len=40),
    "mobile": Rule(max_len=40),
    "fax": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "address": Rule(max_len=255),
    "region": Rule(max_len=60),
    "industry": Rule(max_len=60),
    "source": Rule(max_len=60),
    "tax_number": Rule(max_len=40),
    "credit_limit": Rule("money", lo=0),
    "payment_terms_days": Rule("int", lo=0, hi=3650),
    "price_level": Rule("int", lo=1, hi=4),
    "notes": Rule(max_len=4000),
}
CONTACT_RULES: dict[str, Rule] = {
    "name": Rule(required=True, max_len=100),
    "title": Rule(max_len=60),
    "phone": Rule(max_len=40),
    "mobile": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "birthday": Rule("date"),
    "is_key": Rule("bool"),
    "notes": Rule(max_len=4000),
}
SUPPLIER_RULES: dict[str, Rule] = {
    "code": Rule(required=True, max_len=40),
    "name": Rule(required=True, max_len=200),
    "contact_name": Rule(max_len=100),
    "phone": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "address": Rule(max_len=255),
    "tax_number": Rule(max_len=40),
    "payment_terms_days": Rule("int", lo=0, hi=3650),
    "active": Rule("bool"),
    "notes": Rule(max_len=4000),
}
COMPETITOR_RULES: dict[str, Rule] = {
    "name": Rule(required=True, max_len=200),
    "products": Rule(max_len=4000),
    "strengths": Rule(max_len=4000),
    "weaknesses": Rule(max_len=4000),
    "notes": Rule(max_len=4000),
}


def _check_value(rule: Rule, value: Any) -> Any:
    """The converted value, or ``ValueError`` with the message for the field."""
    import datetime as dt

    if rule.kind in ("text", "email", "choice"):
        if value is None:
            value = ""
        if isinstance(value, bool) or not isinstance(value, str):
            kind = "a number" if isinstance(value, int | float) else type(value).__name__
            raise ValueError(f"expected text, got {kind} ({value!r})")
        text = value.strip()
        if rule.required and not text:
            raise ValueError("required")
        if len(text) > rule.max_len:
            raise ValueError(f"at most {rule.max_len} characters (got {len(text)})")
        if rule.kind == "email" and text and not EMAIL_RE.match(text):
            raise ValueError(f"not an e-mail address: {text!r}")
        if rule.kind == "choice" and text not in rule.choices:
            raise ValueError(f"one of {', '.join(rule.choices)}")
        return text
    if rule.kind == "money":
        if value is None or value == "":
            return money(0)
        if isinstance(value, bool):
            raise ValueError("expected an amount")
        d = money(value)  # ValueError with "not a valid amount"
        if rule.lo is not None and d < rule.lo:
            raise ValueError(f"must not be below {rule.lo}")
        if abs(d) >= 10**13:
            raise ValueError("amount too large")
        return d
    if rule.kind == "int":
        if value is None or value == "":
            return rule.lo if rule.lo is not None else 0
        if isinstance(value, bool):
            raise ValueError("expected a whole number")
        try:
            if isinstance(value, float):
                if not value.is_integer():
                    raise ValueError
                n = int(value)
            else:
                n = int(str(value).strip())
        except ValueError:
            raise ValueError(f"expected a whole number, got {value!r}") from None
        if rule.lo is not None and n < rule.lo or rule.hi is not None and n > rule.hi:
            raise ValueError(f"between {rule.lo} and {rule.hi}")
        return n
    if rule.kind == "date":
        if value in (None, ""):
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        try:
            return dt.date.fromisoformat(str(value).strip())
        except ValueError:
            raise ValueError(f"expected a date YYYY-MM-DD, got {value!r}") from None
    if rule.kind == "bool":
        if isinstance(value, bool):
            return value
        text = str(value or "").strip().lower()
        if text in ("1", "true", "yes", "y", "on", "是"):
            return True
        if text in ("", "0", "false", "no", "n", "off", "否"):
            return False
        raise ValueError(f"expected yes or no, got {value!r}")
    raise AssertionError(rule.kind)


def clean(rules: Mapping[str, Rule], values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check and convert ``values`` against ``rules``; all problems at once in one
    ``ValidationError``. ``partial`` (an update) checks only the fields given."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in values:
        if name not in rules:
            errors[name] = "unknown field"
    for name, rule in rules.items():
        if name not in values:
            if partial:
                continue
            if rule.required:
                errors[name] = "required"
            continue
        try:
            out[name] = _check_value(rule, values[name])
        except ValueError as e:
            errors[name] = str(e)
    if errors:
        raise ValidationError(errors)
    return out


# -- shared helpers ---------------------------------------------------------------------------


def _check(actor: Actor, permission: str) -> None:
    require(actor, permission)


def sees_all(actor: Actor) -> bool:
    return allowed(actor, "customer.view_all")


def scope(actor: Actor) -> Any:
    """The WHERE limiting customers to what ``actor`` may see (None: everything)."""
    if sees_all(actor):
        return None
    return Customer.salesperson == actor.id


def last_change(entity: str, record_id: int) -> str:
    """``"sally at 2026-05-01 10:12"`` from the audit trail, for conflict messages."""
    row = (
        AuditLog.select(AuditLog.username, AuditLog.at)
        .where((AuditLog.entity == entity) & (AuditLog.record_id == record_id))
        .order_by(AuditLog.id.desc())
        .first()
    )
    if row is None:
        return "another user"
    return f"{row.username or 'the command line'} at {row.at:%Y-%m-%d %H:%M}"


def references(model: type[peewee.Model], ids: Iterable[int]) -> dict[str, int]:
    """What still refers to the rows ``ids`` of ``model`` and would block their deletion:
    ``{"order": 3, "contact": 1}``. Every table with a RESTRICT foreign key counts, so
    tables added later (payments, activities, ...) are covered without changes here."""
    ids = list(ids)
    out: dict[str, int] = {}
    for fk, child in model._meta.backrefs.items():
        if (fk.on_delete or "").upper() in ("CASCADE", "SET NULL"):
            continue
        if not child.table_exists():
            continue
        n = child.select().where(fk.in_(ids)).count()
        if n:
            name = child._meta.table_name.replace("_", " ")
            out[name] = n
    return out


def _refused(what: str, refs: dict[str, int]) -> InUse:
    held = ", ".join(plural(n, name) for name, n in refs.items())
    return InUse(f"{what} cannot be deleted: {held} refer to it; nothing was deleted", refs)


def _save(
    actor: Actor, model: type[peewee.Model], entity: str, record: peewee.Model,
    version: int, values: dict[str, Any],
) -> peewee.Model:
    """Update ``record`` with ``values`` if its version is still ``version``; audit it."""
    if record.version != version:
        raise Conflict(
            f"{entity} {_title(record)} was changed by {last_change(entity, record.id)} "
            "since you opened it; reload it and make your change again"
        )
    changes = audit.diff(record, values)
    if not changes:
        return record
    stamp = now()
    n = (
        model.update({**values, "version": model.version + 1, "updated_at": stamp})
        .where((model.id == record.id) & (model.version == version))
        .execute()
    )
    if n != 1:
        raise Conflict(
            f"{entity} {_title(record)} was changed or deleted by "
            f"{last_change(entity, record.id)} just now; reload it and try again"
        )
    audit.record(actor, entity, record.id, "update", changes)
    return model.get_by_id(record.id)


def _title(record: peewee.Model) -> str:
    code = getattr(record, "code", "")
    return f"{code} {record.name}".strip() if code else str(record.name)


def _unique_error(e: peewee.IntegrityError, field_name: str, value: Any) -> ValidationError:
    return ValidationError({field_name: f"{value!r} is already used"})


# -- customers --------------------------------------------------------------------------------


def customer_query(
    actor: Actor,
    *,
    group_id: int | None = None,
    subgroups: bool = False,
    search: str | None = None,
    where: Any = None,
) -> peewee.ModelSelect:
    """Customers ``actor`` may see, joined to their group and salesperson (LEFT OUTER, so
    ``CustomerGroup.name`` and ``User.username`` can be list columns); narrowed to a group
    (and its sub-groups), a quick search (L1) and any extra WHERE (filters, date range).
    Unordered and unlimited: the list widget pages it by keyset."""
    _check(actor, "customer.view")
    q = (
        Customer.select(Customer, CustomerGroup, User)
        .join(CustomerGroup, JOIN.LEFT_OUTER, on=(Customer.group == CustomerGroup.id))
        .switch(Customer)
        .join(User, JOIN.LEFT_OUTER, on=(Customer.salesperson == User.id))
        .switch(Customer)
    )
    conds = []
    s = scope(actor)
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


def get_customer(actor: Actor, customer_id: int) -> Customer:
    _check(actor, "customer.view")
    q = Customer.select().where(Customer.id == customer_id)
    s = scope(actor)
    if s is not None:
        q = q.where(s)
    c = q.first()
    if c is None:
        raise NotFound(f"customer #{customer_id} does not exist or is not yours")
    return c


def next_customer_code() -> str:
    """The next free code ``C000124`` after the highest ``C`` + digits code."""
    for width in range(12, CODE_DIGITS - 1, -1):
        lo, hi = CODE_PREFIX + "0" * width, CODE_PREFIX + "9" * width
        rows = (
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


def _customer_refs(values: dict[str, Any], raw: Mapping[str, Any], actor: Actor,
                   errors: dict[str, str]) -> None:
    """Resolve ``group`` and ``salesperson`` ids (or None) from ``raw`` into ``values``."""
    if "group" in raw:
        gid = raw["group"]
        gid = getattr(gid, "id", gid) or None
        if gid is not None and not CustomerGroup.select().where(CustomerGroup.id == gid).exists():
            errors["group"] = f"group #{gid} does not exist"
        values["group"] = gid
    if "salesperson" in raw:
        sid = raw["salesperson"]
        sid = getattr(sid, "id", sid) or None
        if sid is not None and not User.select().where(User.id == sid).exists():
            errors["salesperson"] = f"user #{sid} does not exist"
        elif (not sees_all(actor) and sid != (actor.id)
              and not (actor and allowed(actor, "customer.reassign"))):
            errors["salesperson"] = "you may only keep customers of your own"
        values["salesperson"] = sid


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


def create_customer(actor: Actor, **fields: Any) -> Customer:
    """Add a customer. A blank ``code`` gets the next ``C000123``. A salesperson without
    ``customer.view_all`` becomes the owner of what they create."""
    _check(actor, "customer.edit")
    values, refs, errors = _clean_fields(fields, partial=False)
    if not sees_all(actor) and "salesperson" not in refs:
        refs["salesperson"] = actor.id
    with write():
        _customer_refs(values, refs, actor, errors)
        if errors:
            raise ValidationError(errors)
        if not values.get("code"):
            values["code"] = next_customer_code()
        elif Customer.select().where(Customer.code == values["code"]).exists():
            raise ValidationError({"code": f"code {values['code']!r} is already used"})
        try:
            with write():
                c = Customer.create(**values)
        except peewee.IntegrityError as e:
            raise _unique_error(e, "code", values["code"]) from None
        audit.record(actor, "customer", c.id, "create", values)
    return c


def update_customer(actor: Actor, customer_id: int, version: int, **fields: Any) -> Customer:
    """Change the given fields of a customer read at ``version`` (``Conflict`` if stale)."""
    _check(actor, "customer.edit")
    values, refs, errors = _clean_fields(fields, partial=True)
    if "code" in values and not values["code"]:
        errors["code"] = "required"
    with write():
        c = get_customer(actor, customer_id)
        if "salesperson" in refs and (refs["salesperson"] or None) != c.salesperson_id:
            _check(actor, "customer.reassign")
        _customer_refs(values, refs, actor, errors)
        if errors:
            raise ValidationError(errors)
        if "code" in values and values["code"] != c.code and Customer.select().where(
            Customer.code == values["code"]
        ).exists():
            raise ValidationError({"code": f"code {values['code']!r} is already used"})
        return _save(actor, Customer, "customer", c, version, values)


def likely_twins(
    name: str = "", phone: str = "", tax_number: str = "", *, exclude_id: int | None = None,
    limit: int = 10,
) -> list[Customer]:
    """Existing customers with the same name, phone/mobile or tax number (C4), any owner:
    the point is to stop a second salesperson from creating the same customer again."""
    conds = []
    name, phone, tax_number = (str(x or "").strip() for x in (name, phone, tax_number))
    if name:
        conds.append(Customer.name == name)
    if phone:
        conds.append(Customer.phone == phone)
        conds.append(Customer.mobile == phone)
    if tax_number:
        conds.append(Customer.tax_number == tax_number)
    if not conds:
        return []
    cond = conds[0]
    for c in conds[1:]:
        cond = cond | c
    q = Customer.select().where(cond)
    if exclude_id is not None:
        q = q.where(Customer.id != exclude_id)
    return list(q.order_by(Customer.id).limit(limit))


def _visible_ids(actor: Actor, ids: Iterable[int]) -> list[Customer]:
    ids = list(dict.fromkeys(int(i) for i in ids))
    q = Customer.select().where(Customer.id.in_(ids))
    s = scope(actor)
    if s is not None:
        q = q.where(s)
    rows = list(q)
    missing = set(ids) - {c.id for c in rows}
    if missing:
        raise NotFound(
            f"customer(s) #{', #'.join(str(i) for i in sorted(missing))} do not exist or are "
            "not yours; nothing was changed"
        )
    return rows


def delete_customers(actor: Actor, ids: Iterable[int]) -> int:
    """Delete customers; refused as a whole (``InUse``) if anything refers to any of them."""
    _check(actor, "customer.delete")
    with write():
        rows = _visible_ids(actor, ids)
        blocked = []
        for c in rows:
            refs = references(Customer, [c.id])
            if refs:
                blocked.append((c, refs))
        if blocked:
            c, refs = blocked[0]
            more = f" (and {len(blocked) - 1} more)" if len(blocked) > 1 else ""
            err = _refused(f"customer {_title(c)}{more}", refs)
            raise err
        Customer.delete().where(Customer.id.in_([c.id for c in rows])).execute()
        for c in rows:
            audit.record(actor, "customer", c.id, "delete", {"code": c.code, "name": c.name})
    return len(rows)


def _bulk_set(actor: Actor, ids: Iterable[int], field_name: str, value: Any) -> int:
    rows = _visible_ids(actor, ids)
    changed = [c for c in rows if getattr(c, field_name + "_id") != value]
    if changed:
        (
            Customer.update({field_name: value, "version": Customer.version + 1,
                             "updated_at": now()})
            .where(Customer.id.in_([c.id for c in changed]))
            .execute()
        )
        for c in changed:
            audit.record(actor, "customer", c.id, "update",
                         {field_name: (getattr(c, field_name + "_id"), value)})
    return len(changed)


def move_customers(actor: Actor, ids: Iterable[int], group_id: int | None) -> int:
    """Put customers into ``group_id`` (None: no group); returns how many changed."""
    _check(actor, "customer.edit")
    with write():
        if group_id is not None:
            customer_groups.get(group_id)
        return _bulk_set(actor, ids, "group", group_id)


def reassign_customers(actor: Actor, ids: Iterable[int], salesperson_id: int | None) -> int:
    """Give customers to another salesperson (C6); returns how many changed."""
    _check(actor, "customer.reassign")
    with write():
        if salesperson_id is not None:
            u = User.get_or_none(User.id == salesperson_id)
            if u is None:
                raise ValidationError({"salesperson": f"user #{salesperson_id} does not exist"})
            if not u.active:
                raise ValidationError({"salesperson": f"{u.username} is disabled"})
        return _bulk_set(actor, ids, "salesperson", salesperson_id)


# -- contacts ---------------------------------------------------------------------------------


def contact_query(actor: Actor, customer_id: int | None = None) -> peewee.ModelSelect:
    """Contacts of the customers ``actor`` may see (of one customer if given)."""
    _check(actor, "customer.view")
    q = Contact.select(Contact, Customer).join(Customer)
    s = scope(actor)
    if s is not None:
        q = q.where(s)
    if customer_id is not None:
        q = q.where(Contact.customer == customer_id)
    return q


def create_contact(actor: Actor, customer_id: int, **fields: Any) -> Contact:
    _check(actor, "customer.edit")
    values = clean(CONTACT_RULES, fields, partial=False)
    with write():
        get_customer(actor, customer_id)
        c = Contact.create(customer=customer_id, **values)
        audit.record(actor, "contact", c.id, "create", {"customer": customer_id, **values})
    return c


def _get_contact(actor: Actor, contact_id: int) -> Contact:
    c = contact_query(actor).where(Contact.id == contact_id).first()
    if c is None:
        raise NotFound(f"contact #{contact_id} does not exist or is not yours")
    return c


def update_contact(actor: Actor, contact_id: int, version: int, **fields: Any) -> Contact:
    _check(actor, "customer.edit")
    values = clean(CONTACT_RULES, fields, partial=True)
    with write():
        c = _get_contact(actor, contact_id)
        return _save(actor, Contact, "contact", c, version, values)


def delete_contacts(actor: Actor, ids: Iterable[int]) -> int:
    _check(actor, "customer.edit")
    ids = list(ids)
    with write():
        rows = [_get_contact(actor, i) for i in ids]
        Contact.delete().where(Contact.id.in_([c.id for c in rows])).execute()
        for c in rows:
            audit.record(actor, "contact", c.id, "delete", {"name": c.name, "customer": c.customer_id})
    return len(rows)


# -- suppliers and competitors ----------------------------------------------------------------


def _simple_create(actor, model, entity, rules, permission, unique, fields):
    _check(actor, permission)
    values = clean(rules, fields, partial=False)
    with write():
        if model.select().where(getattr(model, unique) == values[unique]).exists():
            raise ValidationError({unique: f"{values[unique]!r} is already used"})
        r = model.create(**values)
        audit.record(actor, entity, r.id, "create", values)
    return r


def _simple_update(actor, model, entity, rules, permission, unique, record_id, version, fields):
    _check(actor, permission)
    values = clean(rules, fields, partial=True)
    if unique in values and not values[unique]:
        raise ValidationError({unique: "required"})
    with write():
        r = model.get_or_none(model.id == record_id)
        if r is None:
            raise NotFound(f"{entity} #{record_id} does not exist (deleted by someone else?)")
        if unique in values and values[unique] != getattr(r, unique) and model.select().where(
            getattr(model, unique) == values[unique]
        ).exists():
            raise ValidationError({unique: f"{values[unique]!r} is already used"})
        return _save(actor, model, entity, r, version, values)


def _simple_delete(actor, model, entity, permission, ids):
    _check(actor, permission)
    ids = list(dict.fromkeys(int(i) for i in ids))
    with write():
        rows = list(model.select().where(model.id.in_(ids)))
        if len(rows) != len(ids):
            raise NotFound(f"some {entity}s no longer exist; nothing was deleted")
        for r in rows:
            refs = references(model, [r.id])
            if refs:
                raise _refused(f"{entity} {_title(r)}", refs)
        model.delete().where(model.id.in_(ids)).execute()
        for r in rows:
            audit.record(actor, entity, r.id, "delete", {"name": r.name})
    return len(rows)


def supplier_query(actor: Actor) -> peewee.ModelSelect:
    if not (
        allowed(actor, "supplier.edit") or allowed(actor, "order.purchase")
    ):
        require(actor, "supplier.edit")
    return Supplier.select()


def create_supplier(actor: Actor, **fields: Any) -> Supplier:
    return _simple_create(actor, Supplier, "supplier", SUPPLIER_RULES, "supplier.edit", "code",
                          fields)


def update_supplier(actor: Actor, supplier_id: int, version: int, **fields: Any) -> Supplier:
    return _simple_update(actor, Supplier, "supplier", SUPPLIER_RULES, "supplier.edit", "code",
                          supplier_id, version, fields)


def delete_suppliers(actor: Actor, ids: Iterable[int]) -> int:
    return _simple_delete(actor, Supplier, "supplier", "supplier.edit", ids)


def competitor_query(actor: Actor) -> peewee.ModelSelect:
    _check(actor, "customer.view")
    return Competitor.select()


def create_competitor(actor: Actor, **fields: Any) -> Competitor:
    return _simple_create(actor, Competitor, "competitor", COMPETITOR_RULES, "supplier.edit",
                          "name", fields)


def update_competitor(
    actor: Actor, competitor_id: int, version: int, **fields: Any
) -> Competitor:
    return _simple_update(actor, Competitor, "competitor", COMPETITOR_RULES, "supplier.edit",
                          "name", competitor_id, version, fields)


def delete_competitors(actor: Actor, ids: Iterable[int]) -> int:
    return _simple_delete(actor, Competitor, "competitor", "supplier.edit", ids)
