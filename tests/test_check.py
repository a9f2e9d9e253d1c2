"""``run_checks``: a healthy database has no problems; tampering is found and named."""

from __future__ import annotations

import importlib
import re
from decimal import Decimal

import pytest
from babel.messages.extract import extract_from_file

from tuicrm import i18n
from tuicrm.data import check
from tuicrm.data.check import CHECKS, Problem, run_checks
from tuicrm.data.core import db as dbmod
from tuicrm.data.core import formats
from tuicrm.data.core.db import database
from tuicrm.data.core.money import CENT, fmt_money, fmt_qty
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Barcode, Order, OrderLine, Product, StockLevel

pytestmark = pytest.mark.pg


@pytest.fixture
def demo(db):
    build_demo(customers=20, products=12, orders=60, seed=3)
    assert run_checks() == []
    return db


def _by_check(problems: list[Problem], name: str) -> list[str]:
    return [p.message for p in problems if p.check == name]


def _sql(statement: str, params: tuple = ()) -> None:
    with dbmod.write():
        database.execute_sql(statement.replace("?", database.param), params)


def test_tampered_stock_level_is_named_with_both_numbers(demo):
    level = StockLevel.select().order_by(StockLevel.id).first()
    code, on_hand = level.product.code, level.on_hand
    _sql("UPDATE stock_level SET on_hand = on_hand + 2500 WHERE id = ?", (level.id,))
    [message] = _by_check(run_checks(), "stock_levels")
    assert code in message and "MAIN" in message
    assert f"on hand is {fmt_qty(on_hand + Decimal('2.5'))} " in message
    assert message.endswith(f"add up to {fmt_qty(on_hand)}")


def test_movements_without_a_stock_level(demo):
    level = StockLevel.select().where(StockLevel.on_hand > 0).first()
    _sql("DELETE FROM stock_level WHERE id = ?", (level.id,))
    [message] = _by_check(run_checks(), "stock_levels")
    assert level.product.code in message and "MAIN" in message
    assert f"adding up to {fmt_qty(level.on_hand)} but no stock level row" in message


def test_negative_stock(demo):
    level = StockLevel.select().first()
    _sql("UPDATE stock_level SET on_hand = -1000 WHERE id = ?", (level.id,))
    problems = run_checks(["negative_stock"])
    assert [p.check for p in problems] == ["negative_stock"]
    assert level.product.code in problems[0].message and "-1" in problems[0].message
    with dbmod.write():
        Product.update(allow_negative=True).where(Product.id == level.product_id).execute()
    assert run_checks(["negative_stock"]) == []


def test_tampered_order_total_and_subtotal(demo):
    order = Order.select().where(Order.subtotal > 0).order_by(Order.id).first()
    _sql('UPDATE "order" SET total = total + 1 WHERE id = ?', (order.id,))
    [message] = _by_check(run_checks(), "order_totals")
    assert order.number in message
    assert f"total is {fmt_money(order.total + CENT)} " in message
    assert f"- discount {fmt_money(order.discount)} = {fmt_money(order.total)}" in message

    other = Order.select().where(Order.subtotal > 0).order_by(Order.id.desc()).first()
    _sql('UPDATE "order" SET subtotal = subtotal - 5, total = total - 5 WHERE id = ?',
         (other.id,))
    messages = _by_check(run_checks(), "order_totals")
    assert len(messages) == 2
    assert any(other.number in m and f"lines add up to {fmt_money(other.subtotal)}" in m
               for m in messages)


def test_tampered_line_amount(demo):
    line = OrderLine.select().where(OrderLine.quantity > 1).order_by(OrderLine.id).first()
    _sql("UPDATE order_line SET amount = amount + 1 WHERE id = ?", (line.id,))
    problems = run_checks()
    [message] = _by_check(problems, "line_amounts")
    assert line.order.number in message and f"line {line.line_no}" in message
    assert line.product.code in message
    assert message.endswith(f"= {fmt_money(line.amount)}")
    assert f"amount is {fmt_money(line.amount + CENT)} " in message
    assert _by_check(problems, "order_totals")  # its order no longer adds up either


def test_line_rounding_is_half_up_both_ways(demo):
    line = OrderLine.select().order_by(OrderLine.id).first()
    # 0.005 kg x 1.00 = 0.005 -> 0.01; a negative line rounds away from zero too
    _sql("UPDATE order_line SET quantity = 5, unit_price = 100, discount = 0, amount = 1 "
         "WHERE id = ?", (line.id,))
    assert run_checks(["line_amounts"]) == []
    _sql("UPDATE order_line SET quantity = -5, amount = -1 WHERE id = ?", (line.id,))
    assert run_checks(["line_amounts"]) == []
    _sql("UPDATE order_line SET quantity = 4, amount = 0 WHERE id = ?", (line.id,))
    assert run_checks(["line_amounts"]) == []


def test_badly_stored_barcode(demo):
    barcode = Barcode.select().first()
    _sql("UPDATE barcode SET code = raw WHERE id = ?", (barcode.id,))
    [message] = _by_check(run_checks(), "barcodes")
    assert barcode.product.code in message and barcode.raw in message


