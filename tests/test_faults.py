"""Faults named plainly: a full disk, a read-only file, damaged pages, and a database file
deleted or replaced under a running session give one line, roll back, and lose no committed
data; a deleted database is never recreated empty."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys

import pytest

from tuicrm.cli import main
from tuicrm.data.core import db as dbmod
from tuicrm.data.core.faults import (
    DamagedDatabase,
    DatabaseGone,
    DiskFull,
    ReadOnlyDatabase,
    fault_of,
)
from tuicrm.data.parties.customers import create_customer


def count_customers(path: str) -> int:
    con = sqlite3.connect(path)
    try:
        return con.execute("SELECT count(*) FROM customer").fetchone()[0]
    finally:
        con.close()


def fill_the_disk() -> None:
    """The fault injector: SQLite refuses to grow the file past its current size, exactly as
    on a full disk (SQLITE_FULL, "database or disk is full")."""
    pages = dbmod.database.execute_sql("PRAGMA page_count").fetchone()[0]
    dbmod.database.execute_sql(f"PRAGMA max_page_count = {pages}")


def test_disk_full_is_one_line_and_rolls_back(db, admin):
    """A write on a full disk: "the disk is full: nothing was saved"; earlier data stays."""
    create_customer(admin, name="Before")
    fill_the_disk()
    with pytest.raises(DiskFull, match="^the disk is full: nothing was saved$"):
        for i in range(200):  # until the page cache must spill to the file
            create_customer(admin, name=f"Big {i}", notes="x" * 3000)
    dbmod.database.execute_sql("PRAGMA max_page_count = 1073741823")
    names = [r[0] for r in dbmod.database.execute_sql("SELECT name FROM customer")]
    assert "Before" in names
    create_customer(admin, name="After")  # the session goes on once there is room


def test_a_sale_on_a_full_disk_is_refused_whole(db, admin):
    """A sale whose write finds the disk full leaves no half order; stock is unchanged."""
    from tuicrm.data.catalog import products
    from tuicrm.data.check import run_checks
    from tuicrm.data.sales import orders
    from tuicrm.data.stock import ledger as stock

    p = products.create_product(admin, code="P1", name="Tea", price1="1.00")
    stock.set_opening(admin, p, 100)
    fill_the_disk()
    with pytest.raises(DiskFull):
        for _ in range(100):
            order = orders.new_order(admin, "sale")
            for _ in range(30):
                orders.add_line(admin, order, p, 1)
            orders.complete_sale(admin, order)
    dbmod.database.execute_sql("PRAGMA max_page_count = 1073741823")
    assert run_checks() == []


def _deny_writes(path: str) -> None:
    os.chmod(path, 0o444)
    os.chmod(os.path.dirname(path), 0o555)


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes read-only files anyway")
def test_read_only_database_says_so(db, admin, capsys):
    """A database the user may not write: a command says read-only, in one line."""
    dbmod.close()
    _deny_writes(db)
    try:
        assert main(["user", "add", "--db", db, "bob", "--role", "sales"]) == 1
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "read-only" in err
    finally:
        os.chmod(os.path.dirname(db), 0o755)
        os.chmod(db, 0o644)


def test_read_only_error_is_named():
    """SQLite's "attempt to write a readonly database" becomes the read-only message."""
    e = sqlite3.OperationalError("attempt to write a readonly database")
    assert isinstance(fault_of(e), ReadOnlyDatabase)
    assert "read-only" in str(fault_of(e))


