"""The audit trail: who changed which record, from what to what."""

from __future__ import annotations

import datetime as dt
import getpass
import json

import pytest

from tuicrm.data.core import audit, clock, settings
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.models import AuditLog
from tuicrm.data.staff import users

pytestmark = pytest.mark.pg


def _rows(entity: str | None = None) -> list[AuditLog]:
    query = AuditLog.select().order_by(AuditLog.id)
    if entity:
        query = query.where(AuditLog.entity == entity)
    return list(query)


def test_creating_a_user_is_recorded(admin, password):
    [first] = _rows()  # the first admin, created from the command line / set-up screen
    assert (first.user_id, first.username, first.entity, first.record_id, first.action) == (
        None, f"system:{getpass.getuser()}", "user", admin.id, "create",
    )

    clerk = users.create_user(admin, "clerk", password, "sales", "Chen Li 陈丽", "Counter")
    row = _rows()[-1]
    assert (row.user_id, row.username, row.entity, row.record_id, row.action) == (
        admin.id, "admin", "user", clerk.id, "create",
    )
    assert json.loads(row.changes) == {
        "username": "clerk", "role": "sales", "full_name": "Chen Li 陈丽",
    }
    assert "陈丽" in row.changes  # stored readable, not \\u escapes
    assert abs(row.at - clock.now()) < dt.timedelta(minutes=1)
    assert "argon2" not in row.changes and password not in row.changes


def test_updating_a_user_records_old_and_new_values_only_for_what_changed(admin, sales):
    before = len(_rows())
    users.update_user(admin, sales.id, role="manager", full_name="Sally Sun", department="")
    row = _rows()[-1]
    assert (row.user_id, row.entity, row.record_id, row.action) == (
        admin.id, "user", sales.id, "update",
    )
    assert json.loads(row.changes) == {
        "role": ["sales", "manager"],
        "full_name": ["", "Sally Sun"],
    }  # department was "" already: not listed
    assert len(_rows()) == before + 1

    users.update_user(admin, sales.id, role="manager")  # no change, no row
    assert len(_rows()) == before + 1

    users.update_user(admin, sales.id, active=False)
    assert json.loads(_rows()[-1].changes) == {"active": [True, False]}
    assert [r.action for r in audit.history("user", sales.id)] == ["create", "update", "update"]


def test_password_resets_are_recorded_without_the_password(admin, sales):
    users.reset_password(admin, sales.id, "new-secret-pw")
    row = _rows()[-1]
    assert (row.user_id, row.record_id, row.action, row.changes) == (
        admin.id, sales.id, "reset_password", "{}",
    )


def test_a_refused_change_leaves_no_audit_row(admin, sales, password):
    before = len(_rows())
    with pytest.raises(ValidationError):
        users.create_user(admin, "sally", password, "sales")
    with pytest.raises(ValidationError):
        users.update_user(system_actor(), admin.id, active=False)
    assert len(_rows()) == before


def test_setting_changes_are_recorded(admin):
    settings.set_value(admin, "company.name", "Acme 商行")
    settings.set_value(admin, "company.name", "Acme Trading")
    rows = _rows("setting")
    assert [(r.user_id, r.action) for r in rows] == [(admin.id, "update")] * 2
    assert [json.loads(r.changes) for r in rows] == [
        {"company.name": ["", "Acme 商行"]},
        {"company.name": ["Acme 商行", "Acme Trading"]},
    ]
    assert settings.get("company.name") == "Acme Trading"
