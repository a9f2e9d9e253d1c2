"""A report as text fitted to a width (Chinese by display width), .txt, .csv and .xlsx (numbers
as numbers with formats, widths, frozen header), and ``tuicrm report`` for cron."""

from __future__ import annotations

import csv
import datetime as dt
import subprocess
import sys
from decimal import Decimal

import pytest
from rich.cells import cell_len

from tuicrm.reports.engine import Column, Ratio, Result, compute_totals
from tuicrm.reports.render import render_text, write_report


def _result(rows: int = 3, name: str = "上海华兴五金机电设备有限公司") -> Result:
    cols = (Column("code", "Code"), Column("customer", "Customer"),
            Column("quantity", "Qty", "qty", "sum"),
            Column("amount", "Amount", "money", "sum"),
            Column("margin", "Margin", "money", "sum"),
            Column("margin_pct", "Margin %", "percent", Ratio("margin", "amount")),
            Column("compare_amount", "Last year", "money", "sum"),
            Column("change", "Change", "money", "sum"))
    body = [(f"C{i:05d}", f"{name}{i}", Decimal("12.500"), Decimal("1234567.89"),
             Decimal("234567.80"), Decimal("19.0"), Decimal("1000000.00"),
             Decimal("234567.89")) for i in range(rows)]
    body.append(("=cmd|' /C calc'!A0", "\x1b[31m红\x07", Decimal("1.000"), Decimal("-5.00"),
                 Decimal("-1.00"), Decimal("20.0"), Decimal("0.00"), Decimal("-5.00")))
    return Result("sales", "Sales 销售", {"from": dt.date(2026, 1, 1)}, cols, body,
                  compute_totals(cols, body), "2026-01-01 to 2026-06-15",
                  ("A long note that must wrap rather than be cut at the edge of the page "
                   "because it explains what the figures count",))


@pytest.mark.parametrize("width", [40, 80, 120])
def test_text_fits_the_width_with_chinese_and_never_cuts_numbers(width):
    text = render_text(_result(), width)
    lines = text.splitlines()
    assert max(cell_len(line) for line in lines) <= width
    assert "\x1b" not in text and "\x07" not in text
    # Every number is shown whole (a table too wide goes on in a second block of columns).
    for figure in ("1,234,567.89", "234,567.80", "19.0%", "1,000,000.00", "3,703,698.67"):
        assert figure in text
    assert "explains what the figures count" in text.replace("\n", " ")


def test_csv_has_stable_headers_plain_numbers_and_no_formulas(tmp_path):
    path = tmp_path / "r.csv"
    assert write_report(_result(), path) == 4
    rows = list(csv.reader(path.open(encoding="utf-8-sig")))
    assert rows[0] == ["code", "customer", "quantity", "amount", "margin", "margin_pct",
                       "compare_amount", "change"]
    assert rows[1][3] == "1234567.89" and rows[1][5] == "19.0"
    assert rows[4][0].startswith("'=")  # defused
    assert rows[-1][0] == "total" and rows[-1][3] == "3703698.67"


def test_xlsx_numbers_formats_widths_and_frozen_header(tmp_path):
    from openpyxl import load_workbook

    path = tmp_path / "r.xlsx"
    write_report(_result(), path)
    ws = load_workbook(path)["sales"]
    assert ws.freeze_panes == "A2"
    assert [c.value for c in ws[1]] == ["code", "customer", "quantity", "amount", "margin",
                                        "margin_pct", "compare_amount", "change"]
    amount = ws.cell(2, 4)
    assert amount.value == pytest.approx(1234567.89) and amount.number_format == "#,##0.00"
    pct = ws.cell(2, 6)
    assert pct.value == pytest.approx(0.19) and pct.number_format == "0.0%"
    assert ws.cell(2, 3).number_format == "#,##0.###"
    assert ws.cell(5, 1).data_type == "s" and ws.cell(5, 1).value.startswith("=cmd")
    assert ws.cell(6, 1).value == "total" and ws.cell(6, 4).value == pytest.approx(3703698.67)
    assert ws.column_dimensions["B"].width >= 20


def test_a_failed_write_leaves_no_file(tmp_path):
    from tuicrm.data.core.errors import ValidationError

    with pytest.raises(ValidationError):
        write_report(_result(), tmp_path / "r.pdf")
    assert list(tmp_path.iterdir()) == []


# -- the command line -------------------------------------------------------------------------


def tuicrm(*args: str):
    return subprocess.run([sys.executable, "-m", "tuicrm.cli", *args], capture_output=True,
                          text=True, timeout=120)


@pytest.fixture
def demo_db(tmp_path) -> str:
    path = str(tmp_path / "shop.db")
    r = tuicrm("--db", path, "demo", "--customers", "30", "--products", "20", "--orders", "300",
               "--today", "2026-06-15")
    assert r.returncode == 0, r.stderr
    return path


def test_cli_lists_runs_and_writes_reports(demo_db, tmp_path):
    helped = tuicrm("report", "--help")
    assert helped.returncode == 0 and "--compare" in helped.stdout and "change %" in helped.stdout
    listed = tuicrm("report", "--list")
    assert listed.returncode == 0 and "sales" in listed.stdout and "--by" in listed.stdout
    assert "--buckets: Buckets: the last day of each ageing bucket" in listed.stdout
    chinese = tuicrm("--lang", "zh_CN", "report", "--list")
    assert "--to: 止，默认" in chinese.stdout
    for text in (listed.stdout, chinese.stdout):  # wrapped to 80 cells, in either language
        assert max(cell_len(line) for line in text.splitlines()) <= 80
    shown = tuicrm("--db", demo_db, "report", "sales", "--from", "2026-01-01", "--to",
                   "2026-06-15", "--by", "month", "--compare", "last-year")
    assert shown.returncode == 0, shown.stderr
    assert "2026-06" in shown.stdout and "Total" in shown.stdout
    assert max(cell_len(line) for line in shown.stdout.splitlines()) <= 80
    out = tmp_path / "top.csv"
    written = tuicrm("--db", demo_db, "report", "sales", "--from", "2026-01-01", "--to",
                     "2026-06-15", "--top", "3", "-o", str(out))
    assert written.returncode == 0, written.stderr
    rows = list(csv.reader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 1 + 4 + 1 and rows[4][1].startswith("(others")
    # As a counter clerk: no permission for sales reports.
    refused = tuicrm("--db", demo_db, "report", "sales", "--user", "counter")
    assert refused.returncode == 1 and "may not" in refused.stderr
    stock = tuicrm("--db", demo_db, "report", "stock", "--user", "counter")
    assert stock.returncode == 0 and "Value at cost" not in stock.stdout


@pytest.mark.parametrize("args, message", [
    (["report", "nope"], "no report named"),
    (["report", "sales", "--from", "2026-13-01"], "not a date"),
    (["report", "sales", "--by", "colour"], "one of"),
    (["report", "sales", "-o", "x.pdf"], ".txt, .csv or .xlsx"),
])
def test_cli_errors_are_one_line_and_exit_1(demo_db, args, message):
    r = tuicrm("--db", demo_db, *args)
    assert r.returncode == 1
    assert message in r.stderr and len(r.stderr.strip().splitlines()) == 1
