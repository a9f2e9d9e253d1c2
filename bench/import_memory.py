"""Import memory and time: N rows (default 100k) of customers and products, .xlsx and .csv.

    python bench/import_memory.py [N] [--only customers.xlsx,products.csv,...]

Builds the files once (openpyxl write-only), then runs each import in a fresh child process
on a fresh copy of a small SQLite database, and prints per file and mode (check only, or
check and import):

- peak RSS of the child (``VmHWM``: ``ru_maxrss`` would include the parent's RSS at the
  fork, which Linux carries over an exec) and how much it grew over the RSS before the import
  (modules and database already open), in MiB;
- wall and CPU time of the whole call, and how long write transactions were held, wall and
  CPU, summed over the import's transactions (customers and products are written in batches
  of ~0.4 s each since issue 10: ``bench/import_lock.py`` measures what another terminal
  waits; the CPU time is the figure to compare on a loaded machine).

Run it before and after a change to the importers and quote both.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于"
TRADES = ["贸易", "五金", "电子", "食品", "建材", "服装", "物流", "科技", "餐饮", "百货"]
GROUPS = ["华东", "华东/上海", "华南", "华南/广州", "华北"]
CATEGORIES = ["Drinks", "Drinks/Juice", "Food", "Food/Snacks", "Hardware"]
CUSTOMER_HEAD = ["code", "name", "group", "grade", "status", "phone", "mobile", "email",
                 "address", "region", "credit_limit", "payment_terms_days", "price_level",
                 "notes"]
PRODUCT_HEAD = ["code", "name", "barcodes", "category", "unit", "cost", "price1", "price2",
                "min_stock", "spec", "notes"]


def _ean13(n: int) -> str:
    body = f"69{n:010d}"
    total = sum(int(d) * (3 if i % 2 else 1) for i, d in enumerate(body))
    return body + str((10 - total % 10) % 10)


def customer_rows(n: int) -> list[list[object]]:
    rnd = random.Random(1)
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        name = rnd.choice(SURNAMES) + rnd.choice(SURNAMES) + rnd.choice(TRADES) + f"有限公司{i}"
        rows.append([f"K{i:07d}", name, rnd.choice(GROUPS), rnd.choice("ABC"), "active",
                     f"0{rnd.randint(10, 999)}-{rnd.randint(1000000, 9999999)}",
                     f"1{rnd.randint(3000000000, 9999999999)}", f"buyer{i}@example.cn",
                     f"{rnd.randint(1, 999)}号 人民路 {rnd.choice(SURNAMES)}区", "华东",
                     rnd.randint(0, 50_000) + 0.5, rnd.choice([0, 30, 60]), rnd.randint(1, 4),
                     "老客户" if i % 7 == 0 else ""])
    return rows


def product_rows(n: int) -> list[list[object]]:
    rnd = random.Random(2)
    rows: list[list[object]] = []
    for i in range(1, n + 1):
        rows.append([f"P{i:07d}", f"{rnd.choice(TRADES)}商品 {i}", _ean13(i),
                     rnd.choice(CATEGORIES), "pcs", round(rnd.uniform(1, 100), 2),
                     round(rnd.uniform(1, 200), 2), round(rnd.uniform(1, 150), 2),
                     rnd.randint(0, 20), "500ml", ""])
    return rows


def write_files(tmp: Path, n: int, only: set[str] | None = None) -> dict[str, Path]:
    """The files (only those named in ``only``, when given)."""
    import csv

    from openpyxl import Workbook

    files: dict[str, Path] = {}
    for what, head, make in (("customers", CUSTOMER_HEAD, customer_rows),
                             ("products", PRODUCT_HEAD, product_rows)):
        wanted = [f"{what}.{ext}" for ext in ("xlsx", "csv")
                  if not only or f"{what}.{ext}" in only]
        if not wanted:
            continue
        rows = make(n)
        if f"{what}.xlsx" in wanted:
            wb = Workbook(write_only=True)
            ws = wb.create_sheet(what)
            ws.append(head)
            for r in rows:
                ws.append(r)
            files[f"{what}.xlsx"] = tmp / f"{what}.xlsx"
            wb.save(files[f"{what}.xlsx"])
        if f"{what}.csv" in wanted:
            files[f"{what}.csv"] = tmp / f"{what}.csv"
            with open(files[f"{what}.csv"], "w", newline="", encoding="utf-8-sig") as f:
                csv.writer(f).writerows([head, *rows])
        del rows
    return files


def template_db(tmp: Path) -> Path:
    """A database holding the groups and categories the files name."""
    path = tmp / "template.db"
    code = (
        "import sys\n"
        "from tuicrm.data.core.schema import open_db\n"
        "from tuicrm.data.core.actor import system_actor\n"
        "from tuicrm.data.parties.groups import customer_groups\n"
        "from tuicrm.data.catalog.categories import product_categories\n"
        f"open_db({str(path)!r})\n"
        f"for g in {GROUPS!r}:\n"
        "    customer_groups.ensure_path(system_actor(), g)\n"
        f"for c in {CATEGORIES!r}:\n"
        "    product_categories.ensure_path(system_actor(), c)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    return path


def _status_mib(key: str) -> float:
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return 0.0


def child(what: str, file: str, db: str, dry_run: bool) -> None:
    """Run one import and print its figures as JSON (in a fresh process)."""
    import contextlib

    import openpyxl  # noqa: F401 - loaded before the baseline, as in the app

    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.transfer.customer_import import import_customers
    from tuicrm.data.transfer.product_import import import_products

    open_db(db)
    held = [0.0, 0.0]
    plain_write = dbmod.write

    @contextlib.contextmanager
    def timed_write():  # type: ignore[no-untyped-def]
        outermost = not dbmod.in_transaction()
        start, cpu = time.perf_counter(), time.process_time()
        with plain_write():
            yield
        if outermost:
            held[0] += time.perf_counter() - start
            held[1] += time.process_time() - cpu

    dbmod.write = timed_write  # type: ignore[assignment]
    for module in list(sys.modules.values()):  # modules that did `from ..core.db import write`
        if getattr(module, "write", None) is plain_write and module is not dbmod:
            module.write = timed_write  # type: ignore[attr-defined]
    before = _status_mib("VmRSS")
    start, cpu = time.perf_counter(), time.process_time()
    if what == "customers":
        result = import_customers(system_actor(), file, dry_run=dry_run)
    else:
        result = import_products(system_actor(), file, dry_run=dry_run)
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = _status_mib("VmHWM")
    print(json.dumps({"before": before, "peak": peak, "seconds": seconds, "cpu": cpu,
                      "held": held[0], "held_cpu": held[1],
                      "rows": result.rows, "imported": result.imported,
                      "problems": len(result.problems)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=100_000)
    parser.add_argument("--only", default="")
    parser.add_argument("--modes", default="dry,import", help="dry, import or both")
    parser.add_argument("--child", nargs=4, metavar=("WHAT", "FILE", "DB", "DRY"))
    args = parser.parse_args()
    if args.child:
        what, file, db, dry = args.child
        child(what, file, db, dry == "dry")
        return
    tmp = Path(tempfile.mkdtemp(prefix="import-bench-"))
    try:
        t = time.perf_counter()
        only = set(filter(None, args.only.split(",")))
        files = write_files(tmp, args.n, only)
        template = template_db(tmp)
        print(f"{args.n:,} rows a file; files written in {time.perf_counter() - t:.1f} s: "
              + ", ".join(f"{k} {v.stat().st_size / 1e6:.1f} MB" for k, v in files.items()))
        print(f"{'file':15} {'mode':7} {'peak MiB':>9} {'growth':>7} {'time s':>7} "
              f"{'cpu s':>6} {'lock s':>7} {'cpu s':>6}  result")
        for name, path in files.items():
            if only and name not in only:
                continue
            for mode in args.modes.split(","):
                db = tmp / "run.db"
                for suffix in ("", "-wal", "-shm"):
                    Path(str(db) + suffix).unlink(missing_ok=True)
                shutil.copy(template, db)
                out = subprocess.run(
                    [sys.executable, __file__, "--child", name.split(".")[0], str(path),
                     str(db), mode], check=True, cwd=ROOT, capture_output=True, text=True,
                    env={**os.environ, "PYTHONUNBUFFERED": "1"},
                ).stdout
                r = json.loads(out.strip().splitlines()[-1])
                print(f"{name:15} {mode:7} {r['peak']:9.0f} {r['peak'] - r['before']:7.0f} "
                      f"{r['seconds']:7.1f} {r['cpu']:6.1f} {r['held']:7.2f} "
                      f"{r['held_cpu']:6.2f}  rows {r['rows']:,}, "
                      f"imported {r['imported']:,}, problems {r['problems']:,}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
