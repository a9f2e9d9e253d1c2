"""Printed documents: receipts at 32/42/48 columns and the A4 invoice / delivery note never
exceed their width with Chinese names; totals right; printing to a file or a command."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from tuicrm.data.catalog import products
from tuicrm.data.core import settings
from tuicrm.data.models import Customer
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.reports import documents
from tuicrm.reports.documents import PrintError

LONG_CN = "特级高山乌龙茶叶礼盒装一斤装（台湾原产地直供）加长名称测试"


@pytest.fixture
def sale(admin, manager):
    settings.set_value(admin, "company.name", "上海小店 Shanghai Little Shop Ltd.")
    settings.set_value(admin, "company.address",
                       "上海市黄浦区南京东路123号 Room 4, Nanjing East Road, Huangpu")
    settings.set_value(admin, "company.tax_number", "91310000MA1FL0000X")
    tea = products.create_product(manager, code="TEA-OOLONG-PREMIUM-500G", name=LONG_CN,
                                  spec="500g", unit="盒", price1="1288.00")
    cup = products.create_product(manager, code="P2", name="Cup 杯", price1="0.10")
    stock.set_opening(manager, tea, 10)
    stock.set_opening(manager, cup, 1000)
    customer = Customer.create(code="C9", name="北京王府井百货集团股份有限公司 Wangfujing Dept. Store",
                               address="北京市东城区王府井大街255号", phone="010-65125555")
    order = orders.new_order(manager, "sale", customer_id=customer)
    tea_line = orders.add_line(manager, order, tea, 2).line
    orders.add_line(manager, order, cup, 1000)
    orders.set_line_discount(manager, order, tea_line.id, "76.00")
    orders.set_order_discount(manager, order, "0.50")
    orders.complete_sale(manager, order)
    return orders.order_document(manager, order)


@pytest.mark.parametrize("width", [32, 42, 48])
def test_receipt_fits_the_paper_and_totals_are_right(sale, width):
    """A receipt line wider than the paper wraps on the printer and garbles the receipt."""
    text = documents.receipt_text(sale, width)
    lines = text.splitlines()
    assert max(cell_len(ln) for ln in lines) <= width
    assert all(cell_len(ln) == len(ln) or any(ord(c) > 0x2E80 for c in ln) for ln in lines)
    assert sale.order.number in text
    # 2 x 1288.00 = 2,576.00 - 76.00 ; 1000 x 0.10 = 100.00 ; subtotal 2,600.00 - 0.50
    assert str(sale.order.total) == "2599.50"
    totals = [ln for ln in lines if ln.startswith(("Subtotal", "Discount", "TOTAL"))]
    assert [ln.split()[-1] for ln in totals] == ["2,600.00", "-0.50", "2,599.50"]
    assert any(ln.endswith("2,576.00") for ln in lines)
    assert any(ln.strip().endswith("-76.00") for ln in lines)
    assert "特级" in text  # the Chinese name is there, cut to fit, not dropped


def test_invoice_and_delivery_note_fit_80_columns(sale):
    invoice = documents.invoice_text(sale)
    assert max(cell_len(ln) for ln in invoice.splitlines()) <= 80
    assert "INVOICE" in invoice and sale.order.number in invoice
    assert "91310000MA1FL0000X" in invoice
    assert invoice.splitlines()[-0 - 1].startswith("Issued by")
    assert "2,599.50" in invoice and "1,288.00" in invoice
    assert "王府井大街255号" in invoice and "010-65125555" in invoice  # the party details
    assert "Salesperson: manny" in invoice
    note = documents.delivery_note_text(sale)
    assert max(cell_len(ln) for ln in note.splitlines()) <= 80
    assert "DELIVERY NOTE" in note and "1,288.00" not in note and "total quantity 1002" in note


def test_width_helpers():
    assert documents.fit("乌龙茶", 5) == "乌龙 "  # a wide char never straddles the edge
    assert cell_len(documents.fit("乌龙茶", 5, "right")) == 5
    assert documents.two_sides("很长的名字很长的名字", "12.00", 12) == "很长的 12.00"
    assert all(cell_len(ln) <= 7 for ln in documents.wrap("上海市黄浦区 Road 12", 7))


def test_print_to_file_and_to_a_named_printer(sale, tmp_path, admin, fake_lp):
    text = documents.receipt_text(sale, 32)
    target = tmp_path / "receipt.txt"
    documents.print_text(text, path=target)
    assert target.read_text(encoding="utf-8") == text

    with pytest.raises(PrintError, match="no printer is set up"):
        documents.print_text(text)
    settings.set_value(admin, "print.printers", "counter, office-A4, broken")
    with pytest.raises(PrintError, match="choose a printer: counter, office-A4"):
        documents.print_text(text, kind="receipt")  # several printers, none chosen
    settings.set_value(admin, "print.receipt_printer", "counter")
    assert documents.print_text(text, kind="receipt") == "sent to counter"
    assert fake_lp.read_text(encoding="utf-8") == text
    assert (tmp_path / "printed.args").read_text() == "-d counter"

    settings.set_value(admin, "print.encoding", "gb18030")
    documents.print_text(text, printer="office-A4")
    assert fake_lp.read_bytes().decode("gb18030") == text
    assert (tmp_path / "printed.args").read_text() == "-d office-A4"

    with pytest.raises(PrintError, match="not one of the printers set up"):
        documents.print_text(text, printer="elsewhere")
    with pytest.raises(PrintError, match=r"exit code 3\): printer on fire"):
        documents.print_text(text, printer="broken")


def test_a_printer_setting_is_a_queue_name_never_a_command(admin):
    """Printing runs ``lp -d NAME`` without a shell; the settings take CUPS queue names only
    (issue 10: no setting names a program)."""
    from tuicrm.data.core.errors import ValidationError

    assert "print.command" not in settings.REGISTRY
    for bad in ("lp -d x", "x;rm -rf /", "-oraw", "$(id)", "a|b"):
        with pytest.raises(ValidationError):
            settings.set_value(admin, "print.printers", bad)
    with pytest.raises(ValidationError, match="add nowhere to the printers"):
        settings.set_value(admin, "print.document_printer", "nowhere")
