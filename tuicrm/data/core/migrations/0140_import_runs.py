"""Imports applied in short batches (issue 10): the ``import_run`` table (one row per import,
with how far it got), ``import_undo`` (what an update-import changed), and on customers and
products the run that added each row, so an interrupted import can be resumed or taken back.
The indexes on ``import_run`` are partial (only imported rows), so they cost nothing for the
rows typed in by hand. Frozen: later changes go in new migrations."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

TABLES = [
    'CREATE TABLE "import_run" ('
    '"id" {pk}, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"file" VARCHAR(255) NOT NULL, '
    '"path" TEXT NOT NULL, '
    '"options" TEXT NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, '
    '"total" INTEGER NOT NULL, '
    '"applied" INTEGER NOT NULL, '
    '"inserted" INTEGER NOT NULL, '
    '"updated" INTEGER NOT NULL, '
    '"removed" INTEGER NOT NULL, '
    '"kept" INTEGER NOT NULL, '
    '"user_id" INTEGER, '
    '"username" VARCHAR(255) NOT NULL, '
    '"owner" VARCHAR(255) NOT NULL, '
    '"stash" TEXT NOT NULL, '
    '"message" TEXT NOT NULL, '
    '"started_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"finished_at" {ts}'
    ")",
    'CREATE INDEX "import_run_status" ON "import_run" ("status")',
    'CREATE TABLE "import_undo" ('
    '"id" {pk}, '
    '"run_id" INTEGER NOT NULL, '
    '"record_id" INTEGER NOT NULL, '
    '"old" TEXT NOT NULL'
    ")",
    'CREATE INDEX "import_undo_run_id" ON "import_undo" ("run_id")',
    'ALTER TABLE "customer" ADD COLUMN "import_run" INTEGER',
    'CREATE INDEX "customer_import_run" ON "customer" ("import_run") '
    'WHERE "import_run" IS NOT NULL',
    'ALTER TABLE "product" ADD COLUMN "import_run" INTEGER',
    'CREATE INDEX "product_import_run" ON "product" ("import_run") '
    'WHERE "import_run" IS NOT NULL',
]


def up(migrator: Any, db: Any) -> None:
    sqlite = isinstance(db, SqliteDatabase)
    types = {
        "pk": "INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        "ts": "DATETIME" if sqlite else "TIMESTAMP",
    }
    for statement in TABLES:
        db.execute_sql(statement.format(**types))
