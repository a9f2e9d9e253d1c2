"""Stock counts (P4) in the data layer: scopes, counting (also from several processes at
once), variance adjusted for sales made during the count, posting, cancelling, permissions,
the consistency check and the reports."""

from __future__ import annotations

import csv
import multiprocessing as mp
import subprocess
import sys
from decimal import Decimal

import pytest

from tests.processes import scan_codes
from tuicrm.data.catalog import products
from tuicrm.data.catalog.categories import product_categories
from tuicrm.data.check import run_checks
from tuicrm.data.core import audit
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tuicrm.data.counts import sessions as counts
from tuicrm.data.models import StockCountEntry, StockMovement
from tuicrm.data.sales import orders
from tuicrm.data.stock import history as stock_history
from tuicrm.data.stock import ledger as stock
from tuicrm.reports import count_reports

pytestmark = pytest.mark.pg

COUNT_SCAN = "tuicrm.data.counts.sessions:count_scan"

D = Decimal


@pytest.fixture
def shop(admin):
    """Tea (10 on hand, cost 2.00, a carton barcode of 12), rice (40), soap (5, other
    category), and an inactive product nobody counts."""
    drinks = product_categories.create(admin, "Drinks")
    tea_cat = product_categories.create(admin, "Tea", drinks.id)
    home = product_categories.create(admin, "Home")
    tea = products.create_product(admin, code="T-1", name="Green tea 绿茶", cost="2.00",
                                  category=tea_cat.id,
                                  barcodes=["4006381333931", ("5901234123457", 12)])
    rice = products.create_product(admin, code="R-1", name="Rice 5kg", cost="10",
                                   category=drinks.id)
    soap = products.create_product(admin, code="S-1", name="Soap", cost="1",
                                   category=home.id)
    old = products.create_product(admin, code="Z-9", name="Old thing")
    products.deactivate_product(admin, old.id)
    stock.set_opening(admin, tea, 10)
    stock.set_opening(admin, rice, 40)
    stock.set_opening(admin, soap, 5)
    return {"tea": tea, "rice": rice, "soap": soap, "old": old}


def _lines(count) -> dict[str, counts.CountLine]:
    return {line.code: line for line in counts.count_lines(system_actor(), count.id)}


def _sell(actor, product, n) -> None:
    order = orders.new_order(actor, "sale")
    orders.add_line(actor, order, product, n)
    orders.complete_sale(actor, order)


def test_open_records_expected_and_ledger_position_per_scope(db, admin, manager, shop):
    count = counts.open_count(manager)
    assert count.number.startswith("SC-") and count.status == "open" and count.mode == "blind"
    assert count.ledger_position == StockMovement.select().order_by(StockMovement.id.desc()
                                                                    ).first().id
    lines = _lines(count)
    assert set(lines) == {"T-1", "R-1", "S-1"}  # the inactive product is not in scope
    assert lines["T-1"].expected == D(10) and lines["R-1"].expected == D(40)
    assert all(line.counted == 0 and line.entries == 0 for line in lines.values())

    by_category = counts.open_count(manager, scope="category", scope_value="Drinks")
    assert set(_lines(by_category)) == {"T-1", "R-1"}  # Tea is a sub-category of Drinks
    by_list = counts.open_count(manager, scope="products", scope_value="S-1 4006381333931",
                                mode="guided")
    assert set(_lines(by_list)) == {"S-1", "T-1"} and by_list.mode == "guided"
    by_location = counts.open_count(manager, scope="location", scope_value="MAIN")
    assert set(_lines(by_location)) == {"T-1", "R-1", "S-1"}
    assert [c.number for c in counts.open_counts(manager)] == [
        count.number, by_category.number, by_list.number, by_location.number]
    with pytest.raises(ValidationError, match="unknown product code NOPE"):
        counts.open_count(manager, scope="products", scope_value="S-1 NOPE")
    with pytest.raises(ValidationError, match="no product category"):
        counts.open_count(manager, scope="category", scope_value="Nothing")
    assert [a.action for a in audit.history("stock_count", count.id)] == ["open"]


