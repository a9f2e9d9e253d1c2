"""Import products from .xlsx or .csv (A5, issue 4): all or nothing, every problem by row and column.

Headers are the export's (``code, name, barcodes, category, unit, cost, price1..price4,
min_stock``; ``spec``, ``notes`` and ``active`` are accepted too) or common Chinese ones
(商品编码, 商品名称, 条码, 分类, 单位, 成本, 零售价, 批发价, 会员价, ...).

``barcodes`` holds all of a product's barcodes separated by ``;`` (or ``；`` / a line break).
A barcode that stands for several units (a carton) is written ``12*code``, the same notation
as a scan of 12. Each barcode is normalised and its GTIN check digit validated as when it is
typed on the Products screen; a barcode cell Excel stored as a number (and so lost its
leading zero) gets the zero back when that makes a valid GTIN.

Problems reported (nothing is written if there is any): an unknown or repeated column, a
missing code or name, a bad number, a bad check digit, a product code or barcode used twice in
the file or already in the database, an unknown category (unless ``create_categories``), a
formula without a saved value. The file is read with the customer importer's file-safety
checks (encrypted, damaged, not Excel, zip bomb: one ``ImportFileError`` line).
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

from ..catalog import barcodes
from ..catalog.categories import ensure_category_path, product_categories
from ..catalog.product_fields import clean_fields, normalised_pack
from ..core import audit
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import ValidationError
from ..core.permissions import require
from ..models import Barcode, Product
from .customer_import import ImportResult, Problem, _blank, read_sheet

FIELDS = ["code", "name", "barcodes", "category", "unit", "cost", "price1", "price2", "price3",
          "price4", "min_stock", "spec", "notes", "active"]
IGNORED = {"id", "created_at", "updated_at", "on_hand", "库存", "创建时间"}
CHINESE = {
    "商品编码": "code", "商品编号": "code", "商品代码": "code", "货号": "code", "编码": "code",
    "编号": "code", "代码": "code", "产品编码": "code", "产品编号": "code",
    "商品名称": "name", "产品名称": "name", "品名": "name", "名称": "name", "商品": "name",
    "条码": "barcodes", "条形码": "barcodes", "商品条码": "barcodes", "国际条码": "barcodes",
    "分类": "category", "商品分类": "category", "类别": "category", "商品类别": "category",
    "单位": "unit", "计量单位": "unit", "成本": "cost", "成本价": "cost", "进价": "cost",
    "进货价": "cost", "零售价": "price1", "售价": "price1", "销售价": "price1",
    "批发价": "price2", "会员价": "price3", "特价": "price4", "优惠价": "price4",
    "最低库存": "min_stock", "安全库存": "min_stock", "库存下限": "min_stock",
    "最小库存": "min_stock", "规格": "spec", "型号": "spec", "规格型号": "spec",
    "备注": "notes", "说明": "notes", "启用": "active", "状态": "active",
}
TRUE_WORDS = {"yes", "y", "true", "1", "active", "是", "启用", "正常"}
FALSE_WORDS = {"no", "n", "false", "0", "inactive", "否", "停用", "禁用"}
SEPARATORS = (";", "；", "\n", "\r")


def header_key(text: Any) -> str | None:
    h = str(text or "").strip()
    low = h.lower().replace(" ", "_")
    if low in FIELDS or low in IGNORED:
        return low
    if low in ("barcode", "ean", "upc", "gtin"):
        return "barcodes"
    if h in IGNORED:
        return "created_at"
    return CHINESE.get(h)


def _cell_text(v: Any) -> str:
    """A cell as text; whole numbers without ``.0`` (Excel stores codes as numbers)."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    if isinstance(v, Decimal) and v == v.to_integral_value():
        return str(int(v))
    return str(v).strip()


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
    text = _cell_text(cell)
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


def _parse_active(v: Any) -> bool | None:
    if isinstance(v, bool):
        return v
    word = _cell_text(v).lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    return None


