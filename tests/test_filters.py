"""Custom filters (L2) and date ranges (L3)."""

from __future__ import annotations

import datetime as dt

import pytest

from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.lists.filters import (
    Condition,
    CustomFilter,
    date_range,
    date_where,
    escape_like,
    filter_where,
    like_pattern,
)
from tuicrm.data.models import Customer
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.lists import CUSTOMER_FILTERS as CUSTOMER_COLUMNS

pytestmark = pytest.mark.pg


def test_like_pattern_translation():
    assert like_pattern("张%") == "张%"
    assert like_pattern("a_c") == "a_c"
    assert like_pattern(r"50\%") == r"50\%"
    assert like_pattern(r"a\_b") == r"a\_b"
    assert like_pattern("a\\\\b") == "a\\\\b"  # \\ typed -> one literal backslash
    assert like_pattern("a\\b") == "a\\\\b"  # a lone backslash is literal
    assert like_pattern("end\\") == "end\\\\"
    assert escape_like("1%_\\") == "1\\%\\_\\\\"


def run(f):
    q = C.customer_query(system_actor(), where=filter_where(CUSTOMER_COLUMNS, f))
    return sorted(c.name for c in q)


@pytest.fixture
def rows(admin):
    for name, limit, terms in [("张三丰", "100", 30), ("50% off", "2500.50", 60),
                               ("500 shop", "9999", 0), ("a_b", "0", 15), ("axb", "1", 15),
                               ("back\\slash", "0", 0), ("O'Brien", "0", 0)]:
        C.create_customer(admin, name=name, credit_limit=limit, payment_terms_days=terms)


def test_like_wildcards_and_escapes(rows):
    assert run(CustomFilter("name", Condition("like", "张%"))) == ["张三丰"]
    assert run(CustomFilter("name", Condition("like", "50%"))) == ["50% off", "500 shop"]
    assert run(CustomFilter("name", Condition("like", r"50\%%"))) == ["50% off"]
    assert run(CustomFilter("name", Condition("like", "a_b"))) == ["a_b", "axb"]
    assert run(CustomFilter("name", Condition("like", r"a\_b"))) == ["a_b"]
    assert run(CustomFilter("name", Condition("like", "%\\\\%"))) == ["back\\slash"]
    assert run(CustomFilter("name", Condition("like", "%\\%"))) == []  # ends with a literal %
    assert run(CustomFilter("name", Condition("like", "A_B"))) == ["a_b", "axb"]  # case


def test_money_numbers_and_join(rows):
    f = CustomFilter("credit_limit", Condition(">=", "100"), "and", Condition("<", "2,500.51"))
    assert run(f) == ["50% off", "张三丰"]
    f = CustomFilter("payment_terms_days", Condition("=", "0"), "or", Condition(">", "50"))
    assert run(f) == ["50% off", "500 shop", "O'Brien", "back\\slash"]
    assert run(CustomFilter("credit_limit", Condition("!=", "0"))) == [
        "50% off", "500 shop", "axb", "张三丰"]


def test_injection_attempts_are_plain_values(rows):
    evil = "x' OR '1'='1"
    assert run(CustomFilter("name", Condition("=", evil))) == []
    assert run(CustomFilter("name", Condition("like", "%'; DROP TABLE customer; --"))) == []
    assert run(CustomFilter("name", Condition("=", "O'Brien"))) == ["O'Brien"]
    assert Customer.select().count() == 7
    with pytest.raises(ValidationError) as e:
        filter_where(CUSTOMER_COLUMNS, CustomFilter("name; DROP", Condition("=", "x")))
    assert "column" in e.value.errors
    with pytest.raises(ValidationError) as e:
        filter_where(CUSTOMER_COLUMNS, CustomFilter("name", Condition("= 1 OR", "x")))
    assert "first" in e.value.errors


def test_typed_values_are_checked():
    with pytest.raises(ValidationError) as e:
        filter_where(CUSTOMER_COLUMNS, CustomFilter(
            "credit_limit", Condition(">", "1 OR 1=1"), "or", Condition("like", "5%")))
    assert set(e.value.errors) == {"first", "second"}
    with pytest.raises(ValidationError):
        filter_where(CUSTOMER_COLUMNS, CustomFilter("created_at", Condition("=", "yesterday")))
    with pytest.raises(ValidationError):
        filter_where(CUSTOMER_COLUMNS, CustomFilter("name", Condition("=", "x"), "xor",
                                                    Condition("=", "y")))


def test_date_presets():
    wed = dt.date(2026, 4, 15)
    assert date_range("today", wed) == (wed, dt.date(2026, 4, 16))
    assert date_range("this_week", wed) == (dt.date(2026, 4, 13), dt.date(2026, 4, 20))
    assert date_range("this_month", dt.date(2026, 12, 31)) == (dt.date(2026, 12, 1),
                                                               dt.date(2027, 1, 1))
    assert date_range("all") == (None, None)
    assert date_range("custom", start="2026-01-01", end="2026-01-31") == (
        dt.date(2026, 1, 1), dt.date(2026, 2, 1))
    assert date_range("custom", start="2026-01-01") == (dt.date(2026, 1, 1), None)
    with pytest.raises(ValidationError):
        date_range("custom", start="2026-02-01", end="2026-01-01")
    with pytest.raises(ValidationError):
        date_range("last_decade")


def test_date_filters_on_datetime_column(admin):
    old = C.create_customer(admin, name="old")
    C.create_customer(admin, name="new")
    Customer.update(created_at=dt.datetime(2025, 3, 10, 23, 59, 59)).where(
        Customer.id == old.id).execute()
    day = CustomFilter("created_at", Condition("=", "2025-03-10"))
    assert run(day) == ["old"]
    assert run(CustomFilter("created_at", Condition("<=", "2025-03-10"))) == ["old"]
    assert run(CustomFilter("created_at", Condition(">", "2025-03-10"))) == ["new"]
    q = Customer.select().where(date_where(Customer.created_at, "today"))
    assert [c.name for c in q] == ["new"]
    assert date_where(Customer.created_at, "all") is None
    q = Customer.select().where(
        date_where(Customer.created_at, "custom", start="2025-03-10", end="2025-03-10"))
    assert [c.name for c in q] == ["old"]
