"""Printed documents of an order: a receipt for 32/42/48-column receipt printers, and an
invoice or delivery note for A4 at 80 columns. Plain text, no Textual.

Chinese and other wide characters take two columns on a terminal and on a printer, so every
line is measured, padded and cut by display width (``rich.cells.cell_len``), never ``len()``.
No line is ever wider than the paper.

``print_text`` sends a document to a file or to a named printer (``lp -d NAME``, no shell;
the printers are those an administrator set up in ``print.printers``), which gets the text on
its standard input in the encoding of setting ``print.encoding`` (default UTF-8; many receipt
printers want GB18030).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from rich.cells import cell_len

from ..data.core import settings
from ..data.core.money import fmt_money, fmt_qty
from ..data.core.text import visible
from ..data.core.vocab import OrderKind
from ..data.sales.reading import OrderDocument
from ..data.sales.rows import OrderHeader
from ..i18n import N_, _
from . import saving
from .text import PrintError as PrintError  # re-exported: callers catch it from here
from .text import default_printer, printer_bytes
from .text import print_text as print_text_to_printer

RECEIPT_WIDTHS = (32, 42, 48)
PAGE_WIDTH = 80
PRINT_TIMEOUT = 30


# --- width-aware text helpers ---------------------------------------------------------------


def cut(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` display cells (a wide character that would straddle
    the edge is dropped)."""
    text = str(text).replace("\t", " ").replace("\r", " ").replace("\n", " ")
    text = visible(text)  # a control character prints as a mark, never raw
    if cell_len(text) <= width:
        return text
    out, used = [], 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width:
            break
        out.append(ch)
        used += w
    return "".join(out)


def fit(text: str, width: int, align: str = "left") -> str:
    """``text`` cut and padded to exactly ``width`` display cells."""
    text = cut(text, width)
    pad = " " * (width - cell_len(text))
    if align == "right":
        return pad + text
    if align == "center":
        left = len(pad) // 2
        return pad[:left] + text + pad[left:]
    return text + pad


