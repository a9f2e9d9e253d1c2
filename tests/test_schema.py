"""Schema versions: new databases, upgrades (with a backup), too-new and foreign files, and
the frozen 0001 DDL against the models."""

from __future__ import annotations

import os
import shutil
import sqlite3
from pathlib import Path

import pytest
from peewee import SqliteDatabase
from playhouse.migrations import Runner

from tuicrm.data.core import db as dbmod
from tuicrm.data.core import schema
from tuicrm.data.core.errors import DatabaseError, SchemaTooNew
from tuicrm.data.models import ALL_MODELS, LoginEvent, RolePermission, User, UserPref
from tuicrm.data.staff import users


def _migration_names() -> list[str]:
    return sorted(p.stem for p in schema.MIGRATIONS_DIR.glob("[0-9]*.py"))


def _backups(tmp_path: Path) -> list[Path]:
    return sorted(tmp_path.glob("*.bak"))


@pytest.mark.pg
def test_a_new_database_gets_every_migration(db, tmp_path):
    names = _migration_names()
    assert names[:2] == ["0001_initial", "0002_default_permissions"]
    assert schema.applied_migrations() == names
    assert schema.schema_version() == schema.latest_version() == int(names[-1][:4])
    assert RolePermission.select().count() > 0  # 0002 ran, not just 0001
    assert _backups(tmp_path) == []  # nothing to back up in a brand-new file


@pytest.mark.pg
def test_opening_again_applies_nothing_and_keeps_data(db, admin):
    dbmod.close()
    assert schema.open_db(db) == db
    assert schema.migrate(db) == []
    assert [u.username for u in User.select()] == ["admin"]


def _make_v1_database(location: str) -> None:
    """A database as the first tuicrm release left it: only 0001 applied, one user."""
    database = dbmod.connect(location)
    runner = Runner(database, str(schema.MIGRATIONS_DIR), table_name=schema.HISTORY_TABLE)
    assert runner.up("0001_initial") == ["0001_initial"]
    database.execute_sql(
        'INSERT INTO "user" ("username", "full_name", "department", "role", "password_hash", '
        '"active", "failed_logins", "created_at") '
        "VALUES ('old', '', '', 'sales', 'x', %s, 0, '2024-01-02 03:04:05')"
        % ("1" if dbmod.is_sqlite() else "TRUE")
    )
    dbmod.close()


@pytest.mark.pg
def test_an_older_database_is_upgraded_on_open_after_a_backup(db_location, tmp_path):
    location = db_location
    _make_v1_database(location)

    try:
        schema.open_db(location)
        assert schema.applied_migrations() == _migration_names()
        assert RolePermission.select().where(RolePermission.role == "sales").count() > 0
        assert [(u.username, u.role) for u in User.select()] == [("old", "sales")]
    finally:
        dbmod.close()

    if dbmod.is_sqlite():
        [backup] = _backups(tmp_path)
        assert backup.name.startswith("tuicrm.db.v1-")
        # The backup is the database as it was: a readable SQLite file at version 1.
        con = sqlite3.connect(backup)
        try:
            assert con.execute("SELECT name FROM schema_migration").fetchall() == [
                ("0001_initial",)
            ]
            assert con.execute("SELECT username FROM user").fetchall() == [("old",)]
            assert con.execute("SELECT count(*) FROM role_permission").fetchone() == (0,)
        finally:
            con.close()


@pytest.mark.pg
def test_a_database_from_a_newer_tuicrm_is_refused(db):
    dbmod.database.execute_sql(
        f'INSERT INTO "{schema.HISTORY_TABLE}" ("name", "applied") '
        "VALUES ('0099_from_the_future', '2030-01-01 00:00:00')"
    )
    dbmod.close()
    with pytest.raises(SchemaTooNew) as info:
        schema.open_db(db)
    message = str(info.value)
    assert "\n" not in message
    assert "newer tuicrm" in message and "99" in message
    assert f"up to {schema.latest_version()}" in message
    assert "upgrade tuicrm" in message
    # Refused means closed and untouched: the recorded history is as it was.
    assert dbmod.database.obj.is_closed()
    dbmod.connect(db)
    assert "0099_from_the_future" in schema.applied_migrations()


def test_a_sqlite_file_of_another_program_is_refused(tmp_path):
    path = tmp_path / "other.sqlite"
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    con.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    con.execute("INSERT INTO notes (body) VALUES ('keep me')")
    con.commit()
    con.close()

    with pytest.raises(DatabaseError) as info:
        schema.open_db(str(path))
    assert not isinstance(info.value, SchemaTooNew)
    message = str(info.value)
    assert message == f"{path} is not a tuicrm database"
    # Nothing of tuicrm's was added to the other program's file.
    con = sqlite3.connect(path)
    try:
        tables = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type='table'")}
        assert tables == {"notes"}
        assert con.execute("SELECT body FROM notes").fetchall() == [("keep me",)]
        # Not even switched to WAL: the file is exactly the other program's.
        assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    finally:
        con.close()
    assert _backups(tmp_path) == []


