"""Every list is defined once in the data layer, and every sort key it offers is served by an
index: a user who sorts a million-row list by a column does not wait for a table scan per page.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

import tuicrm.data
from tuicrm.data.core import db as dbmod
from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.lists.view import LISTS, ListRequest, open_list


def _import_everything() -> None:
    for module in pkgutil.walk_packages(tuicrm.data.__path__, "tuicrm.data."):
        if ".migrations." not in module.name:
            importlib.import_module(module.name)


_import_everything()
EVERY = sorted(LISTS.values(), key=lambda d: d.name)
# Options some lists need (one product's movements, one count's lines).
OPTIONS = {"product_id": 1, "count_id": 1}


def _plan(pager) -> str:
    sql, params = pager.sql(50)
    rows = dbmod.database.execute_sql("EXPLAIN QUERY PLAN " + sql, params).fetchall()
    return " | ".join(str(r[-1]) for r in rows)


def test_the_lists_of_every_domain_are_registered():
    assert {"customers", "contacts", "suppliers", "competitors", "products", "stock",
            "movements", "adjustments", "orders", "order_lines"} <= set(LISTS)


@pytest.mark.parametrize("listdef", EVERY, ids=lambda d: d.name)
def test_every_offered_sort_key_is_served_by_an_index(db, listdef, system):
    """SQLite's plan for a first page sorted by each offered key, both ways, reads an index
    in order instead of sorting the table (no temporary B-tree)."""
    for key in listdef.sort_keys:
        for desc in (False, True):
            pager = open_list(system, listdef, ListRequest(sort=(key, desc), options=OPTIONS))
            plan = _plan(pager)
            assert "TEMP B-TREE" not in plan, f"{listdef.name} by {key}: {plan}"


@pytest.mark.parametrize("listdef", [d for d in EVERY if d.permissions], ids=lambda d: d.name)
def test_a_list_is_refused_without_its_permission(db, listdef, make_user):
    """Opening a list checks its permission, like an operation."""
    from tests.test_operations import _grant
    from tuicrm.data.core.permissions import ACTIONS

    clerk = make_user("warehouse")
    _grant("warehouse", set(ACTIONS) - set(listdef.permissions))
    with pytest.raises(PermissionDenied):
        open_list(clerk, listdef, ListRequest(options=OPTIONS))


@pytest.mark.parametrize("listdef", [d for d in EVERY if not d.permissions],
                         ids=lambda d: d.name)
def test_a_list_for_every_user_is_refused_to_a_disabled_one(db, listdef, admin, make_user):
    """A list any user may read (their own reminders) is still closed to a disabled account."""
    from tuicrm.data.staff import users

    clerk = make_user("sales")
    open_list(clerk, listdef, ListRequest(options=OPTIONS))
    users.update_user(admin, clerk.id, active=False)
    with pytest.raises(PermissionDenied):
        open_list(clerk, listdef, ListRequest(options=OPTIONS))
