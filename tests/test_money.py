"""Money and quantities are exact: parsing, rounding, formatting, storage and SQL sums."""

from __future__ import annotations

import random
from decimal import Decimal

import pytest
from peewee import AutoField, IntegerField, fn

from tuicrm.data.core import db as dbmod
from tuicrm.data.core.money import (
    MoneyField,
    QuantityField,
    fmt_money,
    fmt_qty,
    from_cents,
    from_milli,
    money,
    parse_decimal,
    qty,
    sum_of,
    to_cents,
    to_milli,
)
from tuicrm.data.models import BaseModel, Product

pytestmark = pytest.mark.pg

D = Decimal


class Amount(BaseModel):
    """A scratch table for the sum tests (created per test, not part of the schema)."""

    id = AutoField()
    bucket = IntegerField()
    value = MoneyField()
    quantity = QuantityField()

    class Meta:
        table_name = "test_amount"


# --- parsing and rounding -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("12", D("12")),
        (" 1,234.50 ", D("1234.50")),
        ("-0.1", D("-0.1")),
        (7, D("7")),
        (D("3.14159"), D("3.14159")),
        (0.1, D("0.1")),  # the float's shortest repr, never 0.1000000000000000055511...
    ],
)
def test_parse_decimal_accepts_input(text, expected):
    got = parse_decimal(text)
    assert got == expected
    assert str(got) == str(expected)


@pytest.mark.parametrize("bad", ["", "abc", "1.2.3", "NaN", "Infinity", "-inf", None, "12abc"])
def test_parse_decimal_refuses_garbage_with_a_message(bad):
    with pytest.raises(ValueError, match="not a valid amount") as info:
        money(bad)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0.005", "0.01"),
        ("0.004", "0.00"),
        ("2.675", "2.68"),
        (2.675, "2.68"),  # binary 2.67499999... would round down; money() must not
        ("-0.005", "-0.01"),  # half-up = away from zero, symmetric for refunds
        ("1.10", "1.10"),
        ("1", "1.00"),
        ("1234567890123.455", "1234567890123.46"),
    ],
)
def test_money_rounds_half_up_to_cents(value, expected):
    got = money(value)
    assert str(got) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("1.0005", "1.001"), ("1.0004", "1.000"), ("-2.5", "-2.500"), (3, "3.000")],
)
def test_qty_rounds_half_up_to_thousandths(value, expected):
    assert str(qty(value)) == expected


def test_minor_unit_conversions_round_trip():
    assert to_cents("1234.56") == 123456
    assert to_cents("0.015") == 2
    assert to_cents(D("-7.5")) == -750
    assert from_cents(123456) == D("1234.56")
    assert str(from_cents(5)) == "0.05"
    assert to_milli("2.5") == 2500
    assert from_milli(-1) == D("-0.001")
    rng = random.Random(7)
    for _ in range(1000):
        cents = rng.randint(-10**15, 10**15)
        assert to_cents(from_cents(cents)) == cents
        milli = rng.randint(-10**12, 10**12)
        assert to_milli(from_milli(milli)) == milli


@pytest.mark.parametrize(
    ("value", "places", "expected"),
    [
        (D("1234.5"), 2, "1,234.50"),
        (D("-1234567.891"), 2, "-1,234,567.89"),
        (D("0"), 2, "0.00"),
        (D("1234.5"), 0, "1,235"),
        (D("0.125"), 2, "0.13"),
        (None, 2, ""),
    ],
)
def test_fmt_money(value, places, expected):
    assert fmt_money(value, places) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [(D("3.000"), "3"), (D("2.500"), "2.5"), (D("0.000"), "0"), (D("100"), "100"),
     (D("-0.250"), "-0.25"), (None, "")],
)
def test_fmt_qty(value, expected):
    assert fmt_qty(value) == expected


# --- storage --------------------------------------------------------------------------------


