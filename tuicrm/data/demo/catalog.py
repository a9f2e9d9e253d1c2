"""The demo's catalogue: a product-category tree and products with four price levels, a minimum
stock, and valid barcodes (an EAN-13 each, some with a carton GTIN-14).

Prices are in cents and quantities in thousandths, as the database stores them. What the
documents need later (cost, prices, whether sold by weight, minimum stock) is kept in lists
indexed like this build's products.
"""

from __future__ import annotations

import datetime as dt

from ..catalog.barcodes import carton_gtin14, make_ean13
from ..models import ProductCategory
from .bulk import Row, stamp
from .context import BuildContext, tree_node
from .vocabulary import BRANDS, CATALOG, GS1_CHINA, WEIGHED_UNITS, ProductTemplate

PRODUCT_COLUMNS = ("id", "created_at", "updated_at", "code", "name", "spec", "unit",
                   "category_id", "cost", "price1", "price2", "price3", "price4", "min_stock",
                   "active", "version", "allow_negative", "notes")
BARCODE_COLUMNS = ("product_id", "code", "raw", "pack_qty")
SPEC_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"  # model numbers like "KX-4410" (no I, O, Q)


class Catalog:
    """Categories (before the writer starts), then products and barcodes as rows."""

    def __init__(self, ctx: BuildContext) -> None:
        self.ctx = ctx
        self.templates: list[tuple[int, str, ProductTemplate]] = []  # category, top, template
        self.product_ids = range(0)
        # per product of this build (index i is product id product_ids[i]):
        self.cost: list[int] = []  # cents
        self.prices: list[list[int]] = []  # [price level 1..4][product], cents
        self.weighed: list[bool] = []  # sold by weight or length: fractional quantities
        self.min_stock: list[int] = []  # thousandths

    def categories(self) -> None:
        created = 0
        for top, subs in CATALOG.items():
            tid, new = tree_node(ProductCategory, top, None)
            created += new
            for sub, templates in subs.items():
                sid, new = tree_node(ProductCategory, sub, tid)
                created += new
                self.templates.extend((sid, top, template) for template in templates)
        self.ctx.summary.product_categories = created

    def products(self, ids: range, first_code: int) -> None:
        ctx = self.ctx
        rnd, pick = ctx.rnd, ctx.pick
        n = len(ids)
        self.product_ids = ids
        self.cost = [0] * n
        self.prices = [[0] * n for _ in range(5)]  # [price level 1..4][product]
        self.weighed = [False] * n
        self.min_stock = [0] * n
        created = stamp(ctx.start - dt.timedelta(days=200), 10 * 3600)
        letters = SPEC_LETTERS
        rows: list[Row] = []
        codes: list[Row] = []
        ctx.progress("products", 0, n)
        for i in range(n):
            pid = ids.start + i
            cat_id, top, (base, variants, unit, (lo, hi)) = pick(self.templates)
            weighed = unit in WEIGHED_UNITS
            cost = max(1, int((lo + (hi - lo) * rnd()) * 100))
            retail = max(cost + 1, int(cost * (1.25 + 0.65 * rnd())) // 10 * 10 + 9)
            wholesale = max(cost + 1, (retail * 88 + 50) // 100)
            member = max(cost + 1, (retail * 95 + 50) // 100)
            special = max(cost + 1, (retail * 80 + 50) // 100)
            min_stock = (10 + int(rnd() * 190) if weighed
                         else pick((5, 10, 20, 30, 50, 100))) * 1000
            self.cost[i], self.weighed[i], self.min_stock[i] = cost, weighed, min_stock
            self.prices[1][i], self.prices[2][i] = retail, wholesale
            self.prices[3][i], self.prices[4][i] = member, special
            rows.append((
                pid, created, created, f"P{first_code + i:06d}",
                f"{pick(BRANDS[top])} {base} {pick(variants)}",
                f"{pick(letters)}{pick(letters)}-{100 + int(rnd() * 9900)}", unit, cat_id,
                cost, retail, wholesale, member, special, min_stock, rnd() < 0.97, 1, False, "",
            ))
            # A unique EAN-13 per product id: GS1 China prefix, a "company" and an item number.
            ean = make_ean13(f"{GS1_CHINA}{20_000 + pid // 100_000:05d}", pid % 100_000)
            codes.append((pid, "0" + ean, ean, 1000))
            if rnd() < 0.1:  # a carton of 12 with its own GTIN-14
                carton = carton_gtin14(ean)
                codes.append((pid, carton, carton, 12_000))
        ctx.summary.products = n
        ctx.summary.barcodes = len(codes)
        w = ctx.writer
        w.run(ctx.indexes.drop, "product")
        w.run(ctx.indexes.drop, "barcode")
        ctx.insert("product", PRODUCT_COLUMNS, rows)
        ctx.insert("barcode", BARCODE_COLUMNS, codes)
        w.run(ctx.indexes.restore, "product")
        w.run(ctx.indexes.restore, "barcode")
