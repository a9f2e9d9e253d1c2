"""Which documents an order prints, and the sales contract from its template (O6).

A sale prints a receipt, an invoice, a delivery note and a sales contract; a quote a quotation
and a contract; a purchase a purchase order for the supplier (and a goods-received list);
returns a return note. Every document has the company header from the settings. No Textual.

The contract is the administrator's template (setting ``document.contract_template``) with
its ``{placeholders}`` filled in; the template was checked when it was saved (known names only,
no format specs), and an old template that no longer checks gives the default one.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len

from ..data.core import settings
from ..data.core.money import fmt_money
from ..data.core.vocab import OrderKind
from ..data.sales.reading import OrderDocument
from ..data.sales.rows import OrderHeader
from ..i18n import N_, _
from . import documents
from .documents import PAGE_WIDTH, Company


@dataclass(frozen=True)
class DocumentKind:
    name: str  # "invoice": file names, tests
    label: str  # shown in the choice
    printer: str  # "receipt" or "document": which default printer


RECEIPT = DocumentKind("receipt", N_("Receipt (receipt printer)"), "receipt")
INVOICE = DocumentKind("invoice", N_("Invoice (A4)"), "document")
DELIVERY_NOTE = DocumentKind("delivery_note", N_("Delivery note (A4)"), "document")
CONTRACT = DocumentKind("contract", N_("Sales contract (A4)"), "document")
QUOTATION = DocumentKind("quotation", N_("Quotation (A4)"), "document")
PURCHASE_ORDER = DocumentKind("purchase_order", N_("Purchase order for the supplier (A4)"),
                              "document")
RECEIVING_LIST = DocumentKind("receiving_list", N_("Goods received list (A4)"), "document")
RETURN_NOTE = DocumentKind("return_note", N_("Return note (A4)"), "document")

FOR_KIND: dict[OrderKind, tuple[DocumentKind, ...]] = {
    OrderKind.SALE: (RECEIPT, INVOICE, DELIVERY_NOTE, CONTRACT),
    OrderKind.QUOTE: (QUOTATION, CONTRACT, RECEIPT),
    OrderKind.SALE_RETURN: (RETURN_NOTE, RECEIPT),
    OrderKind.PURCHASE: (PURCHASE_ORDER, RECEIVING_LIST),
    OrderKind.PURCHASE_RETURN: (RETURN_NOTE,),
}


def documents_for(order: OrderHeader) -> tuple[DocumentKind, ...]:
    return FOR_KIND.get(order.kind, (INVOICE,))


def render(document: OrderDocument, kind: DocumentKind) -> str:
    """The text of ``kind`` for the order in ``document``."""
    if kind is RECEIPT:
        return documents.receipt_text(document, settings.value(settings.RECEIPT_WIDTH))
    if kind is DELIVERY_NOTE:
        return documents.delivery_note_text(document)
    if kind is RECEIVING_LIST:
        return documents.invoice_text(document, prices=False, title=_("GOODS RECEIVED"))
    if kind is CONTRACT:
        return contract_text(document)
    if kind is PURCHASE_ORDER:
        return documents.invoice_text(document, title=_("PURCHASE ORDER"))
    if kind is QUOTATION:
        return documents.invoice_text(document, title=_("QUOTATION"))
    if kind is RETURN_NOTE:
        return documents.invoice_text(document, title=document.order.title.upper())
    return documents.invoice_text(document)


def file_name(document: OrderDocument, kind: DocumentKind) -> str:
    return f"{kind.name}-{document.order.number}.txt"


def _lines_table(document: OrderDocument, width: int) -> str:
    """The goods of the order as the invoice prints them (its table and total)."""
    full = documents.invoice_text(document, width=width, company=Company("", "", ""))
    lines = full.splitlines()
    start = next((i for i, ln in enumerate(lines) if ln.lstrip().startswith("#")), 0)
    end = next((i for i in range(len(lines) - 1, start, -1) if "TOTAL" in lines[i]),
               len(lines) - 1)
    return "\n".join(lines[start:end + 1])


def contract_text(document: OrderDocument, template: str | None = None,
                  width: int = PAGE_WIDTH) -> str:
    """The sales contract: the template (the setting by default) filled in."""
    order = document.order
    company = Company.from_settings()
    values = {
        "company_name": company.name,
        "company_address": company.address,
        "company_tax_number": company.tax_number,
        "company_phone": company.phone,
        "company_bank_account": company.bank_account,
        "customer": order.party,
        "customer_details": "; ".join(document.party_details),
        "order_number": order.number,
        "date": str(order.date),
        "valid_until": str(order.valid_until or ""),
        "salesperson": order.salesperson_name or "",
        "lines": _lines_table(document, width),
        "total": fmt_money(order.total),
        "currency": settings.get("currency").strip(),
    }
    text = settings.value(settings.CONTRACT_TEMPLATE) if template is None else template
    body = text.format_map(values)
    out: list[str] = []
    for line in body.splitlines():
        # Lines that fit are kept as written (the goods table is aligned with spaces).
        out += [line] if cell_len(line) <= width else documents.wrap(line, width)
    return "\n".join(ln.rstrip() for ln in out) + "\n"
