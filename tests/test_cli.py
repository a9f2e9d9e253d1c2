"""The command line: init, user, demo, check, --help, and one-line errors (never a traceback)."""

from __future__ import annotations

import subprocess
import sys

import pytest


def tuicrm(*args: str, stdin: str = "", env: dict[str, str] | None = None):
    return subprocess.run(
        [sys.executable, "-m", "tuicrm.cli", *args],
        input=stdin, capture_output=True, text=True, timeout=120, env=env,
    )


@pytest.fixture
def fresh(tmp_path) -> str:
    return str(tmp_path / "shop.db")


def test_init_then_user_commands(fresh):
    r = tuicrm("init", "--admin", "Boss", "--full-name", "老板 Boss", "--db", fresh,
               stdin="long-password\n")
    assert r.returncode == 0, r.stderr
    assert "created administrator boss" in r.stdout
    assert tuicrm("user", "add", "clerk", "--role", "sales", "--db", fresh,
                  stdin="clerk-password\n").returncode == 0
    listing = tuicrm("user", "list", "--db", fresh).stdout
    assert "boss" in listing and "老板 Boss" in listing and "clerk" in listing
    assert tuicrm("user", "disable", "clerk", "--db", fresh).returncode == 0
    assert "disabled" in tuicrm("user", "list", "--db", fresh).stdout
    assert tuicrm("user", "role", "clerk", "manager", "--db", fresh).returncode == 0
    assert tuicrm("user", "enable", "clerk", "--db", fresh).returncode == 0
    assert tuicrm("user", "passwd", "clerk", "--db", fresh,
                  stdin="another-password\n").returncode == 0

    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core import schema
    from tuicrm.data.staff import users

    schema.open_db(fresh)
    try:
        clerk = users.authenticate("clerk", "another-password")
        assert clerk.role == "manager"  # enabled again: the login worked
    finally:
        dbmod.close()


def test_init_twice_is_refused(fresh):
    assert tuicrm("init", "--admin", "a", "--db", fresh, stdin="long-password\n").returncode == 0
    r = tuicrm("init", "--admin", "b", "--db", fresh, stdin="long-password\n")
    assert r.returncode == 1
    assert r.stderr.strip() == "tuicrm: this database already has users; use 'tuicrm user add'"


def test_db_before_the_command_name_counts(fresh):
    tuicrm("init", "--admin", "a", "--db", fresh, stdin="long-password\n")
    r = tuicrm("--db", fresh, "user", "list")
    assert r.returncode == 0 and "a " in r.stdout


def test_tuicrm_db_environment_variable(fresh):
    import os

    tuicrm("init", "--admin", "envboss", "--db", fresh, stdin="long-password\n")
    r = tuicrm("user", "list", env=dict(os.environ, TUICRM_DB=fresh))
    assert r.returncode == 0 and "envboss" in r.stdout


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (("user", "list"), "", "no database at"),
        (("init", "--admin", "x"), "short\n", "at least 8 characters"),
        (("init", "--admin", "x"), "", "no password given on standard input"),
        (("user", "disable", "nobody"), "", "no user named 'nobody'"),
    ],
)
def test_errors_are_one_line(tmp_path, args, stdin, message):
    db = str(tmp_path / "x.db")
    if args[0] == "user" and args[1] != "list":
        tuicrm("init", "--admin", "a", "--db", db, stdin="long-password\n")
    r = tuicrm(*args, "--db", db, stdin=stdin)
    assert r.returncode == 1
    assert message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert "Traceback" not in r.stderr


def test_bad_arguments_exit_2_with_usage(fresh):
    r = tuicrm("demo", "--customers", "many", "--db", fresh)
    assert r.returncode == 2 and "not a whole number" in r.stderr
    r = tuicrm("user", "add", "x", "--role", "king", "--db", fresh)
    assert r.returncode == 2 and "invalid choice" in r.stderr


def test_every_command_has_help():
    for args in (["--help"], ["init", "--help"], ["user", "add", "--help"], ["demo", "--help"],
                 ["check", "--help"], ["import", "--help"], ["export", "--help"],
                 ["today", "--help"]):
        r = tuicrm(*args)
        assert r.returncode == 0, args
        assert "--db" in r.stdout


def test_demo_keeps_init_users_and_check_passes(fresh):
    assert tuicrm("init", "--admin", "owner", "--db", fresh,
                  stdin="owner-password\n").returncode == 0
    r = tuicrm("demo", "--customers", "50", "--products", "40", "--orders", "60", "--db", fresh)
    assert r.returncode == 0, r.stderr
    users_listed = tuicrm("user", "list", "--db", fresh).stdout
    assert "owner" in users_listed and "counter" not in users_listed  # no demo accounts added
    r = tuicrm("check", "--db", fresh)
    assert r.returncode == 0, r.stdout + r.stderr
    assert "no problems found" in r.stdout


def test_check_names_a_broken_stock_level(fresh):
    tuicrm("demo", "--customers", "20", "--products", "20", "--orders", "30", "--db", fresh)
    import sqlite3

    con = sqlite3.connect(fresh)
    code = con.execute(
        "SELECT p.code FROM stock_level s JOIN product p ON p.id = s.product_id LIMIT 1"
    ).fetchone()[0]
    con.execute("UPDATE stock_level SET on_hand = on_hand + 1000 WHERE id = "
                "(SELECT s.id FROM stock_level s JOIN product p ON p.id = s.product_id "
                "WHERE p.code = ?)", (code,))
    con.commit()
    con.close()
    r = tuicrm("check", "--db", fresh)
    assert r.returncode == 1
    assert code in r.stdout


def test_demo_flag_works_with_every_command(tmp_path):
    """Issue 17: ``tuicrm --demo today --user counter`` said there was no database."""
    import os

    env = dict(os.environ, HOME=str(tmp_path), XDG_DATA_HOME=str(tmp_path / "data"))
    done = tuicrm("--demo", "today", "--user", "counter", env=env)
    assert done.returncode == 0, done.stderr
    assert "Today for" in done.stdout and "(counter)" in done.stdout
    done = tuicrm("--demo", "check", env=env)
    assert done.returncode == 0 and "no problems found" in done.stdout
    assert "demo.db" in done.stdout
    assert not (tmp_path / "data" / "tuicrm" / "tuicrm.db").exists()  # the real one untouched


def test_a_session_on_sqlite_never_loads_the_postgresql_driver(fresh):
    """psycopg costs a session ~10 MiB and ~110 ms: only a postgresql:// database loads it."""
    code = ("import sys; from tuicrm.cli import main; main(['--db', sys.argv[1], 'check']); "
            "print('psycopg' in sys.modules and sys.modules['psycopg'] is not None)")
    out = subprocess.run([sys.executable, "-c", code, fresh], capture_output=True, text=True,
                         check=False)
    assert out.stdout.strip().splitlines()[-1] == "False", out
