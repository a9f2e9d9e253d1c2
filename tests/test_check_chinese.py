"""``tuicrm --lang zh_CN check``: each problem is told in Simplified Chinese, still naming the
record (product code, location, order number) and both numbers that disagree."""

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
from tuicrm.data.core.money import fmt_money, fmt_qty
from tuicrm.data.demo.builder import build_demo
from tuicrm.data.models import Order, StockLevel
from tuicrm.i18n import set_language

pytestmark = pytest.mark.pg


@pytest.fixture
def demo(db):
    build_demo(customers=20, products=12, orders=60, seed=3)
    assert run_checks() == []
    return db


@pytest.fixture
def chinese():
    set_language("zh_CN")  # conftest sets English back after the test
    yield
    formats.use_currency(None)


def _by_check(problems: list[Problem], name: str) -> list[str]:
    return [p.message for p in problems if p.check == name]


def _sql(statement: str, params: tuple = ()) -> None:
    with dbmod.write():
        database.execute_sql(statement.replace("?", database.param), params)


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