def damage(path: str, tables: tuple[str, ...] = ("user", "customer", "reminder")) -> None:
    """Overwrite three pages with garbage: the first page of each of ``tables``."""
    con = sqlite3.connect(path)
    size = con.execute("PRAGMA page_size").fetchone()[0]
    roots = [con.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (t,)).fetchone()[0]
             for t in tables]
    con.close()
    with open(path, "r+b") as f:
        for page in roots:
            f.seek((page - 1) * size)
            f.write(b"\xde\xad\xbe\xef" * (size // 4))


@pytest.fixture
def damaged(db, admin):
    for i in range(300):
        create_customer(admin, name=f"Customer {i}", notes="n" * 200)
    dbmod.close()  # checkpointed: everything is in the main file
    damage(db)
    return db


def test_damaged_database_is_one_line_in_every_command(damaged, capsys):
    """`tuicrm today`, `export` and `check` on a damaged file: one line naming tuicrm check."""
    for argv in (["today", "--user", "admin"], ["export", "customers", str(damaged) + ".csv"],
                 ["user", "list"]):
        code = main([*argv, "--db", damaged])
        err = capsys.readouterr().err
        assert code == 1, argv
        assert err.count("\n") == 1 and "Traceback" not in err, err
        assert "damaged" in err and "tuicrm check" in err, err


def test_damaged_read_maps_to_damaged():
    assert isinstance(fault_of(sqlite3.DatabaseError("database disk image is malformed")),
                      DamagedDatabase)


def test_deleted_database_refuses_every_later_write(db, admin):
    """Deleted (with -wal and -shm) under a running session: the next write is refused with
    a message, nothing reports success, and no empty file appears in its place."""
    create_customer(admin, name="Kept")
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(db + suffix):
            os.unlink(db + suffix)
    with pytest.raises(DatabaseGone, match="deleted"):
        create_customer(admin, name="Lost?")
    assert not os.path.exists(db)


def test_replaced_database_refuses_every_later_write(db, admin, tmp_path):
    """Replaced by another file: writes are refused, the other file is untouched."""
    create_customer(admin, name="Kept")
    other = tmp_path / "other.db"
    shutil.copy(db, other)
    os.replace(other, db)
    with pytest.raises(DatabaseGone, match="replaced"):
        create_customer(admin, name="Into the wrong file?")


def test_a_missing_database_is_never_created_by_the_app(tmp_path):
    """`tuicrm --db gone.db` does not make an empty database offering an administrator."""
    gone = tmp_path / "gone.db"
    result = subprocess.run([sys.executable, "-m", "tuicrm.cli", "--db", str(gone)],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "no database at" in result.stderr and "tuicrm init" in result.stderr
    assert not gone.exists()


@pytest.mark.parametrize("umask", [0o022, 0o000])
def test_new_database_files_are_private_whatever_the_umask(tmp_path, umask, admin_password):
    """tuicrm init under umask 022 (or 000): the database, -wal and -shm are 0600."""
    path = tmp_path / "new.db"
    result = subprocess.run(
        [sys.executable, "-c", f"import os, sys; os.umask({umask}); "
         "from tuicrm.cli import main; sys.exit(main(sys.argv[1:]))",
         "init", "--db", str(path), "--admin", "boss"],
        input=admin_password + "\n", capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    con = sqlite3.connect(path)  # keeps -wal and -shm in place while we look
    con.execute("SELECT count(*) FROM user").fetchone()
    for suffix in ("", "-wal", "-shm"):
        side = str(path) + suffix
        if os.path.exists(side):
            assert oct(os.stat(side).st_mode & 0o777) == "0o600", suffix
    con.close()


@pytest.fixture
def admin_password() -> str:
    return "correct horse battery staple"


def test_existing_world_readable_files_are_tightened(db, admin):
    """A database left 0644 by an older version loses its world access when opened."""
    dbmod.close()
    os.chmod(db, 0o644)
    from tuicrm.data.core.schema import open_db

    open_db(db)
    assert os.stat(db).st_mode & 0o007 == 0


@pytest.fixture
def small_filesystem(tmp_path):
    """A real 1 MiB filesystem (tmpfs; needs the right to mount, else the test is skipped)."""
    mount = tmp_path / "small"
    mount.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(mount)],
                          capture_output=True)
    if done.returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        yield mount
    finally:
        subprocess.run(["umount", str(mount)], check=False)


def test_import_on_a_really_full_disk_is_one_line(small_filesystem, tmp_path, admin_password):
    """`tuicrm import` of 20,000 customers into a database on a 1 MiB disk: one line, exit 1,
    nothing imported, the database still opens and checks clean."""
    path = small_filesystem / "shop.db"
    run = [sys.executable, "-m", "tuicrm.cli"]
    done = subprocess.run([*run, "init", "--db", str(path), "--admin", "boss"],
                          input=admin_password + "\n", capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    big = tmp_path / "big.csv"
    big.write_text("name,phone\n" + "".join(f"Customer {i},1380013{i:04d}\n"
                                            for i in range(20000)), encoding="utf-8")
    done = subprocess.run([*run, "import", "customers", str(big), "--db", str(path)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 1
    assert done.stderr == "tuicrm: the disk is full: nothing was saved\n"
    assert count_customers(str(path)) == 0
    done = subprocess.run([*run, "check", "--db", str(path)], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


async def test_app_on_a_damaged_database_shows_one_line(db, admin, password):
    """Damaged pages under Today: after login one line names the damage and `tuicrm check`;
    the app keeps running (Esc still goes Home)."""
    from tests.helpers import screen_text, wait_for
    from tuicrm.app import make_app
    from tuicrm.data.agenda import reminders
    from tuicrm.data.core.schema import open_db

    for i in range(50):
        reminders.create_reminder(admin, title=f"Call {i}", due_at="2026-06-15 09:00",
                                  notes="n" * 300)
    dbmod.close()
    damage(db, ("reminder",))
    open_db(db)
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"admin", "tab", *password, "enter")
        await wait_for(pilot, lambda: any("tuicrm check" in str(n.message)
                                          for n in app._notifications))
        notice = next(str(n.message) for n in app._notifications)
        assert notice.count("\n") == 0 and "damaged" in notice
        assert "Traceback" not in screen_text(app) and app.is_running
