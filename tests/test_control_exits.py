"""Text stored raw (before the door, or by hand) is harmless at every exit: receipts,
invoices, text reports, ``tuicrm today``, CSV, xlsx and the screens show control characters
as visible marks, never raw."""

from __future__ import annotations

import csv
import io

import pytest

from tests.helpers import logged_in, screen_text, wait_for
from tests.test_control_characters import HOSTILE, RAW, is_safe
from tuicrm.app import make_app
from tuicrm.cli import main
from tuicrm.data.core.db import database

ALL = "|".join(HOSTILE.values())  # every hostile string in one name


def plant(table: str, row_id: int, column: str, value: str) -> None:
    """Write ``value`` as an older version (or a hand-edit) would have: past the door."""
    mark = database.param
    database.execute_sql(f'UPDATE "{table}" SET "{column}" = {mark} WHERE "id" = {mark}',
                         (value, row_id))


@pytest.fixture
def hostile_sale(admin, manager):
    from tuicrm.data.catalog import products
    from tuicrm.data.models import Customer
    from tuicrm.data.sales import orders
    from tuicrm.data.stock import ledger as stock

    p = products.create_product(manager, code="P1", name="plain", price1="2.00")
    stock.set_opening(manager, p, 10)
    plant("product", p.id, "name", ALL)
    customer = Customer.create(code="C9", name=ALL)
    order = orders.new_order(manager, "sale", customer_id=customer)
    orders.add_line(manager, order, p, 1)
    orders.complete_sale(manager, order)
    return orders.order_document(manager, order)


def test_receipt_and_invoice_show_marks(hostile_sale):
    """A saved or printed receipt holds no ESC, NUL or override."""
    from tuicrm.reports import documents

    for text in (documents.receipt_text(hostile_sale, 42), documents.invoice_text(hostile_sale)):
        assert is_safe(text, multiline=True)
        assert "␛" in text and "␀" in text


def test_text_report_shows_marks():
    """A text report's cells and title show marks."""
    from tuicrm.reports.text import render_tabulate, render_text

    for text in (render_text(["name"], [[ALL]], title=HOSTILE["osc52"]),
                 render_tabulate(["name"], [[ALL]])):
        assert is_safe(text, multiline=True) and "␛" in text


def test_csv_and_xlsx_show_marks(tmp_path):
    """Exported files hold marks; a multi-line note keeps its line break in its cell."""
    from openpyxl import load_workbook

    from tuicrm.reports.spreadsheet import ExportColumn, export_rows

    cols = [ExportColumn("name"), ExportColumn("notes")]
    for name in ("out.csv", "out.xlsx"):
        path = tmp_path / name
        export_rows(path, cols, [(ALL, "line 1\nline 2")])
        if name.endswith(".csv"):
            rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
        else:
            rows = [[c.value for c in r] for r in load_workbook(path).active.iter_rows()]
        assert is_safe(rows[1][0], multiline=True) and "␛" in rows[1][0]
        assert rows[1][1] == "line 1\nline 2"


def test_tuicrm_today_prints_marks(db, sales, capsys):
    """The login banner never sends a clipboard write, a clear-screen or an override."""
    from tuicrm.data.agenda import reminders

    r = reminders.create_reminder(sales, title="x", due_at="2026-06-15 09:00")
    plant("reminder", r.id, "title", ALL)
    for fmt in ("text", "csv"):
        assert main(["today", "--db", db, "--user", "sally", "--format", fmt]) == 0
        out = capsys.readouterr().out
        assert is_safe(out, multiline=True) and "␛]52;c;" in out


async def test_today_and_order_entry_screens_show_marks(db, admin, password, hostile_sale):
    """Today's line and the order-entry line show marks; nothing raw is drawn."""
    from tuicrm.data.agenda import reminders
    from tuicrm.screens.today import TodayScreen

    r = reminders.create_reminder(admin, title="x", due_at="2026-06-15 09:00")
    plant("reminder", r.id, "title", HOSTILE["esc"] + HOSTILE["rtl"])
    app = make_app(db)
    async with logged_in(app, "admin", password, today=True) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, TodayScreen)
                       and "␛[2J" in screen_text(app))
        text = screen_text(app)
        assert not any(c in text for c in RAW) and "K�LM" in text
