"""Import customers from .xlsx or .csv (A5): all or nothing, every problem by row and column.

Headers are the export's (``code``, ``name``, ``group``, ... see ``HEADERS``) or common Chinese
ones (客户名称, 客户编号, 电话, 手机, 分组, ...); ``created_at``/``updated_at`` are accepted and
ignored, so an export imports back unchanged. Groups are written as the export writes them,
``parent/child``. An unknown group is a problem unless ``create_groups=True`` (the CLI's
``--create-groups``), which creates the missing groups in the same transaction: refusing is
the default because a typo would otherwise silently grow the tree.

The file is checked before it is parsed: empty, an OLE2 compound file (an encrypted workbook
or an old .xls), not a zip, a zip that would unpack to more than ``MAX_UNPACKED`` bytes (zip
bomb): each gets a one-line ``ImportFileError``. Workbooks are read with ``read_only=True``
(openpyxl uses defusedxml, installed, for the XML).

Nothing is written unless every row is good; then all rows go in with one ``executemany`` in
one write transaction (the search index follows by its triggers), plus one audit entry.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..core import audit
from ..core import db as dbmod
from ..core.actor import Actor
from ..core.db import write
from ..core.errors import TuicrmError, ValidationError
from ..core.money import to_cents
from ..core.permissions import require
from ..models import Customer, User, now
from ..parties.customers import (
    CODE_DIGITS,
    CODE_PREFIX,
    lock_customer_codes,
    next_customer_code,
)
from ..parties.fields import CUSTOMER_RULES, clean
from ..parties.groups import customer_groups
from ..parties.scope import sees_all_customers

MAX_UNPACKED = 512 * 1024 * 1024  # bytes once unzipped
MAX_RATIO = 200  # a member compressed more than this (and big) is a bomb
MAX_MEMBERS = 10_000
OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CSV_DEFUSED = ("=", "+", "-", "@", "\t", "\r", "'")

FIELDS = ["code", "name", "group", "grade", "status", "salesperson", "phone", "mobile", "fax",
          "email", "address", "region", "industry", "source", "tax_number", "credit_limit",
          "payment_terms_days", "price_level", "notes"]
IGNORED = {"created_at", "updated_at", "id", "创建时间", "创建日期", "更新时间"}
CHINESE = {
    "客户编号": "code", "客户代码": "code", "编号": "code", "代码": "code",
    "客户名称": "name", "名称": "name", "客户": "name", "公司名称": "name",
    "分组": "group", "客户分组": "group", "类别": "group", "客户类别": "group",
    "等级": "grade", "客户等级": "grade", "级别": "grade", "信用等级": "grade",
    "状态": "status", "业务员": "salesperson", "销售员": "salesperson", "负责人": "salesperson",
    "电话": "phone", "联系电话": "phone", "固定电话": "phone", "手机": "mobile",
    "移动电话": "mobile", "传真": "fax", "邮箱": "email", "电子邮件": "email", "邮件": "email",
    "地址": "address", "联系地址": "address", "地区": "region", "区域": "region",
    "行业": "industry", "来源": "source", "客户来源": "source", "税号": "tax_number",
    "纳税人识别号": "tax_number", "信用额度": "credit_limit", "账期": "payment_terms_days",
    "付款期限": "payment_terms_days", "账期天数": "payment_terms_days",
    "价格等级": "price_level", "价格级别": "price_level", "备注": "notes", "说明": "notes",
}
STATUS_WORDS = {"正常": "active", "活跃": "active", "潜在": "prospect", "停用": "inactive"}


class ImportFileError(TuicrmError):
    """The file cannot be read as a spreadsheet at all."""


@dataclass(frozen=True)
class Problem:
    row: int  # 1-based, as the spreadsheet shows it
    column: str  # the header as written in the file ("" for the whole row/file)
    message: str

    def __str__(self) -> str:
        where = f"row {self.row}" + (f", {self.column}" if self.column else "")
        return f"{where}: {self.message}"


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    dry_run: bool = False
    problems: list[Problem] = field(default_factory=list)
    groups_created: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def header_key(text: Any) -> str | None:
    """The field a header stands for (None if unknown)."""
    h = str(text or "").strip()
    low = h.lower().replace(" ", "_")
    if low in FIELDS or low in IGNORED:
        return low
    return CHINESE.get(h) or ("created_at" if h in IGNORED else None)


# -- reading --------------------------------------------------------------------------------


def _check_file(path: Path) -> str:
    if not path.exists():
        raise ImportFileError(f"{path}: no such file")
    if path.is_dir():
        raise ImportFileError(f"{path} is a directory")
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError(f"{path.name} is empty")
    with open(path, "rb") as f:
        head = f.read(8)
    ext = path.suffix.lower()
    if head == OLE2_MAGIC:
        raise ImportFileError(
            f"{path.name} is a password-protected workbook or an old .xls file; open it in "
            "Excel and save it as .xlsx without a password"
        )
    if ext == ".csv":
        return "csv"
    if ext not in (".xlsx", ".xlsm"):
        raise ImportFileError(f"{path.name}: import .xlsx or .csv files, not {ext or 'this'}")
    if not head.startswith(b"PK\x03\x04"):
        raise ImportFileError(f"{path.name} is not an Excel .xlsx file (wrong content)")
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(f"{path.name} is damaged (not a readable .xlsx)") from None
    if len(infos) > MAX_MEMBERS:
        raise ImportFileError(f"{path.name} holds too many parts ({len(infos):,})")
    total = sum(i.file_size for i in infos)
    bomb = any(i.file_size > 10 * 1024 * 1024 and i.file_size > MAX_RATIO * max(i.compress_size, 1)
               for i in infos)
    if total > MAX_UNPACKED or bomb:
        raise ImportFileError(
            f"{path.name} would unpack to {total / 1024 / 1024:,.0f} MB, too large to import "
            f"safely (limit {MAX_UNPACKED // 1024 // 1024} MB)"
        )
    return "xlsx"


def _read_csv(path: Path) -> list[tuple[int, list[Any]]]:
    data = path.read_bytes()
    for enc in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(enc)
            break
        except UnicodeDecodeError:
            continue
    else:  # pragma: no cover - gb18030 decodes any byte string
        raise ImportFileError(f"{path.name}: unknown text encoding (save as UTF-8 CSV)")
    if "\x00" in text:
        raise ImportFileError(f"{path.name} is not a text CSV file")
    try:
        rows = list(csv.reader(io.StringIO(text, newline="")))
    except csv.Error as e:
        raise ImportFileError(f"{path.name} is not a valid CSV file: {e}") from None
    out = []
    for i, r in enumerate(rows, 1):
        vals = []
        for v in r:
            if len(v) > 1 and v[0] == "'" and v[1] in CSV_DEFUSED:
                v = v[1:]  # the export's guard against formula injection
            vals.append(v)
        out.append((i, vals))
    return out


def _read_xlsx(path: Path) -> tuple[list[tuple[int, list[Any]]], set[tuple[int, int]]]:
    """Rows of the first sheet, and the (row, col) of formula cells without a cached value."""
    from openpyxl import load_workbook

    def load(data_only: bool):
        try:
            return load_workbook(path, read_only=True, data_only=data_only)
        except Exception as e:  # openpyxl raises many kinds on a bad file
            reason = " ".join(str(e).split())[:120] or type(e).__name__
            raise ImportFileError(f"{path.name} is not a readable .xlsx: {reason}") from None

    wb = load(False)
    rows: list[tuple[int, list[Any]]] = []
    formulas: list[tuple[int, int]] = []
    try:
        ws = wb.worksheets[0] if wb.worksheets else None
        if ws is None:
            raise ImportFileError(f"{path.name} has no sheet")
        for r_idx, row in enumerate(ws.iter_rows(), 1):
            vals = []
            for c_idx, cell in enumerate(row):
                v = getattr(cell, "value", None)
                if getattr(cell, "data_type", None) == "f" or (isinstance(v, str) and v.startswith("=")
                                                             and getattr(cell, "data_type", "") == "f"):
                    formulas.append((r_idx, c_idx))
                vals.append(v)
            rows.append((r_idx, vals))
    except ImportFileError:
        raise
    except Exception as e:
        reason = " ".join(str(e).split())[:120] or type(e).__name__
        raise ImportFileError(f"{path.name} is damaged: {reason}") from None
    finally:
        wb.close()
    missing: set[tuple[int, int]] = set()
    if formulas:
        wanted = set(formulas)
        cached: dict[tuple[int, int], Any] = {}
        wb2 = load(True)
        try:
            for r_idx, row in enumerate(wb2.worksheets[0].iter_rows(values_only=True), 1):
                for c_idx, v in enumerate(row):
                    if (r_idx, c_idx) in wanted:
                        cached[(r_idx, c_idx)] = v
        finally:
            wb2.close()
        by_row = {r: vals for r, vals in rows}
        for pos in formulas:
            v = cached.get(pos)
            if v is None:
                missing.add(pos)
            else:
                by_row[pos[0]][pos[1]] = v
    return rows, missing


# -- checking -------------------------------------------------------------------------------


def _blank(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


@dataclass
class Sheet:
    """A file's rows (non-blank, with their row numbers) and how its header row maps columns."""

    rows: list[tuple[int, list[Any]]]
    missing_formulas: set[tuple[int, int]]
    head_row: int
    headers: list[Any]
    columns: dict[int, str]  # column index -> field key
    seen: dict[str, str]  # field key -> the header as written in the file


