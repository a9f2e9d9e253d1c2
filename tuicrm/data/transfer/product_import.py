"""Import products from .xlsx or .csv (A5, issue 4): all or nothing, every problem by row and column.

Headers are the export's (``code, name, barcodes, category, unit, cost, price1..price4,
min_stock``; ``spec``, ``notes`` and ``active`` are accepted too) or common Chinese ones
(商品编码, 商品名称, 条码, 分类, 单位, 成本, 零售价, 批发价, 会员价, ...). Every row also goes
through the Products form's own check (``clean_fields``), so a file and the form accept
exactly the same values.

``barcodes`` holds all of a product's barcodes separated by ``;`` (or ``；`` / a line break).
A barcode that stands for several units (a carton) is written ``12*code``, the same notation
as a scan of 12. Each barcode is normalised and its GTIN check digit validated as when it is
typed on the Products screen; a barcode cell Excel stored as a number (and so lost its
leading zero) gets the zero back when that makes a valid GTIN.

Problems reported (nothing is written if there is any): an unknown or repeated column, a
missing code or name, a bad number, a bad check digit, a product code or barcode used twice in
the file or already in the database, an unknown category (unless ``create_categories``), a
formula without a saved value. Reading, checking and writing are the framework's
(``run.py``): an import run of short transactions, resumed or undone as a whole if it is
interrupted; one audit row for the run (with the number of barcodes).
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from ...i18n import _
from ..catalog import barcodes
from ..catalog.categories import ensure_category_path, product_categories
from ..catalog.product_fields import (
    MAX_CODE,
    MAX_NAME,
    MAX_NOTES,
    MAX_TEXT,
    clean_fields,
    normalised_pack,
)
from ..core.actor import Actor
from ..core.errors import ValidationError
from ..core.operation import Op
from ..models.catalog import Barcode, Product
from .apply import Progress
from .bulk import insert_rows, stored_values, take_back, tuples
from .columns import Column, Problem, column
from .files import ImportFileError
from .importer import Checked, Importer, ImportRefused, RowCheck
from .kinds import Bool, Code, Money, Quantity, Text, TreePath, cell_text, is_number
from .references import TreePaths
from .run import ImportResult, run_import
from .stash import Stash

__all__ = ["COLUMNS", "ImportFileError", "ImportResult", "ProductImport", "import_products",
           "split_barcodes"]

SEPARATORS = (";", "；", "\n", "\r")


def _restore_zero(code: str) -> str:
    """A numeric barcode that lost its leading zeros in a number cell: pad it back to the
    next GTIN length when that gives a valid GTIN and the code as it is is not one."""
    if not code.isdigit() or barcodes.is_valid_gtin(code):
        return code
    for length in barcodes.GTIN_LENGTHS:
        if length > len(code) and barcodes.is_valid_gtin(code.zfill(length)):
            return code.zfill(length)
    return code


def split_barcodes(cell: Any, numeric: bool = False) -> list[tuple[str, str]]:
    """``"6901234567892; 12*16901234567899"`` -> ``[("6901234567892", "1"), ("16901234567899",
    "12")]`` (code, pack quantity text)."""
    text = cell_text(cell)
    for sep in SEPARATORS[1:]:
        text = text.replace(sep, ";")
    out = []
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        pack = "1"
        if "*" in part:
            pack, _, part = part.partition("*")
            pack, part = pack.strip(), part.strip()
        code = barcodes.clean(part)
        if numeric:
            code = _restore_zero(code)
        out.append((code, pack))
    return out


@dataclass(frozen=True)
class BarcodeList:
    """A cell of barcodes, ``code; 12*code``: (code as written, pack quantity text) pairs,
    each checked by the row (a cell may hold several bad ones)."""

    empty: Any = ()

    def convert(self, cell: Any) -> Any:
        return split_barcodes(cell, numeric=is_number(cell))


PRICE = Money(min=0, limit=Decimal("1e12"))
COLUMNS: tuple[Column, ...] = (
    column("code", Code(MAX_CODE), "商品编码", "商品编号", "商品代码", "货号", "编码", "编号",
           "代码", "产品编码", "产品编号", required=True, missing="a product needs a code"),
    column("name", Text(MAX_NAME), "商品名称", "产品名称", "品名", "名称", "商品", required=True,
           missing="a product needs a name"),
    column("barcodes", BarcodeList(), "条码", "条形码", "商品条码", "国际条码", "barcode", "ean",
           "upc", "gtin"),
    column("category", TreePath(), "分类", "商品分类", "类别", "商品类别"),
    column("unit", Text(MAX_TEXT, empty=None), "单位", "计量单位"),  # blank: the default, pcs
    column("cost", PRICE, "成本", "成本价", "进价", "进货价"),
    column("price1", PRICE, "零售价", "售价", "销售价"),
    column("price2", PRICE, "批发价"),
    column("price3", PRICE, "会员价"),
    column("price4", PRICE, "特价", "优惠价"),
    column("min_stock", Quantity(min=0), "最低库存", "安全库存", "库存下限", "最小库存"),
    column("spec", Text(MAX_TEXT), "规格", "型号", "规格型号"),
    column("notes", Text(MAX_NOTES, multiline=True), "备注", "说明"),
    column("active", Bool(), "启用", "状态"),
)
FIELDS = tuple(c.key for c in COLUMNS if c.key not in ("barcodes", "category"))


@dataclass(frozen=True)
class ProductRecord:
    fields: dict[str, Any]  # as the form's check returned them
    category: int | str | None  # as ``TreePaths.resolve`` gave it
    barcodes: list[tuple[str, str, Decimal]]  # normalised code, as written, pack quantity
    row: int = 0  # the file's row


class ProductImport(Importer[ProductRecord]):
    entity, noun, permission = "product", "products", "product.edit"
    columns = COLUMNS
    ignored = Importer.ignored | {"on_hand", "库存"}

    def __init__(self, *, create_categories: bool = False) -> None:
        self.categories = TreePaths(product_categories, "category", create=create_categories,
                                    make=ensure_category_path)

    def check_row(self, row: RowCheck) -> ProductRecord | None:
        values = row.values
        fields: dict[str, Any] = {}
        try:
            fields = clean_fields({key: values[key] for key in FIELDS if values[key] is not None},
                                   creating=True)
        except ValidationError as e:
            row.report(e.errors)
        category = None
        if values["category"]:
            try:
                category = self.categories.resolve(values["category"])
            except ValueError as e:
                row.problem("category", str(e))
        codes = self._barcodes(row)
        if not hasattr(self, "_labels"):
            self._labels = {"code": row.label("code"), "barcodes": row.label("barcodes")}
        code = values["code"]
        if code:
            earlier = row.claim("code", code, "code")
            if earlier is not None:
                row.problem("code", _("code {code!r} also on row {row}").format(
                                      code=code,
                                      row=earlier.row))
        return ProductRecord(fields, category, codes, row.number)

    def _barcodes(self, row: RowCheck) -> list[tuple[str, str, Decimal]]:
        codes = []
        for text, pack_text in row.values["barcodes"]:
            try:
                norm = barcodes.validate_for_save(text)
                pack = normalised_pack(pack_text)
            except ValidationError as e:
                for message in e.errors.values():
                    row.problem("barcodes", message)
                continue
            earlier = row.claim("barcode", norm, "barcodes", text)
            if earlier is not None:
                where = "this row" if earlier.row == row.number else f"row {earlier.row}"
                row.problem("barcodes", _("barcode {text} also on {where} ({shown})").format(
                                          text=text,
                                          where=where,
                                          shown=earlier.shown))
                continue
            codes.append((norm, text, pack))
        return codes

    def taken(self, space: str, items: list[tuple[str, str]]) -> Iterable[tuple[str, str]]:
        keys = [key for key, _ in items]
        if space == "code":
            for (code,) in tuples(Product.select(Product.code).where(Product.code.in_(keys))):
                yield code, f"code {code!r} already exists in the database"
            return
        shown = dict(items)
        query = (Barcode.select(Barcode.code, Product.code, Product.name).join(Product)
                 .where(Barcode.code.in_(keys)))
        for norm, code, name in tuples(query):
            yield norm, f"barcode {shown[norm]} already belongs to product {code} {name}"

    def created(self) -> list[str]:
        return self.categories.new

    # -- writing: an import run of short batches (``run.py``) ------------------------------

    batched = True

    def prepare(self, op: Op) -> None:
        self.categories.make_missing(op.actor)

    def stash(self, checked: Checked[ProductRecord], stash: Stash) -> None:
        """Final records: category ids, the values as stored, the pinyin (worked out here,
        outside the write lock)."""
        stash.set_meta("labels", {"code": self._label("code"),
                                  "barcodes": self._label("barcodes")})
        barcode_count = 0
        for batch in checked.records():
            for r in batch:
                fields = stored_values(Product, {
                    **r.fields, "category": self.categories.id_of(r.category)})
                stash.add(ProductRecord(fields, None, r.barcodes, r.row))
                barcode_count += len(r.barcodes)
        stash.set_meta("details", {"barcodes": barcode_count})

    def _label(self, key: str) -> str:
        return str(getattr(self, "_labels", {}).get(key, key))

    def write_batch(self, op: Op, run_id: int, records: list[Any], stash: Stash
                    ) -> tuple[int, int]:
        """The batch's products in one ``executemany``, their ids by code, then their
        barcodes in another; first, the codes and barcodes another terminal used since the
        check refuse the import."""
        labels = stash.meta("labels", {})
        problems = []
        for space, key_column, claimed in (
                ("code", "code", {r.fields["code"]: (r.row, r.fields["code"])
                                  for r in records}),
                ("barcode", "barcodes", {norm: (r.row, text) for r in records
                                         for norm, text, _pack in r.barcodes})):
            if claimed:
                items = [(key, shown) for key, (_row, shown) in claimed.items()]
                problems += [Problem(claimed[key][0], labels.get(key_column, key_column),
                                     message)
                             for key, message in self.taken(space, items)]
        if problems:
            raise ImportRefused(problems)
        rows = [{**r.fields, "import_run": run_id} for r in records]
        products = insert_rows(Product, rows, batch=max(1, len(rows)), stored=True)
        ids = dict(tuples(Product.select(Product.code, Product.id)
                          .where(Product.code.in_([r["code"] for r in rows]))))
        insert_rows(Barcode, (
            {"product": ids[r.fields["code"]], "code": norm, "raw": text, "pack_qty": pack}
            for r in records for norm, text, pack in r.barcodes))
        return products, 0

    def undo_batch(self, op: Op, run_id: int, limit: int) -> tuple[int, list[str]]:
        return take_back(Product, run_id, limit, Product.code)  # barcodes go with them


def import_products(
    actor: Actor, path: str | Path, dry_run: bool = False, *,
    create_categories: bool = False, progress: Progress | None = None,
    cancel: threading.Event | None = None,
) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, add them all (an
    import run: see ``run.run_import``). ``result.groups_created`` lists the categories
    created (or that would be, on a dry run)."""
    return run_import(actor, ProductImport(create_categories=create_categories), path, dry_run,
                      progress=progress, cancel=cancel)
