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
(``run.py``): one transaction, one audit row for the import (with the number of barcodes).
"""

from __future__ import annotations

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
from .bulk import insert_rows, tuples
from .columns import Column, column
from .files import ImportFileError
from .importer import Checked, Importer, RowCheck, Written
from .kinds import Bool, Code, Money, Quantity, Text, TreePath, cell_text, is_number
from .references import TreePaths
from .run import ImportResult, run_import

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
        code = values["code"]
        if code:
            earlier = row.claim("code", code, "code")
            if earlier is not None:
                row.problem("code", _("code {code!r} also on row {row}").format(
                                      code=code,
                                      row=earlier.row))
        return ProductRecord(fields, category, codes)

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

    def write(self, op: Op, checked: Checked[ProductRecord]) -> Written:
        """Each batch: its products in one ``executemany``, their ids by code, then their
        barcodes in another."""
        self.categories.make_missing(op.actor)
        products = codes = 0
        for batch in checked.records():
            rows = [{**r.fields, "category": self.categories.id_of(r.category)} for r in batch]
            products += insert_rows(Product, rows)
            ids = dict(tuples(Product.select(Product.code, Product.id)
                              .where(Product.code.in_([r["code"] for r in rows]))))
            codes += insert_rows(Barcode, (
                {"product": ids[r.fields["code"]], "code": norm, "raw": text, "pack_qty": pack}
                for r in batch for norm, text, pack in r.barcodes))
        return Written(products, {"barcodes": codes})


def import_products(
    actor: Actor, path: str | Path, dry_run: bool = False, *,
    create_categories: bool = False,
) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, add them all in
    one transaction. ``result.groups_created`` lists the categories created (or that would be,
    on a dry run)."""
    return run_import(actor, ProductImport(create_categories=create_categories), path, dry_run)
