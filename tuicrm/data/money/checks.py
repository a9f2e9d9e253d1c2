"""``tuicrm check`` for money: allocations never exceed what either side has open, no open
amount is negative or above its entry, the ledger agrees with the documents and orders it
came from, and each balance equals its open documents less what is on account.

Registered here (imported by ``check.CHECK_MODULES``); each check is one SQL group-by.
"""

from __future__ import annotations

from collections.abc import Iterator

from ...i18n import N_, _
from ..check import _m, _rows, check
from ..core.db import database


@check("allocations", "allocations: at most what both sides have open, open amounts exact")
def allocations(limit: int) -> Iterator[str]:
    bad = f"""
        SELECT a.id, d.number, c.number, a.amount
        FROM allocation a
        JOIN ledger_entry d ON d.id = a.debit_id
        JOIN ledger_entry c ON c.id = a.credit_id
        WHERE a.amount <= 0 OR d.amount <= 0 OR c.amount >= 0 OR d.side <> c.side
           OR COALESCE(d.customer_id, -1) <> COALESCE(c.customer_id, -1)
           OR COALESCE(d.supplier_id, -1) <> COALESCE(c.supplier_id, -1)
        ORDER BY a.id LIMIT {int(limit)}
    """
    found = 0
    for aid, debit, credit, amount in _rows(bad):
        found += 1
        yield _("allocation #{id} of {amount} links {credit} to {debit}: not a credit and "
                "a debit of one party, or not more than 0.00").format(
            id=aid, amount=_m(amount), credit=credit, debit=debit)
    sql = f"""
        SELECT e.number, e.amount, e.open, COALESCE(u.used, 0)
        FROM ledger_entry e
        LEFT JOIN (
            SELECT id, SUM(amount) AS used FROM (
                SELECT debit_id AS id, amount FROM allocation WHERE undone_on IS NULL
                UNION ALL
                SELECT credit_id AS id, amount FROM allocation WHERE undone_on IS NULL
            ) a GROUP BY id
        ) u ON u.id = e.id
        WHERE e.open < 0
           OR e.open <> (CASE WHEN e.amount < 0 THEN -e.amount ELSE e.amount END)
                        - COALESCE(u.used, 0)
        ORDER BY e.id LIMIT {int(max(limit - found, 0))}
    """
    for number, amount, open_, used in _rows(sql):
        size = abs(int(amount))
        if used > size:
            yield _("{number}: allocations of {used} exceed its amount of {amount}").format(
                number=number, used=_m(used), amount=_m(size))
        else:
            yield _("{number}: open is {open} but its amount {amount} less allocations "
                    "{used} is {expected}").format(number=number, open=_m(open_),
                                                   amount=_m(size), used=_m(used),
                                                   expected=_m(size - used))


@check("ledger_documents", "ledger = its money documents and delivered orders")
def ledger_documents(limit: int) -> Iterator[str]:
    # Money documents with a party: one entry each, of the document's amount, on its party.
    docs = f"""
        SELECT d.number, d.amount, COUNT(e.id), COALESCE(SUM(e.amount), 0)
        FROM money_doc d
        LEFT JOIN ledger_entry e ON e.doc_id = d.id
             AND COALESCE(e.customer_id, -1) = COALESCE(d.customer_id, -1)
             AND COALESCE(e.supplier_id, -1) = COALESCE(d.supplier_id, -1)
        WHERE d.kind IN ('receipt', 'payment', 'refund', 'supplier_refund')
          AND (d.customer_id IS NOT NULL OR d.supplier_id IS NOT NULL)
        GROUP BY d.id, d.number, d.amount
        HAVING COUNT(e.id) <> 1 OR ABS(COALESCE(SUM(e.amount), 0)) <> d.amount
           OR (MIN(e.amount) < 0) <> (MIN(d.kind) IN ('receipt', 'payment'))
        ORDER BY d.number LIMIT {int(limit)}
    """
    found = 0
    for number, amount, n, total in _rows(docs):
        found += 1
        yield _("{number} of {amount}: {n} ledger entries of {total} on its account").format(
            number=number, amount=_m(amount), n=n, total=_m(total))
    # Delivered sales / purchases / returns with a party: one entry of the order's total.
    orders = f"""
        SELECT o.number, o.total, COUNT(e.id), COALESCE(SUM(e.amount), 0)
        FROM "order" o
        LEFT JOIN ledger_entry e ON e.order_id = o.id AND e.doc_id IS NULL
        WHERE o.status = 'delivered' AND o.total <> 0 AND o.id > {_orders_from()}
          AND o.kind IN ('sale', 'sale_return', 'purchase', 'purchase_return')
          AND (o.customer_id IS NOT NULL OR o.supplier_id IS NOT NULL)
        GROUP BY o.id, o.number, o.total, o.kind
        HAVING COUNT(e.id) <> 1 OR COALESCE(SUM(e.amount), 0) <>
               (CASE WHEN o.kind IN ('sale', 'purchase') THEN o.total ELSE -o.total END)
        ORDER BY o.number LIMIT {int(max(limit - found, 0))}
    """
    for number, total, n, amount in _rows(orders):
        yield _("order {number} of {total}: {n} ledger entries adding up to {amount}").format(
            number=number, total=_m(total), n=n, amount=_m(amount))


def _orders_from() -> int:
    rows = list(_rows(f'SELECT value FROM setting WHERE "key" = {database.param}',
                      ("money.orders_from",)))
    try:
        return int(rows[0][0]) if rows else 0
    except ValueError:
        return 0


# One sentence per side, so that the party is named in the user's language.
_BALANCE_MESSAGES = {
    "customer": N_("customer {code}: balance is {balance} but open documents {debits} less "
                   "{credits} on account is {expected}"),
    "supplier": N_("supplier {code}: balance is {balance} but open documents {debits} less "
                   "{credits} on account is {expected}"),
}
_BALANCE_OTHER = N_("{side} {code}: balance is {balance} but open documents {debits} less "
                    "{credits} on account is {expected}")


@check("balances", "each balance = its open documents less what is on account")
def balances(limit: int) -> Iterator[str]:
    sql = f"""
        SELECT e.side, COALESCE(c.code, s.code), SUM(e.amount),
               SUM(CASE WHEN e.amount > 0 THEN e.open ELSE 0 END),
               SUM(CASE WHEN e.amount < 0 THEN e.open ELSE 0 END)
        FROM ledger_entry e
        LEFT JOIN customer c ON c.id = e.customer_id
        LEFT JOIN supplier s ON s.id = e.supplier_id
        GROUP BY e.side, e.customer_id, e.supplier_id, c.code, s.code
        HAVING SUM(e.amount) <> SUM(CASE WHEN e.amount > 0 THEN e.open ELSE -e.open END)
        ORDER BY 2 LIMIT {int(limit)}
    """
    for side, code, balance, debits, credits in _rows(sql):
        message = _BALANCE_MESSAGES.get(side, _BALANCE_OTHER)
        yield _(message).format(side=side, code=code, balance=_m(balance), debits=_m(debits),
                                credits=_m(credits), expected=_m(debits - credits))
