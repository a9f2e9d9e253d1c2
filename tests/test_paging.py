"""Keyset pagination (tuicrm.data.lists.paging) against a plain sort of the whole table.

Every walk, forwards and backwards, at several page sizes, must list exactly the rows that a
plain ``ORDER BY`` of the whole table gives (and, on SQLite, that sorting it in Python gives):
with duplicates, NULLs (a nullable foreign key and a LEFT JOINed group name), money stored as
cents, and mixed sort directions. Runs on PostgreSQL too (``pg`` marker, see conftest.py),
where NULL sorts above every value instead of below.
"""

from __future__ import annotations

import functools
import random
import subprocess
import sys
from decimal import Decimal

import pytest
from peewee import JOIN

from tuicrm.data.core import db as dbmod
from tuicrm.data.lists.columns import Column, format_value
from tuicrm.data.lists.paging import PagedQuery
from tuicrm.data.models import Customer, CustomerGroup

pytestmark = pytest.mark.pg

NAMES = ["Acme", "acme", "王小明", "Zed", "", "Bob", "Acme", "李四", "Émile", "bob"]
GRADES = ["A", "B", "C", ""]
CREDITS = [Decimal("0"), Decimal("10.50"), Decimal("99.99"), Decimal("1234.56")]
N = 157  # not a multiple of any page size used


@pytest.fixture
def rows(db):
    """N customers with duplicate names, grades and credit limits; some without a group."""
    rnd = random.Random(7)
    north = CustomerGroup.create(name="North")
    south = CustomerGroup.create(name="South")
    east = CustomerGroup.create(name="东区")
    groups = [north, south, east, None, None]
    with dbmod.write():
        for i in range(N):
            Customer.create(
                code=f"C{i:04d}",
                name=rnd.choice(NAMES),
                group=rnd.choice(groups),
                grade=rnd.choice(GRADES),
                credit_limit=rnd.choice(CREDITS),
            )


def query():
    return Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)


COLUMNS = [
    Column("code", Customer.code),
    Column("name", Customer.name),
    Column("group", CustomerGroup.name, "Group"),
    Column("group_id", Customer.group),  # nullable FK of the listed model itself
    Column("grade", Customer.grade),
    Column("credit", Customer.credit_limit),
]

# Raw values per column name, read with plain SQL: the reference the pages must match.
RAW_SQL = (
    "SELECT c.id, c.code, c.name, g.name, c.group_id, c.grade, c.credit_limit "
    "FROM customer c LEFT JOIN customer_group g ON g.id = c.group_id"
)
RAW_INDEX = {"code": 1, "name": 2, "group": 3, "group_id": 4, "grade": 5, "credit": 6}


def _cmp_values(a, b, desc: bool, nulls_low: bool) -> int:
    if a == b:
        return 0
    if a is None:
        result = -1 if nulls_low else 1
    elif b is None:
        result = 1 if nulls_low else -1
    else:
        result = -1 if a < b else 1
    return -result if desc else result


def native_nulls_low() -> bool:
    return dbmod.is_sqlite()


def ordered_ids(sort, where=None, nulls_low=None) -> list[int]:
    """The whole table in a plain ORDER BY: the sort terms, then id in the last direction."""
    exprs = {c.name: c.expr for c in COLUMNS}
    terms = [(exprs[name], desc) for name, desc in sort]
    terms.append((Customer.id, sort[-1][1] if sort else False))
    order = []
    for expr, desc in terms:
        nulls = None
        if nulls_low is not None:
            nulls = "first" if nulls_low != desc else "last"
        order.append(expr.desc(nulls=nulls) if desc else expr.asc(nulls=nulls))
    q = query().select(Customer.id).order_by(*order)
    if where is not None:
        q = q.where(where)
    return [r[0] for r in q.tuples()]


def expected_ids(sort, where=None, raw_where=None, nulls_low=None) -> list[int]:
    """The reference order, checked two ways: the database's own ORDER BY over the whole
    table, and (on SQLite, whose text order is by code point) a sort in Python.
    ``where`` is a peewee filter, ``raw_where`` the same in SQL over RAW_SQL's aliases."""
    db_order = ordered_ids(sort, where, nulls_low)
    if dbmod.is_sqlite():
        low = native_nulls_low() if nulls_low is None else nulls_low
        assert python_sorted_ids(sort, raw_where, low) == db_order
    return db_order