@pytest.mark.parametrize(
    "content",
    [os.urandom(8192), b"name,phone\nAlice,123\n" * 200],
    ids=["random-bytes", "csv-text"],
)
def test_a_file_that_is_not_sqlite_is_refused_with_one_line(tmp_path, content):
    path = tmp_path / "customers.db"
    path.write_bytes(content)
    with pytest.raises(DatabaseError) as info:
        schema.open_db(str(path))
    message = str(info.value)
    assert "\n" not in message
    assert message.startswith(f"cannot open database {path}: ")
    assert "not a database" in message
    assert path.read_bytes() == content  # not "repaired", not truncated


def test_a_directory_is_refused(tmp_path):
    with pytest.raises(DatabaseError, match="is a directory"):
        schema.open_db(str(tmp_path))


def test_an_unreachable_postgres_url_gives_a_one_line_error_without_the_password():
    with pytest.raises(DatabaseError) as info:
        schema.open_db("postgresql://clerk:s3cret-pw@127.0.0.1:1/tuicrm")
    message = str(info.value)
    assert message.startswith("cannot open database postgresql://clerk@127.0.0.1:1/tuicrm: ")
    assert "s3cret-pw" not in message
    assert "\n" not in message


@pytest.mark.pg
def test_models_match_the_migrated_schema(db):
    """Every model's table, columns, nullability and indexes exist as the migrations left them
    (the frozen 0001 DDL plus later migrations never drift from the models)."""
    database = dbmod.database.obj
    tables = set(database.get_tables())
    for model in ALL_MODELS:
        table = model._meta.table_name
        assert table in tables, f"no table {table!r} for {model.__name__}"
        columns = {c.name: c for c in database.get_columns(table)}
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        assert set(columns) == set(fields), f"{table}: columns differ from {model.__name__}"
        for name, field in fields.items():
            if not field.primary_key:
                assert columns[name].null == field.null, f"{table}.{name}: NULL differs"
        assert database.get_primary_keys(table) == [model._meta.primary_key.column_name]
        live = {
            (tuple(ix.columns), ix.unique)
            for ix in database.get_indexes(table)
        }
        for index in model._meta.fields_to_index():
            cols = tuple(
                e.column_name if hasattr(e, "column_name") else model._meta.fields[e].column_name
                for e in index._expressions
            )
            assert (cols, bool(index._unique)) in live, f"{table}: index {cols} missing"
        for fk in model._meta.refs:
            live_fks = {(f.column, f.dest_table) for f in database.get_foreign_keys(table)}
            assert (fk.column_name, fk.rel_model._meta.table_name) in live_fks, (
                f"{table}.{fk.column_name}: foreign key missing"
            )


def _affinity(declared: str) -> str:
    """SQLite's type affinity of a declared column type (what storage actually follows)."""
    t = declared.upper()
    if "INT" in t:
        return "INTEGER"
    if any(k in t for k in ("CHAR", "CLOB", "TEXT")):
        return "TEXT"
    if not t or "BLOB" in t:
        return "BLOB"
    if any(k in t for k in ("REAL", "FLOA", "DOUB")):
        return "REAL"
    return "NUMERIC"


def test_sqlite_column_types_match_what_peewee_would_create(db):
    """On SQLite, compare the migrated file with one made by ``create_tables`` from the
    models: same type affinities, NULLs and indexes, table by table."""
    reference = SqliteDatabase(":memory:")
    with reference.bind_ctx(ALL_MODELS):
        reference.create_tables(ALL_MODELS)
    live = dbmod.database.obj
    for model in ALL_MODELS:
        table = model._meta.table_name
        got = sorted((c.name, _affinity(c.data_type), c.null) for c in live.get_columns(table))
        want = sorted(
            (c.name, _affinity(c.data_type), c.null) for c in reference.get_columns(table)
        )
        assert got == want, table
        got_ix = sorted((ix.name, tuple(ix.columns), ix.unique) for ix in live.get_indexes(table))
        want_ix = sorted(
            (ix.name, tuple(ix.columns), ix.unique) for ix in reference.get_indexes(table)
        )
        assert set(want_ix) <= set(got_ix), table
    reference.close()


def test_upgrade_keeps_child_rows_when_a_migration_rebuilds_a_table(db, admin, password, tmp_path):
    """SQLite alters a column by rebuilding the table; with foreign keys on, dropping the old
    ``user`` table would cascade-delete user_pref rows and null login_event.user_id."""
    migrations = tmp_path / "migrations"
    shutil.copytree(schema.MIGRATIONS_DIR, migrations, ignore=shutil.ignore_patterns("__py*"))
    (migrations / "0900_widen_full_name.py").write_text(
        "from peewee import TextField\n\n\n"
        "def up(migrator, db):\n"
        "    migrator.migrate(\n"
        "        migrator.alter_column_type('user', 'full_name', TextField(default=''))\n"
        "    )\n"
    )
    UserPref.create(user=admin.id, key="columns", value="[]")
    users.authenticate("admin", password)

    assert schema.migrate(db, migrations) == ["0900_widen_full_name"]

    assert UserPref.select().count() == 1
    assert [e.user_id for e in LoginEvent.select()] == [admin.id]
    assert dbmod.database.execute_sql("PRAGMA foreign_keys").fetchone() == (1,)
    assert dbmod.database.execute_sql("PRAGMA foreign_key_check").fetchall() == []
