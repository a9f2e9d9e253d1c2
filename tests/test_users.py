"""Users: the first admin, creating users, logging in, lock-out, passwords, the last admin."""

from __future__ import annotations

import datetime as dt
import statistics
import subprocess
import sys
import time

import pytest

from tuicrm.data.core import clock
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core.errors import AuthError, PermissionDenied, ValidationError
from tuicrm.data.models import AuditLog, LoginEvent, User
from tuicrm.data.staff import users

pytestmark = pytest.mark.pg

MINUTE = dt.timedelta(minutes=1)


def _events(username: str) -> list[tuple[str, str]]:
    return [
        (e.event, e.detail.strip())
        for e in LoginEvent.select().where(LoginEvent.username == username).order_by(LoginEvent.id)
    ]


def _fail(username: str, password: str = "wrong-password", match: str | None = None) -> str:
    with pytest.raises(AuthError, match=match) as info:
        users.authenticate(username, password)
    return str(info.value)


# --- creating users -------------------------------------------------------------------------


def test_first_admin(db, password):
    assert not users.has_users()
    boss = users.create_first_admin("  Boss ", password, "The Boss")
    stored = User.get_by_id(boss.id)
    assert (stored.username, stored.role, stored.active, stored.full_name) == (
        "boss", "admin", True, "The Boss",
    )
    assert stored.password_hash.startswith("$argon2id$")
    assert password not in stored.password_hash
    with pytest.raises(ValidationError, match="already has users"):
        users.create_first_admin("second", password)
    assert User.select().count() == 1


def test_first_admin_is_refused_if_someone_else_set_up_the_database_meanwhile(
    db, password, monkeypatch
):
    """The "no users yet" check and the insert are one transaction: a second session that
    created the first admin while this one was hashing its password wins, alone."""
    real_hash = users.hash_password

    def hash_while_another_session_sets_up(pw: str) -> str:
        User.create(username="other", role="admin", password_hash=real_hash(pw))
        return real_hash(pw)

    monkeypatch.setattr(users, "hash_password", hash_while_another_session_sets_up)
    with pytest.raises(ValidationError, match="already has users"):
        users.create_first_admin("boss", password)
    assert [u.username for u in User.select()] == ["other"]


def test_create_user_of_each_role(admin, password):
    for role in ("admin", "manager", "sales", "warehouse"):
        user = users.create_user(admin, f"u-{role}", password, role, "Name", "Dept")
        assert User.get_by_id(user.id).role == role
    assert [u.username for u in users.list_users(admin)] == [
        "admin", "u-admin", "u-manager", "u-sales", "u-warehouse",
    ]


def test_duplicate_user_name_is_refused_whatever_the_case(admin, sales, password):
    with pytest.raises(ValidationError) as info:
        users.create_user(admin, " SALLY ", password, "sales")
    assert "already exists" in info.value.errors["username"]
    assert User.select().where(User.username == "sally").count() == 1
    assert User.select().count() == 2


@pytest.mark.parametrize(
    ("username", "pw", "role", "field"),
    [
        ("clerk", "long-enough", "boss", "role"),
        ("clerk", "long-enough", "", "role"),
        ("clerk", "short", "sales", "password"),
        ("clerk", "", "sales", "password"),
        ("two words", "long-enough", "sales", "username"),
        ("", "long-enough", "sales", "username"),
        ("x" * 41, "long-enough", "sales", "username"),
    ],
)
def test_bad_user_fields_are_refused(admin, username, pw, role, field):
    with pytest.raises(ValidationError) as info:
        users.create_user(admin, username, pw, role)
    assert field in info.value.errors
    assert User.select().count() == 1  # only the admin


def test_password_needs_eight_characters_exactly(admin):
    with pytest.raises(ValidationError):
        users.create_user(admin, "seven", "1234567", "sales")
    assert users.create_user(admin, "eight", "12345678", "sales").username == "eight"


# --- logging in -----------------------------------------------------------------------------


def test_authenticate_ok(sales, password):
    _fail("sally")
    assert User.get_by_id(sales.id).failed_logins == 1
    user = users.authenticate(" Sally ", password, detail="tty1")
    assert user.id == sales.id
    stored = User.get_by_id(sales.id)
    assert stored.failed_logins == 0  # a success forgives earlier failures
    assert stored.last_login_at is not None
    assert abs(stored.last_login_at - clock.now()) < MINUTE
    assert _events("sally") == [("failure", "wrong password"), ("login", "tty1")]