def wrap(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` cells, breaking at spaces where it can and
    anywhere in CJK text (which has no spaces)."""
    lines: list[str] = []
    for paragraph in visible(text, multiline=True).splitlines() or [""]:
        words = " ".join(paragraph.split()).split(" ")
        line = ""
        for word in words:
            candidate = f"{line} {word}" if line else word
            if cell_len(candidate) <= width:
                line = candidate
                continue
            if line:
                lines.append(line)
            line = ""
            while cell_len(word) > width:
                head = cut(word, width)
                if not head:  # a wide char in a 1-column width: cannot happen at 32+
                    break
                lines.append(head)
                word = word[len(head):]
            line = word
        if line or not lines:
            lines.append(line)
    return [ln.rstrip() for ln in lines if ln.strip()] or [""]


def two_sides(left: str, right: str, width: int) -> str:
    """``left`` then ``right`` flush right, in ``width`` cells (``left`` is cut, never
    ``right``: the amount always shows)."""
    right = cut(right, width)
    room = width - cell_len(right) - 1
    if room <= 0:
        return fit(right, width, "right")
    return fit(left, room) + " " + right


# --- the document data ----------------------------------------------------------------------


@dataclass(frozen=True)
class Company:
    name: str
    address: str
    tax_number: str
    phone: str = ""
    bank_account: str = ""

    @classmethod
    def from_settings(cls) -> Company:
        return cls(
            settings.get("company.name").strip(),
            settings.get("company.address").strip(),
            settings.get("company.tax_number").strip(),
            settings.get("company.phone").strip(),
            settings.get("company.bank_account").strip(),
        )


def _party(order: OrderHeader) -> tuple[str, str]:
    """(label, "code name") of the customer or supplier, or a walk-in customer."""
    return order.party_label, order.party


# --- receipt --------------------------------------------------------------------------------


def receipt_text(document: OrderDocument, width: int = 42, *,
                 company: Company | None = None) -> str:
    """A receipt for a ``width``-column receipt printer (32, 42 or 48), of an order read with
    ``sales.orders.order_document``."""
    if width not in RECEIPT_WIDTHS:
        raise ValueError(f"a receipt is {', '.join(map(str, RECEIPT_WIDTHS))} columns wide")
    order = document.order
    company = company or Company.from_settings()
    rule = "-" * width
    out: list[str] = []
    if company.name:
        out += [fit(ln, width, "center").rstrip() for ln in wrap(company.name, width)]
    if company.address:
        out += [fit(ln, width, "center").rstrip() for ln in wrap(company.address, width)]
    if company.phone:
        out.append(fit(_("Tel. {phone}").format(phone=company.phone), width, "center").rstrip())
    if company.tax_number:
        out.append(fit(_("Tax no. {number}").format(number=company.tax_number), width,
                       "center").rstrip())
    out.append(rule)
    out.append(two_sides(order.title, order.number, width))
    stamp = f"{order.updated_at:%Y-%m-%d %H:%M}" if order.updated_at else f"{order.date}"
    seller = order.salesperson_name
    out.append(two_sides(stamp, seller, width) if seller else stamp)
    label, party = _party(order)
    out += wrap(f"{label}: {party}", width)
    out.append(rule)
    for line in document.lines:
        out += wrap(f"{line.product_name} {line.product_spec}".strip(), width)
        detail = f"  {fmt_qty(line.quantity)} {line.unit} x {fmt_money(line.unit_price)}"
        gross = line.amount + line.discount
        out.append(two_sides(detail, fmt_money(gross), width))
        if line.discount:
            out.append(two_sides("  " + _("discount"), "-" + fmt_money(line.discount), width))
    out.append(rule)
    if order.discount:
        out.append(two_sides(_("Subtotal"), fmt_money(order.subtotal), width))
        out.append(two_sides(_("Discount"), "-" + fmt_money(order.discount), width))
    currency = settings.get("currency").strip()
    out.append(two_sides(_("TOTAL {currency}").format(currency=currency).strip(),
                         fmt_money(order.total), width))
    out.append(rule)
    if order.kind == OrderKind.QUOTE and order.valid_until:
        out.append(_("Valid until {date}").format(date=order.valid_until))
    out.append(fit(_("Thank you!"), width, "center").rstrip())
    return "\n".join(ln.rstrip() for ln in out) + "\n"


# --- invoice / delivery note ----------------------------------------------------------------

# (header, width, align); the name column takes what is left of the page.
Columns = tuple[tuple[str, int, str], ...]
_PRICED_COLUMNS: Columns = (("#", 3, "right"), (N_("Code"), 10, "left"), (N_("Name"), 0, "left"),
                   (N_("Qty"), 7, "right"), (N_("Unit"), 4, "left"), (N_("Price"), 10, "right"),
                   (N_("Disc."), 8, "right"), (N_("Amount"), 11, "right"))
_PLAIN_COLUMNS: Columns = (("#", 3, "right"), (N_("Code"), 14, "left"), (N_("Name"), 0, "left"),
                  (N_("Qty"), 10, "right"), (N_("Unit"), 6, "left"), (N_("Checked"), 8, "left"))


def _table(columns: Columns, rows: list[list[str]], width: int) -> list[str]:
    fixed = sum(w for _, w, _ in columns) + len(columns) - 1
    widths = [w or max(8, width - fixed) for _, w, _ in columns]
    lines = [" ".join(fit(_(h), w, a) for (h, _w, a), w in zip(columns, widths, strict=True))]
    lines.append(" ".join("-" * w for w in widths))
    name_col = next(i for i, (_, w, _) in enumerate(columns) if w == 0)
    for row in rows:
        # The name wraps onto extra lines of its own column; the other cells are cut.
        names = wrap(row[name_col], widths[name_col])[:3]
        first = list(row)
        first[name_col] = names[0]
        lines.append(
            " ".join(fit(v, w, a) for v, (_, _, a), w in zip(first, columns, widths, strict=True))
        )
        indent = sum(widths[:name_col]) + name_col
        lines += [" " * indent + more for more in names[1:]]
    return [ln.rstrip() for ln in lines]


def invoice_text(
    document: OrderDocument,
    *,
    title: str | None = None,
    prices: bool = True,
    width: int = PAGE_WIDTH,
    company: Company | None = None,
) -> str:
    """An A4 invoice (``prices=True``) or delivery note (``prices=False``) at ``width`` columns,
    of an order read with ``sales.orders.order_document``."""
    order = document.order
    company = company or Company.from_settings()
    title = title or ((_("INVOICE") if order.kind == OrderKind.SALE else order.title.upper())
                      if prices else _("DELIVERY NOTE"))
    out: list[str] = []
    head = [company.name or "", company.address,
            "   ".join(x for x in (_("Tel. {phone}").format(phone=company.phone)
                                   if company.phone else "",
                                   _("Tax no. {number}").format(number=company.tax_number)
                                   if company.tax_number else "") if x),
            _("Bank: {account}").format(account=company.bank_account)
            if prices and company.bank_account else ""]
    for text in head:
        if text:
            out += wrap(text, width)
    out.append("=" * width)
    out.append(two_sides(title, _("No. {number}").format(number=order.number), width))
    out.append(two_sides(_("Date: {date}").format(date=order.date),
                         _("Status: {status}").format(status=_(order.status_word)), width))
    if order.kind == OrderKind.QUOTE and order.valid_until:
        out.append(_("Valid until: {date}").format(date=order.valid_until))
    label, party = _party(order)
    out += wrap(f"{label}: {party}", width)
    out += ["  " + ln for d in document.party_details for ln in wrap(d, width - 2)]
    seller = order.salesperson_name
    if seller:
        out.append(cut(_("Salesperson: {name}").format(name=seller), width))
    out.append("")
    rows: list[list[str]] = []
    for line in document.lines:
        name = f"{line.product_name} {line.product_spec}".strip()
        if prices:
            rows.append([str(line.line_no), line.product_code, name, fmt_qty(line.quantity),
                         line.unit, fmt_money(line.unit_price),
                         fmt_money(line.discount) if line.discount else "",
                         fmt_money(line.amount)])
        else:
            rows.append([str(line.line_no), line.product_code, name, fmt_qty(line.quantity),
                         line.unit, "[ ]"])
    out += _table(_PRICED_COLUMNS if prices else _PLAIN_COLUMNS, rows, width)
    out.append("-" * width)
    if prices:
        currency = settings.get("currency").strip()
        total_w = 30
        pad = " " * (width - total_w)
        if order.discount:
            out.append(pad + two_sides(_("Subtotal"), fmt_money(order.subtotal), total_w))
            out.append(pad + two_sides(_("Discount"), "-" + fmt_money(order.discount), total_w))
        out.append(pad + two_sides(_("TOTAL {currency}").format(currency=currency).strip(),
                                   fmt_money(order.total), total_w))
    else:
        total_qty = sum((ln.quantity for ln in document.lines), Decimal(0))
        out.append(two_sides(_("{n} lines").format(n=len(rows)),
                             _("total quantity {quantity}").format(quantity=fmt_qty(total_qty)),
                             width))
    out.append("")
    out.append("")
    half = (width - 2) // 2
    out.append(fit(_("Issued by: ______________"), half) + "  "
               + fit(_("Received by: ______________"), half))
    return "\n".join(ln.rstrip() for ln in out) + "\n"


def delivery_note_text(document: OrderDocument, *, width: int = PAGE_WIDTH,
                       company: Company | None = None) -> str:
    return invoice_text(document, prices=False, width=width, company=company)


# --- printing -------------------------------------------------------------------------------


def print_text(text: str, *, path: str | Path | None = None, printer: str | None = None,
               kind: str = "document", overwrite: bool = False) -> str:
    """Write ``text`` to ``path``, or send it to ``printer`` (default: the printer chosen for
    ``kind``, "receipt" or "document"). Returns a short message for the status line; raises
    ``PrintError``. A file is written as ``reports.saving`` writes (the files folder for a
    bare name, never through a link, an existing file only with ``overwrite``, else
    ``saving.FileExists``)."""
    if path is not None:
        target = saving.resolve(path)
        saving.write_bytes(target, printer_bytes(text), overwrite=overwrite)
        return _("written to {path}").format(path=target)
    name = default_printer(kind) if printer is None else printer
    return _("sent to {printer}").format(printer=print_text_to_printer(text, name, PRINT_TIMEOUT))
