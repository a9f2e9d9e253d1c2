"""Export to .xlsx / .csv (L5) and text reports (L6)."""

from __future__ import annotations

import csv
import datetime as dt
import threading
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from tuicrm.data.parties import customers as C
from tuicrm.data.parties.groups import customer_groups
from tuicrm.reports.interchange import export_data
from tuicrm.reports.spreadsheet import Cancelled, ExportColumn, export_rows
from tuicrm.reports.text import PrintError, print_text, render_text

COLS = [ExportColumn("name"), ExportColumn("credit", "money"), ExportColumn("day", "date"),
        ExportColumn("n", "int")]
RISKY = ["=1+2", "=HYPERLINK(\"http://x\",\"y\")", "+86 138", "-5", "@SUM(A1)", "#N/A", "\x01bad"]


def test_xlsx_never_writes_formulas_and_types_money(tmp_path):
    rows = [(v, Decimal("1234.56"), dt.date(2026, 1, 2), 7) for v in RISKY]
    out = tmp_path / "x.xlsx"
    assert export_rows(out, COLS, rows) == len(RISKY)
    ws = load_workbook(out).active
    got = list(ws.iter_rows(min_row=2))
    assert [r[0].value for r in got] == [v.replace("\x01", "\u2401") for v in RISKY]
    assert {r[0].data_type for r in got} == {"s"}
    money = got[0][1]
    assert money.data_type == "n" and money.value == pytest.approx(1234.56)
    assert money.number_format == "#,##0.00"
    assert got[0][2].is_date and got[0][2].value.date() == dt.date(2026, 1, 2)
    assert got[0][3].value == 7


def test_csv_defuses_formulas_and_keeps_values(tmp_path):
    out = tmp_path / "x.csv"
    export_rows(out, COLS, [(v, Decimal("0.10"), dt.date(2026, 1, 2), 1) for v in RISKY[:5]])
    with open(out, encoding="utf-8-sig", newline="") as f:
        data = list(csv.reader(f))
    assert data[0] == ["name", "credit", "day", "n"]
    assert [r[0] for r in data[1:]] == ["'" + v for v in RISKY[:5]]
    assert data[1][1:] == ["0.10", "2026-01-02", "1"]


def test_cancel_leaves_no_file_and_progress_is_reported(tmp_path):
    out = tmp_path / "big.xlsx"
    stop = threading.Event()
    seen = []

    def progress(done, total):
        seen.append(done)
        if done >= 2000:
            stop.set()

    with pytest.raises(Cancelled):
        export_rows(out, COLS, ((f"n{i}", Decimal(i), None, i) for i in range(10_000)),
                    progress=progress, cancel=stop, total=10_000)
    assert not out.exists() and list(tmp_path.iterdir()) == []
    assert seen[:2] == [1000, 2000]


@pytest.mark.pg
def test_export_customers_with_group_and_search(admin, tmp_path):
    g = customer_groups.create(admin, "华东")
    C.create_customer(admin, name="张三丰贸易", group=g.id, credit_limit="99.5")
    C.create_customer(admin, name="=cmd|' /C calc'!A0")
    out = tmp_path / "c.xlsx"
    assert export_data("customers", out, admin, group="华东") == 1
    ws = load_workbook(out).active
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:4] == ("code", "name", "group", "grade")
    assert rows[1][1:3] == ("张三丰贸易", "华东") and rows[1][15] == 99.5
    out2 = tmp_path / "s.xlsx"
    assert export_data("customers", out2, admin, search="cmd") == 1
    cell = list(load_workbook(out2).active.iter_rows(min_row=2))[0][1]
    assert cell.data_type == "s" and cell.value.startswith("=cmd")


def test_text_report_fits_width_with_cjk():
    rows = [("C1", "张三丰贸易有限公司上海分公司名字很长很长很长", Decimal("1234.50")),
            ("C2", "Acme", Decimal("5.00"))]
    text = render_text(["code", "name", "credit"], rows, width=40)
    from rich.cells import cell_len

    lines = text.splitlines()
    assert max(cell_len(x) for x in lines) <= 40
    assert lines[2].endswith("1,234.50") and lines[3].endswith("5.00")
    assert "…" in lines[2]  # shortened with an ellipsis


def test_print_text_goes_to_a_named_printer(db, admin, fake_lp):
    from tuicrm.data.core import settings

    settings.set_value(admin, "print.printers", "office")
    assert print_text("hello 你好\n") == "office"  # the only printer set up
    assert fake_lp.read_text(encoding="utf-8") == "hello 你好\n"
    with pytest.raises(PrintError, match="failed"):
        settings.set_value(admin, "print.printers", "office,broken")
        print_text("x", "broken")
