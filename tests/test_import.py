"""Importing customers (A5): all or nothing, problems by row and column, hostile files."""

from __future__ import annotations

import os
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.models import Customer, CustomerGroup
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.groups import customer_groups
from tuicrm.data.parties.search import search_customers
from tuicrm.data.transfer.customer_import import ImportFileError, import_customers
from tuicrm.reports.interchange import export_data

pytestmark = pytest.mark.pg


def xlsx(path, rows):
    wb = Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_chinese_headers_import_and_search(admin, tmp_path):
    customer_groups.create(admin, "华东")
    f = xlsx(tmp_path / "a.xlsx", [
        ["客户编号", "客户名称", "分组", "电话", "手机", "邮箱", "信用额度", "备注"],
        ["K001", "张三丰贸易有限公司", "华东", "021-5550", "13800138000", "a@b.cn", 1500.5, "老客户"],
        [None, "Acme Ltd", None, None, None, None, None, None],
        [None, None, None, None, None, None, None, None],  # blank rows are skipped
    ])
    r = import_customers(admin, f)
    assert r.ok and r.imported == 2 and r.rows == 2
    k = Customer.get(Customer.code == "K001")
    assert (k.name, k.group.name, k.credit_limit, k.notes) == (
        "张三丰贸易有限公司", "华东", Decimal("1500.50"), "老客户")
    assert Customer.get(Customer.name == "Acme Ltd").code == "C000001"
    assert [c.code for c in search_customers(admin, "张三")] == ["K001"]


def test_every_problem_listed_and_nothing_imported(admin, tmp_path):
    C.create_customer(admin, name="existing", code="DB1")
    f = xlsx(tmp_path / "bad.xlsx", [
        ["code", "name", "group", "phone", "email", "credit_limit", "price_level", "notes"],
        ["A1", "fine", None, "1", "ok@x.cn", 1, 1, ""],
        ["A2", None, None, None, None, None, None, None],           # missing name
        ["A3", "x", "Nowhere", None, None, None, None, None],      # unknown group
        ["A1", "dup", None, None, None, None, None, None],         # duplicate in file
        ["DB1", "dup db", None, None, None, None, None, None],     # duplicate in database
        ["A6", "num", None, 1.5, None, None, None, None],          # decimal for a phone
        ["A7", "mail", None, None, "not mail", "abc", 9, "x" * 5000],
    ])
    r = import_customers(admin, f)
    got = {(p.row, p.column) for p in r.problems}
    assert got == {(3, "name"), (4, "group"), (5, "code"), (6, "code"), (7, "phone"),
                   (8, "email"), (8, "credit_limit"), (8, "price_level"), (8, "notes")}
    text = "\n".join(map(str, r.problems))
    assert "row 4, group: unknown group 'Nowhere'" in text
    assert "also on row 2" in text and "already exists in the database" in text
    assert r.imported == 0 and Customer.select().count() == 1


def test_create_groups_option(admin, tmp_path):
    f = xlsx(tmp_path / "g.xlsx", [["name", "group"], ["a", "华南/广州"], ["b", "华南/广州"]])
    r = import_customers(admin, f, create_groups=True)
    assert r.imported == 2 and r.groups_created == ["华南/广州"]
    assert customer_groups.find("华南/广州").customers.count() == 2
    assert CustomerGroup.select().count() == 2


def test_formula_without_cached_value(admin, tmp_path):
    f = xlsx(tmp_path / "f.xlsx", [["name", "credit_limit"], ["a", "=1+2"]])
    r = import_customers(admin, f)
    assert [(p.row, p.column) for p in r.problems] == [(2, "credit_limit")]
    assert "formula" in r.problems[0].message and Customer.select().count() == 0


def test_dry_run_writes_nothing(admin, tmp_path):
    f = xlsx(tmp_path / "d.xlsx", [["name"], ["a"], ["b"]])
    r = import_customers(admin, f, dry_run=True)
    assert r.ok and r.imported == 0 and r.rows == 2 and Customer.select().count() == 0


