"""Stock counts (SPEC P4): count sessions, their lines and count entries, frozen.

Generated once from ``models/counts.py``, then frozen: later changes go in new migrations.
{pk}, {bool} and {ts} differ by engine, as in 0001.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

TABLES = [
    'CREATE TABLE "stock_count" ('
    '"id" {pk}, '
    '"number" VARCHAR(255) NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, '
    '"mode" VARCHAR(255) NOT NULL, '
    '"scope" VARCHAR(255) NOT NULL, '
    '"scope_label" VARCHAR(255) NOT NULL, '
    '"location_id" INTEGER NOT NULL, '
    '"category_id" INTEGER, '
    '"zero_uncounted" {bool} NOT NULL, '
    '"ledger_position" BIGINT NOT NULL, '
    '"note" VARCHAR(255) NOT NULL, '
    '"opened_by_id" INTEGER, '
    '"opened_at" {ts} NOT NULL, '
    '"closed_by_id" INTEGER, '
    '"closed_at" {ts}, '
    'FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("category_id") REFERENCES "product_category" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("opened_by_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("closed_by_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE UNIQUE INDEX "stock_count_number" ON "stock_count" ("number")',
    'CREATE INDEX "stock_count_location_id" ON "stock_count" ("location_id")',
    'CREATE INDEX "stock_count_category_id" ON "stock_count" ("category_id")',
    'CREATE INDEX "stock_count_opened_by_id" ON "stock_count" ("opened_by_id")',
    'CREATE INDEX "stock_count_closed_by_id" ON "stock_count" ("closed_by_id")',
    'CREATE INDEX "stock_count_status_id" ON "stock_count" ("status", "id")',
    'CREATE TABLE "stock_count_line" ('
    '"id" {pk}, '
    '"count_id" INTEGER NOT NULL, '
    '"product_id" INTEGER NOT NULL, '
    '"in_scope" {bool} NOT NULL, '
    '"expected" BIGINT NOT NULL, '
    '"counted" BIGINT NOT NULL, '
    '"entries" INTEGER NOT NULL, '
    '"counted_position" BIGINT, '
    '"book" BIGINT, '
    '"adjustment" BIGINT, '
    'FOREIGN KEY ("count_id") REFERENCES "stock_count" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "stock_count_line_count_id" ON "stock_count_line" ("count_id")',
    'CREATE INDEX "stock_count_line_product_id" ON "stock_count_line" ("product_id")',
    'CREATE UNIQUE INDEX "stock_count_line_count_id_product_id" '
    'ON "stock_count_line" ("count_id", "product_id")',
    'CREATE TABLE "stock_count_entry" ('
    '"id" {pk}, '
    '"line_id" INTEGER NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"quantity" BIGINT NOT NULL, '
    '"code" VARCHAR(255) NOT NULL, '
    '"user_id" INTEGER, '
    '"at" {ts} NOT NULL, '
    'FOREIGN KEY ("line_id") REFERENCES "stock_count_line" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "stock_count_entry_line_id" ON "stock_count_entry" ("line_id")',
    'CREATE INDEX "stock_count_entry_user_id" ON "stock_count_entry" ("user_id")',
]


def up(migrator: Any, db: Any) -> None:
    sqlite = isinstance(db, SqliteDatabase)
    types = {
        "pk": "INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        "bool": "INTEGER" if sqlite else "BOOLEAN",
        "ts": "DATETIME" if sqlite else "TIMESTAMP",
    }
    for statement in TABLES:
        db.execute_sql(statement.format(**types))