def test_scans_add_n_times_and_packs_typed_quantity_and_recount(db, manager, warehouse, shop):
    count = counts.open_count(manager)
    r = counts.count_scan(warehouse, count.id, "4006381333931")
    assert (r.product_code, r.added, r.counted, r.out_of_scope) == ("T-1", D(1), D(1), False)
    assert r.status == "T-1: +1 -> 1"
    r = counts.count_scan(warehouse, count.id, "3*T-1")
    assert r.counted == D(4)
    r = counts.count_scan(warehouse, count.id, "05901234123457")  # the carton: 12 units
    assert r.added == D(12) and r.counted == D(16)
    line = _lines(count)["T-1"]
    assert line.entries == 3
    history = counts.line_history(warehouse, line.id)
    assert [e.kind for e in history] == ["scan", "scan", "scan"]
    assert history[0].user == warehouse.username and history[0].code == "05901234123457"

    r = counts.set_counted(warehouse, line.id, "9")
    assert r.counted == D(9) and r.added == D(-7)
    with pytest.raises(ValidationError):
        counts.set_counted(warehouse, line.id, "-1")
    r = counts.recount(warehouse, line.id)
    assert r.counted == 0
    line = _lines(count)["T-1"]
    assert line.counted == 0 and line.entries == 0  # never counted again
    header = counts.get_count(warehouse, count.id)
    assert (header.counted_lines, header.lines) == (0, 3)

    with pytest.raises(NotFound, match="unknown code 999"):
        counts.count_scan(warehouse, count.id, "999")


def test_out_of_scope_product_is_added_with_a_warning(db, manager, warehouse, shop):
    count = counts.open_count(manager, scope="category", scope_value="Home")
    assert set(_lines(count)) == {"S-1"}
    stock.adjust(manager, shop["tea"], -1, "broken")  # after opening: expected stays 10
    r = counts.count_scan(warehouse, count.id, "T-1")
    assert r.out_of_scope and r.new_line and "not in this count's scope" in r.warning
    r = counts.count_scan(warehouse, count.id, "T-1")
    assert r.out_of_scope and not r.new_line and r.counted == D(2)
    line = _lines(count)["T-1"]
    assert not line.in_scope and line.expected == D(10)  # on hand when the count opened
    v = {x.code: x for x in counts.variance(manager, count.id)}["T-1"]
    assert (v.book, v.variance) == (D(9), D(-7))


def test_variance_is_adjusted_for_a_sale_during_the_count(db, manager, warehouse, sales, shop):
    count = counts.open_count(manager)
    for _ in range(10):
        counts.count_scan(warehouse, count.id, "T-1")  # the shelf held all 10...
    _sell(sales, shop["tea"], 3)  # ...then 3 were sold: 7 left, nothing is missing
    counts.count_scan(warehouse, count.id, "38*R-1")  # rice: 2 missing
    v = {x.code: x for x in counts.variance(manager, count.id)}
    # the sale came after the tea was counted: it is not part of the book the count met
    assert (v["T-1"].expected, v["T-1"].moved, v["T-1"].book) == (D(10), D(0), D(10))
    assert v["T-1"].counted == D(10) and v["T-1"].variance == 0
    assert v["R-1"].variance == D(-2) and v["R-1"].value(False) == D("-20.00")
    assert v["S-1"].variance is None  # not counted
    assert v["S-1"].variance_if(True) == D(-5) and v["S-1"].variance_if(False) == 0
    s = counts.summary(v.values(), zero_uncounted=False)
    assert (s.lines, s.counted, s.uncounted, s.flagged) == (3, 2, 1, 0)
    assert s.value == D("-20.00")
    result = counts.post_count(manager, count.id)
    # tea: counted 10, then 3 sold -> 7, exactly what the ledger already says: no movement
    assert result.movements == 1
    assert stock.on_hand(shop["tea"]) == D(7) and stock.on_hand(shop["rice"]) == D(38)
    assert stock.on_hand(shop["soap"]) == D(5)  # not counted, stays
    assert run_checks() == []


