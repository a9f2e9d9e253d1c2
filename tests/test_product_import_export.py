"""Product import (all or nothing) and the products / orders / order-lines / stock exports."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from tuicrm.cli import main
from tuicrm.data.catalog import barcodes, categories, product_edit, products
from tuicrm.data.catalog.categories import product_categories
from tuicrm.data.catalog.rows import ScanMatch
from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.models import Barcode, Product
from tuicrm.data.sales import orders
from tuicrm.data.stock import ledger as stock
from tuicrm.data.transfer.customer_import import ImportFileError
from tuicrm.data.transfer.product_import import import_products
from tuicrm.reports.interchange import export_data

pytestmark = pytest.mark.pg

EAN = "4006381333931"  # a valid EAN-13
UPC = "036000291452"  # a valid UPC-A
CARTON = barcodes.carton_gtin14(EAN)


def xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return str(path)


def write_csv(path, rows):
    with open(path, "w", newline="", encoding="utf-8") as f:
        csv.writer(f).writerows(rows)
    return str(path)


HEAD = ["code", "name", "barcodes", "category", "unit", "cost", "price1", "price2", "price3",
        "price4", "min_stock"]


def test_import_then_export_round_trip(db, admin, tmp_path):
    drinks = categories.create_category(admin, "Drinks")
    categories.create_category(admin, "Juice", drinks.id)
    f = xlsx(tmp_path / "p.xlsx", [
        HEAD,
        ["P-1", "Apple juice 1L", f"{EAN}; 12*{CARTON}", "Drinks/Juice", "bottle", 1.2, "2.50",
         2.2, 2.1, 2, 6],
        ["P-2", "@SUM(A1)", UPC, "", "", 0, 9.99, None, None, None, None],
    ])
    result = import_products(admin, f)
    assert result.ok and result.imported == 2
    p1 = products.find_by_code(admin, "P-1")
    assert p1.price1 == Decimal("2.50") and p1.cost == Decimal("1.20")
    assert p1.min_stock == Decimal("6.000") and p1.unit == "bottle"
    assert product_categories.get(p1.category_id).name == "Juice"
    assert products.lookup_product(admin, CARTON) == ScanMatch(p1, Decimal("12.000"))
    assert products.lookup(EAN)[0].id == p1.id
    assert products.lookup("0" + UPC)[0].code == "P-2"  # EAN-13 spelling of the UPC-A
    assert products.find_by_code(admin, "P-2").unit == "pcs"

    for ext in ("xlsx", "csv"):
        out = tmp_path / f"out.{ext}"
        assert export_data("products", out, admin) == 2
        if ext == "xlsx":
            rows = list(load_workbook(out).active.iter_rows(values_only=True))
            assert list(rows[0]) == HEAD
            assert rows[1][2] == f"{EAN};12*{CARTON}" and rows[1][3] == "Drinks/Juice"
            assert rows[1][6] == Decimal("2.5") or rows[1][6] == 2.5
            assert rows[2][1] == "@SUM(A1)"
            assert load_workbook(out).active["B3"].data_type == "s"  # text, not a formula
        else:
            with open(out, encoding="utf-8-sig") as fh:
                rows = list(csv.reader(fh))
            assert rows[0] == HEAD
            assert rows[2][1] == "'@SUM(A1)"  # defused for spreadsheet programs
    # the export imports back into an empty database unchanged (codes clash here: all refused)
    again = import_products(admin, tmp_path / "out.csv")
    assert not again.ok and Product.select().count() == 2
    assert any("already exists in the database" in str(p) for p in again.problems)
    Barcode.delete().execute()
    Product.delete().execute()
    back = import_products(admin, tmp_path / "out.csv")
    assert back.ok, back.problems
    p1 = products.find_by_code(admin, "P-1")
    assert [(b.raw, b.pack_qty) for b in product_edit.product_detail(admin, p1.id).barcodes] \
        == [(EAN, Decimal("1.000")), (CARTON, Decimal("12.000"))]
    assert products.find_by_code(admin, "P-2").name == "@SUM(A1)"


def test_bad_rows_all_or_nothing(db, admin, tmp_path):
    bad_ean = EAN[:-1] + "0"
    f = xlsx(tmp_path / "bad.xlsx", [
        ["商品编码", "商品名称", "条码", "分类", "零售价", "最低库存", "colour"],
        ["A1", "Good", "6901234567892", None, 5, 1, None],
        ["A2", "Bad check digit", bad_ean, None, 5, 1, None],
        ["A3", "", None, "Nowhere", "abc", -1, None],
        ["A1", "Twin code", None, None, 1, 0, None],
        ["A5", "Twin barcode", "6901234567892", None, 1, 0, None],
        ["A6", "=A2&A3", None, None, 1, 0, None],
    ])
    result = import_products(admin, f)
    text = "\n".join(str(p) for p in result.problems)
    assert "row 1, colour: unknown column" in text
    assert f"row 3, 条码: {bad_ean} is not a valid 13-digit GTIN" in text
    assert "last digit should be 1" in text
    assert "row 4, 商品名称: a product needs a name" in text
    assert "row 4, 分类: unknown category 'Nowhere'" in text
    assert "row 4, 零售价:" in text and "row 4, 最低库存: cannot be negative" in text
    assert "row 5, 商品编码: code 'A1' also on row 2" in text
    assert "row 6, 条码: barcode 6901234567892 also on row 2" in text
    assert [str(p) for p in result.problems if p.row == 7] == [
        "row 7, 商品名称: a formula without a saved value; paste it as a value"]
    assert Product.select().count() == 0


def test_duplicates_against_database_and_create_categories(db, admin, tmp_path):
    products.create_product(admin, code="OLD", name="Old one", barcodes=[EAN])
    f = write_csv(tmp_path / "p.csv", [
        ["code", "name", "barcodes", "category"],
        ["OLD", "Again", "", ""],
        ["NEW", "New", "0" + EAN, ""],  # the same GTIN written with a leading zero
        ["N2", "Fine", "", "Food/Snacks"],
    ])
    result = import_products(admin, f)
    text = "\n".join(str(p) for p in result.problems)
    assert "row 2, code: code 'OLD' already exists in the database" in text
    assert f"row 3, barcodes: barcode 0{EAN} already belongs to product OLD Old one" in text
    assert "row 4, category: unknown category 'Food/Snacks'" in text
    f2 = write_csv(tmp_path / "ok.csv", [["code", "name", "category"], ["N2", "Fine", "Food/Snacks"]])
    dry = import_products(admin, f2, dry_run=True, create_categories=True)
    assert dry.ok and dry.groups_created == ["Food/Snacks"] and Product.select().count() == 1
    done = import_products(admin, f2, create_categories=True)
    assert done.imported == 1
    assert product_categories.find("Food/Snacks").id == products.find_by_code(admin, "N2").category_id


def test_numeric_barcode_cell_gets_its_leading_zero_back(db, admin, tmp_path):
    f = xlsx(tmp_path / "n.xlsx", [["code", "name", "barcodes"], ["U", "Upc", int(UPC)]])
    assert import_products(admin, f).ok
    assert products.lookup(UPC)[0].code == "U"


def test_import_needs_permission_and_refuses_hostile_file(db, admin, sales, tmp_path):
    f = write_csv(tmp_path / "p.csv", [["code", "name"], ["X", "Y"]])
    with pytest.raises(PermissionDenied):
        import_products(sales, f)
    bomb = tmp_path / "x.xlsx"
    bomb.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(ImportFileError, match="password-protected"):
        import_products(admin, bomb)


def test_products_export_hides_cost_without_permission(db, admin, sales, tmp_path):
    products.create_product(admin, code="C1", name="Secret cost", cost="3.00", price1="5")
    out = tmp_path / "s.csv"
    export_data("products", out, sales)
    with open(out, encoding="utf-8-sig") as fh:
        rows = list(csv.reader(fh))
    assert "cost" not in rows[0] and "3.00" not in rows[1]


def _sale(admin, product, n):
    order = orders.new_order(admin, "sale")
    orders.add_line(admin, order, product, n)
    orders.complete_sale(admin, order)
    return orders.get_order(admin, order.id)


def test_orders_lines_and_stock_exports(db, admin, tmp_path):
    p = products.create_product(admin, code="S1", name="Soap", price1="1.50")
    stock.set_opening(admin, p, 10)
    order = _sale(admin, p, 3)
    out = tmp_path / "o.xlsx"
    assert export_data("orders", out, admin) == 1
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert list(rows[0]) == ["number", "date", "customer_code", "kind", "status", "total"]
    number, date, cust, kind, status, total = rows[1]
    assert number == order.number and kind == "sale" and status == "delivered"
    assert isinstance(date, dt.datetime) and Decimal(str(total)) == Decimal("4.50")
    assert cust in ("", None)
    lines = tmp_path / "l.csv"
    assert export_data("order-lines", lines, admin) == 1
    with open(lines, encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh)) == [
            ["order_number", "product_code", "quantity", "unit_price", "amount"],
            [order.number, "S1", "3.000", "1.50", "4.50"],
        ]
    st = tmp_path / "s.csv"
    assert export_data("stock", st, admin) == 1
    with open(st, encoding="utf-8-sig") as fh:
        assert list(csv.reader(fh)) == [["product_code", "location", "on_hand"],
                                        ["S1", "MAIN", "7.000"]]


def test_cli_import_and_export_products(db, admin, tmp_path, capsys):
    bad = xlsx(tmp_path / "bad.xlsx", [["code", "name", "barcodes"], ["B", "Bad", EAN[:-1] + "7"]])
    assert main(["--db", db, "import", "products", bad]) == 1
    out, err = capsys.readouterr()
    assert "row 2, barcodes:" in out and "nothing was imported" in err
    good = xlsx(tmp_path / "ok.xlsx", [["code", "name", "barcodes", "category"],
                                       ["G", "Good", EAN, "New/Sub"]])
    assert main(["--db", db, "import", "products", good, "--dry-run"]) == 1  # unknown category
    capsys.readouterr()
    assert main(["--db", db, "import", "products", good, "--dry-run",
                 "--create-categories"]) == 0
    assert "1 product would be imported (new categories: New/Sub)" in capsys.readouterr().out
    assert Product.select().count() == 0
    assert main(["--db", db, "import", "products", good, "--create-categories"]) == 0
    assert capsys.readouterr().out.strip() == (
        "imported 1 product (new categories: New/Sub) (import run 1)")
    for what in ("products", "orders", "order-lines", "stock"):
        target = tmp_path / f"{what}.csv"
        assert main(["--db", db, "export", what, str(target)]) == 0
        assert f"to {target}" in capsys.readouterr().out
        assert target.exists()
    assert main(["--db", db, "export", "products", str(tmp_path / "c.csv"), "--group", "New"]) == 0
    assert "exported 1 products" in capsys.readouterr().out
    assert main(["--db", db, "export", "products", str(tmp_path / "d.csv"), "--group", "Zz"]) == 1
    assert "no product category" in capsys.readouterr().err
