"""The customer-group tree (C1)."""

from __future__ import annotations

import pytest

from tuicrm.data.core.errors import InUse, PermissionDenied, ValidationError
from tuicrm.data.core.tree import TO_TOP
from tuicrm.data.models import Customer, CustomerGroup
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.groups import customer_groups as T

pytestmark = pytest.mark.pg


def test_tree_add_rename_move(admin):
    east = T.create(admin, "华东")
    sh = T.create(admin, "上海", east.id)
    T.create(admin, "杭州", east.id)
    with pytest.raises(ValidationError):
        T.create(admin, "上海", east.id)
    T.rename(admin, sh.id, "上海市")
    nodes = T.nodes(admin)
    assert [(n.path, n.depth) for n in nodes] == [("华东", 0), ("华东/上海市", 1), ("华东/杭州", 1)]
    with pytest.raises(ValidationError, match="itself"):
        T.move(admin, east.id, sh.id)
    T.move(admin, sh.id, None)
    assert CustomerGroup.get_by_id(sh.id).parent_id is None
    assert T.find("华东/杭州").name == "杭州"


def test_delete_refused_with_counts_then_moved(admin):
    east = T.create(admin, "East")
    sub = T.create(admin, "Sub", east.id)
    other = T.create(admin, "Other")
    c1 = C.create_customer(admin, name="a", group=east.id)
    C.create_customer(admin, name="b", group=sub.id)
    nodes = {n.name: n for n in T.nodes(admin)}
    assert (nodes["East"].items, nodes["East"].total) == (1, 2)
    with pytest.raises(InUse) as e:
        T.delete(admin, east.id)
    assert "1 customer" in str(e.value) and "1 sub-group" in str(e.value)
    assert CustomerGroup.select().count() == 3
    with pytest.raises(ValidationError):
        T.delete(admin, east.id, move_to=sub.id)  # into its own sub-group
    assert T.delete(admin, east.id, move_to=other.id) == 1
    assert Customer.get_by_id(c1.id).group_id == other.id
    assert CustomerGroup.get_by_id(sub.id).parent_id == other.id
    assert T.delete(admin, sub.id, move_to=TO_TOP) == 1
    assert Customer.select().where(Customer.group.is_null()).count() == 1


def test_subgroup_listing_and_permissions(admin, warehouse):
    east = T.create(admin, "East")
    sub = T.create(admin, "Sub", east.id)
    C.create_customer(admin, name="a", group=east.id)
    C.create_customer(admin, name="b", group=sub.id)
    assert [c.name for c in C.customer_query(admin, group_id=east.id)] == ["a"]
    assert sorted(c.name for c in C.customer_query(admin, group_id=east.id, subgroups=True)) == [
        "a", "b"]
    with pytest.raises(PermissionDenied):
        T.create(warehouse, "x")