def read_sheet(
    p: Path, key_of: Callable[[Any], str | None], ignored: set[str], problems: list[Problem]
) -> Sheet:
    """Read an .xlsx or .csv safely and map its header row; header problems go to
    ``problems``. ``ImportFileError`` for files that cannot be read at all."""
    if _check_file(p) == "csv":
        rows, missing = _read_csv(p), set()
    else:
        rows, missing = _read_xlsx(p)
    rows = [(i, r) for i, r in rows if not all(_blank(v) for v in r)]
    if not rows:
        raise ImportFileError(f"{p.name} holds no rows")
    head_row, headers = rows[0]
    columns: dict[int, str] = {}
    seen: dict[str, str] = {}
    for c, h in enumerate(headers):
        if _blank(h):
            continue
        key = key_of(h)
        if key is None:
            problems.append(Problem(head_row, str(h), "unknown column"))
        elif key in seen:
            problems.append(Problem(head_row, str(h), f"same column as {seen[key]!r}"))
        elif key not in ignored:
            columns[c] = key
            seen[key] = str(h)
    return Sheet(rows, missing, head_row, list(headers), columns, seen)


def import_customers(
    actor: Actor, path: str | Path, dry_run: bool = False, *, create_groups: bool = False,
) -> ImportResult:
    """Check every row of ``path`` and, if all are good and not ``dry_run``, add them all."""
    require(actor, "import")
    require(actor, "customer.edit")
    result = ImportResult(dry_run=dry_run)
    problems = result.problems
    p = Path(path)
    sheet = read_sheet(p, header_key, IGNORED, problems)
    rows, missing_formulas, head_row, columns, seen = (
        sheet.rows, sheet.missing_formulas, sheet.head_row, sheet.columns, sheet.seen)
    headers = sheet.headers
    if "name" not in seen:
        problems.append(Problem(head_row, "", "no name column (name or 客户名称)"))
    label = {c: str(headers[c]) for c in columns}
    group_cache: dict[str, int | None] = {}
    user_cache: dict[str, int | None] = {}
    new_groups: list[str] = []
    codes_in_file: dict[str, int] = {}
    good: list[tuple[int, dict[str, Any]]] = []
    for r_idx, vals in rows[1:]:
        values: dict[str, Any] = {}
        row_problems: list[Problem] = []
        for c, key in columns.items():
            v = vals[c] if c < len(vals) else None
            if (r_idx, c) in missing_formulas:
                row_problems.append(Problem(r_idx, label[c], "a formula without a saved value; "
                                            "paste it as a value"))
                continue
            if isinstance(v, str):
                v = v.strip()
            values[key] = v
        # group and salesperson: names, resolved against the database
        g = values.pop("group", None)
        gid = None
        if not _blank(g):
            gname = str(g).strip()
            if gname not in group_cache:
                node = customer_groups.find(gname)
                group_cache[gname] = node.id if node else None
            gid = group_cache[gname]
            if gid is None:
                if create_groups:
                    if gname not in new_groups:
                        new_groups.append(gname)
                else:
                    row_problems.append(Problem(r_idx, seen.get("group", "group"),
                                                f"unknown group {gname!r}"))
        sp = values.pop("salesperson", None)
        sid = None
        if not _blank(sp):
            uname = str(sp).strip().lower()
            if uname not in user_cache:
                u = User.get_or_none(User.username == uname)
                user_cache[uname] = u.id if u else None
            sid = user_cache[uname]
            if sid is None:
                row_problems.append(Problem(r_idx, seen["salesperson"], f"no user named {uname!r}"))
        if not sees_all_customers(actor):
            sid = actor.id
        if isinstance(values.get("status"), str):
            values["status"] = STATUS_WORDS.get(values["status"], values["status"].lower()) or "active"
        if _blank(values.get("status")):
            values.pop("status", None)
        for k in ("credit_limit", "payment_terms_days", "price_level"):
            if _blank(values.get(k)):
                values.pop(k, None)
        for k in list(values):
            if values[k] is None:
                values[k] = ""
        try:
            cleaned = clean(CUSTOMER_RULES, values, partial=False)
        except ValidationError as e:
            for k, msg in e.errors.items():
                row_problems.append(Problem(r_idx, seen.get(k, k), msg))
            cleaned = {}
        code = str(cleaned.get("code") or "")
        if code:
            if code in codes_in_file:
                row_problems.append(Problem(r_idx, seen.get("code", "code"),
                                            f"code {code!r} also on row {codes_in_file[code]}"))
            else:
                codes_in_file[code] = r_idx
        if row_problems:
            problems.extend(row_problems)
            continue
        cleaned["group"] = gid if gid is not None else (str(g).strip() if not _blank(g) else None)
        cleaned["salesperson"] = sid
        good.append((r_idx, cleaned))
    result.rows = len(rows) - 1
    # codes already in the database
    codes = list(codes_in_file)
    for i in range(0, len(codes), 500):
        chunk = codes[i:i + 500]
        for (c,) in Customer.select(Customer.code).where(Customer.code.in_(chunk)).tuples():
            problems.append(Problem(codes_in_file[c], seen.get("code", "code"),
                                    f"code {c!r} already exists in the database"))
    problems.sort(key=lambda x: (x.row, x.column))
    if problems or dry_run:
        result.groups_created = new_groups if not problems else []
        return result
    with write():
        for gname in new_groups:
            group_cache[gname] = customer_groups.ensure_path(actor, gname)
        result.groups_created = new_groups
        result.imported = _insert(good, group_cache)
        audit.record(actor, "customer", None, "import",
                     {"file": p.name, "count": result.imported})
    return result


