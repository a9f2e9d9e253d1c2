"""``tuicrm import receipts FILE``: a bank export (English or Chinese headers) recorded all or
nothing, first-in-first-out unless an invoice is named; the same reference never twice."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tests.test_money_ledger import _invoice, _sale
from tests.test_money_ledger import shop as ledger_shop
from tuicrm.data.models import MoneyDoc
from tuicrm.data.money import balances
from tuicrm.data.money.receipt_import import import_receipts

pytestmark = pytest.mark.pg
shop = ledger_shop


def _csv(tmp_path, text: str):
    path = tmp_path / "bank.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_fifo_and_named_invoice(manager, shop, tmp_path):
    widget, customer, _ = shop
    a, b = _sale(manager, widget, customer, 3), _sale(manager, widget, customer, 5)
    path = _csv(tmp_path, "date,customer,amount,method,reference,invoice\n"
                          f"2026-06-10,C001,60.00,bank,TX-1,{b.number}\n"
                          "2026/6/11,C001,20,微信,TX-2,\n")
    result = import_receipts(manager, path)
    assert result.problems == [] and result.imported == 2
    assert _invoice(b.id).open == 0  # TX-1: 50.00 on b, 10.00 on account
    assert _invoice(a.id).open == 1000  # TX-2: 20.00 first in, first out
    bal = balances.customer_balance(manager, customer.id)
    assert (bal.balance, bal.on_account) == (D("0.00"), D("10.00"))
    assert MoneyDoc.get(MoneyDoc.reference == "TX-2").method == "wechat"


def test_chinese_headers_and_every_problem_nothing_written(manager, shop, tmp_path):
    _sale(manager, shop[0], shop[1], 1)
    path = _csv(tmp_path, "日期,客户编号,金额,方式,流水号\n"
                          "2026-06-10,C001,5,现金,X1\n"
                          "2026-06-10,NOPE,5,现金,X2\n"
                          "bad,C001,-1,银行,X1\n")
    result = import_receipts(manager, path)
    text = [str(p) for p in result.problems]
    assert any("NOPE" in t for t in text)
    assert any("also on row 2" in t for t in text)
    assert any("date" in t.lower() or "日期" in t for t in text)
    assert MoneyDoc.select().count() == 0
    good = _csv(tmp_path, "日期,客户编号,金额,方式,流水号\n2026-06-10,C001,5,现金,X1\n")
    assert import_receipts(manager, good).imported == 1
    again = import_receipts(manager, good)
    assert [str(p) for p in again.problems][0].endswith("'X1' was already recorded")


D = Decimal


def test_cli(db, manager, shop, tmp_path, capsys):
    from tuicrm.cli import main

    path = _csv(tmp_path, "date,customer,amount,method,reference\n2026-06-10,C001,5,cash,R9\n")
    assert main(["--db", db, "import", "receipts", str(path)]) == 0
    assert "imported 1 receipt" in capsys.readouterr().out