def test_wrong_password_and_unknown_user_look_the_same(sales):
    wrong = _fail("sally", "wrong-password")
    unknown = _fail("nobody", "wrong-password")
    assert wrong == unknown == "wrong user name or password"
    assert _events("nobody") == [("failure", "unknown user")]
    [event] = LoginEvent.select().where(LoginEvent.username == "nobody")
    assert event.user_id is None
    assert _events("sally") == [("failure", "wrong password")]


def test_disabled_user_cannot_log_in(admin, sales, password):
    users.update_user(admin, sales.id, active=False)
    _fail("sally", password, match="disabled")
    assert _events("sally") == [("failure", "disabled")]
    users.update_user(admin, sales.id, active=True)
    assert users.authenticate("sally", password).id == sales.id


def test_five_failures_lock_the_account_for_fifteen_minutes(sales, password, monkeypatch):
    t0 = dt.datetime(2026, 5, 20, 9, 0, 0)
    moment = [t0]
    monkeypatch.setattr(clock, "now", lambda: moment[0])

    for _ in range(users.MAX_FAILED_LOGINS - 1):
        _fail("sally", match="wrong user name or password")
    assert User.get_by_id(sales.id).locked_until is None
    message = _fail("sally")
    assert message.startswith("account locked until 09:15")
    assert User.get_by_id(sales.id).locked_until == t0 + 15 * MINUTE

    moment[0] = t0 + 15 * MINUTE - dt.timedelta(seconds=1)
    _fail("sally", password, match="locked")  # the right password does not help
    moment[0] = t0 + 15 * MINUTE + dt.timedelta(seconds=1)
    assert users.authenticate("sally", password).id == sales.id

    assert _events("sally") == [("failure", "wrong password")] * 5 + [
        ("locked", "5 failed logins"),
        ("failure", "locked"),
        ("login", ""),
    ]


def test_failures_below_the_limit_do_not_lock(sales, password):
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        _fail("sally")
    users.authenticate("sally", password)
    for _ in range(users.MAX_FAILED_LOGINS - 1):
        _fail("sally")
    assert users.authenticate("sally", password).id == sales.id


_LOGIN_SCRIPT = """
import sys
from tuicrm.data.core import db, schema
from tuicrm.data.staff import users
from tuicrm.data.core.errors import AuthError
schema.open_db(sys.argv[1])
try:
    users.authenticate(sys.argv[2], sys.argv[3], detail="second process")
    print("OK")
except AuthError as e:
    print("REFUSED:", e)
finally:
    db.close()
"""


