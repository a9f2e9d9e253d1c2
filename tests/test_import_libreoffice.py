"""A workbook saved by LibreOffice Calc from a CSV with Chinese headers and phone numbers (Calc
stores 13800138000 as a number) imports with the phones kept as written."""

from __future__ import annotations

import shutil
import subprocess

import pytest

SOFFICE = shutil.which("soffice") or shutil.which("libreoffice")

pytestmark = pytest.mark.skipif(SOFFICE is None, reason="LibreOffice Calc is not installed")

CSV = """客户编号,客户名称,手机,电话,税号,地址
K001,上海华兴包装有限公司,13800138000,021-62345678,91310000MA1FL0000X,上海市黄浦区南京东路1号
K002,北京王府井百货,13912345678,010-65125555,,北京市东城区王府井大街255号
K003,广州天河电子,18688889999,,,广州市天河区
"""


def test_a_libreoffice_workbook_keeps_the_phones(db, admin, tmp_path):
    from openpyxl import load_workbook

    from tuicrm.data.parties.customers import customer_by_code
    from tuicrm.data.transfer.customer_import import import_customers

    source = tmp_path / "客户.csv"
    source.write_text(CSV, encoding="utf-8")
    profile = tmp_path / "lo-profile"
    done = subprocess.run(
        [SOFFICE, f"-env:UserInstallation=file://{profile}", "--headless",
         "--infilter=CSV:44,34,76,1", "--convert-to", "xlsx", "--outdir", str(tmp_path),
         str(source)], capture_output=True, text=True, timeout=180)
    book = tmp_path / "客户.xlsx"
    assert book.exists(), done.stdout + done.stderr
    cells = [c.value for c in next(load_workbook(book).active.iter_rows(min_row=2))]
    assert isinstance(cells[2], int | float)  # Calc made the phone a number: the trap
    result = import_customers(admin, book)
    assert result.ok, [str(p) for p in result.problems]
    assert result.imported == 3
    assert customer_by_code(admin, "K001").mobile == "13800138000"
    assert customer_by_code(admin, "K002").mobile == "13912345678"
    assert customer_by_code(admin, "K002").phone == "010-65125555"
    assert customer_by_code(admin, "K003").mobile == "18688889999"
    assert customer_by_code(admin, "K001").tax_number == "91310000MA1FL0000X"
    assert any("leading zero" in str(w) for w in result.warnings)
