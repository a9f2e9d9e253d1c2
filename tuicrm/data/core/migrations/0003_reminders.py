"""Reminders and tasks, the activities log and announcements (SPEC S2-S5), frozen.

Generated once from ``models/activity.py``, then frozen: later changes go in new migrations.
{pk}, {bool} and {ts} differ by engine, as in 0001.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

TABLES = [
    'CREATE TABLE "reminder" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"title" VARCHAR(255) NOT NULL, '
    '"notes" TEXT NOT NULL, '
    '"assignee_id" INTEGER NOT NULL, '
    '"created_by_id" INTEGER, '
    '"customer_id" INTEGER, '
    '"link_type" VARCHAR(255) NOT NULL, '
    '"link_id" INTEGER, '
    '"due_at" {ts} NOT NULL, '
    '"remind_at" {ts}, '
    '"lead_minutes" INTEGER NOT NULL, '
    '"repeat" VARCHAR(255) NOT NULL, '
    '"repeat_day" INTEGER, '
    '"status" VARCHAR(255) NOT NULL, '
    '"done_at" {ts}, '
    '"follows_id" INTEGER, '
    'FOREIGN KEY ("assignee_id") REFERENCES "user" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("follows_id") REFERENCES "reminder" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "reminder_assignee_id" ON "reminder" ("assignee_id")',
    'CREATE INDEX "reminder_created_by_id" ON "reminder" ("created_by_id")',
    'CREATE INDEX "reminder_customer_id" ON "reminder" ("customer_id")',
    'CREATE INDEX "reminder_follows_id" ON "reminder" ("follows_id")',
    'CREATE INDEX "reminder_assignee_id_status_due_at" ON "reminder" ("assignee_id", "status", "due_at")',
    'CREATE INDEX "reminder_assignee_id_status_remind_at" ON "reminder" ("assignee_id", "status", "remind_at")',
    'CREATE INDEX "reminder_link_type_link_id" ON "reminder" ("link_type", "link_id")',
    'CREATE TABLE "activity" ('
    '"id" {pk}, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"at" {ts} NOT NULL, '
    '"user_id" INTEGER, '
    '"customer_id" INTEGER, '
    '"link_type" VARCHAR(255) NOT NULL, '
    '"link_id" INTEGER, '
    '"subject" VARCHAR(255) NOT NULL, '
    '"notes" TEXT NOT NULL, '
    '"outcome" TEXT NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "activity_user_id" ON "activity" ("user_id")',
    'CREATE INDEX "activity_customer_id" ON "activity" ("customer_id")',
    'CREATE INDEX "activity_customer_id_at" ON "activity" ("customer_id", "at")',
    'CREATE INDEX "activity_user_id_at" ON "activity" ("user_id", "at")',
    'CREATE TABLE "announcement" ('
    '"id" {pk}, '
    '"title" VARCHAR(255) NOT NULL, '
    '"body" TEXT NOT NULL, '
    '"author_id" INTEGER, '
    '"posted_at" {ts} NOT NULL, '
    '"audience" VARCHAR(255) NOT NULL, '
    '"audience_role" VARCHAR(255) NOT NULL, '
    'FOREIGN KEY ("author_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "announcement_author_id" ON "announcement" ("author_id")',
    'CREATE INDEX "announcement_posted_at" ON "announcement" ("posted_at")',
    'CREATE TABLE "announcement_target" ('
    '"id" {pk}, '
    '"announcement_id" INTEGER NOT NULL, '
    '"user_id" INTEGER NOT NULL, '
    'FOREIGN KEY ("announcement_id") REFERENCES "announcement" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE'
    ")",
    'CREATE INDEX "announcement_target_announcement_id" ON "announcement_target" ("announcement_id")',
    'CREATE INDEX "announcement_target_user_id" ON "announcement_target" ("user_id")',
    'CREATE UNIQUE INDEX "announcement_target_announcement_id_user_id" ON "announcement_target" ("announcement_id", "user_id")',
    'CREATE TABLE "announcement_read" ('
    '"id" {pk}, '
    '"announcement_id" INTEGER NOT NULL, '
    '"user_id" INTEGER NOT NULL, '
    '"read_at" {ts} NOT NULL, '
    'FOREIGN KEY ("announcement_id") REFERENCES "announcement" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE'
    ")",
    'CREATE INDEX "announcement_read_announcement_id" ON "announcement_read" ("announcement_id")',
    'CREATE INDEX "announcement_read_user_id" ON "announcement_read" ("user_id")',
    'CREATE UNIQUE INDEX "announcement_read_announcement_id_user_id" ON "announcement_read" ("announcement_id", "user_id")',
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
