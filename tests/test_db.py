"""Opening the database: SQLite tuning, IMMEDIATE writes, several processes on one file."""

from __future__ import annotations

import multiprocessing
import sqlite3
from pathlib import Path

import peewee
import pytest

from tuicrm.data.core import db as dbmod
from tuicrm.data.core import schema, settings
from tuicrm.data.core.actor import system_actor
from tuicrm.data.models import AuditLog, LoginEvent, Setting

WORKERS = 4
TRANSACTIONS = 200


def _pragma(name: str):
    return dbmod.database.execute_sql(f"PRAGMA {name}").fetchone()[0]


def test_sqlite_is_tuned_for_several_sessions(db):
    assert _pragma("journal_mode") == "wal"
    assert _pragma("foreign_keys") == 1
    assert _pragma("busy_timeout") >= 5000
    assert 0 < _pragma("journal_size_limit") <= 256 * 1024 * 1024
    assert _pragma("synchronous") == 1  # NORMAL: safe with WAL, much faster than FULL
    # Every connection gets them, not only the first one.
    dbmod.close()
    dbmod.connect(db)
    assert _pragma("foreign_keys") == 1
    assert _pragma("busy_timeout") >= 5000


@pytest.mark.pg
def test_foreign_keys_are_enforced(db):
    with pytest.raises(peewee.IntegrityError), dbmod.write():
        LoginEvent.create(username="ghost", user=987654, event="login")
    assert LoginEvent.select().count() == 0


@pytest.mark.pg
def test_a_failed_write_leaves_nothing_behind(db):
    with pytest.raises(RuntimeError), dbmod.write():
        Setting.create(key="a", value="1")
        with dbmod.write():  # nested: a savepoint inside the same transaction
            Setting.create(key="b", value="2")
        raise RuntimeError("boom")
    assert Setting.select().count() == 0

    with dbmod.write():
        Setting.create(key="a", value="1")
        with pytest.raises(RuntimeError), dbmod.write():
            Setting.create(key="b", value="2")
            raise RuntimeError("inner only")
    assert [s.key for s in Setting.select()] == ["a"]


def test_writes_take_the_write_lock_when_they_begin(db):
    """BEGIN IMMEDIATE: a write transaction holds the lock from its first statement, so a
    second writer waits on the busy timeout instead of failing halfway through (DEFERRED
    would let both read, then one fail with "database is locked")."""
    other = sqlite3.connect(db, timeout=0, isolation_level=None)
    try:
        with dbmod.write():
            # Not one statement has run inside the transaction yet.
            with pytest.raises(sqlite3.OperationalError, match="locked"):
                other.execute("BEGIN IMMEDIATE")
            # Readers are never blocked (WAL).
            assert other.execute("SELECT count(*) FROM setting").fetchone() == (0,)
        other.execute("BEGIN IMMEDIATE")  # free again after commit
        other.execute("ROLLBACK")
    finally:
        other.close()


def _count_up(path: str, transactions: int, barrier, results) -> None:
    """One session (a process): read the counter, write it + 1, in its own transactions."""
    errors: list[str] = []
    try:
        schema.open_db(path)
        barrier.wait(timeout=60)
        for _ in range(transactions):
            try:
                with dbmod.write():
                    value = int(settings.get("company.name") or "0")
                    settings.set_value(system_actor(), "company.name", str(value + 1))
            except Exception as e:  # recorded, the parent asserts there are none
                errors.append(f"{type(e).__name__}: {e}")
        dbmod.close()
    except Exception as e:
        errors.append(f"{type(e).__name__}: {e}")
    results.put(errors)


def test_four_processes_write_one_file_without_locks_or_lost_updates(db):
    ctx = multiprocessing.get_context("spawn")
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    procs = [
        ctx.Process(target=_count_up, args=(db, TRANSACTIONS, barrier, results))
        for _ in range(WORKERS)
    ]
    for p in procs:
        p.start()
    errors = [results.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
        assert p.exitcode == 0

    assert errors == [[]] * WORKERS
    # Read-modify-write from 4 processes, 800 times: every increment survived.
    assert settings.get("company.name") == str(WORKERS * TRANSACTIONS)
    assert (
        AuditLog.select().where(AuditLog.entity == "setting").count() == WORKERS * TRANSACTIONS
    )


def test_checkpoint_truncates_the_wal_file(db):
    with dbmod.write():
        Setting.insert_many([(f"k{i}", "x" * 200) for i in range(2000)]).execute()
    wal = Path(db + "-wal")
    assert wal.stat().st_size > 100_000
    dbmod.checkpoint()
    assert wal.stat().st_size == 0
    assert Setting.select().count() == 2000


def test_location_comes_from_argument_then_environment_then_user_dir(monkeypatch, tmp_path):
    monkeypatch.setenv("TUICRM_DB", str(tmp_path / "env.db"))
    assert dbmod.resolve_location(tmp_path / "arg.db") == str(tmp_path / "arg.db")
    assert dbmod.resolve_location(None) == str(tmp_path / "env.db")
    monkeypatch.delenv("TUICRM_DB")
    assert dbmod.resolve_location(None) == str(dbmod.default_db_path())
    assert dbmod.default_db_path().name == "tuicrm.db"


def test_describe_never_shows_a_password():
    url = "postgresql://clerk:top-secret@db.example:5433/shop"
    assert dbmod.is_postgres(url) and not dbmod.is_postgres("/srv/shop.db")
    assert dbmod.describe(url) == "postgresql://clerk@db.example:5433/shop"
    assert dbmod.describe("/srv/shop.db") == "/srv/shop.db"


def test_a_read_whose_list_is_gone_gives_up(db):
    """A count for a search typed past stops when told (SQLite), instead of keeping a core
    busy; untold, the same read runs to its end and the connection reads on as before."""
    import threading

    many = ("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 200000) "
            "SELECT count(*) FROM n")
    stop = threading.Event()
    with dbmod.interruptible(stop):
        assert dbmod.database.execute_sql(many).fetchone()[0] == 200000
    stop.set()
    with pytest.raises(dbmod.Interrupted), dbmod.interruptible(stop, every=100):
        dbmod.database.execute_sql(many).fetchone()
    assert dbmod.database.execute_sql("SELECT 1").fetchone()[0] == 1
