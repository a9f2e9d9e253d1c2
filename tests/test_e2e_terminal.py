"""End to end through a real pseudo-terminal: start tuicrm, log in, see Home, quit."""

from __future__ import annotations

import pexpect
import pytest

from tests.terminal import Terminal

pytestmark = pytest.mark.pty


def test_log_in_and_see_home_in_a_real_terminal(db, admin, password):
    from tuicrm.data.core import db as dbmod

    dbmod.close()  # the app opens the database itself
    term = Terminal.tuicrm("--db", db)
    try:
        term.wait_for("log in")
        term.type("admin")
        term.write("\t")
        term.type(password)
        term.write("\r")
        term.wait_for("Today, ")  # Today comes first after login
        term.write("\x1b")  # Esc: Home
        term.wait_for("tuicrm - Home")
        screen = term.text()
        assert "Users" in screen and "Ada Admin (admin)" in screen
        term.write("\x11")  # Ctrl+Q
        term.wait_for("Quit tuicrm?")
        term.write("y")
        term.child.expect(pexpect.EOF, timeout=10)
    finally:
        term.close()
    assert term.child.exitstatus == 0


def test_wrong_password_in_a_real_terminal(db, admin):
    from tuicrm.data.core import db as dbmod

    dbmod.close()
    term = Terminal.tuicrm("--db", db)
    try:
        term.wait_for("log in")
        term.write("admin\twrong-password\r")  # one read, as over SSH
        term.wait_for("wrong user name or password")
    finally:
        term.close()


def test_bad_database_is_one_line_not_a_traceback(tmp_path):
    bad = tmp_path / "not-a-db.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    term = Terminal.tuicrm("--db", str(bad))
    term.child.expect(pexpect.EOF, timeout=20)
    out = term.child.before.decode(errors="replace")
    term.close()
    assert "cannot open database" in out
    assert "Traceback" not in out
    assert term.child.exitstatus == 1


def test_two_sessions_at_once_each_in_its_users_language(db, admin, make_user, password):
    """Two terminals on one database: 李华 chose Chinese, Emma English; each sees Home in
    their own language, side by side."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.staff import users

    users.set_own_language(make_user("sales", "lihua", full_name="李华"), "zh_CN")
    make_user("sales", "emma", full_name="Emma")
    dbmod.close()
    chinese, english = Terminal.tuicrm("--db", db), Terminal.tuicrm("--db", db)
    try:
        for term, name in ((chinese, "lihua"), (english, "emma")):
            term.wait_for("log in")
            term.type(name)
            term.write("\t")
            term.type(password)
            term.write("\r")
        for term in (chinese, english):
            term.wait_for("Ctrl+R")  # Today (its status line), after login
            term.write("\x1b")  # Esc: Home
        chinese.wait_for("tuicrm - 首页")
        english.wait_for("tuicrm - Home")
        assert "客户" in chinese.text() and "开单" in chinese.text()
        assert "Customers" in english.text() and "客户" not in english.text()
    finally:
        chinese.close()
        english.close()