def _login_in_another_process(location: str, username: str, password: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", _LOGIN_SCRIPT, location, username, password],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_lock_holds_in_another_process_until_an_admin_resets(db, admin, sales, password):
    for _ in range(users.MAX_FAILED_LOGINS):
        _fail("sally")
    out = _login_in_another_process(db, "sally", password)
    assert out.startswith("REFUSED: account locked until")
    assert _events("sally")[-1] == ("failure", "locked second process")

    users.reset_password(admin, sales.id, "brand-new-pw")
    stored = User.get_by_id(sales.id)
    assert stored.locked_until is None and stored.failed_logins == 0
    assert _login_in_another_process(db, "sally", password).startswith("REFUSED: wrong")
    assert _login_in_another_process(db, "sally", "brand-new-pw") == "OK"
    assert _events("sally")[-1] == ("login", "second process")


# --- passwords ------------------------------------------------------------------------------


def test_change_own_password(sales, password):
    with pytest.raises(ValidationError) as info:
        users.change_own_password(sales, "not-my-password", "new-password-1")
    assert "old_password" in info.value.errors
    with pytest.raises(ValidationError, match="same as the old"):
        users.change_own_password(sales, password, password)
    with pytest.raises(ValidationError, match="at least 8"):
        users.change_own_password(sales, password, "short")
    users.change_own_password(sales, password, "new-password-1")
    _fail("sally", password)
    assert users.authenticate("sally", "new-password-1").id == sales.id
    row = AuditLog.get(AuditLog.action == "change_password")
    assert (row.user_id, row.record_id, row.changes) == (sales.id, sales.id, "{}")


def test_only_user_managers_reset_passwords(sales, manager, password):
    with pytest.raises(PermissionDenied):
        users.reset_password(sales, manager.id, "takeover-pw")
    with pytest.raises(PermissionDenied):
        users.reset_password(manager, sales.id, "takeover-pw")
    _fail("manny", "takeover-pw")
    assert users.authenticate("manny", password).id == manager.id


def test_argon2id_parameters_and_verification_time(admin, password):
    from argon2 import Type, extract_parameters

    stored = User.get_by_id(admin.id).password_hash
    params = extract_parameters(stored)
    assert params.type is Type.ID
    assert params.memory_cost >= 19 * 1024  # KiB: OWASP baseline 19 MiB
    assert params.time_cost >= 2
    assert params.salt_len >= 16

    timings = []
    for _ in range(3):
        start = time.perf_counter()
        assert users.verify_password(stored, password)
        timings.append(time.perf_counter() - start)
    median = statistics.median(timings)
    print(f"\nargon2id verify: {median * 1000:.0f} ms (target < 250 ms)")
    assert median < 1.0
    assert not users.verify_password(stored, password + "x")
    assert not users.verify_password("not-a-hash", password)


# --- the last administrator -----------------------------------------------------------------


def test_the_last_admin_cannot_be_disabled_or_demoted(admin, make_user):
    with pytest.raises(ValidationError, match="last active administrator"):
        users.update_user(system_actor(), admin.id, active=False)
    with pytest.raises(ValidationError, match="last active administrator"):
        users.update_user(system_actor(), admin.id, role="manager")
    with pytest.raises(ValidationError, match="cannot disable yourself"):
        users.update_user(admin, admin.id, active=False)
    assert User.get_by_id(admin.id).active and User.get_by_id(admin.id).role == "admin"

    second = make_user("admin", "deputy")
    users.update_user(second, admin.id, active=False)
    assert not User.get_by_id(admin.id).active
    with pytest.raises(ValidationError, match="last active administrator"):
        users.update_user(system_actor(), second.id, active=False)
    stored = User.get_by_id(second.id)
    assert stored.active and stored.role == "admin"


# --- what the screens read ------------------------------------------------------------------


def test_the_users_list_and_pick_lists(admin, sales, manager, password):
    from tuicrm.data.lists.view import ListRequest, open_list
    from tuicrm.data.staff.lists import USERS

    users.update_user(admin, manager.id, active=False)
    for _ in range(users.MAX_FAILED_LOGINS):
        _fail("sally")
    rows = {r.values[0]: r.values for r in open_list(admin, USERS, ListRequest()).first(10)}
    status = USERS.column("status")
    assert status.text(rows["admin"][4]) == "active"
    assert status.text(rows["manny"][4]) == "disabled"
    assert status.text(rows["sally"][4]).startswith("locked until ")
    from tuicrm.i18n import set_language  # the conftest sets English back after the test

    set_language("zh_CN")  # status and role in the user's language (they stayed English)
    assert status.text(rows["admin"][4]) == "活跃" and status.text(rows["manny"][4]) == "停用"
    assert status.text(rows["sally"][4]).startswith("锁定至 ")
    assert USERS.column("role").text(rows["admin"][2]) == "管理员"
    set_language("en")
    found = open_list(admin, USERS, ListRequest(search="SAL")).first(10)
    assert [r.values[0] for r in found] == ["sally"]
    with pytest.raises(PermissionDenied):
        open_list(sales, USERS, ListRequest())
    # anyone may pick among the active users (a salesperson, a reminder's assignee) ...
    assert [u.username for u in users.user_choices(sales)] == ["admin", "sally"]
    # ... and knows what they may do, in one read
    assert "order.sell" in users.permissions_of(sales)
    assert "user.manage" not in users.permissions_of(sales)
    assert users.permissions_of(admin) >= {"user.manage", "order.sell"}


def test_the_command_line_has_no_password_of_its_own(db):
    with pytest.raises(ValidationError, match="no password"):
        users.change_own_password(system_actor(), "x", "long-enough-1")