def test_foreign_key_check_names_table_and_column(demo):
    if not dbmod.is_sqlite():
        pytest.skip("PostgreSQL enforces foreign keys itself")
    database.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        line = OrderLine.select().first()
        _sql("UPDATE order_line SET product_id = 999999 WHERE id = ?", (line.id,))
    finally:
        database.execute_sql("PRAGMA foreign_keys = ON")
    messages = _by_check(run_checks(), "foreign_keys")
    assert messages == [f'order_line #{line.id}: product_id = 999999 refers to a missing '
                        '"product" row']


def test_integrity_check_runs_on_sqlite(demo):
    assert run_checks(["integrity"]) == []
    assert run_checks(["integrity"], quick=True) == []
    names = [c.name for c in CHECKS.values()]
    assert names[:2] == ["integrity", "foreign_keys"]


def test_a_new_check_is_one_decorated_function(demo):
    def nothing(limit):
        return iter(())

    @check.check("demo_extra", "an extra check for the test", quick=nothing)
    def extra(limit):
        for i in range(5):
            yield f"thing {i} is wrong"

    @check.check("demo_broken", "a check that cannot run")
    def broken(limit):
        raise RuntimeError("no such table: widgets")
        yield ""  # pragma: no cover

    try:
        with pytest.raises(ValueError):
            check.check("demo_extra", "twice")(extra)
        problems = run_checks(["demo_extra", "demo_broken", "order_totals"], limit=2)
        assert [str(p) for p in problems] == [
            "demo_extra: thing 0 is wrong",
            "demo_extra: thing 1 is wrong",
            "demo_extra: more problems of this kind not listed (first 2)",
            "demo_broken: the check could not run: no such table: widgets",
        ]
        assert any(p.check == "demo_extra" for p in run_checks())
        assert run_checks(["demo_extra"], quick=True) == []  # its quick variant
    finally:
        CHECKS.pop("demo_extra", None)
        CHECKS.pop("demo_broken", None)


def test_progress_and_empty_database(db):
    seen = []
    assert run_checks(progress=lambda step, done, total: seen.append((done, total))) == []
    applicable = [c for c in CHECKS.values() if dbmod.is_sqlite() or not c.sqlite_only]
    assert len(applicable) >= 5
    assert seen == [(i, len(applicable)) for i in range(len(applicable) + 1)]


# -- in Chinese (``tuicrm --lang zh_CN check``): each problem told in Simplified Chinese,
# still naming the record and both numbers that disagree


@pytest.fixture
def chinese():
    i18n.set_language("zh_CN")  # conftest sets English back after the test
    yield
    formats.use_currency(None)


def test_a_tampered_stock_level_is_told_in_chinese(demo, chinese):
    level = StockLevel.select().order_by(StockLevel.id).first()
    code, on_hand = level.product.code, level.on_hand
    _sql("UPDATE stock_level SET on_hand = on_hand + 2500 WHERE id = ?", (level.id,))
    [message] = _by_check(run_checks(), "stock_levels")
    assert message.startswith(f"商品 {code}（MAIN）：现有库存为 "
                              f"{fmt_qty(on_hand + Decimal('2.5'))}，但其 ")
    assert message.endswith(f"条出入库记录合计为 {fmt_qty(on_hand)}")
    assert "on hand" not in message and "movements" not in message


def test_a_tampered_order_subtotal_is_told_in_chinese(demo, chinese):
    order = Order.select().where(Order.subtotal > 0).order_by(Order.id).first()
    _sql('UPDATE "order" SET subtotal = subtotal - 5, total = total - 5 WHERE id = ?',
         (order.id,))
    [message] = _by_check(run_checks(), "order_totals")
    assert message == (f"订单 {order.number}：小计为 {fmt_money(order.subtotal - Decimal('0.05'))}"
                       f"，但各行合计为 {fmt_money(order.subtotal)}")


def test_the_runners_own_lines_are_told_in_chinese(demo, chinese):
    @check.check("demo_zh_extra", "an extra check for the test")
    def extra(limit):
        yield from ("a", "b", "c")

    @check.check("demo_zh_broken", "a check that cannot run")
    def broken(limit):
        raise RuntimeError("no such table: widgets")
        yield ""  # pragma: no cover

    try:
        problems = run_checks(["demo_zh_extra", "demo_zh_broken"], limit=2)
        assert [p.message for p in problems] == [
            "a", "b", "此类问题还有更多，未全部列出（仅列出前 2 条）",
            "此项检查无法运行：no such table: widgets",
        ]
    finally:
        CHECKS.pop("demo_zh_extra", None)
        CHECKS.pop("demo_zh_broken", None)


def test_every_check_message_has_a_chinese_translation_with_the_same_placeholders(chinese):
    paths = [check.__file__] + [importlib.import_module(m).__file__ for m in check.CHECK_MODULES]
    messages = [message for path in paths
                for _line, message, _comments, _context in extract_from_file(
                    "python", path, keywords={"_": None, "N_": None})
                if "{" in message]
    assert len(messages) >= 30
    for msgid in messages:
        translated = i18n._(msgid)
        assert translated != msgid, msgid
        assert sorted(re.findall(r"\{\w+\}", translated)) == sorted(
            re.findall(r"\{\w+\}", msgid)), msgid