def test_a_sale_during_the_count_before_counting_is_not_a_loss(db, manager, warehouse, sales,
                                                               shop):
    count = counts.open_count(manager)
    _sell(sales, shop["tea"], 3)  # sold before the counter reached the shelf
    for _ in range(7):
        counts.count_scan(warehouse, count.id, "T-1")  # 7 on the shelf: exactly right
    v = {x.code: x for x in counts.variance(manager, count.id)}["T-1"]
    assert v.variance == 0 and not v.flagged(counts.recount_threshold())
    result = counts.post_count(manager, count.id)
    assert result.movements == 0  # rice and soap not counted and stay; tea was right
    assert stock.on_hand(shop["tea"]) == D(7)
    assert run_checks() == []


def test_post_writes_count_movements_and_check_passes(db, manager, warehouse, sales, shop):
    count = counts.open_count(manager)
    counts.count_scan(warehouse, count.id, "8*T-1")
    _sell(sales, shop["rice"], 5)  # a sale before the rice was counted: 35 on the books
    counts.count_scan(warehouse, count.id, "41*R-1")
    with pytest.raises(PermissionDenied):
        counts.post_count(warehouse, count.id)  # a counter may count, not post
    assert counts.get_count(manager, count.id).status == "open"

    result = counts.post_count(manager, count.id, zero_uncounted=True)
    assert result.number == count.number and result.movements == 3
    # the stock becomes what was counted, computed from on-hand at posting
    assert stock.on_hand(shop["tea"]) == D(8)
    assert stock.on_hand(shop["rice"]) == D(41)
    assert stock.on_hand(shop["soap"]) == 0  # never counted, zero chosen
    moves = list(StockMovement.select().where(StockMovement.reason == "count")
                 .order_by(StockMovement.id))
    assert {m.doc_number for m in moves} == {count.number}
    assert sorted((m.product.code, m.quantity) for m in moves) == [
        ("R-1", D(6)), ("S-1", D(-5)), ("T-1", D(-2))]
    assert run_checks() == []
    posted = counts.get_count(manager, count.id)
    assert posted.status == "posted" and posted.zero_uncounted and posted.closed_by == manager.username
    # read-only afterwards
    with pytest.raises(Conflict, match="posted"):
        counts.count_scan(warehouse, count.id, "T-1")
    with pytest.raises(Conflict):
        counts.post_count(manager, count.id)
    with pytest.raises(Conflict):
        counts.cancel_count(manager, count.id)
    # the adjustment log lists the count's movements
    assert {m.doc_number for m in stock_history.adjustment_log(manager) if m.reason == "count"} == {
        count.number}
    # the variance of a posted count is what was moved, as an audit record
    v = {x.code: x for x in counts.variance(manager, count.id)}
    assert (v["R-1"].book, v["R-1"].variance) == (D(35), D(6))
    assert [a.action for a in audit.history("stock_count", count.id)] == ["open", "post"]


def test_check_finds_a_count_movement_that_does_not_match(db, manager, warehouse, shop):
    count = counts.open_count(manager)
    counts.count_scan(warehouse, count.id, "8*T-1")
    counts.post_count(manager, count.id)
    stock.move(manager, shop["tea"], None, 1, "count", doc_type="count", doc_id=count.id,
               doc_number=count.number)
    problems = [str(p) for p in run_checks(["stock_counts"])]
    assert problems == [f"stock_counts: stock count {count.number} (posted) product T-1: "
                        "recorded adjustment -2 but its movements add up to -1"]
    # tuicrm check runs it too, though nothing on its way imports the counts
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "--db", db, "check"],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 1 and problems[0] in done.stdout


