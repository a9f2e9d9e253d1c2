"""Money reports (SPEC M2, R2): receivables and payables ageing, and a customer's statement.

``tuicrm report receivables [--as-of DATE] [--buckets 30,60,90] [-o FILE]``,
``tuicrm report payables ...`` and ``tuicrm report statement --customer CODE [--from DATE]
[--to DATE]``. The rows come from the money data functions (``money.ageing.ageing`` and
``money.statement.statement``), so the screen, the files and the command line agree with the
balances shown everywhere else. Stable headers: ``customer`` (``supplier``), ``name``,
``balance``, ``not_due``, one ``days_0_30``-style column per bucket, ``on_account``.
"""

from __future__ import annotations

from typing import Any

from ...data.core.errors import NotFound, ValidationError
from ...data.core.money import fmt_money
from ...data.core.settings_parsers import day_buckets
from ...data.core.vocab import Side
from ...data.models.parties import Customer, Supplier
from ...data.money.ageing import ageing
from ...data.money.statement import statement, supplier_statement
from ...i18n import N_, _
from ..engine import AS_OF, TO, Column, Param, RunContext, Table, report
from ..statement_document import bucket_label, kind_word

BUCKETS = Param("buckets", "text", N_("Buckets"), "",
                help=N_("the last day of each ageing bucket, e.g. 30,60,90 (default: the "
                        "setting money.ageing_buckets)"))
CUSTOMER = Param("customer", "text", N_("Customer code"), "",
                 help=N_("the customer whose statement it is (their code)"), required=True)
SUPPLIER = Param("supplier", "text", N_("Supplier code"), "",
                 help=N_("the supplier whose statement it is (their code)"), required=True)
SINCE = Param("from", "date", N_("From"), None,
              help=N_("first day (default: the first entry)"))


def _ageing(ctx: RunContext, side: Side) -> Table:
    text = str(ctx.params.get("buckets") or "").strip()
    try:
        limits = day_buckets(text) if text else None
    except ValueError as e:
        raise ValidationError({"buckets": str(e)}) from None
    result = ageing(ctx.actor, side, ctx.params["as-of"], limits)
    keys = result.columns()
    titles = [_("Customer") if side == Side.CUSTOMER else _("Supplier"), _("Name"),
              _("Balance"), _("Not due"),
              *(bucket_label(t) for t in result.bucket_titles),
              _("On account")]
    kinds = ["text"] * 2 + ["money"] * (len(keys) - 2)
    columns = tuple(Column(k, t, kind, None if kind == "text" else "sum")  # type: ignore[arg-type]
                    for k, t, kind in zip(keys, titles, kinds, strict=True))
    return Table(columns, [tuple(r) for r in result.plain_rows()], subtitle=ctx.period_text(),
                 rank_by="balance",
                 notes=(_("By due date; on account: money received not yet allocated"),))


@report("receivables", N_("Receivables ageing"), permission="money.view",
        params=(AS_OF, BUCKETS), description=N_("What each customer owes, by days past due"))
def receivables(ctx: RunContext) -> Table:
    return _ageing(ctx, Side.CUSTOMER)


@report("payables", N_("Payables ageing"), permission="money.view",
        params=(AS_OF, BUCKETS), description=N_("What is owed to each supplier, by days past "
                                                "due"))
def payables(ctx: RunContext) -> Table:
    return _ageing(ctx, Side.SUPPLIER)


def _statement(ctx: RunContext, side: Side) -> Table:
    model: Any = Customer if side == Side.CUSTOMER else Supplier
    key = side.value
    code = str(ctx.params.get(key) or "").strip()
    found = model.select(model.id).where(model.code == code).scalar()
    if found is None:
        raise NotFound(_("no {party} with the code {code!r}").format(party=key, code=code))
    run = statement if side == Side.CUSTOMER else supplier_statement
    result = run(ctx.actor, int(found), ctx.params.get("from"), ctx.params["to"])
    columns = (Column("date", _("Date"), "date"), Column("number", _("Number")),
               Column("kind", _("Kind")),
               Column("debit", _("Debit"), "money", "sum"),
               Column("credit", _("Credit"), "money", "sum"),
               Column("balance", _("Balance"), "money"))
    rows: list[tuple[Any, ...]] = [
        (result.start, "", _("opening balance"), None, None, result.opening)]
    # no due date column: with it a statement no longer fits 80 columns
    rows += [(ln.date, ln.number, kind_word(ln.kind.value),
              ln.debit, ln.credit, ln.balance) for ln in result.lines]
    since = result.start.isoformat() if result.start else _("the first entry")
    return Table(columns, rows,
                 subtitle=_("{code} {name}, {start} to {end}").format(
                     code=result.code, name=result.name, start=since,
                     end=result.end.isoformat()),
                 notes=(_("Closing balance {amount}").format(amount=fmt_money(result.closing)),))


@report("statement", N_("Customer statement"), permission="money.view",
        params=(CUSTOMER, SINCE, TO),
        description=N_("Opening balance, each document, running and closing balance"))
def customer_statement(ctx: RunContext) -> Table:
    return _statement(ctx, Side.CUSTOMER)


@report("supplier-statement", N_("Supplier statement"), permission="money.view",
        params=(SUPPLIER, SINCE, TO),
        description=N_("What was billed and paid, with the running balance we owe"))
def supplier_statement_report(ctx: RunContext) -> Table:
    return _statement(ctx, Side.SUPPLIER)
