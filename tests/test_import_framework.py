"""The import framework: column kinds, the streamed reader, the check and write passes.

The customer and product imports have their own tests (test_import.py,
test_product_import_export.py); these pin what every import shares, and show that a new
import (receipts, say) is a short declaration.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from decimal import Decimal
from typing import Any

import pytest
from openpyxl import Workbook

from tuicrm.data.core import db as dbmod
from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.core.operation import Op
from tuicrm.data.models import AuditLog, Customer, Product, RolePermission
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.scope import customer_scope_where
from tuicrm.data.transfer import kinds as K
from tuicrm.data.transfer.columns import column
from tuicrm.data.transfer.customer_import import CustomerImport, import_customers
from tuicrm.data.transfer.files import ImportFileError, open_rows
from tuicrm.data.transfer.importer import Checked, Importer, RowCheck, Written
from tuicrm.data.transfer.product_import import import_products
from tuicrm.data.transfer.run import run_import

pytestmark = pytest.mark.pg


def xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return path


# -- kinds ------------------------------------------------------------------------------------


@pytest.mark.parametrize("cell,text", [
    (13800138000, "13800138000"), (13800138000.0, "13800138000"), (Decimal("1001"), "1001"),
    (2.5, "2.5"), (True, "yes"), (dt.datetime(2026, 6, 15), "2026-06-15"),
    (" a\x1b[2Jb\r\nc\t ", "a[2Jb c"),
])
def test_text_cells_become_text(cell, text):
    """A phone Excel saved as a number reads as its digits, never 13800138000.0; escape
    sequences never reach the database."""
    assert K.Text().convert(cell) == text


def test_multiline_text_cells_keep_their_lines():
    """A notes column keeps its line breaks; control characters still go."""
    assert K.Text(multiline=True).convert(" a\x1b[2Jb\r\nc\t ") == "a[2Jb\nc"


def test_text_only_columns_refuse_numbers_and_lengths_are_checked():
    with pytest.raises(ValueError, match="expected text, got a number"):
        K.Text(numbers=False).convert(13800138000)
    with pytest.raises(ValueError, match="at most 3 characters"):
        K.Text(3).convert("abcd")
    assert K.Code().convert(" 5 901234 123457 ") == "5901234123457"
    assert K.Code().convert(6901234567892).value == "6901234567892"  # warned


@pytest.mark.parametrize("kind,cell,value", [
    (K.Money(), "¥1,234.50", Decimal("1234.50")), (K.Money(), 1500.5, Decimal("1500.50")),
    (K.Money(), "12元", Decimal("12.00")), (K.Quantity(), "2.5", Decimal("2.500")),
    (K.Int(1, 4), 3.0, 3), (K.Int(), " 7 ", 7), (K.Bool(), "是", True), (K.Bool(), "停用", False),
    (K.Bool(), False, False), (K.Date(), "2026/6/15", dt.date(2026, 6, 15)),
    (K.Date(), 20260615, dt.date(2026, 6, 15)), (K.Date(), "2026年6月15日", dt.date(2026, 6, 15)),
    (K.Date(), "2026-06-15 10:30:00", dt.date(2026, 6, 15)),
    (K.Date(), dt.datetime(2026, 6, 15, 9), dt.date(2026, 6, 15)),
    (K.Email(), " a@b.cn ", "a@b.cn"),
    (K.Choice(("cash", "bank"), {"现金": "cash"}), "现金", "cash"),
    (K.Choice(("cash", "bank"), {"现金": "cash"}), "BANK", "bank"),
    (K.TreePath(), " 华南 / 广州 ", "华南/广州"), (K.TreePath(), "华南／广州", "华南/广州"),
])
def test_kinds_convert(kind, cell, value):
    assert kind.convert(cell) == value


@pytest.mark.parametrize("kind,cell,message", [
    (K.Money(), "abc", "not a valid amount"), (K.Money(min=0), -1, "cannot be negative"),
    (K.Money(limit=100), 100, "too large"), (K.Money(), True, "expected an amount"),
    (K.Quantity(min=0), "-0.5", "cannot be negative"), (K.Int(1, 4), 9, "between 1 and 4"),
    (K.Int(), 2.5, "expected a whole number"), (K.Bool(), "maybe", "write yes or no"),
    (K.Date(), "15/06/2026x", "expected a date"), (K.Email(), "not mail", "not an e-mail"),
    (K.Choice(("cash", "bank")), "cheque", "one of cash, bank"),
])
def test_kinds_refuse(kind, cell, message):
    with pytest.raises(ValueError, match=message):
        kind.convert(cell)


# -- reading ----------------------------------------------------------------------------------


def test_formula_with_a_saved_value_reads_the_value(admin, tmp_path):
    """A workbook saved by Excel keeps each formula's value: that value is imported."""
    f = xlsx(tmp_path / "f.xlsx", [["name", "credit_limit"], ["a", "=1+2"], ["b", 5]])
    with zipfile.ZipFile(f) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    parts[sheet] = re.sub(rb"<f>1\+2</f>(<v\s*/>|<v></v>)?", b"<f>1+2</f><v>3</v>", parts[sheet])
    assert b"<v>3</v>" in parts[sheet]
    with zipfile.ZipFile(f, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    r = import_customers(admin, f)
    assert r.ok, r.problems
    assert Customer.get(Customer.name == "a").credit_limit == Decimal("3.00")


def test_rows_are_streamed_with_their_sheet_numbers(tmp_path):
    f = xlsx(tmp_path / "s.xlsx", [["name"], ["a"], [None], ["b"]])
    with open_rows(f) as rows:
        first = next(rows)
        assert (first.number, first.values) == (1, ("name",))
        assert [(r.number, r.values) for r in rows] == [(2, ("a",)), (4, ("b",))]


def test_gb18030_csv_with_chinese_headers(admin, tmp_path):
    """What Excel saves as CSV on a Chinese Windows."""
    f = tmp_path / "gbk.csv"
    f.write_bytes("客户名称,电话\n张三丰贸易,021-5550\n".encode("gb18030"))
    r = import_customers(admin, f)
    assert r.ok and r.imported == 1
    assert Customer.get(Customer.phone == "021-5550").name == "张三丰贸易"


def test_csv_with_nul_bytes_is_refused(admin, tmp_path):
    f = tmp_path / "u16.csv"
    f.write_bytes("name\nabc\n".encode("utf-16-le"))
    with pytest.raises(ImportFileError, match="not a text CSV"):
        import_customers(admin, f)


def test_missing_required_column_is_one_problem_not_one_a_row(admin, tmp_path):
    f = tmp_path / "n.csv"
    f.write_text("phone\n" + "1\n" * 50, encoding="utf-8")
    r = import_customers(admin, f)
    assert [str(p) for p in r.problems] == ["row 1: no name column (name or 客户名称)"]
    assert r.rows == 50 and Customer.select().count() == 0


def test_numbers_in_product_text_columns_become_digits(admin, tmp_path):
    f = xlsx(tmp_path / "p.xlsx", [["code", "name", "spec"], [1001, "Soap", 500.0]])
    assert import_products(admin, f).ok
    assert Product.get(Product.code == "1001").spec == "500"


# -- checking and writing ---------------------------------------------------------------------


def test_one_audit_row_per_import(admin, tmp_path):
    f = xlsx(tmp_path / "a.xlsx", [["name"], ["a"], ["b"], ["c"]])
    last = AuditLog.select(AuditLog.id).order_by(AuditLog.id.desc()).scalar() or 0
    assert import_customers(admin, f).imported == 3
    rows = list(AuditLog.select().where(AuditLog.id > last).order_by(AuditLog.id))
    assert [(a.entity, a.record_id, a.action, a.username) for a in rows] == [
        ("customer", None, "import", "admin")]
    changes = json.loads(rows[0].changes)
    assert changes == {"file": "a.xlsx", "count": 3, "run": changes["run"]}


def _meanwhile(action):
    """A progress callback that runs ``action`` (another terminal's write) once, just before
    the import writes its first batch."""
    done = []

    def progress(phase, n, total):
        if phase == "writing" and not done:
            done.append(1)
            action()
    return progress


def test_a_code_taken_between_check_and_write_writes_nothing(admin, tmp_path):
    """Another terminal adds customer K1 after the file was checked: the batch refuses it and
    the run is taken back."""
    f = xlsx(tmp_path / "r.xlsx", [["code", "name"], ["K1", "a"], ["K2", "b"]])
    r = run_import(admin, CustomerImport(), f, progress=_meanwhile(
        lambda: C.create_customer(admin, name="first", code="K1")))
    assert [str(p) for p in r.problems] == [
        "row 2, code: code 'K1' was added by another terminal after the file was checked"]
    assert r.imported == 0
    assert [c.code for c in Customer.select()] == ["K1"]


def test_a_group_removed_between_check_and_write_writes_nothing(admin, tmp_path):
    from tuicrm.data.parties.groups import customer_groups

    east = customer_groups.create(admin, "华东")
    f = xlsx(tmp_path / "g.xlsx", [["name", "group"], ["a", "华东"]])
    r = run_import(admin, CustomerImport(), f, progress=_meanwhile(
        lambda: customer_groups.delete(admin, east.id)))
    assert [str(p) for p in r.problems] == [
        "the database changed while the file was imported (a code taken, or a group "
        "or user removed, by another terminal)"]
    assert Customer.select().count() == 0


def test_import_needs_the_domain_edit_permission_too(make_user, tmp_path):
    clerk = make_user("warehouse")
    RolePermission.create(role="warehouse", action="import")
    f = xlsx(tmp_path / "p.xlsx", [["name"], ["a"]])
    with pytest.raises(PermissionDenied):
        import_customers(clerk, f)


# -- a new import is a declaration ----------------------------------------------------------


class Receipts(Importer[dict[str, Any]]):
    """The shape of the receipts import to come (a bank or mobile-pay export)."""

    entity, noun, permission = "receipt", "receipts", "customer.edit"
    columns = (
        column("date", K.Date(), "日期", "交易日期", required=True),
        column("customer", K.Code(40), "客户编号", required=True),
        column("amount", K.Money(min=Decimal("0.01")), "金额", required=True),
        column("method", K.Choice(("cash", "bank", "wechat"), {"现金": "cash", "微信": "wechat"}),
               "方式", required=True),
        column("reference", K.Text(60), "流水号", required=True),
        column("invoice", K.Text(40), "发票号"),
    )

    def begin(self, op: Op) -> None:
        self.actor = op.actor
        self.in_transaction = dbmod.in_transaction()

    def check_row(self, row: RowCheck) -> dict[str, Any] | None:
        code = row.values["customer"]
        query = Customer.select(Customer.id).where(Customer.code == code)
        reach = customer_scope_where(self.actor)
        found = (query if reach is None else query.where(reach)).scalar() if code else None
        if code and found is None:
            row.problem("customer", f"no customer {code!r} of yours")
        if row.values["reference"]:
            earlier = row.claim("reference", row.values["reference"], "reference")
            if earlier is not None:
                row.problem("reference", f"also on row {earlier.row}")
        return {**row.values, "customer": found}

    def write(self, op: Op, checked: Checked[dict[str, Any]]) -> Written:
        self.written = [r for batch in checked.records() for r in batch]
        return Written(len(self.written))


def test_a_receipts_import_is_a_short_declaration(admin, tmp_path):
    C.create_customer(admin, name="张三丰", code="K1")
    f = xlsx(tmp_path / "bank.xlsx", [
        ["交易日期", "客户编号", "金额", "方式", "流水号", "发票号"],
        ["2026/6/1", "K1", "¥1,200.00", "微信", "W-1", None],
        ["2026-06-02", "K9", 0, "cheque", "W-1", "INV-1"],
    ])
    importer = Receipts()
    bad = run_import(admin, importer, f)
    assert [str(p) for p in bad.problems] == [
        "row 3, 客户编号: no customer 'K9' of yours", "row 3, 方式: one of cash, bank, wechat",
        "row 3, 流水号: also on row 2", "row 3, 金额: must not be below 0.01"]
    assert importer.in_transaction is False  # the check holds no write lock
    good = run_import(admin, Receipts(), xlsx(tmp_path / "ok.xlsx", [
        ["date", "customer", "amount", "method", "reference"],
        ["2026/6/1", "K1", 1200, "现金", "W-1"]]))
    assert good.ok and good.imported == 1
    assert AuditLog.select().where(AuditLog.entity == "receipt").count() == 1


def test_problems_never_carry_control_characters(admin, tmp_path):
    """A header or group name with an escape sequence is shown, not obeyed, by a terminal."""
    f = tmp_path / "esc.csv"
    f.write_text("name,group,\x1b[2Jcolour\nA,\x1b]0;x\x07North\n", encoding="utf-8")
    text = "\n".join(map(str, import_customers(admin, f).problems))
    assert "row 1, [2Jcolour: unknown column" in text
    assert "unknown group" in text and "\x1b" not in text and "\x07" not in text


@pytest.mark.parametrize("cell", [13800138000, 13800138000.0, Decimal("13800138000")])
def test_a_phone_stored_as_a_number_is_its_digits_with_a_warning(cell):
    """LibreOffice and Excel store a phone typed into a General cell as a number."""
    got = K.Text(40, digits=True).convert(cell)
    assert isinstance(got, K.Warned) and got.value == "13800138000"
    assert "leading zero" in got.message


@pytest.mark.parametrize("cell", [2.5, Decimal("1.5"), "1.38E+10", "1.38e10", 1e300])
def test_a_decimal_or_an_exponent_in_a_digits_column_is_a_row_error(cell):
    with pytest.raises(ValueError):
        K.Text(40, digits=True).convert(cell)


def test_customer_import_of_numeric_phones_keeps_them_and_warns(db, admin, tmp_path):
    """A workbook whose phone and code columns hold numbers imports, phones as written."""
    from openpyxl import Workbook

    from tuicrm.data.parties.customers import customer_by_code
    from tuicrm.data.transfer.customer_import import import_customers

    wb = Workbook()
    ws = wb.active
    ws.append(["客户编号", "客户名称", "手机", "税号"])
    ws.append([1001, "华兴包装", 13800138000, 91310000])
    ws.append(["C2", "Dupont", 13900139000.0, None])
    path = tmp_path / "c.xlsx"
    wb.save(path)
    result = import_customers(admin, path)
    assert result.ok and result.imported == 2
    assert result.warning_count == 4 and "leading zero" in str(result.warnings[0])
    assert customer_by_code(admin, "1001").mobile == "13800138000"
    assert customer_by_code(admin, "C2").mobile == "13900139000"


def test_files_over_the_limits_are_refused_in_one_line(db, admin, tmp_path, monkeypatch):
    """Over the row limit (streamed: refused when the row is reached) or the size limit."""
    from tuicrm.data.transfer import files, run
    from tuicrm.data.transfer.customer_import import import_customers
    from tuicrm.data.transfer.files import ImportFileError

    path = tmp_path / "c.csv"
    path.write_text("name\n" + "".join(f"n{i}\n" for i in range(30)), encoding="utf-8")
    monkeypatch.setattr(run, "MAX_ROWS", 20)
    with pytest.raises(ImportFileError, match="more than 20 rows, the import limit") as e:
        import_customers(admin, path)
    assert "\n" not in str(e.value)
    monkeypatch.setattr(files, "MAX_CSV_BYTES", 100)
    with pytest.raises(ImportFileError, match="over the import limit"):
        import_customers(admin, path)