def test_cancel_and_permissions(db, manager, warehouse, sales, shop):
    with pytest.raises(PermissionDenied):
        counts.open_count(warehouse)
    count = counts.open_count(manager)
    with pytest.raises(PermissionDenied):
        counts.count_scan(sales, count.id, "T-1")  # sales staff do not count
    with pytest.raises(PermissionDenied):
        counts.cancel_count(warehouse, count.id)
    counts.count_scan(warehouse, count.id, "T-1")
    # blind: counters never get expected quantities or variances
    assert not counts.can_see_expected(warehouse, count.mode)
    assert not counts.get_count(warehouse, count.id).sees_expected
    with pytest.raises(PermissionDenied):
        counts.variance(warehouse, count.id)
    cancelled = counts.cancel_count(manager, count.id, "wrong scope")
    assert cancelled.status == "cancelled"
    with pytest.raises(Conflict, match="cancelled"):
        counts.count_scan(warehouse, count.id, "T-1")
    assert StockMovement.select().where(StockMovement.reason == "count").count() == 0
    assert counts.open_counts(manager) == []
    guided = counts.open_count(manager, mode="guided")
    assert counts.get_count(warehouse, guided.id).sees_expected
    assert run_checks() == []


def test_several_processes_count_into_one_session_and_none_is_lost(db, manager, make_user,
                                                                   shop):
    counters = [make_user("warehouse") for _ in range(3)]
    count = counts.open_count(manager)
    plan = [["T-1", "R-1", "2*S-1"] * 20, ["R-1", "T-1"] * 30, ["4006381333931"] * 40]
    ctx = mp.get_context("spawn")
    start, out = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=scan_codes, args=(db, u.id, COUNT_SCAN, count.id, codes, start, out))
             for u, codes in zip(counters, plan, strict=True)]
    for p in procs:
        p.start()
    start.set()
    errors = [e for _ in procs for e in out.get(timeout=120)]
    for p in procs:
        p.join(timeout=60)
    assert errors == []
    lines = _lines(count)
    assert lines["T-1"].counted == D(20 + 30 + 40)
    assert lines["R-1"].counted == D(20 + 30)
    assert lines["S-1"].counted == D(40)
    assert StockCountEntry.select().count() == 60 + 60 + 40
    counts.post_count(manager, count.id)
    assert stock.on_hand(shop["tea"]) == D(90) and stock.on_hand(shop["soap"]) == D(40)
    assert run_checks() == []


def test_count_sheet_and_variance_report(db, manager, warehouse, shop, tmp_path):
    blind = counts.open_count(manager)
    counts.count_scan(warehouse, blind.id, "20*R-1")
    text = count_reports.sheet_text(warehouse, blind.id)
    assert f"Count sheet {blind.number}" in text and "Green tea 绿茶" in text
    assert "Expected" not in text and "________" in text
    assert "40" not in text.split("\n", 2)[2]  # no expected quantity anywhere in blind mode
    for line in text.splitlines():
        assert len(line) <= 80

    text = count_reports.variance_text(manager, blind.id)
    row = next(x for x in text.splitlines() if x.startswith("R-1"))
    assert "40" in row and "20" in row and "-20" in row and "-200.00" in row
    assert row.endswith("!") and "! RECOUNT" in text
    assert next(x for x in text.splitlines() if x.startswith("S-1")).endswith("?")
    zeroed = count_reports.variance_text(manager, blind.id, zero_uncounted=True)
    assert next(x for x in zeroed.splitlines() if x.startswith("S-1")).endswith("0")
    with pytest.raises(PermissionDenied):
        count_reports.variance_text(warehouse, blind.id)

    path = tmp_path / "count.csv"
    assert count_reports.export_count(system_actor(), blind.number, path) == 3
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["product_code", "expected", "counted", "variance"]
    assert ["R-1", "40.000", "20.000", "-20.000"] in rows
    assert ["S-1", "5.000", "", ""] in rows  # never counted: counted and variance empty

    xlsx = tmp_path / "variance.xlsx"
    assert count_reports.save_report(manager, blind.id, "variance", xlsx) == 3
    from openpyxl import load_workbook

    ws = load_workbook(xlsx).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0][:2] == ("product_code", "product")
    assert any(r[0] == "R-1" and r[6] == -20 for r in values[1:])
    sheet = tmp_path / "sheet.xlsx"
    assert count_reports.save_report(warehouse, blind.id, "sheet", sheet) == 3
    ws = load_workbook(sheet).active
    assert list(ws.iter_rows(values_only=True))[0] == ("code", "product", "unit", "location",
                                                       "counted")

    guided = counts.open_count(manager, mode="guided")
    text = count_reports.sheet_text(warehouse, guided.id)
    assert "Expected" in text


