"""The initial schema, frozen: later changes go in new numbered migrations."""

from __future__ import annotations

from typing import Any

from peewee import SqliteDatabase

# Generated once from the models, then frozen. {pk}, {bool} and {ts} differ by engine.
TABLES = [
    'CREATE TABLE "setting" ("key" VARCHAR(255) NOT NULL PRIMARY KEY, "value" TEXT NOT NULL)',
    'CREATE TABLE "user" ('
    '"id" {pk}, '
    '"username" VARCHAR(255) NOT NULL, '
    '"full_name" VARCHAR(255) NOT NULL, '
    '"department" VARCHAR(255) NOT NULL, '
    '"role" VARCHAR(255) NOT NULL, '
    '"password_hash" VARCHAR(255) NOT NULL, '
    '"active" {bool} NOT NULL, '
    '"failed_logins" INTEGER NOT NULL, '
    '"locked_until" {ts}, '
    '"last_login_at" {ts}, '
    '"created_at" {ts} NOT NULL'
    ")",
    'CREATE UNIQUE INDEX "user_username" ON "user" ("username")',
    'CREATE TABLE "role_permission" ('
    '"id" {pk}, '
    '"role" VARCHAR(255) NOT NULL, '
    '"action" VARCHAR(255) NOT NULL'
    ")",
    'CREATE UNIQUE INDEX "role_permission_role_action" ON "role_permission" ("role", "action")',
    'CREATE TABLE "user_pref" ('
    '"id" {pk}, '
    '"user_id" INTEGER NOT NULL, '
    '"key" VARCHAR(255) NOT NULL, '
    '"value" TEXT NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE'
    ")",
    'CREATE INDEX "user_pref_user_id" ON "user_pref" ("user_id")',
    'CREATE UNIQUE INDEX "user_pref_user_id_key" ON "user_pref" ("user_id", "key")',
    'CREATE TABLE "login_event" ('
    '"id" {pk}, '
    '"at" {ts} NOT NULL, '
    '"username" VARCHAR(255) NOT NULL, '
    '"user_id" INTEGER, '
    '"event" VARCHAR(255) NOT NULL, '
    '"detail" VARCHAR(255) NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "login_event_at" ON "login_event" ("at")',
    'CREATE INDEX "login_event_user_id" ON "login_event" ("user_id")',
    'CREATE TABLE "audit_log" ('
    '"id" {pk}, '
    '"at" {ts} NOT NULL, '
    '"user_id" INTEGER, '
    '"username" VARCHAR(255) NOT NULL, '
    '"entity" VARCHAR(255) NOT NULL, '
    '"record_id" INTEGER, '
    '"action" VARCHAR(255) NOT NULL, '
    '"changes" TEXT NOT NULL, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "audit_log_at" ON "audit_log" ("at")',
    'CREATE INDEX "audit_log_user_id" ON "audit_log" ("user_id")',
    'CREATE INDEX "audit_log_entity_record_id" ON "audit_log" ("entity", "record_id")',
    'CREATE TABLE "customer_group" ('
    '"id" {pk}, '
    '"name" VARCHAR(255) NOT NULL, '
    '"parent_id" INTEGER, '
    'FOREIGN KEY ("parent_id") REFERENCES "customer_group" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "customer_group_parent_id" ON "customer_group" ("parent_id")',
    'CREATE UNIQUE INDEX "customer_group_parent_id_name" ON "customer_group" ("parent_id", "name")',
    'CREATE TABLE "customer" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"code" VARCHAR(255) NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"group_id" INTEGER, '
    '"grade" VARCHAR(255) NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, '
    '"salesperson_id" INTEGER, '
    '"phone" VARCHAR(255) NOT NULL, '
    '"mobile" VARCHAR(255) NOT NULL, '
    '"fax" VARCHAR(255) NOT NULL, '
    '"email" VARCHAR(255) NOT NULL, '
    '"address" VARCHAR(255) NOT NULL, '
    '"region" VARCHAR(255) NOT NULL, '
    '"industry" VARCHAR(255) NOT NULL, '
    '"source" VARCHAR(255) NOT NULL, '
    '"tax_number" VARCHAR(255) NOT NULL, '
    '"credit_limit" BIGINT NOT NULL, '
    '"payment_terms_days" INTEGER NOT NULL, '
    '"price_level" INTEGER NOT NULL, '
    '"notes" TEXT NOT NULL, '
    'FOREIGN KEY ("group_id") REFERENCES "customer_group" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("salesperson_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE UNIQUE INDEX "customer_code" ON "customer" ("code")',
    'CREATE INDEX "customer_name" ON "customer" ("name")',
    'CREATE INDEX "customer_group_id" ON "customer" ("group_id")',
    'CREATE INDEX "customer_salesperson_id" ON "customer" ("salesperson_id")',
    'CREATE INDEX "customer_phone" ON "customer" ("phone")',
    'CREATE INDEX "customer_tax_number" ON "customer" ("tax_number")',
    'CREATE TABLE "contact" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"customer_id" INTEGER NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"title" VARCHAR(255) NOT NULL, '
    '"phone" VARCHAR(255) NOT NULL, '
    '"mobile" VARCHAR(255) NOT NULL, '
    '"email" VARCHAR(255) NOT NULL, '
    '"birthday" DATE, '
    '"is_key" {bool} NOT NULL, '
    '"notes" TEXT NOT NULL, '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "contact_customer_id" ON "contact" ("customer_id")',
    'CREATE INDEX "contact_name" ON "contact" ("name")',
    'CREATE TABLE "supplier" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"code" VARCHAR(255) NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"contact_name" VARCHAR(255) NOT NULL, '
    '"phone" VARCHAR(255) NOT NULL, '
    '"email" VARCHAR(255) NOT NULL, '
    '"address" VARCHAR(255) NOT NULL, '
    '"tax_number" VARCHAR(255) NOT NULL, '
    '"payment_terms_days" INTEGER NOT NULL, '
    '"active" {bool} NOT NULL, '
    '"notes" TEXT NOT NULL'
    ")",
    'CREATE UNIQUE INDEX "supplier_code" ON "supplier" ("code")',
    'CREATE INDEX "supplier_name" ON "supplier" ("name")',
    'CREATE TABLE "competitor" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"products" TEXT NOT NULL, '
    '"strengths" TEXT NOT NULL, '
    '"weaknesses" TEXT NOT NULL, '
    '"notes" TEXT NOT NULL'
    ")",
    'CREATE UNIQUE INDEX "competitor_name" ON "competitor" ("name")',
    'CREATE TABLE "product_category" ('
    '"id" {pk}, '
    '"name" VARCHAR(255) NOT NULL, '
    '"parent_id" INTEGER, '
    'FOREIGN KEY ("parent_id") REFERENCES "product_category" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "product_category_parent_id" ON "product_category" ("parent_id")',
    'CREATE UNIQUE INDEX "product_category_parent_id_name" ON "product_category" ("parent_id", "name")',
    'CREATE TABLE "product" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"code" VARCHAR(255) NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"spec" VARCHAR(255) NOT NULL, '
    '"unit" VARCHAR(255) NOT NULL, '
    '"category_id" INTEGER, '
    '"cost" BIGINT NOT NULL, '
    '"price1" BIGINT NOT NULL, '
    '"price2" BIGINT NOT NULL, '
    '"price3" BIGINT NOT NULL, '
    '"price4" BIGINT NOT NULL, '
    '"min_stock" BIGINT NOT NULL, '
    '"active" {bool} NOT NULL, '
    '"allow_negative" {bool} NOT NULL, '
    '"notes" TEXT NOT NULL, '
    'FOREIGN KEY ("category_id") REFERENCES "product_category" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE UNIQUE INDEX "product_code" ON "product" ("code")',
    'CREATE INDEX "product_name" ON "product" ("name")',
    'CREATE INDEX "product_category_id" ON "product" ("category_id")',
    'CREATE TABLE "barcode" ('
    '"id" {pk}, '
    '"product_id" INTEGER NOT NULL, '
    '"code" VARCHAR(255) NOT NULL, '
    '"raw" VARCHAR(255) NOT NULL, '
    '"pack_qty" BIGINT NOT NULL, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE CASCADE'
    ")",
    'CREATE INDEX "barcode_product_id" ON "barcode" ("product_id")',
    'CREATE UNIQUE INDEX "barcode_code" ON "barcode" ("code")',
    'CREATE TABLE "location" ('
    '"id" {pk}, '
    '"code" VARCHAR(255) NOT NULL, '
    '"name" VARCHAR(255) NOT NULL, '
    '"is_default" {bool} NOT NULL'
    ")",
    'CREATE UNIQUE INDEX "location_code" ON "location" ("code")',
    'CREATE TABLE "stock_level" ('
    '"id" {pk}, '
    '"product_id" INTEGER NOT NULL, '
    '"location_id" INTEGER NOT NULL, '
    '"on_hand" BIGINT NOT NULL, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "stock_level_product_id" ON "stock_level" ("product_id")',
    'CREATE INDEX "stock_level_location_id" ON "stock_level" ("location_id")',
    'CREATE UNIQUE INDEX "stock_level_product_id_location_id" ON "stock_level" ("product_id", "location_id")',
    'CREATE TABLE "stock_movement" ('
    '"id" {pk}, '
    '"at" {ts} NOT NULL, '
    '"product_id" INTEGER NOT NULL, '
    '"location_id" INTEGER NOT NULL, '
    '"quantity" BIGINT NOT NULL, '
    '"reason" VARCHAR(255) NOT NULL, '
    '"doc_type" VARCHAR(255) NOT NULL, '
    '"doc_id" INTEGER, '
    '"doc_number" VARCHAR(255) NOT NULL, '
    '"user_id" INTEGER, '
    '"note" VARCHAR(255) NOT NULL, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL'
    ")",
    'CREATE INDEX "stock_movement_at" ON "stock_movement" ("at")',
    'CREATE INDEX "stock_movement_product_id" ON "stock_movement" ("product_id")',
    'CREATE INDEX "stock_movement_location_id" ON "stock_movement" ("location_id")',
    'CREATE INDEX "stock_movement_user_id" ON "stock_movement" ("user_id")',
    'CREATE INDEX "stock_movement_product_id_location_id_id" ON "stock_movement" ("product_id", "location_id", "id")',
    'CREATE INDEX "stock_movement_doc_type_doc_id" ON "stock_movement" ("doc_type", "doc_id")',
    'CREATE TABLE "order" ('
    '"id" {pk}, '
    '"version" INTEGER NOT NULL, '
    '"created_at" {ts} NOT NULL, '
    '"updated_at" {ts} NOT NULL, '
    '"number" VARCHAR(255) NOT NULL, '
    '"kind" VARCHAR(255) NOT NULL, '
    '"status" VARCHAR(255) NOT NULL, '
    '"date" DATE NOT NULL, '
    '"valid_until" DATE, '
    '"customer_id" INTEGER, '
    '"supplier_id" INTEGER, '
    '"salesperson_id" INTEGER, '
    '"location_id" INTEGER, '
    '"source_id" INTEGER, '
    '"subtotal" BIGINT NOT NULL, '
    '"discount" BIGINT NOT NULL, '
    '"total" BIGINT NOT NULL, '
    '"notes" TEXT NOT NULL, '
    'FOREIGN KEY ("customer_id") REFERENCES "customer" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("supplier_id") REFERENCES "supplier" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("salesperson_id") REFERENCES "user" ("id") ON DELETE SET NULL, '
    'FOREIGN KEY ("location_id") REFERENCES "location" ("id") ON DELETE RESTRICT, '
    'FOREIGN KEY ("source_id") REFERENCES "order" ("id") ON DELETE SET NULL'
    ")",
    'CREATE UNIQUE INDEX "order_number" ON "order" ("number")',
    'CREATE INDEX "order_date" ON "order" ("date")',
    'CREATE INDEX "order_customer_id" ON "order" ("customer_id")',
    'CREATE INDEX "order_supplier_id" ON "order" ("supplier_id")',
    'CREATE INDEX "order_salesperson_id" ON "order" ("salesperson_id")',
    'CREATE INDEX "order_location_id" ON "order" ("location_id")',
    'CREATE INDEX "order_source_id" ON "order" ("source_id")',
    'CREATE INDEX "order_customer_id_date" ON "order" ("customer_id", "date")',
    'CREATE INDEX "order_supplier_id_date" ON "order" ("supplier_id", "date")',
    'CREATE INDEX "order_kind_status" ON "order" ("kind", "status")',
    'CREATE TABLE "order_line" ('
    '"id" {pk}, '
    '"order_id" INTEGER NOT NULL, '
    '"line_no" INTEGER NOT NULL, '
    '"product_id" INTEGER NOT NULL, '
    '"quantity" BIGINT NOT NULL, '
    '"unit_price" BIGINT NOT NULL, '
    '"discount" BIGINT NOT NULL, '
    '"amount" BIGINT NOT NULL, '
    'FOREIGN KEY ("order_id") REFERENCES "order" ("id") ON DELETE CASCADE, '
    'FOREIGN KEY ("product_id") REFERENCES "product" ("id") ON DELETE RESTRICT'
    ")",
    'CREATE INDEX "order_line_order_id" ON "order_line" ("order_id")',
    'CREATE INDEX "order_line_product_id" ON "order_line" ("product_id")',
    'CREATE UNIQUE INDEX "order_line_order_id_line_no" ON "order_line" ("order_id", "line_no")',
    'CREATE TABLE "doc_sequence" ('
    '"key" VARCHAR(255) NOT NULL PRIMARY KEY, '
    '"next_value" INTEGER NOT NULL'
    ")",
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
