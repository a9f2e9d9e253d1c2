"""The printed documents of an order (O6): every kind has the company header; the contract
comes from the administrator's template with its placeholders filled in; a purchase prints a
purchase order for the supplier. A user would notice a failure as a paper without the shop's
name, a contract with raw {placeholders}, or a line wider than the page."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tests.test_documents import LONG_CN, sale  # noqa: F401 - the fixture
from tuicrm.data.core import settings
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.vocab import OrderKind
from tuicrm.data.sales import orders
from tuicrm.reports import order_documents as docs


@pytest.fixture
def company(admin):
    settings.set_value(admin, "company.phone", "021-6321 0000")
    settings.set_value(admin, "company.bank_account", "工商银行 6222 0000 1234 5678")


def test_every_document_of_a_sale_has_the_company_header(sale, company):  # noqa: F811
    kinds = docs.documents_for(sale.order)
    assert [k.name for k in kinds] == ["receipt", "invoice", "delivery_note", "contract"]
    for kind in kinds:
        text = docs.render(sale, kind)
        width = settings.value(settings.RECEIPT_WIDTH) if kind is docs.RECEIPT else 80
        assert max(cell_len(ln) for ln in text.splitlines()) <= width, kind.name
        assert "上海小店" in text and "021-6321 0000" in text, kind.name
        assert sale.order.number in text, kind.name
    assert "Bank: 工商银行" in docs.render(sale, docs.INVOICE)
    assert "Bank:" not in docs.render(sale, docs.DELIVERY_NOTE)  # no prices, no bank


def test_the_contract_fills_the_template(sale, company, admin):  # noqa: F811
    text = docs.contract_text(sale)
    assert "{" not in text and "SALES CONTRACT  No. " + sale.order.number in text
    assert "Buyer:  C9 北京王府井" in text
    assert "2,599.50" in text  # the total, and the goods table with it
    assert "TEA-OOLONG" in text
    settings.set_value(admin, "document.contract_template",
                       "销售合同 {order_number}\n买方: {customer}\n合计: {currency} {total}\n")
    assert docs.contract_text(sale).splitlines() == [
        f"销售合同 {sale.order.number}", "买方: C9 北京王府井百货集团股份有限公司 Wangfujing Dept. "
        "Store", "合计: CNY 2,599.50"]


@pytest.mark.parametrize("bad, message", [
    ("{nope}", "unknown placeholder {nope}"),
    ("{total:>20}", "plain name in braces"),
    ("{customer.__class__}", "unknown placeholder"),
    ("{ unclosed", "does not pair up"),
])
def test_a_template_with_unknown_placeholders_is_refused(admin, bad, message):
    with pytest.raises(ValidationError, match=message):
        settings.set_value(admin, "document.contract_template", bad)


def test_a_purchase_prints_a_purchase_order(admin, manager):
    from tuicrm.data.catalog import products
    from tuicrm.data.models import Supplier

    settings.set_value(admin, "company.name", "华兴五金")
    supplier = Supplier.create(code="S1", name="宁波工具厂")
    hammer = products.create_product(manager, code="H1", name="锤子", price1="20")
    order = orders.new_order(manager, OrderKind.PURCHASE.value, supplier_id=supplier.id)
    orders.add_line(manager, order, hammer, 12)
    document = orders.order_document(manager, order)
    kinds = docs.documents_for(document.order)
    assert kinds[0] is docs.PURCHASE_ORDER
    text = docs.render(document, docs.PURCHASE_ORDER)
    assert "PURCHASE ORDER" in text and "华兴五金" in text and "宁波工具厂" in text
    assert "锤子" in text