def python_sorted_ids(sort, where=None, nulls_low=True) -> list[int]:
    """The whole table sorted in Python: sort terms, then id in the last term's direction."""
    rows = dbmod.database.execute_sql(RAW_SQL + (f" WHERE {where}" if where else "")).fetchall()
    last_desc = sort[-1][1] if sort else False
    terms = [(RAW_INDEX[name], desc) for name, desc in sort] + [(0, last_desc)]

    def compare(r1, r2):
        for index, desc in terms:
            c = _cmp_values(r1[index], r2[index], desc, nulls_low)
            if c:
                return c
        return 0

    return [r[0] for r in sorted(rows, key=functools.cmp_to_key(compare))]


SORTS = [
    [],
    [("name", False)],
    [("name", True)],
    [("group", False)],  # joined column with NULLs
    [("group", True)],
    [("group_id", False)],  # nullable column of the listed model
    [("group_id", True)],
    [("group", False), ("name", True)],  # mixed directions
    [("grade", True), ("credit", False), ("name", False)],
    [("credit", True), ("group", False)],  # money: raw cents as keys
    [("grade", True), ("group", True)],  # a nullable term after a non-null one, same way
    [("name", False), ("group_id", False)],
]


def walk_forward(pq: PagedQuery, size: int) -> list[int]:
    page = pq.first(size)
    ids = [r.id for r in page]
    while len(page) == size and len(ids) <= 2 * N:  # a broken predicate must not loop forever
        page = pq.after(page[-1].key, size)
        ids += [r.id for r in page]
    return ids


def walk_backward(pq: PagedQuery, size: int) -> list[int]:
    page = pq.last(size)
    ids = [r.id for r in page]
    while len(page) == size and len(ids) <= 2 * N:
        page = pq.before(page[0].key, size)
        ids = [r.id for r in page] + ids
    return ids


@pytest.mark.parametrize(
    "sort", SORTS, ids=lambda s: ",".join(f"{n}{'-' if d else '+'}" for n, d in s) or "id"
)
def test_pages_match_a_full_sort(rows, sort):
    pq = PagedQuery(query(), COLUMNS, sort=sort)
    want = expected_ids(sort)
    assert len(want) == N
    for size in (1, 3, 7, 50, 500):
        assert walk_forward(pq, size) == want, f"forward, pages of {size}"
        assert walk_backward(pq, size) == want, f"backward, pages of {size}"
    assert [r.id for r in pq.iterate(batch=10)] == want


@pytest.mark.parametrize(
    "sort",
    [
        [("group", False), ("name", True)],
        [("group_id", True)],
        [("grade", False), ("group", False)],
    ],
)
def test_the_other_null_order_matches_too(rows, sort):
    """Each engine's own NULL order is tested above; forcing the other one (PostgreSQL's
    "NULL highest" on SQLite, SQLite's "NULL lowest" on PostgreSQL) proves the predicates
    for both on either engine (the query then says NULLS FIRST/LAST)."""
    other = not native_nulls_low()
    pq = PagedQuery(query(), COLUMNS, sort=sort, nulls_low=other)
    assert pq.nulls_low is other
    want = expected_ids(sort, nulls_low=other)
    assert walk_forward(pq, 4) == want
    assert walk_backward(pq, 4) == want


