"""The Contacts, Suppliers and Competitors list queries (tuicrm.data.parties.lists)."""

from __future__ import annotations

import pytest

from tuicrm.data.core.errors import NotFound
from tuicrm.data.parties import customers as C
from tuicrm.data.parties import lists as P

pytestmark = pytest.mark.pg


def test_search_matches_any_column_literally(admin):
    acme = C.create_customer(admin, name="Acme", code="C000100")
    C.create_contact(admin, acme.id, name="Li Lei", mobile="13800138000")
    C.create_contact(admin, acme.id, name="Han 50%", phone="021")
    C.create_supplier(admin, code="S1", name="Steel Co", phone="555", contact_name="Wang")
    C.create_supplier(admin, code="S2", name="Wood", phone="777")
    C.create_competitor(admin, name="Rival", products="steel pipes")

    def names(q):
        return sorted(r.name for r in q)

    assert names(P.contacts_query(admin, "c000100")) == ["Han 50%", "Li Lei"]
    assert names(P.contacts_query(admin, "1380")) == ["Li Lei"]
    assert names(P.contacts_query(admin, "50%")) == ["Han 50%"]
    assert names(P.contacts_query(admin, "  ")) == ["Han 50%", "Li Lei"]
    assert names(P.suppliers_query(admin, "wang")) == ["Steel Co"]
    assert names(P.competitors_query(admin, "PIPES")) == ["Rival"]
    assert [s.code for s in P.pick_suppliers(admin, "S")] == ["S1", "S2"]
    assert [s.code for s in P.pick_suppliers(admin, "wood")] == ["S2"]


def test_get_by_id_or_not_found(admin):
    s = C.create_supplier(admin, code="S1", name="Steel Co")
    assert P.get_supplier(admin, s.id).code == "S1"
    with pytest.raises(NotFound, match="supplier #999 no longer exists"):
        P.get_supplier(admin, 999)
    with pytest.raises(NotFound):
        P.get_contact(admin, 999)
    with pytest.raises(NotFound):
        P.get_competitor(admin, 999)