def _insert(good: list[tuple[int, dict[str, Any]]], group_cache: dict[str, int | None]) -> int:
    """All rows in one ``executemany`` (the search index follows by trigger)."""
    lock_customer_codes()
    next_code = next_customer_code()
    counter = int(next_code[len(CODE_PREFIX):])
    taken = {v["code"] for _, v in good if v.get("code")}
    stamp = now()
    ts: Any = stamp.isoformat(sep=" ") if dbmod.is_sqlite() else stamp
    cols = ["version", "created_at", "updated_at", "code", "name", "group_id", "grade", "status",
            "salesperson_id", "phone", "mobile", "fax", "email", "address", "region", "industry",
            "source", "tax_number", "credit_limit", "payment_terms_days", "price_level", "notes"]
    params = []
    for _, v in good:
        code = v.get("code")
        if not code:
            while True:
                code = f"{CODE_PREFIX}{counter:0{CODE_DIGITS}d}"
                counter += 1
                if code not in taken:
                    break
        g = v["group"]
        gid = group_cache.get(g) if isinstance(g, str) else g
        params.append((
            1, ts, ts, code, v["name"], gid, v.get("grade", ""), v.get("status", "active"),
            v["salesperson"], v.get("phone", ""), v.get("mobile", ""), v.get("fax", ""),
            v.get("email", ""), v.get("address", ""), v.get("region", ""), v.get("industry", ""),
            v.get("source", ""), v.get("tax_number", ""), to_cents(v.get("credit_limit", 0)),
            v.get("payment_terms_days", 0), v.get("price_level", 1), v.get("notes", ""),
        ))
    db = dbmod.database
    marks = ", ".join([db.param] * len(cols))
    sql = f'INSERT INTO "customer" ({", ".join(cols)}) VALUES ({marks})'
    cursor = db.cursor()
    for i in range(0, len(params), 5000):
        cursor.executemany(sql, params[i:i + 5000])
    return len(params)