def test_money_and_quantity_fields_round_trip_through_the_database(db):
    values = {
        "cost": D("1234567.89"),
        "price1": "0.01",
        "price2": D("-5.5"),
        "price3": D("99999999999999.99"),  # near the top of what a shop will ever type
        "price4": 2.675,
        "min_stock": "2.5",
    }
    p = Product.create(code="P-1", name="Widget", **values)
    fresh = Product.get_by_id(p.id)
    assert fresh.cost == D("1234567.89")
    assert fresh.price1 == D("0.01")
    assert fresh.price2 == D("-5.50")
    assert fresh.price3 == D("99999999999999.99")
    assert fresh.price4 == D("2.68")
    assert fresh.min_stock == D("2.500")
    assert all(
        isinstance(getattr(fresh, f), Decimal)
        for f in ("cost", "price1", "price2", "price3", "price4", "min_stock")
    )
    assert str(fresh.price2) == "-5.50" and str(fresh.min_stock) == "2.500"
    # What the database holds: integers in minor units, not REAL and not text.
    raw = dbmod.database.execute_sql(
        'SELECT "cost", "price1", "price2", "price3", "price4", "min_stock" FROM "product" '
        f'WHERE "id" = {int(p.id)}'
    ).fetchone()
    assert list(raw) == [123456789, 1, -550, 9999999999999999, 268, 2500]
    assert all(type(v) is int for v in raw)


def test_filtering_on_a_money_column_compares_exact_amounts(db):
    for code, price in [("A", "0.10"), ("B", "0.20"), ("C", "0.30")]:
        Product.create(code=code, name=code, price1=price)
    # 0.1 + 0.2 == 0.3 exactly, the classic float trap.
    assert [p.code for p in Product.select().where(Product.price1 == D("0.1") + D("0.2"))] == ["C"]
    assert Product.select().where(Product.price1 > "0.15").count() == 2


# --- sums in SQL ----------------------------------------------------------------------------


@pytest.fixture
def amounts(db):
    dbmod.database.create_tables([Amount])
    yield
    dbmod.database.drop_tables([Amount])


def test_sql_sum_of_10000_random_amounts_equals_the_decimal_sum(amounts):
    rng = random.Random(20260520)
    rows = []
    for _ in range(10_000):
        cents = rng.randint(-100_000_000, 100_000_000)  # -1,000,000.00 .. 1,000,000.00
        milli = rng.randint(-1_000_000, 1_000_000)
        rows.append((rng.randrange(10), D(cents).scaleb(-2), D(milli).scaleb(-3)))
    with dbmod.write():
        for i in range(0, len(rows), 500):
            Amount.insert_many(
                rows[i : i + 500], fields=[Amount.bucket, Amount.value, Amount.quantity]
            ).execute()

    expected_total = sum((r[1] for r in rows), D(0))
    expected_qty = sum((r[2] for r in rows), D(0))
    assert Amount.select().count() == 10_000

    # sum_of(): a Decimal, exactly the Decimal sum.
    total = Amount.select(sum_of(Amount.value)).scalar()
    assert isinstance(total, Decimal)
    assert total == expected_total
    assert Amount.select(sum_of(Amount.quantity)).scalar() == expected_qty

    # A bare fn.SUM comes back in minor units, still exact.
    raw = Amount.select(fn.SUM(Amount.value)).scalar()
    assert int(raw) == int(expected_total * 100) and raw == expected_total * 100

    # Grouped sums, as reports do them.
    expected_by_bucket: dict[int, Decimal] = {}
    for bucket, value, _ in rows:
        expected_by_bucket[bucket] = expected_by_bucket.get(bucket, D(0)) + value
    query = (
        Amount.select(Amount.bucket, sum_of(Amount.value).alias("total"))
        .group_by(Amount.bucket)
        .tuples()
    )
    assert dict(query) == expected_by_bucket



def test_sum_of_no_rows_is_zero(amounts):
    assert Amount.select(sum_of(Amount.value)).scalar() == D("0.00")
    assert str(Amount.select(sum_of(Amount.quantity)).scalar()) == "0.000"


def test_sum_of_1000_dimes_is_exactly_100(amounts):
    """FIELD-NOTES: a DecimalField on SQLite summed 1000 x 0.10 to 99.9999999999986."""
    with dbmod.write():
        Amount.insert_many([(0, "0.10", "0.001")] * 1000,
                           fields=[Amount.bucket, Amount.value, Amount.quantity]).execute()
    assert Amount.select(sum_of(Amount.value)).scalar() == D("100.00")
    assert Amount.select(sum_of(Amount.quantity)).scalar() == D("1.000")
