"""Typed money and quantities: one parser, clear messages, never an exception a user sees."""

from __future__ import annotations

from decimal import Decimal

import pytest

from tuicrm.data.core.errors import ValidationError
from tuicrm.data.core.money import money, parse_money, parse_qty, qty

pytestmark = pytest.mark.pg


@pytest.mark.parametrize(("typed", "value"), [
    ("5.55", Decimal("5.55")), ("1,234.5", Decimal("1234.50")), (" 7 ", Decimal("7.00")),
    ("５.５", Decimal("5.50")), (".5", Decimal("0.50")), ("999999999999.99",
                                                          Decimal("999999999999.99")),
])
def test_money_typed_the_usual_ways_is_read_exactly(typed, value):
    """A price typed with commas, spaces or full-width digits is read as written."""
    assert parse_money(typed) == value


@pytest.mark.parametrize(("typed", "message"), [
    ("1e30", "not a number"), ("NaN", "not a number"), ("inf", "not a number"),
    ("abc", "not a number"), ("", "required"), ("-1", "negative"),
    ("5.555", "at most 2 decimal places"), ("1000000000000", "too large: at most"),
    ("1" * 5000, "too large"),
])
def test_money_refused_with_a_message_fit_for_the_field(typed, message):
    """Bad money gets a message beside the field, never a decimal exception."""
    with pytest.raises(ValueError, match=message):
        parse_money(typed)


def test_quantities_have_their_own_limits():
    """Quantities: thousandths, below 10^9, zero refused where it means nothing."""
    assert parse_qty("2.125") == Decimal("2.125")
    with pytest.raises(ValueError, match="at most 3 decimal places"):
        parse_qty("1.0001")
    with pytest.raises(ValueError, match="too large"):
        parse_qty("1000000000")
    with pytest.raises(ValueError, match="more than 0"):
        parse_qty("0", zero=False)
    assert parse_qty("-3", negative=True) == Decimal("-3.000")


@pytest.mark.parametrize("value", ["1e30", 1e300, "1e400", Decimal("1e30")])
def test_huge_values_from_files_are_a_value_error(value):
    """Converting a huge file value never raises decimal.InvalidOperation."""
    with pytest.raises(ValueError, match="too large"):
        money(value)
    with pytest.raises(ValueError, match="too large"):
        qty(value)


def test_operations_refuse_1e30_with_a_field_message(db, admin):
    """A credit limit, price, adjustment, quantity or scan of 1e30 is a field error."""
    from tuicrm.data.catalog.products import create_product, parse_scan
    from tuicrm.data.parties.customers import create_customer
    from tuicrm.data.sales.rules import parse_amount, parse_quantity

    with pytest.raises(ValidationError) as e:
        create_customer(admin, name="Big", credit_limit="1e30")
    assert "credit_limit" in e.value.errors
    with pytest.raises(ValidationError) as e:
        create_product(admin, code="P1", name="x", price1="1e30")
    assert "price1" in e.value.errors
    for parse in (parse_quantity, lambda v: parse_amount(v, "price")):
        with pytest.raises(ValidationError):
            parse("1e30")
    with pytest.raises(ValidationError) as e:
        parse_scan("1e30*P000001")
    assert "quantity" in e.value.errors