@pytest.mark.parametrize("name,content,message", [
    ("empty.xlsx", b"", "empty"),
    ("enc.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + os.urandom(2000), "password-protected"),
    ("random.xlsx", os.urandom(4000), "not an Excel"),
    ("trunc.xlsx", b"PK\x03\x04" + os.urandom(500), "damaged"),
    ("x.pdf", b"%PDF-1.4", "import .xlsx or .csv"),
    ("empty.csv", b"", "empty"),
])
def test_hostile_files_get_one_line_messages(admin, tmp_path, name, content, message):
    f = tmp_path / name
    f.write_bytes(content)
    with pytest.raises(ImportFileError, match=message) as e:
        import_customers(admin, f)
    assert "\n" not in str(e.value)


def test_zip_bomb_refused_before_parsing(admin, tmp_path):
    f = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<x/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as w:
            chunk = b"\0" * (1 << 20)
            for _ in range(600):  # 600 MB of zeros, ~600 KB compressed
                w.write(chunk)
    assert f.stat().st_size < 5_000_000
    with pytest.raises(ImportFileError, match="too large"):
        import_customers(admin, f)


def test_not_a_workbook_inside_zip(admin, tmp_path):
    f = tmp_path / "z.xlsx"
    with zipfile.ZipFile(f, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError, match="not a readable .xlsx"):
        import_customers(admin, f)


def test_permission(sales, tmp_path):
    f = xlsx(tmp_path / "p.xlsx", [["name"], ["a"]])
    with pytest.raises(PermissionDenied):
        import_customers(sales, f)


@pytest.mark.parametrize("ext", ["xlsx", "csv"])
def test_round_trip(admin, tmp_path, ext, make_user):
    rep = make_user("sales", "rep")
    east = customer_groups.create(admin, "华东")
    sh = customer_groups.create(admin, "上海", east.id)
    C.create_customer(admin, name="张三丰贸易有限公司", group=sh.id, salesperson=rep.id,
                      phone="+86 21 5550", mobile="-", email="z@s.cn", credit_limit="1234.56",
                      payment_terms_days=30, price_level=2, notes="=1+2 不是公式", grade="A",
                      status="prospect", tax_number="'913100")
    C.create_customer(admin, name="@Acme", code="K-1")
    first = tmp_path / f"one.{ext}"
    export_data("customers", first, admin)
    before = list(Customer.select().order_by(Customer.code).tuples())
    Customer.delete().execute()
    r = import_customers(admin, first)
    assert r.ok, r.problems
    assert r.imported == 2
    after = list(Customer.select().order_by(Customer.code).tuples())
    strip = lambda rows: [row[4:-1] for row in rows]  # noqa: E731 - id, version, dates, run differ
    assert strip(after) == strip(before)
    second = tmp_path / f"two.{ext}"
    export_data("customers", second, admin)
    assert Customer.get(Customer.code == "K-1").name == "@Acme"


def test_duplicates_refuse_skip_update(admin, tmp_path):
    """The same file imported twice is never duplicated silently: refused by default (the
    twin check's name, phone or tax number too), skipped, or updating what it matches."""
    C.create_customer(admin, name="华兴包装", code="K1", phone="021-1", tax_number="TAX1")
    C.create_customer(admin, name="Other", code="K2", mobile="13800138000")
    f = xlsx(tmp_path / "d.xlsx", [
        ["code", "name", "phone", "mobile", "tax_number", "notes"],
        ["K1", "华兴包装", "021-1", None, None, "by code"],
        [None, "New name", None, "13800138000", None, "by mobile"],
        [None, "Third", None, None, "TAX1", "by tax number"],
        [None, "Fresh", None, None, None, "new"],
    ])
    r = import_customers(admin, f)
    assert {(p.row, p.column) for p in r.problems} == {(2, "code"), (3, "mobile"),
                                                        (4, "tax_number")}
    assert r.imported == 0 and Customer.select().count() == 2
    r = import_customers(admin, f, duplicates="skip")
    assert r.ok and r.imported == 1 and r.warning_count == 3
    assert Customer.select().count() == 3
    r = import_customers(admin, f, duplicates="update")
    assert r.ok and r.imported == 4  # all four update (Fresh came with the skip import)
    assert Customer.get(Customer.code == "K1").notes == "by tax number"  # the last row wins
    assert Customer.get(Customer.code == "K2").name == "New name"
    assert Customer.select().count() == 3  # nothing duplicated
