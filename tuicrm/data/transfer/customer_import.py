"""Import customers from .xlsx or .csv (A5): all or nothing, every problem by row and column.

Headers are the export's (``code``, ``name``, ``group``, ... see ``COLUMNS``) or common
Chinese ones (客户名称, 客户编号, 电话, 手机, 分组, ...); ``created_at``/``updated_at`` are
accepted and ignored, so an export imports back unchanged. Each column's kind and length come
from the customer form's rules (``CUSTOMER_RULES``), so a file and the form accept the same
values. A code, phone or tax number that a spreadsheet program stored as a number is read as
its digits with a warning (a leading zero may have been lost); a decimal number or an
exponent (``1.38E+10``) there is a problem of the row.

Rows that look like existing customers (the same code, tax number, phone or mobile, or
name: the form's twin check) are never imported silently; ``duplicates`` chooses: ``refuse``
(the default: each is a problem, nothing is imported), ``skip`` (those rows are left out,
each named in a warning) or ``update`` (the customer it matches gets the row's non-blank
fields; a row matching several customers is a problem).

Groups are written as the export writes them, ``parent/child``; an unknown group is a problem
unless ``create_groups=True`` (the CLI's ``--create-groups``). ``salesperson`` is a user name;
a salesperson without ``customer.view_all`` who imports becomes the owner of every row. A
blank code gets the next ``C000123``. Reading, checking and writing are the framework's
(``run.py``): an import run of short transactions that other terminals' sales slip between,
resumed or undone as a whole if it is interrupted; one audit row for the run.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...i18n import _
from ..core import db
from ..core.actor import Actor
from ..core.db import in_transaction
from ..core.operation import Op
from ..core.text import MULTILINE_FIELDS
from ..models.parties import Customer
from ..models.transfer import ImportUndo
from ..models.users import User
from ..parties.customers import (
    CODE_DIGITS,
    CODE_PREFIX,
    lock_customer_codes,
    next_customer_code,
)
from ..parties.fields import CUSTOMER_RULES, STATUSES
from ..parties.groups import customer_groups
from ..parties.scope import sees_all_customers
from .apply import Progress
from .bulk import insert_rows, stored_values, take_back, tuples
from .columns import Column, Problem, column
from .files import ImportFileError
from .importer import Checked, Importer, ImportRefused, RowCheck
from .kinds import Choice, Email, Int, Kind, Money, Text, TreePath
from .references import TreePaths
from .run import ImportResult, run_import
from .stash import Stash
from .twins import TwinFinder

__all__ = ["COLUMNS", "CustomerImport", "ImportFileError", "ImportResult", "import_customers"]

STATUS_WORDS = {"正常": "active", "活跃": "active", "潜在": "prospect", "停用": "inactive"}


#: Columns of codes and numbers written with digits (a number cell: its digits, warned).
DIGIT_FIELDS = frozenset({"code", "phone", "mobile", "fax", "tax_number"})


DUPLICATES = ("refuse", "skip", "update")
TWIN_KEYS = ("code", "name", "phone", "mobile", "tax_number")


def _kind(key: str) -> Kind:
    """The kind of a customer field, from the form's rule for it."""
    rule = CUSTOMER_RULES[key]
    if rule.kind == "email":
        return Email(rule.max_len)
    if rule.kind == "money":
        return Money(min=rule.lo, empty=Decimal(0))
    if rule.kind == "int":
        return Int(rule.lo, rule.hi, empty=rule.lo if rule.lo is not None else 0)
    if rule.kind == "choice":
        return Choice(tuple(rule.choices), STATUS_WORDS, empty=STATUSES[0])
    if key in DIGIT_FIELDS:  # LibreOffice and Excel store 13800138000 as a number
        return Text(rule.max_len, digits=True)
    return Text(rule.max_len, numbers=False, multiline=key in MULTILINE_FIELDS)


