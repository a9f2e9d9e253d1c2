"""The statement of account a shop prints or sends to a customer (or checks with a supplier):
the company's letterhead, the party's address, each document from the opening to the closing
balance, and how old that balance is. Plain text for A4 at 80 columns, measured by display
width like the invoice (``documents``); the same text is shown on screen, printed, saved and
written by ``tuicrm print statement``.
"""

from __future__ import annotations

from decimal import Decimal

from ..data.core.money import fmt_money
from ..data.core.vocab import Side
from ..data.money.statement import StatementDocument
from ..i18n import N_, _
from .documents import PAGE_WIDTH, Company, cut, fit, two_sides, wrap

KIND_WORDS = {"invoice": N_("invoice"), "credit_note": N_("credit note"),
              "receipt": N_("receipt"), "refund": N_("refund"), "bill": N_("bill"),
              "supplier_credit": N_("return to supplier"), "payment": N_("payment"),
              "supplier_refund": N_("refund from supplier"), "opening": N_("opening"),
              "write_off": N_("write-off"), "adjustment": N_("adjustment")}


def kind_word(kind: str) -> str:
    return _(KIND_WORDS.get(kind, kind))


def bucket_label(title: str) -> str:
    """An ageing bucket's title as users read it: ``0-30`` -> "0-30 days"."""
    if title.startswith("over "):
        return _("over {days} days").format(days=title.removeprefix("over "))
    return _("{days} days").format(days=title)


def _letterhead(company: Company, width: int) -> list[str]:
    out: list[str] = []
    contact = "   ".join(x for x in (
        _("Tel. {phone}").format(phone=company.phone) if company.phone else "",
        _("Tax no. {number}").format(number=company.tax_number) if company.tax_number else "")
        if x)
    for text in (company.name, company.address, contact):
        if text:
            out += wrap(text, width)
    return out


def _columns(width: int) -> list[tuple[str, int, str]]:
    """(title, cells, alignment); the due date only where the page is wide enough."""
    columns = [(_("Date"), 10, "left"), (_("Number"), 14, "left"), (_("Kind"), 15, "left")]
    money = [(_("Debit"), 11, "right"), (_("Credit"), 11, "right"), (_("Balance"), 12, "right")]
    if width >= 90:
        columns.append((_("Due"), 10, "left"))
    return columns + money


def _row(values: list[str], columns: list[tuple[str, int, str]]) -> str:
    return " ".join(fit(v, w, a) for v, (_t, w, a) in zip(values, columns, strict=True))


def _amount(value: Decimal) -> str:
    return fmt_money(value) if value else ""


def statement_text(document: StatementDocument, *, width: int = PAGE_WIDTH,
                   company: Company | None = None, bank: bool = True) -> str:
    """The statement at ``width`` columns (80 for A4, at least 77 for every column)."""
    company = company or Company.from_settings()
    found = document.statement
    customer = found.side == Side.CUSTOMER
    out = _letterhead(company, width)
    out.append("=" * width)
    period = (_("{start} to {end}").format(start=found.start.isoformat(),
                                           end=found.end.isoformat()) if found.start
              else _("up to {end}").format(end=found.end.isoformat()))
    out.append(two_sides(_("STATEMENT OF ACCOUNT"), period, width))
    label = _("Customer") if customer else _("Supplier")
    out += wrap(f"{label}: {found.code} {found.name}", width)
    out += ["  " + ln for d in document.details for ln in wrap(d, width - 2)]
    out.append("")
    columns = _columns(width)
    wide = len(columns) == 7
    out.append(_row([t for t, _w, _a in columns], columns).rstrip())
    out.append(" ".join("-" * w for _t, w, _a in columns))
    opening = [found.start.isoformat() if found.start else "", "", _("opening balance")]
    out.append(_row(opening + ([""] if wide else []) + ["", "", fmt_money(found.opening)],
                    columns).rstrip())
    for line in found.lines:
        due = [line.due_date.isoformat() if line.due_date else ""] if wide else []
        out.append(_row([line.date.isoformat(), line.number, kind_word(line.kind.value), *due,
                         _amount(line.debit), _amount(line.credit), fmt_money(line.balance)],
                        columns).rstrip())
    out.append("-" * width)
    totals = ["", "", _("Totals"), *([""] if wide else []), fmt_money(found.total_debit),
              fmt_money(found.total_credit), fmt_money(found.closing)]
    out.append(_row(totals, columns).rstrip())
    closing = (_("Balance due {amount}") if customer and found.closing > 0 else
               _("Closing balance {amount}")).format(amount=fmt_money(found.closing))
    out.append(fit(closing, width, "right"))
    out += _ageing_lines(document, width)
    if bank and customer and found.closing > 0 and company.bank_account:
        out.append("")
        out += wrap(_("Please pay to: {account}").format(account=company.bank_account), width)
    return "\n".join(ln.rstrip() for ln in out) + "\n"


def _ageing_lines(document: StatementDocument, width: int) -> list[str]:
    """How old the open balance is, in as many columns as fit (the rest on a second row)."""
    row = document.ageing
    if row is None:
        return []
    pairs = [(_("Not due"), row.not_due),
             *((bucket_label(t), v) for t, v in zip(document.bucket_titles, row.buckets,
                                                     strict=True)),
             (_("On account"), row.on_account)]
    cell = 12
    per_line = max(1, (width + 1) // (cell + 1))
    out = ["", cut(_("Ageing as of {day}").format(day=document.statement.end.isoformat()),
                   width)]
    for start in range(0, len(pairs), per_line):
        chunk = pairs[start:start + per_line]
        out.append(" ".join(fit(t, cell, "right") for t, _v in chunk))
        out.append(" ".join(fit(fmt_money(v), cell, "right") for _t, v in chunk))
    return out
