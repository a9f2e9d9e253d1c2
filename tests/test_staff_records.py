"""Staff records (A2): department, telephone and active flag, changed and audited; a
salesperson's customers listed from their record. A user would notice a failure as a phone
number that is lost, or a manager unable to see who looks after which customers."""

from __future__ import annotations

import json

import pytest

from tests.helpers import list_ready, log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.models import AuditLog, Customer
from tuicrm.data.parties.lists import CUSTOMERS
from tuicrm.data.staff import users
from tuicrm.screens.users import StaffCustomersScreen, UsersScreen


@pytest.mark.pg
def test_phone_and_department_are_kept_and_audited(admin, sales):
    row = users.update_user(admin, sales.id, department="门市部", phone="138 0013 8000")
    assert (row.department, row.phone) == ("门市部", "138 0013 8000")
    audit = AuditLog.select().where(AuditLog.entity == "user", AuditLog.record_id == sales.id,
                                    AuditLog.action == "update").get()
    assert json.loads(audit.changes)["phone"] == ["", "138 0013 8000"]
    with pytest.raises(ValidationError, match="digits"):
        users.update_user(admin, sales.id, phone="call me\x1b[2J")
    assert users.get_user(admin, sales.id).phone == "138 0013 8000"


@pytest.mark.pg
def test_a_salespersons_customers(admin, make_user):
    li, wang = make_user("sales", "li"), make_user("sales", "wang")
    for i in range(3):
        Customer.create(code=f"L{i}", name=f"Li's {i}", salesperson=li.id)
    Customer.create(code="W1", name="Wang's", salesperson=wang.id)
    pager = open_list(admin, CUSTOMERS, ListRequest(options={"salesperson_id": li.id}))
    assert pager.count() == 3
    assert len(pager.first(50)) == 3
    searched = open_list(admin, CUSTOMERS, ListRequest(search="Wang",
                                                       options={"salesperson_id": li.id}))
    assert searched.first(50) == []


async def test_customers_from_the_staff_record(db, admin, make_user, password):
    li = make_user("sales", "li", full_name="李明")
    Customer.create(code="L1", name="华兴五金", salesperson=li.id)
    Customer.create(code="W1", name="Not Li's")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("u")
        await wait_for(pilot, lambda: isinstance(app.screen, UsersScreen) and app.screen.ready)
        await list_ready(pilot)
        app.screen.table.go_to_id(li.id)
        await wait_for(pilot, lambda: app.screen.table.cursor_row_id == li.id)
        await pilot.press("c")
        await wait_for(pilot, lambda: isinstance(app.screen, StaffCustomersScreen))
        await list_ready(pilot)
        await sees(pilot, "Customers of 李明", "华兴五金")
        assert "Not Li's" not in screen_text(app)