COLUMNS: tuple[Column, ...] = (
    column("code", _kind("code"), "客户编号", "客户代码", "编号", "代码"),
    column("name", _kind("name"), "客户名称", "名称", "客户", "公司名称", required=True),
    column("group", TreePath(), "分组", "客户分组", "类别", "客户类别"),
    column("grade", _kind("grade"), "等级", "客户等级", "级别", "信用等级"),
    column("status", _kind("status"), "状态"),
    column("salesperson", Text(100), "业务员", "销售员", "负责人"),
    column("phone", _kind("phone"), "电话", "联系电话", "固定电话"),
    column("mobile", _kind("mobile"), "手机", "移动电话"),
    column("fax", _kind("fax"), "传真"),
    column("email", _kind("email"), "邮箱", "电子邮件", "邮件"),
    column("address", _kind("address"), "地址", "联系地址"),
    column("region", _kind("region"), "地区", "区域"),
    column("industry", _kind("industry"), "行业"),
    column("source", _kind("source"), "来源", "客户来源"),
    column("tax_number", _kind("tax_number"), "税号", "纳税人识别号"),
    column("credit_limit", _kind("credit_limit"), "信用额度"),
    column("payment_terms_days", _kind("payment_terms_days"), "账期", "付款期限", "账期天数"),
    column("price_level", _kind("price_level"), "价格等级", "价格级别"),
    column("notes", _kind("notes"), "备注", "说明"),
)
# The fields written as the file gives them (group and salesperson are looked up).
PLAIN = tuple(c.key for c in COLUMNS if c.key not in ("group", "salesperson"))


