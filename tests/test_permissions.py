"""Roles and permissions are enforced by the operations themselves, not by hidden menus."""

from __future__ import annotations

import pytest

from tuicrm.data.core import permissions, settings
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import PermissionDenied
from tuicrm.data.core.permissions import ACTIONS, ROLES, allowed, grants, require
from tuicrm.data.models import AuditLog, RolePermission, Setting, User
from tuicrm.data.staff import users

pytestmark = pytest.mark.pg


def test_sales_cannot_manage_users_through_any_user_operation(admin, sales, manager, password):
    with pytest.raises(PermissionDenied) as info:
        users.create_user(sales, "sidekick", password, "admin")
    assert str(info.value) == "sally (sales) may not: " + ACTIONS["user.manage"]
    with pytest.raises(PermissionDenied):
        users.update_user(sales, sales.id, role="admin")
    with pytest.raises(PermissionDenied):
        users.update_user(sales, manager.id, active=False)
    with pytest.raises(PermissionDenied):
        users.reset_password(sales, admin.id, "taken-over")
    # Nothing changed in the database.
    assert sorted(u.username for u in User.select()) == ["admin", "manny", "sally"]
    assert User.get_by_id(sales.id).role == "sales"
    assert User.get_by_id(manager.id).active
    assert users.authenticate("admin", password).id == admin.id
    assert AuditLog.select().where(AuditLog.user == sales.id).count() == 0


def test_sales_cannot_delete_customers_or_see_costs(sales):
    for action in ("customer.delete", "user.manage", "product.see_cost", "settings.edit",
                   "stock.adjust", "count.manage", "customer.view_all"):
        assert not allowed(sales, action), action
        with pytest.raises(PermissionDenied):
            require(sales, action)
    for action in ("customer.view", "customer.edit", "order.sell", "product.view"):
        assert allowed(sales, action), action
        require(sales, action)


def test_sales_cannot_change_settings(sales):
    with pytest.raises(PermissionDenied):
        settings.set_value(sales, "company.name", "Sally's Shop")
    assert Setting.select().count() == 0
    assert settings.get("company.name") == ""


def test_admin_may_do_everything(admin):
    for action in ACTIONS:
        assert allowed(admin, action), action
    assert grants("admin") == set(ACTIONS)


def test_manager_grants(manager, password):
    # Users, and backups / restores (which replace everything), stay with administrators.
    assert grants("manager") == set(ACTIONS) - {"user.manage", "backup.manage"}
    assert allowed(manager, "customer.delete")
    assert allowed(manager, "product.see_cost")
    settings.set_value(manager, "company.name", "Manny's")
    assert settings.get("company.name") == "Manny's"
    with pytest.raises(PermissionDenied):
        users.create_user(manager, "newbie", password, "sales")


def test_warehouse_grants(warehouse):
    assert allowed(warehouse, "count.count") and allowed(warehouse, "order.receive")
    for action in ("order.sell", "customer.edit", "customer.delete", "count.manage",
                   "user.manage", "product.see_cost"):
        assert not allowed(warehouse, action), action


def test_every_stored_grant_names_a_known_role_and_action(db):
    rows = list(RolePermission.select())
    assert rows
    for row in rows:
        assert row.role in ROLES and row.role != "admin", row.role
        assert row.action in ACTIONS, row.action


def test_there_is_no_nobody(db):
    """An operation without its actor must fail loudly, never skip its checks."""
    with pytest.raises(TypeError, match="needs an Actor"):
        allowed(None, "customer.view")
    with pytest.raises(TypeError, match="needs an Actor"):
        require(None, "customer.view")


def test_the_system_actor_may_do_everything_and_names_the_os_user(db):
    actor = system_actor("shopkeeper")
    assert actor.system and actor.username == "system:shopkeeper"
    assert all(allowed(actor, action) for action in ACTIONS)


def test_a_disabled_user_is_refused_even_in_a_session_opened_before(admin, sales, manager):
    """The object a session holds is hours old; the database has the last word."""
    session_user = User.get_by_id(manager.id)  # as loaded at login
    assert allowed(session_user, "customer.delete")
    users.update_user(admin, manager.id, active=False)
    assert session_user.active  # stale in memory ...
    assert not allowed(session_user, "customer.delete")  # ... but refused
    assert not allowed(session_user, "customer.view")


def test_a_demoted_admin_loses_admin_rights_at_once(admin, make_user, password):
    deputy = make_user("admin", "deputy")
    session_user = User.get_by_id(deputy.id)
    users.update_user(admin, deputy.id, role="sales")
    assert session_user.role == "admin"
    with pytest.raises(PermissionDenied):
        users.create_user(session_user, "sneaky", password, "admin")
    assert not User.select().where(User.username == "sneaky").exists()


def test_granting_a_permission_to_a_role_takes_effect(sales):
    assert not allowed(sales, "stock.adjust")
    RolePermission.create(role="sales", action="stock.adjust")
    assert allowed(sales, "stock.adjust")
    assert "stock.adjust" in permissions.grants("sales")
