"""The audit trail and the login log on screen (A7): who changed what (old → new), filtered
by user, record, kind and date; logins and failures with the SSH address. A user would notice
a failure as a change they cannot trace, or a clerk reading the trail."""

from __future__ import annotations

import pytest

from tests.helpers import list_ready, log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.core import settings
from tuicrm.data.core.errors import AuthError, PermissionDenied
from tuicrm.data.lists.filters import Condition, CustomFilter
from tuicrm.data.lists.view import DateRange, ListRequest, open_list
from tuicrm.data.staff import users
from tuicrm.data.staff.audit_lists import AUDIT, LOGINS, changes_text
from tuicrm.screens.audit import AuditScreen, LoginLogScreen
from tuicrm.screens.home import HomeScreen
from tuicrm.screens.today import InfoDialog


def _values(pager, column: str) -> list:
    index = [c.name for c in pager.columns].index(column)
    return [row.values[index] for row in pager.first(50)]


def test_changes_read_as_old_to_new():
    assert changes_text('{"name": ["华兴", "华兴五金"], "qty": 3}') == \
        "name: 华兴 → 华兴五金; qty: 3"
    assert changes_text('{"note": [null, "x"]}') == "note: ∅ → x"
    assert changes_text("not json") == "not json"
    assert changes_text('{"phone": ["", "021"]}') == 'phone: "" → 021'


@pytest.mark.pg
def test_the_trail_filtered_by_user_record_kind_and_date(admin, manager, sales):
    settings.set_value(admin, "company.name", "Acme")
    settings.set_value(manager, "company.name", "Acme 商行")
    users.update_user(admin, sales.id, department="柜台")
    everything = open_list(admin, AUDIT)
    assert _values(everything, "kind")[0] == "update"  # newest first
    by_manager = open_list(admin, AUDIT, ListRequest(
        filter=CustomFilter("user", Condition("=", manager.username))))
    assert _values(by_manager, "changes") == ['{"company.name": ["Acme", "Acme 商行"]}']
    users_only = open_list(admin, AUDIT, ListRequest(
        filter=CustomFilter("record", Condition("=", "user")), search="柜台"))
    assert _values(users_only, "record_id") == [sales.id]
    today = open_list(admin, AUDIT, ListRequest(dates=DateRange("today")))
    assert len(today.first(50)) == len(everything.first(50))
    past = open_list(admin, AUDIT, ListRequest(dates=DateRange("custom", "2020-01-01",
                                                               "2020-12-31")))
    assert past.first(50) == []
    with pytest.raises(PermissionDenied):
        open_list(sales, AUDIT)
    with pytest.raises(PermissionDenied):
        open_list(sales, LOGINS)


async def test_audit_screen_and_login_log(db, admin, password, monkeypatch):
    monkeypatch.setenv("SSH_CONNECTION", "203.0.113.7 52144 10.0.0.2 22")
    settings.set_value(admin, "company.name", "Old name")
    settings.set_value(admin, "company.name", "华兴五金")
    with pytest.raises(AuthError):
        users.authenticate("admin", "wrong-password", "ssh 198.51.100.9")
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "admin", password)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await list_ready(pilot)
        await sees(pilot, "Audit trail", "Old → new", "company.name: Old name → 华兴")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, InfoDialog))
        await sees(pilot, "User: admin", "Record: setting", "company.name: Old name → 华兴五金")
        await pilot.press("escape", "l")
        await wait_for(pilot, lambda: isinstance(app.screen, LoginLogScreen))
        await list_ready(pilot)
        await sees(pilot, "login", "failure", "ssh 203.0.113.7")
        text = screen_text(app)
        assert text.index("login ") < text.index("failure")  # newest first
        await pilot.press("l")  # L goes back and forth between the two
        await wait_for(pilot, lambda: isinstance(app.screen, AuditScreen))
        await pilot.press("escape")  # Esc: Home, whichever of the two is shown
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