@pytest.mark.parametrize(
    "sort", [[("name", False)], [("group", True), ("credit", False)], [("group_id", True)]]
)
def test_around_position_and_count(rows, sort):
    pq = PagedQuery(query(), COLUMNS, sort=sort)
    want = expected_ids(sort)
    assert pq.count() == N
    all_rows = list(pq.iterate(batch=40))
    for i in (0, 1, 17, N // 2, N - 2, N - 1):
        key = all_rows[i].key
        assert pq.position(key) == i
        before, after = pq.around(key, 5, 5)
        assert [r.id for r in before] == want[max(0, i - 5) : i]
        assert [r.id for r in after] == want[i : i + 6]


def test_filters_and_joins_are_kept(rows):
    where = Customer.grade == "A"
    pq = PagedQuery(query().where(where), COLUMNS, sort=[("name", True)])
    want = expected_ids([("name", True)], Customer.grade == "A", "c.grade = 'A'")
    assert 0 < len(want) < N
    assert walk_forward(pq, 6) == want
    assert walk_backward(pq, 6) == want
    assert pq.count() == len(want)
    # A filter on the joined table: counting must keep the join.
    pq = PagedQuery(query().where(CustomerGroup.name == "North"), COLUMNS, sort=[("group", False)])
    want = expected_ids([("group", False)], CustomerGroup.name == "North", "g.name = 'North'")
    assert walk_forward(pq, 6) == want
    assert pq.count() == len(want)
    rows = list(pq.iterate())
    assert pq.position(rows[-1].key) == len(want) - 1
    # get() honours the filter
    outside = Customer.select().where(Customer.group.is_null()).first()
    assert pq.get(outside.id) is None
    assert pq.get(rows[0].id).id == rows[0].id


def test_with_query_and_with_sort_keep_the_rest(rows):
    pq = PagedQuery(query(), COLUMNS, sort=[("name", False)])
    narrowed = pq.with_query(query().where(Customer.grade == "B"))
    assert narrowed.sort == pq.sort and narrowed.columns == pq.columns
    assert {r.values[4] for r in narrowed.iterate()} == {"B"}
    resorted = pq.with_sort([("code", True)])
    assert [r.values[0] for r in resorted.first(3)] == ["C0156", "C0155", "C0154"]


def test_values_are_converted_keys_stay_raw(rows):
    pq = PagedQuery(query(), COLUMNS, sort=[("credit", True)])
    top = pq.first(1)[0]
    assert top.values[5] == Decimal("1234.56")  # Decimal for display
    assert top.key[0] == 123456  # cents, exactly as stored
    col = pq.column("credit")
    assert col.align == "right" and col.text(Decimal("1234.5")) == "1,234.50"
    assert pq.column("group").title == "Group"
    assert pq.column("grade").title == "Grade" and pq.column("grade").align == "left"
    assert format_value(None) == "" and format_value(True) == "yes"


def test_pages_use_row_values_and_no_offset(rows):
    pq = PagedQuery(query(), COLUMNS, sort=[("name", False)])
    key = pq.first(1)[0].key
    sql, params = pq.sql(50, key)
    assert "OFFSET" not in sql.upper()
    assert '("t1"."name", "t1"."id") > (' in sql
    assert params[-3:-1] == list(key)


def test_keyset_walk_is_stable_while_rows_are_added(rows):
    """A row inserted behind the reader is not seen, one ahead of it is; no row twice."""
    pq = PagedQuery(query(), COLUMNS, sort=[("code", False)])
    page = pq.first(50)
    Customer.create(code="B0000", name="behind")
    Customer.create(code="D0000", name="ahead")
    ids = [r.id for r in page]
    while page and len(ids) <= 2 * N:
        page = pq.after(page[-1].key, 50)
        ids += [r.id for r in page]
    codes = [Customer.get_by_id(i).code for i in ids]
    assert "B0000" not in codes and codes[-1] == "D0000"
    assert len(ids) == len(set(ids)) == N + 1


def test_existing_ids(rows):
    pq = PagedQuery(query().where(Customer.grade == "A"), COLUMNS)
    a = [c.id for c in Customer.select().where(Customer.grade == "A").limit(3)]
    b = [c.id for c in Customer.select().where(Customer.grade == "B").limit(2)]
    assert pq.existing_ids(a + b + [10**9]) == set(a)


def test_bad_arguments(rows):
    with pytest.raises(KeyError):
        PagedQuery(query(), COLUMNS, sort=[("nope", False)])
    with pytest.raises(ValueError):
        PagedQuery(query(), COLUMNS + [Column("name", Customer.name)])
    with pytest.raises(ValueError):
        Column("x", Customer.name, align="middle")
    pq = PagedQuery(query(), COLUMNS)
    with pytest.raises(ValueError):
        pq.after((1, 2, 3), 5)


def test_paging_does_not_load_textual():
    code = "import sys, tuicrm.data.lists.paging; assert 'textual' not in sys.modules, 'textual loaded'"
    subprocess.run([sys.executable, "-c", code], check=True)
