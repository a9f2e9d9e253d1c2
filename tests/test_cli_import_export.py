"""``tuicrm import customers`` and ``tuicrm export ...`` from the command line."""

from __future__ import annotations

import csv

import pytest
from openpyxl import Workbook, load_workbook

from tuicrm.cli import main
from tuicrm.data.models import Customer
from tuicrm.data.parties import contacts
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.groups import customer_groups

pytestmark = pytest.mark.pg


def xlsx(path, rows):
    wb = Workbook()
    for r in rows:
        wb.active.append(r)
    wb.save(path)
    return str(path)


def test_import_prints_problems_and_exits_1(db, admin, tmp_path, capsys):
    f = xlsx(tmp_path / "bad.xlsx", [["客户名称", "分组"], ["a", "Nowhere"], [None, None], ["", "x"]])
    assert main(["--db", db, "import", "customers", f]) == 1
    out, err = capsys.readouterr()
    assert "row 2, 分组: unknown group 'Nowhere'" in out
    assert "row 4, 客户名称: required" in out
    assert "nothing was imported" in err
    assert Customer.select().count() == 0


def test_import_dry_run_then_real(db, admin, tmp_path, capsys):
    f = xlsx(tmp_path / "ok.xlsx", [["name", "phone"], ["张三丰", "021-1"], ["Acme", ""]])
    assert main(["--db", db, "import", "customers", f, "--dry-run"]) == 0
    assert "2 customers would be imported" in capsys.readouterr().out
    assert Customer.select().count() == 0
    assert main(["--db", db, "import", "customers", f]) == 0
    assert capsys.readouterr().out.strip() == "imported 2 customers (import run 1)"
    assert Customer.select().count() == 2


def test_import_hostile_file_one_line(db, admin, tmp_path, capsys):
    f = tmp_path / "r.xlsx"
    f.write_bytes(b"\x00garbage" * 100)
    assert main(["--db", db, "import", "customers", str(f)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("tuicrm: ") and err.count("\n") == 1 and "Traceback" not in err


def test_export_with_group_and_search(db, admin, tmp_path, capsys):
    g = customer_groups.create(admin, "华东")
    C.create_customer(admin, name="张三丰贸易", group=g.id)
    C.create_customer(admin, name="Acme")
    c = C.create_customer(admin, name="李四")
    contacts.create_contact(admin, c.id, name="王五")
    out = tmp_path / "c.xlsx"
    assert main(["--db", db, "export", "customers", str(out), "--group", "华东"]) == 0
    assert "exported 1 customers" in capsys.readouterr().out
    rows = list(load_workbook(out).active.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["张三丰贸易"]
    out = tmp_path / "c.csv"
    assert main(["--db", db, "export", "customers", str(out), "--search", "acm"]) == 0
    with open(out, encoding="utf-8-sig") as f:
        assert [r[1] for r in csv.reader(f)] == ["name", "Acme"]
    out = tmp_path / "k.csv"
    assert main(["--db", db, "export", "contacts", str(out)]) == 0
    with open(out, encoding="utf-8-sig") as f:
        assert [r[2] for r in csv.reader(f)] == ["name", "王五"]
    assert main(["--db", db, "export", "suppliers", str(tmp_path / "s.txt")]) == 1
    assert ".xlsx or .csv" in capsys.readouterr().err
    assert main(["--db", db, "export", "customers", str(tmp_path / "x.csv"), "--group", "nope"]) == 1
