"""What a salesperson's session reads at every open is served by an index (migration 0150):
their customer list sorted by name or code, the group counts of their customers, and today's
birthdays. At a million customers each of these was a scan or a sort of hundreds of
thousands of rows (250-450 ms), run by every counter session at each login and list open."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from tuicrm.data.agenda.today_alerts import birthday_query
from tuicrm.data.core import kept
from tuicrm.data.core.db import database
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.models import Contact, Customer, CustomerGroup
from tuicrm.data.parties import customers
from tuicrm.data.parties.groups import group_nodes
from tuicrm.data.parties.lists import CUSTOMERS


def _plan(sql: str, params: Any = ()) -> str:
    rows = database.execute_sql(f"EXPLAIN QUERY PLAN {sql}", params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def _first_page_sql(actor: Any, sort: str, monkeypatch: pytest.MonkeyPatch) -> tuple[str, Any]:
    """The SQL of the first page of the Customers list as ``actor`` opens it."""
    seen: list[tuple[str, Any]] = []
    real = database.obj
    original = real.execute_sql

    def recording(sql: str, params: Any = None, *args: Any, **kwargs: Any) -> Any:
        seen.append((sql, params))
        return original(sql, params, *args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(real, "execute_sql", recording)
        open_list(actor, CUSTOMERS, ListRequest(sort=(sort, False))).first(20)
    [page] = [(s, p) for s, p in seen if "ORDER BY" in s and "LIMIT" in s]
    return page


@pytest.mark.parametrize("sort", ["name", "code"])
def test_a_salespersons_customers_are_read_in_index_order(sales, sort, monkeypatch):
    for i in range(30):
        Customer.create(code=f"C{i:03d}", name=f"Name {i}", salesperson=sales.id)
    sql, params = _first_page_sql(sales, sort, monkeypatch)
    plan = _plan(sql, params)
    assert f"customer_salesperson_{sort}" in plan
    assert "TEMP B-TREE" not in plan  # no sort of all their customers


def test_birthdays_today_are_found_through_the_index(sales):
    cust = Customer.create(code="C1", name="Acme", salesperson=sales.id)
    Contact.create(customer=cust, name="Bob", birthday=dt.date(1980, 6, 15))
    Contact.create(customer=cust, name="Olga", birthday=dt.date(1980, 1, 1))
    query = birthday_query(sales, dt.date(2026, 6, 15))
    assert [c.name for c in query] == ["Bob"]
    sql, params = query.sql()
    assert "contact_birthday_day" in _plan(sql, params)


def test_big_counts_are_kept_but_a_change_here_counts_again(sales, admin, monkeypatch):
    monkeypatch.setattr(kept, "KEEP_FROM", 2)  # "big": two customers and more
    group = CustomerGroup.create(name="East")
    customers.create_customer(admin, name="One", group=group.id, salesperson=sales.id)
    pager = open_list(sales, CUSTOMERS)
    assert {n.name: n.total for n in group_nodes(sales)}["East"] == 1  # small: not kept
    assert pager.count() == 1
    customers.create_customer(admin, name="Two", group=group.id, salesperson=sales.id)
    # A change this process commits is counted at once ...
    assert {n.name: n.total for n in group_nodes(sales)}["East"] == 2
    assert pager.count() == 2
    # ... another session's (here: a write past the operations) within the minute.
    Customer.create(code="X1", name="Three", group=group.id, salesperson=sales.id)
    assert {n.name: n.total for n in group_nodes(sales)}["East"] == 2
    assert pager.count() == 2
    customers.create_customer(admin, name="Four", group=group.id, salesperson=sales.id)
    assert {n.name: n.total for n in group_nodes(sales)}["East"] == 4
    assert pager.count() == 4
    sql = ("SELECT group_id, COUNT(*) FROM customer WHERE salesperson_id = ? "
           "GROUP BY group_id")
    assert "COVERING INDEX customer_salesperson_group" in _plan(sql, (sales.id,))
