"""The Contacts, Suppliers and Competitors list queries (tuicrm.data.parties.lists) and
reading one record by id."""

from __future__ import annotations

import pytest

from tuicrm.data.core.errors import NotFound
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.parties import contacts as K
from tuicrm.data.parties import customers as C
from tuicrm.data.parties import lists as P
from tuicrm.data.parties import suppliers as S

pytestmark = pytest.mark.pg


def test_search_matches_any_column_literally(admin):
    acme = C.create_customer(admin, name="Acme", code="C000100")
    K.create_contact(admin, acme.id, name="Li Lei", mobile="13800138000")
    K.create_contact(admin, acme.id, name="Han 50%", phone="021")
    S.create_supplier(admin, code="S1", name="Steel Co", phone="555", contact_name="Wang")
    S.create_supplier(admin, code="S2", name="Wood", phone="777")
    S.create_competitor(admin, name="Rival", products="steel pipes")

    def names(listdef, search):
        pager = open_list(admin, listdef, ListRequest(search=search))
        index = [c.name for c in pager.columns].index("name")
        return sorted(row.values[index] for row in pager.iterate())

    assert names(P.CONTACTS, "c000100") == ["Han 50%", "Li Lei"]
    assert names(P.CONTACTS, "1380") == ["Li Lei"]
    assert names(P.CONTACTS, "50%") == ["Han 50%"]
    assert names(P.CONTACTS, "  ") == ["Han 50%", "Li Lei"]
    assert names(P.SUPPLIERS, "wang") == ["Steel Co"]
    assert names(P.COMPETITORS, "PIPES") == ["Rival"]
    assert [s.code for s in S.pick_suppliers(admin, "S")] == ["S1", "S2"]
    assert [s.code for s in S.pick_suppliers(admin, "wood")] == ["S2"]
    assert [s.code for s in S.pick_suppliers(admin, "")] == ["S1", "S2"]  # before typing


def test_get_by_id_or_not_found(admin):
    s = S.create_supplier(admin, code="S1", name="Steel Co")
    assert S.get_supplier(admin, s.id).code == "S1"
    with pytest.raises(NotFound, match="supplier #999 no longer exists"):
        S.get_supplier(admin, 999)
    with pytest.raises(NotFound, match="not yours"):  # the contacts' scope answers first
        K.get_contact(admin, 999)
    with pytest.raises(NotFound):
        S.get_competitor(admin, 999)
