"""Schema versions: numbered migrations in ``migrations/``, applied when a database is opened.

An older database is backed up and upgraded; one written by a newer tuicrm (it has applied
migrations this version does not know) is refused with a clear message.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import peewee
from playhouse.migrations import Runner

from ...i18n import _
from . import clock
from . import db as dbmod
from .errors import DatabaseError, SchemaTooNew

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
HISTORY_TABLE = "schema_migration"


def _runner(directory: Path = MIGRATIONS_DIR) -> Runner:
    return Runner(dbmod.database.obj, str(directory), table_name=HISTORY_TABLE)


def known_migrations(directory: Path = MIGRATIONS_DIR) -> list[str]:
    return [m.name for m in _runner(directory).migrations()]


def applied_migrations() -> list[str]:
    return sorted(_runner().applied())


def schema_version() -> int:
    """The number of the newest applied migration (0 for an empty database)."""
    names = applied_migrations()
    return max((int(n.split("_", 1)[0]) for n in names), default=0)


def latest_version(directory: Path = MIGRATIONS_DIR) -> int:
    return max((int(n.split("_", 1)[0]) for n in known_migrations(directory)), default=0)


def _backup_before_upgrade(location: str, version: int) -> Path | None:
    """Copy an existing SQLite database aside before changing its schema."""
    if not dbmod.is_sqlite() or location == ":memory:" or version == 0:
        return None
    stamp = clock.now().strftime("%Y%m%d-%H%M%S")
    target = Path(location).with_name(f"{Path(location).name}.v{version}-{stamp}.bak")
    # VACUUM INTO makes a consistent copy even while other sessions write.
    dbmod.database.execute_sql("VACUUM INTO ?", (str(target),))
    return target


def migrate(location: str, directory: Path = MIGRATIONS_DIR) -> list[str]:
    """Bring the open database up to date; returns the names of the migrations applied."""
    runner = _runner(directory)
    db = dbmod.database.obj
    status = runner.status()
    unknown = [m.name for m in status if m.path is None]
    if unknown:
        raise SchemaTooNew(
            f"database {dbmod.describe(location)} was written by a newer tuicrm "
            f"(schema {max(int(n.split('_', 1)[0]) for n in unknown)}, this version knows up to "
            f"{latest_version(directory)}); upgrade tuicrm to use it"
        )
    pending = [m for m in status if not m.applied]
    if not pending:
        return []
    if len(pending) == len(status) and db.get_tables():
        raise DatabaseError(_("{describe} is not a tuicrm database").format(
                              describe=dbmod.describe(location)))
    current = max((m.idx for m in status if m.applied), default=0)
    _backup_before_upgrade(location, current)
    sqlite = dbmod.is_sqlite()
    # SQLite rebuilds a table to alter a column; with foreign keys on, dropping the old table
    # fires ON DELETE CASCADE / SET NULL on every child row. The pragma only takes effect
    # outside a transaction, so it is switched off here (the playhouse migrator's own toggle
    # runs inside our transaction and is a no-op) and the keys are checked before commit.
    if sqlite:
        db.pragma("foreign_keys", 0)
    try:
        # One transaction for the whole upgrade, taken before deciding what to apply, so two
        # sessions opening a new database at the same moment do not both migrate it.
        with db.atomic():
            if not sqlite:
                db.execute_sql("SELECT pg_advisory_xact_lock(74216)")
            applied = runner.up()
            if sqlite and db.execute_sql("PRAGMA foreign_key_check").fetchone():
                raise DatabaseError(
                    _("upgrading {describe} would break references between records; nothing was "
                      "changed").format(describe=dbmod.describe(location))
                )
            return list(applied)
    finally:
        if sqlite:
            db.pragma("foreign_keys", 1)


def _refuse_foreign_sqlite_file(location: str) -> None:
    """Refuse another program's SQLite file before connecting to it: connecting switches the
    file to WAL and sets other pragmas, which would change a file we are not going to use."""
    if location == ":memory:":
        return
    path = Path(location).expanduser()
    if not path.is_file() or path.stat().st_size == 0:
        return
    try:
        con = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            rows = con.execute("SELECT name FROM sqlite_master WHERE type = 'table'").fetchall()
        finally:
            con.close()
    except sqlite3.Error:
        return  # not SQLite at all, or unreadable: connect() says so in its own words
    names = {r[0] for r in rows}
    if names and HISTORY_TABLE not in names:
        raise DatabaseError(_("{describe} is not a tuicrm database").format(
                              describe=dbmod.describe(location)))


def open_db(location: str | None = None, *, upgrade: bool = True, create: bool = True) -> str:
    """Open the database at ``location`` (see ``db.resolve_location``), upgrade it, bind models.
    ``create=False``: a missing SQLite file is an error, never a new empty database.

    Returns the resolved location. Raises ``DatabaseError`` with a one-line message.
    """
    location = dbmod.resolve_location(location)
    if not dbmod.is_postgres(location):
        _refuse_foreign_sqlite_file(location)
    dbmod.connect(location, create=create)
    try:
        if upgrade:
            migrate(location)
        elif schema_version() == 0:
            raise DatabaseError(_("{describe} is not a tuicrm database").format(
                                  describe=dbmod.describe(location)))
    except DatabaseError:
        dbmod.close()
        raise
    except peewee.PeeweeException as e:
        dbmod.close()
        raise DatabaseError(_("cannot use database {describe}: {e}").format(
                              describe=dbmod.describe(location),
                              e=e)) from None
    return location
