"""Money (SPEC M1-M4): cash boxes/accounts, expense categories, money documents, the party
ledger and allocations; three accounts to start with. Frozen: later changes go in new
migrations. {pk}, {bool} and {ts} differ by engine, as in 0001.
"""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

TABLES = [
    'CREATE TABLE "money_account" ("id" {pk}, "code" VARCHAR(255) NOT NULL, "name" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "active" {bool} NOT NULL)',
    'CREATE UNIQUE INDEX "money_account_code" ON "money_account" ("code")',
    'CREATE TABLE "money_category" ("id" {pk}, "name" VARCHAR(255) NOT NULL, "parent_id" INTEGER, FOREIGN KEY ("parent_id") REFERENCES "money_category" ("id") ON DELETE RESTRICT)',
    'CREATE INDEX "money_category_parent_id" ON "money_category" ("parent_id")',
    'CREATE UNIQUE INDEX "money_category_parent_id_name" ON "money_category" ("parent_id", "name")',
    'CREATE TABLE "money_doc" ("id" {pk}, "number" VARCHAR(255) NOT NULL, "kind" VARCHAR(255) NOT NULL, "date" DATE NOT NULL, "customer_id" INTEGER, "supplier_id" INTEGER, "order_id" INTEGER, "category_id" INTEGER, "account_id" INTEGER NOT NULL, "method" VARCHAR(255) NOT NULL, "amount" BIGINT NOT NULL, "tendered" BIGINT, "reference" VARCHAR(255) NOT NULL, "notes" TEXT NOT NULL, "created_by_id" INTEGER, "created_at" {ts} NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id") ON DELETE RESTRICT, FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT, FOREIGN KEY ("category_id") REFERENCES "money_category" ("id") ON DELETE RESTRICT, FOREIGN KEY ("account_id") REFERENCES "money_account" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)',
    'CREATE UNIQUE INDEX "money_doc_number" ON "money_doc" ("number")',
    'CREATE INDEX "money_doc_order_id" ON "money_doc" ("order_id")',
    'CREATE INDEX "money_doc_category_id" ON "money_doc" ("category_id")',
    'CREATE INDEX "money_doc_account_id" ON "money_doc" ("account_id")',
    'CREATE INDEX "money_doc_created_by_id" ON "money_doc" ("created_by_id")',
    'CREATE INDEX "money_doc_kind_date_id" ON "money_doc" ("kind", "date", "id")',
    'CREATE INDEX "money_doc_customer_id_date" ON "money_doc" ("customer_id", "date")',
    'CREATE INDEX "money_doc_supplier_id_date" ON "money_doc" ("supplier_id", "date")',
    'CREATE TABLE "ledger_entry" ("id" {pk}, "side" VARCHAR(255) NOT NULL, "customer_id" INTEGER, "supplier_id" INTEGER, "kind" VARCHAR(255) NOT NULL, "number" VARCHAR(255) NOT NULL, "date" DATE NOT NULL, "due_date" DATE, "amount" BIGINT NOT NULL, "open" BIGINT NOT NULL, "order_id" INTEGER, "doc_id" INTEGER, "reason" VARCHAR(255) NOT NULL, "created_by_id" INTEGER, "created_at" {ts} NOT NULL, FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT, FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id") ON DELETE RESTRICT, FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE RESTRICT, FOREIGN KEY ("doc_id") REFERENCES "money_doc" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "ledger_entry_order_id" ON "ledger_entry" ("order_id")',
    'CREATE INDEX "ledger_entry_doc_id" ON "ledger_entry" ("doc_id")',
    'CREATE INDEX "ledger_entry_created_by_id" ON "ledger_entry" ("created_by_id")',
    'CREATE INDEX "ledger_entry_customer_id_date_id" ON "ledger_entry" ("customer_id", "date", "id")',
    'CREATE INDEX "ledger_entry_supplier_id_date_id" ON "ledger_entry" ("supplier_id", "date", "id")',
    'CREATE INDEX "ledger_entry_side_due_date" ON "ledger_entry" ("side", "due_date")',
    'CREATE TABLE "allocation" ("id" {pk}, "debit_id" INTEGER NOT NULL, "credit_id" INTEGER NOT NULL, "amount" BIGINT NOT NULL, "date" DATE NOT NULL, "created_by_id" INTEGER, "created_at" {ts} NOT NULL, "undone_on" DATE, "undone_by_id" INTEGER, FOREIGN KEY ("debit_id") REFERENCES "ledger_entry" ("id") ON DELETE RESTRICT, FOREIGN KEY ("credit_id") REFERENCES "ledger_entry" ("id") ON DELETE RESTRICT, FOREIGN KEY ("created_by_id") REFERENCES "user" ("id") ON DELETE SET NULL, FOREIGN KEY ("undone_by_id") REFERENCES "user" ("id") ON DELETE SET NULL)',
    'CREATE INDEX "allocation_debit_id" ON "allocation" ("debit_id")',
    'CREATE INDEX "allocation_credit_id" ON "allocation" ("credit_id")',
    'CREATE INDEX "allocation_created_by_id" ON "allocation" ("created_by_id")',
    'CREATE INDEX "allocation_undone_by_id" ON "allocation" ("undone_by_id")',
]

ACCOUNTS = [("CASH", "Cash box", "cash"), ("BANK", "Bank account", "bank"),
            ("MOBILE", "WeChat Pay / Alipay", "mobile")]


def up(migrator: Any, db: Any) -> None:
    sqlite = isinstance(db, SqliteDatabase)
    types = {
        "pk": "INTEGER NOT NULL PRIMARY KEY" if sqlite else "SERIAL NOT NULL PRIMARY KEY",
        "bool": "INTEGER" if sqlite else "BOOLEAN",
        "ts": "DATETIME" if sqlite else "TIMESTAMP",
    }
    for statement in TABLES:
        db.execute_sql(statement.format(**types))
    p = "%s" if db.param == "%s" else "?"
    db.cursor().executemany(
        f'INSERT INTO "money_account" ("code", "name", "kind", "active") '
        f"VALUES ({p}, {p}, {p}, {p})",
        [(code, name, kind, True) for code, name, kind in ACCOUNTS],
    )
    # Orders delivered before money was kept have no ledger entries: ``tuicrm check`` asks
    # for them only from the orders after this one.
    (last,) = db.execute_sql('SELECT COALESCE(MAX("id"), 0) FROM "order"').fetchone()
    if last:
        db.execute_sql(f'INSERT INTO "setting" ("key", "value") VALUES ({p}, {p})',
                       ("money.orders_from", str(int(last))))