class CustomerImport(Importer[dict[str, Any]]):
    """Customers: a record is the customer's fields, with ``group`` as ``TreePaths`` gave it."""

    entity, noun, permission = "customer", "customers", "customer.edit"
    columns = COLUMNS

    def __init__(self, *, create_groups: bool = False, duplicates: str = "refuse") -> None:
        if duplicates not in DUPLICATES:
            raise ValueError(_("duplicates: one of {join}").format(join=', '.join(DUPLICATES)))
        self.duplicates = duplicates
        self.twins = TwinFinder()
        self.skip_rows: set[int] = set()
        self.update_rows: dict[int, int] = {}  # row -> the customer it updates
        self.groups = TreePaths(customer_groups, "group", create=create_groups)
        self._users: dict[str, int | None] = {}
        self._owner: int | None = None  # everyone's salesperson, for a user who sees only theirs

    def begin(self, op: Op) -> None:
        self._owner = None if sees_all_customers(op.actor) else op.actor.id

    def check_row(self, row: RowCheck) -> dict[str, Any] | None:
        values = row.values
        record = {key: values[key] for key in PLAIN}
        group = values["group"]
        record["group"] = None
        if group:
            try:
                record["group"] = self.groups.resolve(group)
            except ValueError as e:
                row.problem("group", str(e))
        record["salesperson"] = self._salesperson(row)
        code = values["code"]
        if code:
            earlier = row.claim("code", code, "code")
            if earlier is not None:
                row.problem("code", _("code {code!r} also on row {row}").format(
                                      code=code,
                                      row=earlier.row))
        record["_row"] = row.number
        self.twins.add(row.number, {k: str(values.get(k) or "") for k in TWIN_KEYS})
        self._labels = {k: row.label(k) for k in TWIN_KEYS}
        return record

    def after_rows(self) -> tuple[list[Problem], list[Problem]]:
        """Rows that look like existing customers, by the ``duplicates`` option."""
        self.twins.flush()
        problems: list[Problem] = []
        warnings: list[Problem] = []
        labels = getattr(self, "_labels", {})
        theirs = self._others_customers()
        for twin in self.twins.found:
            who = ", ".join(f"{code} {name}" for _, code, name in twin.customers[:3])
            column = labels.get(twin.column, twin.column)
            if self.duplicates == "skip":
                self.skip_rows.add(twin.row)
                warnings.append(Problem(twin.row, column,
                                        _("skipped: looks like {who} ({why})").format(
                                          who=who,
                                          why=twin.why)))
            elif self.duplicates == "update" and twin.customers[0][0] in theirs:
                problems.append(Problem(twin.row, column, _("looks like {who} ({why}), another "
                                                            "salesperson's customer: not yours "
                                                            "to update").format(
                                                            who=who,
                                                            why=twin.why)))
            elif self.duplicates == "update" and len(twin.customers) == 1:
                self.update_rows[twin.row] = twin.customers[0][0]
                warnings.append(Problem(twin.row, column, _("updates {who} ({why})").format(
                                                            who=who,
                                                            why=twin.why)))
            elif self.duplicates == "update":
                problems.append(Problem(twin.row, column, _("looks like {len} customers ({who}; "
                                                            "{why}): which to update?").format(
                                                            len=len(twin.customers),
                                                            who=who,
                                                            why=twin.why)))
            elif twin.column == "code":
                problems.append(Problem(twin.row, column, _("code {value!r} already exists in "
                                                            "the database; import with "
                                                            "duplicates skip or update").format(
                                                            value=twin.why[10:])))
            else:
                problems.append(Problem(twin.row, column, _("looks like existing customer {who} "
                                                            "({why}); import with duplicates "
                                                            "skip or update").format(
                                                            who=who,
                                                            why=twin.why)))
        return problems, warnings

    def _others_customers(self) -> set[int]:
        """Of the customers rows matched, those a salesperson who sees only their own may
        not change (an update never reaches past the importer's scope)."""
        if self._owner is None or self.duplicates != "update":
            return set()
        ids = {c[0] for twin in self.twins.found for c in twin.customers}
        mine = {cid for (cid,) in tuples(Customer.select(Customer.id).where(
            Customer.id.in_(sorted(ids)) & (Customer.salesperson == self._owner)))}
        return ids - mine

    def _salesperson(self, row: RowCheck) -> int | None:
        name = str(row.values["salesperson"] or "").lower()
        found = None
        if name:
            if name not in self._users:
                self._users[name] = (User.select(User.id).where(User.username == name)
                                     .scalar())
            found = self._users[name]
            if found is None:
                row.problem("salesperson", _("no user named {name!r}").format(name=name))
        return self._owner if self._owner is not None else found

    def taken(self, space: str, items: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
        # Codes already in the database are found with the other twins (``after_rows``);
        # asked again in the write transaction, a code taken meanwhile refuses the import.
        if self.duplicates != "refuse" or not in_transaction():
            return
        query = Customer.select(Customer.code).where(Customer.code.in_([k for k, _ in items]))
        for (code,) in tuples(query):
            yield code, f"code {code!r} already exists in the database"

    def created(self) -> list[str]:
        return self.groups.new

    # -- writing: an import run of short batches (``run.py``) ------------------------------

    batched = True

    def options(self) -> dict[str, Any]:
        return {"duplicates": self.duplicates}

    def prepare(self, op: Op) -> None:
        self.groups.make_missing(op.actor)

    def stash(self, checked: Checked[dict[str, Any]], stash: Stash) -> None:
        """Final records: group ids, the customer a row updates (``_update``); a new one's
        values as stored, pinyin included (worked out here, outside the write lock);
        skipped rows left out. Codes of the file
        that look like ones tuicrm hands out are reserved (``write_batch``)."""
        stash.set_meta("labels", getattr(self, "_labels", {}))
        stash.reserve(code for code in checked.claimed("code") if _handed_out(code))
        for batch in checked.records():
            for record in batch:
                row = record["_row"]
                if row in self.skip_rows:
                    continue
                record["group"] = self.groups.id_of(record["group"])
                if row in self.update_rows:
                    record["_update"] = self.update_rows[row]
                    stash.add(record)
                    continue
                code = record.pop("code")
                del record["_row"]
                # code and import_run are set by the batch; they are stored as they are
                stash.add({**stored_values(Customer, record), "code": code, "_row": row})
        if self.skip_rows:
            stash.set_meta("details", {"skipped": len(self.skip_rows)})

    def write_batch(self, op: Op, run_id: int, records: list[Any], stash: Stash
                    ) -> tuple[int, int]:
        lock_customer_codes()  # no other session picks a code until this batch commits
        inserts = [r for r in records if "_update" not in r]
        explicit = {r["code"]: r["_row"] for r in inserts if r["code"]}
        if explicit:
            label = stash.meta("labels", {}).get("code", "code")
            taken = tuples(Customer.select(Customer.code).where(
                Customer.code.in_(list(explicit))))
            problems = [Problem(explicit[code], label, f"code {code!r} was added by another "
                                "terminal after the file was checked") for (code,) in taken]
            if problems:
                raise ImportRefused(problems)
        counter: int | None = None
        rows = []
        for record in inserts:
            row = {k: v for k, v in record.items() if not k.startswith("_")}
            if not row["code"]:
                if counter is None:
                    counter = int(next_customer_code()[len(CODE_PREFIX):])
                while True:
                    code = f"{CODE_PREFIX}{counter:0{CODE_DIGITS}d}"
                    counter += 1
                    if code not in explicit and not stash.is_reserved(code):
                        break
                row["code"] = code
            row["import_run"] = run_id
            rows.append(row)
        inserted = insert_rows(Customer, rows, batch=max(1, len(rows)), stored=True)
        updated = 0
        for record in records:
            if "_update" in record:
                self._update(run_id, record)
                updated += 1
        return inserted, updated

    def _update(self, run_id: int, record: dict[str, Any]) -> None:
        """The customer a row matched gets the row's non-blank fields; what they were goes
        to ``ImportUndo`` for an undo."""
        cid = record["_update"]
        fields = {k: v for k, v in record.items()
                  if not k.startswith("_") and k not in ("code", "salesperson", "pinyin")
                  and v not in (None, "")}
        if not fields:
            return
        columns = [Customer._meta.fields[k].column_name for k in fields]
        if "name" in fields:
            columns.append("pinyin")
        quoted = ", ".join(f'"{c}"' for c in columns)
        old = db.database.execute_sql(
            f'SELECT {quoted} FROM "customer" WHERE "id" = {db.database.param}',
            (cid,)).fetchone()
        ImportUndo.create(run_id=run_id, record_id=cid, old=json.dumps(
            dict(zip(columns, old, strict=True)), ensure_ascii=False, default=str))
        Customer.update(**fields).where(Customer.id == cid).execute()

    def undo_batch(self, op: Op, run_id: int, limit: int) -> tuple[int, list[str]]:
        changed = list(ImportUndo.select().where(ImportUndo.run_id == run_id)
                       .order_by(ImportUndo.id).limit(limit))
        if changed:  # updates first: put the customers' fields back
            for undo in changed:
                old = json.loads(str(undo.old))
                sets = ", ".join(f'"{c}" = {db.database.param}' for c in old)
                db.database.execute_sql(
                    f'UPDATE "customer" SET {sets} WHERE "id" = {db.database.param}',
                    (*old.values(), undo.record_id))
            ImportUndo.delete().where(ImportUndo.id.in_([u.id for u in changed])).execute()
            return len(changed), []
        return take_back(Customer, run_id, limit, Customer.code)


def _handed_out(code: str) -> bool:
    """A code of the form tuicrm gives a customer without one (``C000123``)."""
    digits = code[len(CODE_PREFIX):]
    return code.startswith(CODE_PREFIX) and len(digits) >= CODE_DIGITS and digits.isdigit()


def import_customers(
    actor: Actor, path: str | Path, dry_run: bool = False, *, create_groups: bool = False,
    duplicates: str = "refuse", progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, add them all.
    ``result.groups_created`` lists the groups made (or that would be, on a dry run).
    ``progress``/``cancel``: see ``run.run_import``."""
    return run_import(actor, CustomerImport(create_groups=create_groups, duplicates=duplicates),
                      path, dry_run, progress=progress, cancel=cancel)