def import_products(
    actor: Actor, path: str | Path, dry_run: bool = False, *,
    create_categories: bool = False,
) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, add them all in
    one transaction. ``result.groups_created`` lists the categories created (or that would be,
    on a dry run)."""
    require(actor, "import")
    require(actor, "product.edit")
    result = ImportResult(dry_run=dry_run)
    problems = result.problems
    p = Path(path)
    sheet = read_sheet(p, header_key, IGNORED | {"created_at"}, problems)
    rows, missing, head_row, columns, seen = (
        sheet.rows, sheet.missing_formulas, sheet.head_row, sheet.columns, sheet.seen)
    for need, cn in (("code", "商品编码"), ("name", "商品名称")):
        if need not in seen:
            problems.append(Problem(head_row, "", f"no {need} column ({need} or {cn})"))

    def col(key: str) -> str:
        return seen.get(key, key)

    categories: dict[str, int | None] = {}
    new_categories: list[str] = []
    codes_in_file: dict[str, int] = {}
    barcodes_in_file: dict[str, tuple[int, str]] = {}
    good: list[tuple[int, dict[str, Any], list[tuple[str, str, Decimal]], str | None]] = []
    for r_idx, vals in rows[1:]:
        row_problems: list[Problem] = []
        raw: dict[str, Any] = {}
        for c, key in columns.items():
            if (r_idx, c) in missing:
                row_problems.append(Problem(r_idx, seen[key], "a formula without a saved value; "
                                            "paste it as a value"))
                continue
            raw[key] = vals[c] if c < len(vals) else None
        fields: dict[str, Any] = {}
        for key in ("code", "name", "unit", "spec", "notes"):
            if key in raw:
                fields[key] = _cell_text(raw[key])
        if not fields.get("unit"):
            fields.pop("unit", None)  # the model's default, pcs
        for key in ("cost", "price1", "price2", "price3", "price4", "min_stock"):
            v = raw.get(key)
            if not _blank(v):
                fields[key] = v if isinstance(v, int | float | Decimal) else _cell_text(v)
        if not _blank(raw.get("active")):
            flag = _parse_active(raw["active"])
            if flag is None:
                row_problems.append(Problem(r_idx, col("active"), "write yes or no"))
            else:
                fields["active"] = flag
        fields.setdefault("code", "")
        fields.setdefault("name", "")
        try:
            cleaned = clean_fields(fields, creating=True)
        except ValidationError as e:
            reported = {pr.column for pr in row_problems}
            for k, msg in e.errors.items():
                if col(k) not in reported:
                    row_problems.append(Problem(r_idx, col(k), msg))
            cleaned = {}
        # the category, by name or path
        cat_name: str | None = None
        cat = raw.get("category")
        if not _blank(cat):
            cat_name = "/".join(x.strip() for x in _cell_text(cat).split("/") if x.strip())
            if cat_name not in categories:
                node = product_categories.find(cat_name)
                categories[cat_name] = node.id if node else None
            if categories[cat_name] is None:
                if create_categories:
                    if cat_name not in new_categories:
                        new_categories.append(cat_name)
                else:
                    row_problems.append(Problem(r_idx, col("category"),
                                                f"unknown category {cat_name!r}"))
        # barcodes
        codes: list[tuple[str, str, Decimal]] = []
        cell = raw.get("barcodes")
        numeric = isinstance(cell, int | float) and not isinstance(cell, bool)
        for text, pack_text in split_barcodes(cell, numeric):
            try:
                norm = barcodes.validate_for_save(text)
                pack = normalised_pack(pack_text)
            except ValidationError as e:
                for msg in e.errors.values():
                    row_problems.append(Problem(r_idx, col("barcodes"), msg))
                continue
            if norm in barcodes_in_file:
                other_row, other_text = barcodes_in_file[norm]
                where = "this row" if other_row == r_idx else f"row {other_row}"
                row_problems.append(Problem(r_idx, col("barcodes"),
                                            f"barcode {text} also on {where} ({other_text})"))
                continue
            barcodes_in_file[norm] = (r_idx, text)
            codes.append((norm, text, pack))
        code = str(cleaned.get("code") or "")
        if code:
            if code in codes_in_file:
                row_problems.append(Problem(r_idx, col("code"),
                                            f"code {code!r} also on row {codes_in_file[code]}"))
            else:
                codes_in_file[code] = r_idx
        if row_problems:
            problems.extend(row_problems)
            continue
        good.append((r_idx, cleaned, codes, cat_name))
    result.rows = len(rows) - 1
    # what is already in the database
    code_list = list(codes_in_file)
    for i in range(0, len(code_list), 500):
        chunk = code_list[i:i + 500]
        for (c,) in Product.select(Product.code).where(Product.code.in_(chunk)).tuples():
            problems.append(Problem(codes_in_file[c], col("code"),
                                    f"code {c!r} already exists in the database"))
    norm_list = list(barcodes_in_file)
    for i in range(0, len(norm_list), 500):
        chunk = norm_list[i:i + 500]
        query = (Barcode.select(Barcode.code, Product.code, Product.name).join(Product)
                 .where(Barcode.code.in_(chunk)).tuples())
        for norm, pcode, pname in query:
            r_idx, text = barcodes_in_file[norm]
            problems.append(Problem(r_idx, col("barcodes"),
                                    f"barcode {text} already belongs to product {pcode} {pname}"))
    problems.sort(key=lambda x: (x.row, x.column))
    if problems or dry_run:
        result.groups_created = new_categories if not problems else []
        return result
    with write():
        for name in new_categories:
            categories[name] = ensure_category_path(actor, name)
        result.groups_created = new_categories
        barcode_rows = []
        for _, values, codes, cat_name in good:
            if cat_name is not None:
                values["category"] = categories[cat_name]
            pid = Product.insert(**values).execute()
            barcode_rows.extend(
                {"product": pid, "code": norm, "raw": text, "pack_qty": pack}
                for norm, text, pack in codes
            )
        for i in range(0, len(barcode_rows), 500):
            Barcode.insert_many(barcode_rows[i:i + 500]).execute()
        result.imported = len(good)
        audit.record(actor, "product", None, "import",
                     {"file": p.name, "count": result.imported, "barcodes": len(barcode_rows)})
    return result
