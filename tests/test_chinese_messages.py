"""Issue 15: what the data layer says follows the language of the process that says it (one
SSH session, one process, one language): the order-entry controller's status lines, the
errors users read, the words of stored values, receipts; amounts and dates through Babel
(``¥1,234.50``, ``2026年12月4日``). English stays as it was, and so do exported values."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from tuicrm.data.catalog import products
from tuicrm.data.core import formats
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.vocab import shown_word
from tuicrm.data.parties import customers
from tuicrm.data.sales.entry import OrderEntry
from tuicrm.data.sales.entry_rules import Level
from tuicrm.data.sales.lists import ORDERS
from tuicrm.data.stock import ledger as stock
from tuicrm.i18n import set_language
from tuicrm.reports import documents

pytestmark = pytest.mark.pg


@pytest.fixture
def chinese():
    set_language("zh_CN")  # conftest sets English back after the test
    yield
    formats.use_currency(None)


@pytest.fixture
def tea(admin):
    p = products.create_product(admin, code="P001", name="绿茶", price1="1234.50")
    stock.set_opening(admin, p, 10)
    return p


def test_amounts_and_dates_in_chinese(chinese):
    assert formats.fmt_amount(Decimal("1234.5")) == "¥1,234.50"
    assert formats.fmt_amount(Decimal("-3")) == "-¥3.00"
    assert formats.fmt_date(dt.date(2026, 12, 4)) == "2026年12月4日"
    assert formats.day_heading(dt.date(2026, 6, 15)) == "2026年6月15日 星期一"
    formats.use_currency("HK$")  # a symbol rather than a code
    assert formats.fmt_amount(Decimal("1234.5")) == "HK$1,234.50"
    formats.use_currency("USD")
    assert formats.fmt_amount(Decimal("1234.5")) == "US$1,234.50"


def test_amounts_and_dates_in_english_are_as_before():
    assert formats.fmt_amount(Decimal("1234.5")) == "1,234.50"
    assert formats.fmt_date(dt.date(2026, 12, 4)) == "2026-12-04"


def test_stored_words_are_shown_in_the_users_language(chinese):
    assert [shown_word(w) for w in ("sale", "sale_return", "draft", "received")] == [
        "销售", "销售退货", "草稿", "已收货"]
    kind = next(c for c in ORDERS.columns if c.name == "kind")
    assert kind.text("quote") == "报价"  # the list cell; the stored value stays "quote"


def test_order_entry_speaks_chinese(admin, tea, chinese):
    entry = OrderEntry(admin)
    view = entry.complete()
    assert view.level == Level.ERROR and view.status == "没有可完成的单据：请先扫描商品"
    view = entry.scan("P001")
    assert view.totals == "行数 1   小计 ¥1,234.50   合计 ¥1,234.50"
    assert view.header.startswith("销售订单 ") and "客户：散客" in view.header
    number = view.order.number
    view = entry.complete()
    assert view.status == f"销售 {number} 已完成，合计 ¥1,234.50"
    receipt = documents.receipt_text(view.finished.document, 42)
    assert "谢谢惠顾！" in receipt and "合计" in receipt


def test_order_entry_in_english_is_unchanged(admin, tea):
    entry = OrderEntry(admin)
    entry.scan("P001")
    number = entry.view().order.number
    assert entry.complete().status == f"Sale {number} completed, total 1,234.50"


def test_validation_errors_in_chinese(admin, chinese):
    with pytest.raises(ValidationError) as caught:
        customers.create_customer(admin, name="")
    assert "必填" in str(caught.value)


def test_two_languages_one_after_the_other_in_one_process(admin, tea):
    """The language is the process's: switching it switches what the data layer says."""
    entry = OrderEntry(admin)
    assert "nothing to complete" in entry.complete().status
    set_language("zh_CN")
    assert "没有可完成的" in entry.complete().status
