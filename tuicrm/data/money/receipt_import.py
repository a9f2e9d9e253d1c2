"""``tuicrm import receipts FILE``: a bank or mobile-pay export as receipts (M1), all or
nothing, every problem by row and column (the import framework of ``transfer``).

Columns ``date``, ``customer`` (the customer's code), ``amount``, ``method``, ``reference`` and
an optional ``invoice`` number; common Chinese headers too (日期, 客户编号, 金额, 方式, 流水号,
发票号 ...). A receipt without an invoice is allocated first-in-first-out; with one, to that
invoice (what it does not take stays on account). A reference already imported (or twice in
the file) is a problem: the same export imported twice would count the money twice.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...i18n import _
from ..core.actor import Actor
from ..core.money import to_cents
from ..core.operation import Op
from ..core.vocab import DocKind, EntryKind, PayMethod
from ..models.money import LedgerEntry, MoneyDoc
from ..models.parties import Customer
from ..parties.scope import customer_scope_where
from ..transfer.columns import column
from ..transfer.importer import Checked, Importer, RowCheck, Written
from ..transfer.kinds import Choice, Code, Date, Money, Text
from ..transfer.run import ImportResult, run_import
from . import documents

METHOD_WORDS = {"现金": "cash", "银行": "bank", "转账": "bank", "银行转账": "bank",
                "transfer": "bank", "刷卡": "card", "银行卡": "card", "微信": "wechat",
                "微信支付": "wechat", "支付宝": "alipay", "其他": "other"}

COLUMNS = (
    column("date", Date(), "日期", "交易日期", "收款日期", "到账日期", required=True),
    column("customer", Code(40), "客户编号", "客户代码", "客户", required=True),
    column("amount", Money(min=Decimal("0.01")), "金额", "收款金额", "交易金额",
           required=True),
    column("method", Choice(tuple(m.value for m in PayMethod), METHOD_WORDS, empty="bank"),
           "方式", "收款方式", "支付方式"),
    column("reference", Text(100), "流水号", "交易号", "参考号", "交易流水号"),
    column("invoice", Code(40), "发票号", "单号", "订单号"),
)


@dataclass(frozen=True)
class ReceiptRow:
    date: dt.date
    customer_id: int
    amount: Decimal
    method: str
    reference: str
    invoice_id: int | None
    to_invoice: Decimal  # what goes on the invoice (the rest on account)


class ReceiptImport(Importer[ReceiptRow]):
    entity, noun, permission = "receipt", "receipts", "money.receive"
    columns = COLUMNS

    def __init__(self) -> None:
        self._customers: dict[str, int | None] = {}
        self._open: dict[tuple[int, str], tuple[int, int] | None] = {}  # -> (entry, cents)
        self._scope: object = None

    def begin(self, op: Op) -> None:
        self._scope = customer_scope_where(op.actor)

    def _customer(self, code: str) -> int | None:
        if code not in self._customers:
            query = Customer.select(Customer.id).where(Customer.code == code)
            if self._scope is not None:
                query = query.where(self._scope)
            found = query.scalar()
            self._customers[code] = int(found) if found is not None else None
        return self._customers[code]

    def check_row(self, row: RowCheck) -> ReceiptRow | None:
        v = row.values
        customer = self._customer(v["customer"]) if v["customer"] else None
        if v["customer"] and customer is None:
            row.problem("customer", _("no customer with the code {value!r}").format(
                                      value=v['customer']))
        reference = v["reference"]
        if reference:
            earlier = row.claim("reference", reference, "reference")
            if earlier is not None:
                row.problem("reference", _("reference {reference!r} also on row {row}").format(
                                           reference=reference,
                                           row=earlier.row))
        invoice_id, to_invoice = None, Decimal(0)
        if v["invoice"] and customer is not None:
            key = (customer, v["invoice"])
            if key not in self._open:
                found = (LedgerEntry.select(LedgerEntry.id, LedgerEntry.open)
                         .where((LedgerEntry.customer == customer)
                                & (LedgerEntry.number == v["invoice"])
                                & (LedgerEntry.kind == EntryKind.INVOICE)).tuples().first())
                self._open[key] = (int(found[0]), int(found[1])) if found else None
            invoice = self._open[key]
            if invoice is None:
                row.problem("invoice", _("no invoice {value!r} of this customer").format(
                                         value=v['invoice']))
            elif invoice[1] <= 0:
                row.problem("invoice", _("invoice {value!r} is already paid").format(
                                         value=v['invoice']))
            elif v["amount"] is not None:
                cents = min(invoice[1], to_cents(v["amount"]))
                self._open[key] = (invoice[0], invoice[1] - cents)
                invoice_id, to_invoice = invoice[0], Decimal(cents) / 100
        if not row.ok or customer is None:
            return None
        return ReceiptRow(v["date"], customer, v["amount"], v["method"] or "bank", reference,
                          invoice_id, to_invoice)

    def taken(self, space: str, items: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
        query: Any = (MoneyDoc.select(MoneyDoc.reference)
                 .where((MoneyDoc.kind == DocKind.RECEIPT)
                        & MoneyDoc.reference.in_([k for k, _ in items])).tuples())
        for (reference,) in query:
            yield reference, f"reference {reference!r} was already recorded"

    def write(self, op: Op, checked: Checked[ReceiptRow]) -> Written:
        count = 0
        for batch in checked.records():
            for r in batch:
                apply = ([documents.Apply(r.invoice_id, r.to_invoice)]
                         if r.invoice_id is not None else None)
                documents.record(op, DocKind.RECEIPT, r.customer_id, r.amount, r.method,
                                 apply=apply, fifo=r.invoice_id is None, date=r.date,
                                 reference=r.reference, notes="imported")
                count += 1
        return Written(count)


def import_receipts(actor: Actor, path: str | Path, dry_run: bool = False) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, record them all
    in one transaction."""
    return run_import(actor, ReceiptImport(), path, dry_run)