def test_open_counts_are_an_alert_on_today(db, manager, warehouse, sales, shop):
    from tuicrm.data.agenda import today

    count = counts.open_count(manager, scope="category", scope_value="Home")
    item = next(i for i in today.build_today(warehouse) if i.kind == "stock_count")
    assert item.group == "alerts" and item.ref_id == count.id
    assert item.title == f"Stock count {count.number} is open"
    assert "category Home" in item.detail
    assert not [i for i in today.build_today(sales) if i.kind == "stock_count"]
    counts.cancel_count(manager, count.id)
    assert not [i for i in today.build_today(manager) if i.kind == "stock_count"]


def test_cli_export_count(db, manager, warehouse, shop, tmp_path):
    count = counts.open_count(manager)
    counts.count_scan(warehouse, count.id, "8*T-1")
    path = tmp_path / "count.csv"
    run = [sys.executable, "-m", "tuicrm.cli", "--db", db, "export", "count"]
    done = subprocess.run(run + [count.number, str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 0, done.stderr
    assert f"exported 3 lines of stock count {count.number}" in done.stdout
    with open(path, encoding="utf-8-sig") as f:
        rows = list(csv.reader(f))
    assert rows[0] == ["product_code", "expected", "counted", "variance"]
    assert ["T-1", "10.000", "8.000", "-2.000"] in rows
    done = subprocess.run(run + ["SC-NOPE", str(path)], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1 and done.stderr == "tuicrm: stock count SC-NOPE does not exist\n"


def _in_threads(n: int, work) -> list[object]:
    """Run ``work(i)`` in ``n`` threads started together; their results or errors, by i."""
    import threading

    from tuicrm.data.core.db import database

    start = threading.Barrier(n)
    out: list[object] = [None] * n

    def run(i: int) -> None:
        try:
            start.wait(timeout=30)
            out[i] = work(i)
        except Exception as e:  # noqa: BLE001 - the test looks at it
            out[i] = e
        finally:
            database.close()  # this thread's own connection

    threads = [threading.Thread(target=run, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return out


def test_a_count_is_posted_once_when_four_managers_post_at_once(db, manager, warehouse, shop):
    count = counts.open_count(manager)
    counts.count_scan(warehouse, count.id, "8*T-1")
    counts.count_scan(warehouse, count.id, "41*R-1")
    results = _in_threads(4, lambda i: counts.post_count(manager, count.id))
    posted = [r for r in results if isinstance(r, counts.PostResult)]
    refused = [r for r in results if isinstance(r, Conflict)]
    assert len(posted) == 1 and len(refused) == 3, results
    assert posted[0].movements == 2
    assert stock.on_hand(shop["tea"]) == D(8) and stock.on_hand(shop["rice"]) == D(41)
    assert StockMovement.select().where(StockMovement.reason == "count").count() == 2
    assert run_checks() == []


def test_scans_racing_a_post_are_counted_before_it_or_refused(db, manager, warehouse, shop):
    """Every scan either made it into the count before it was posted (and the stock shows
    it) or was refused because the count was posted: none is half counted."""
    count = counts.open_count(manager)

    def work(i: int) -> object:
        if i == 0:
            return counts.post_count(manager, count.id)
        done = 0
        for _ in range(30):
            try:
                counts.count_scan(warehouse, count.id, "T-1")
            except Conflict:
                break
            done += 1
        return done

    results = _in_threads(4, work)
    assert isinstance(results[0], counts.PostResult), results
    scanned = sum(r for r in results[1:] if isinstance(r, int))
    assert all(isinstance(r, int) for r in results[1:]), results
    tea = _lines(count)["T-1"]
    assert tea.counted == D(scanned) and tea.entries == scanned
    # posted with what was counted by then: the tea is what was scanned (or untouched)
    assert stock.on_hand(shop["tea"]) == (D(scanned) if scanned else D(10))
    assert run_checks() == []


def test_count_outputs_agree_on_a_never_counted_line_an_extra_line_and_recounts(
        db, manager, warehouse, shop, tmp_path):
    """Issue 17: a line nobody counted shows counted/variance empty (not 0) in the report and
    the export, before and after posting; a product counted outside the scope is on the count
    sheet; one recount figure everywhere; no number cut; two reports, two default files."""
    from rich.cells import cell_len

    count = counts.open_count(manager, scope="products", scope_value="T-1 R-1", mode="guided")
    counts.count_scan(warehouse, count.id, "2*T-1")  # -8: over the threshold of 5
    counts.count_scan(warehouse, count.id, "3*S-1")  # extra line: -2, under it
    # R-1 is never counted and stays as it is.
    for posted in (False, True):
        if posted:
            counts.post_count(manager, count.id)
        sheet = count_reports.sheet_text(manager, count.id)
        assert any(x.startswith("S-1") and "(extra)" in x for x in sheet.splitlines())
        assert {r[0] for r in count_reports.sheet_rows(manager, count.id)[1]} == {
            "R-1", "T-1", "S-1"}
        text = count_reports.variance_text(manager, count.id, width=80)
        assert all(cell_len(x) <= 80 for x in text.splitlines())
        assert "~" not in text
        rice = next(x for x in text.splitlines() if x.startswith("R-1"))
        assert rice.split()[-2:] == ["0.00", "?"]  # no counted, no variance, value 0
        assert "1/3 counted" not in text and "2/3 counted, 1 to recount (variance over 5)" in text
        summary = counts.variance_summary(manager, count.id)
        assert summary.progress() == "2/3 counted, 1 to recount (variance over 5)"
        exported = {r[0]: r for r in count_reports.count_export_rows(manager, count.id)}
        assert exported["R-1"][2:] == (None, None)
        assert exported["T-1"][2:] == (D(2), D(-8)) and exported["S-1"][2:] == (D(3), D(-2))
    variance = {r[0]: r for r in count_reports.variance_rows(manager, count.id)}
    assert variance["R-1"][5] is None and variance["R-1"][6] is None
    assert "RECOUNT" in variance["T-1"][8] and "extra" in variance["S-1"][8]

    names = {count_reports.chosen_file_name(count.number, what, "") for what in ("sheet",
                                                                                 "variance")}
    assert len(names) == 2
    offered = count_reports.report_file_name(count.number, "sheet")
    assert count_reports.chosen_file_name(count.number, "variance", offered) == (
        f"{count.number}-variance.txt")
    assert count_reports.chosen_file_name(count.number, "variance", "mine.xlsx") == "mine.xlsx"


def test_text_report_never_cuts_a_number_and_marks_a_shortened_name():
    """Issue 17: ``-17,148~`` and names cut to three characters in the variance report."""
    from rich.cells import cell_len

    from tuicrm.reports.text import render_text

    rows = [["P000001", "三只松鼠 花生油 压榨 5L 家庭装", D("-17148.25"), D("-123456.789")]]
    text = render_text(["Code", "Product", "Value", "Qty"], rows, width=45)
    line = text.splitlines()[-1]
    assert "-17,148.25" in line and "-123,456.789" in line
    assert "三只松鼠…" in line and cell_len(line) <= 45
