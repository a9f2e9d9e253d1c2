"""A big import while the counter keeps writing: how long does the counter wait?

    python bench/import_lock.py [N] [--what customers|products] [--batch-rows B]
                                [--every 0.1] [--pg URL]

Writes an N-row (default 1M) customer or product CSV, then on a fresh copy of a small
database runs ``tuicrm import`` in one process while another process (a counter terminal)
adds a customer through the ordinary operation every ``--every`` seconds (100 ms) until the
import ends. It prints:

- the import: rows, wall time of the check and of the writing, rows/s, the CPU time of
  each (the figure to compare on a loaded machine), peak RSS of the importing process
  (``VmHWM``), the number of transactions and the longest one;
- the counter: writes done, how many failed ("database is locked" or anything else), and
  the median, 99th percentile and longest time one write took (the wait for the lock
  included), in ms; and the longest write while the import was writing.

Run from the worktree root. ``--pg URL`` runs it on a PostgreSQL database instead (emptied).
"""

from __future__ import annotations

import argparse
import csv
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
sys.path.insert(0, str(ROOT / "bench"))

from import_memory import (  # noqa: E402 - after the path is set
    CATEGORIES,
    CUSTOMER_HEAD,
    GROUPS,
    PRODUCT_HEAD,
    SURNAMES,
    TRADES,
    _ean13,
)


def write_csv(path: Path, what: str, n: int) -> None:
    """The rows of ``import_memory``'s files, streamed (1M rows never in memory)."""
    rnd = random.Random(1)
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f)
        if what == "customers":
            w.writerow(CUSTOMER_HEAD)
            for i in range(1, n + 1):
                name = (rnd.choice(SURNAMES) + rnd.choice(SURNAMES) + rnd.choice(TRADES)
                        + f"有限公司{i}")
                w.writerow([f"K{i:07d}", name, rnd.choice(GROUPS), rnd.choice("ABC"), "active",
                            f"0{rnd.randint(10, 999)}-{rnd.randint(1000000, 9999999)}",
                            f"1{rnd.randint(3000000000, 9999999999)}", f"buyer{i}@example.cn",
                            f"{rnd.randint(1, 999)}号 人民路", "华东",
                            rnd.randint(0, 50_000) + 0.5, rnd.choice([0, 30, 60]),
                            rnd.randint(1, 4), "老客户" if i % 7 == 0 else ""])
        else:
            w.writerow(PRODUCT_HEAD)
            for i in range(1, n + 1):
                w.writerow([f"P{i:07d}", f"{rnd.choice(TRADES)}商品 {i}", _ean13(i),
                            rnd.choice(CATEGORIES), "pcs", round(rnd.uniform(1, 100), 2),
                            round(rnd.uniform(1, 200), 2), round(rnd.uniform(1, 150), 2),
                            rnd.randint(0, 20), "500ml", ""])


SETUP = """
import sys
from tuicrm.data.core.schema import open_db
from tuicrm.data.core.actor import system_actor
from tuicrm.data.core import settings
from tuicrm.data.parties.groups import customer_groups
from tuicrm.data.catalog.categories import product_categories
from tuicrm.data.staff import users
open_db(sys.argv[1])
for g in {groups!r}:
    customer_groups.ensure_path(system_actor(), g)
for c in {categories!r}:
    product_categories.ensure_path(system_actor(), c)
users.create_first_admin("boss", "a-long-password-1", "Boss")
if int(sys.argv[2]):
    settings.set_value(system_actor(), "import.batch_rows", sys.argv[2])
"""


def importer(what: str, file: str, location: str, out: str) -> None:
    """The importing process: the import, with its figures as JSON in ``out``."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.transfer import runs
    from tuicrm.data.transfer.customer_import import import_customers
    from tuicrm.data.transfer.product_import import import_products

    open_db(location)
    batches: list[float] = []
    plain = runs.apply_batch

    def timed(*args, **kwargs):  # type: ignore[no-untyped-def]
        began = time.perf_counter()
        plain(*args, **kwargs)
        batches.append(time.perf_counter() - began)

    runs.apply_batch = timed  # type: ignore[assignment]
    import tuicrm.data.transfer.apply as apply_mod
    apply_mod.apply_batch = timed  # type: ignore[assignment]
    marks: dict[str, float] = {}

    cpu: dict[str, float] = {}

    def progress(phase: str, done: int, total: int) -> None:
        if phase not in marks:
            marks[phase], cpu[phase] = time.time(), time.process_time()

    start, cpu_start = time.time(), time.process_time()
    run = import_customers if what == "customers" else import_products
    result = run(system_actor(), file, progress=progress)
    end, cpu_end = time.time(), time.process_time()
    with open("/proc/self/status") as f:
        peak = next(int(line.split()[1]) / 1024 for line in f if line.startswith("VmHWM:"))
    Path(out).write_text(json.dumps({
        "rows": result.rows, "imported": result.imported, "problems": len(result.problems),
        "start": start, "writing": marks.get("writing", end), "end": end, "peak": peak,
        "cpu_check": cpu.get("writing", cpu_end) - cpu_start,
        "cpu_write": cpu_end - cpu.get("writing", cpu_end),
        "batches": len(batches), "longest_batch": max(batches, default=0.0),
    }))
    dbmod.close()


def counter(location: str, every: float, done_file: str, out: str) -> None:
    """The counter terminal: a customer added every ``every`` s until ``done_file`` exists."""
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.parties import customers as C

    open_db(location)
    actor = system_actor()
    waits: list[tuple[float, float]] = []  # (when, seconds)
    errors: list[str] = []
    i = 0
    while not Path(done_file).exists():
        i += 1
        began = time.time()
        try:
            C.create_customer(actor, name=f"门市客户{i}", code=f"W{os.getpid()}-{i}")
        except Exception as e:  # noqa: BLE001 - counted and shown
            errors.append(f"{type(e).__name__}: {e}")
        waits.append((began, time.time() - began))
        time.sleep(max(0.0, every - (time.time() - began)))
    Path(out).write_text(json.dumps({"waits": waits, "errors": errors[:5],
                                     "error_count": len(errors)}))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=1_000_000)
    parser.add_argument("--what", choices=["customers", "products"], default="customers")
    parser.add_argument("--batch-rows", type=int, default=0, help="0: the setting's default")
    parser.add_argument("--every", type=float, default=0.1)
    parser.add_argument("--pg", default="")
    parser.add_argument("--child", nargs="+")
    args = parser.parse_args()
    if args.child:
        role, *rest = args.child
        if role == "importer":
            importer(*rest)
        else:
            counter(rest[0], float(rest[1]), rest[2], rest[3])
        return
    tmp = Path(tempfile.mkdtemp(prefix="import-lock-"))
    try:
        t = time.perf_counter()
        data = tmp / f"{args.what}.csv"
        write_csv(data, args.what, args.n)
        print(f"{args.n:,} {args.what} in {data.stat().st_size / 1e6:.0f} MB, written in "
              f"{time.perf_counter() - t:.0f} s", flush=True)
        if args.pg:
            import psycopg

            with psycopg.connect(args.pg, autocommit=True) as conn:
                conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
                conn.execute("CREATE SCHEMA public")
            location = args.pg
        else:
            location = str(tmp / "run.db")
        setup = SETUP.format(groups=GROUPS, categories=CATEGORIES)
        subprocess.run([sys.executable, "-c", setup, location, str(args.batch_rows)],
                       check=True, cwd=ROOT, env={**os.environ, "XDG_DATA_HOME": str(tmp)})
        env = {**os.environ, "PYTHONUNBUFFERED": "1", "XDG_DATA_HOME": str(tmp)}
        done, imp_out, cnt_out = str(tmp / "done"), str(tmp / "imp.json"), str(tmp / "cnt.json")
        me = [sys.executable, __file__, "--child"]
        imp = subprocess.Popen([*me, "importer", args.what, str(data), location, imp_out],
                               cwd=ROOT, env=env)
        cnt = subprocess.Popen([*me, "counter", location, str(args.every), done, cnt_out],
                               cwd=ROOT, env=env)
        rc = imp.wait()
        Path(done).touch()
        cnt.wait()
        if rc:
            sys.exit(f"the import failed ({rc})")
        r = json.loads(Path(imp_out).read_text())
        c = json.loads(Path(cnt_out).read_text())
        check_s, write_s = r["writing"] - r["start"], r["end"] - r["writing"]
        total_s = r["end"] - r["start"]
        print(f"import: {r['rows']:,} rows, imported {r['imported']:,}, problems "
              f"{r['problems']}; check {check_s:.0f} s, writing {write_s:.0f} s, total "
              f"{total_s:.0f} s = {r['rows'] / total_s:,.0f} rows/s "
              f"(writing alone {r['imported'] / max(write_s, 1e-9):,.0f} rows/s); CPU: check "
              f"{r['cpu_check']:.0f} s, writing {r['cpu_write']:.0f} s; peak RSS "
              f"{r['peak']:.0f} MiB; {r['batches']} transactions, longest "
              f"{r['longest_batch'] * 1000:.0f} ms")
        waits = sorted(w for _, w in c["waits"])
        during = [w for when, w in c["waits"] if r["writing"] <= when <= r["end"]]
        if waits:
            def pct(p: float) -> float:
                return waits[min(len(waits) - 1, int(p * len(waits)))] * 1000

            print(f"counter: {len(waits):,} writes, {c['error_count']} failed "
                  f"{c['errors'][:2] if c['errors'] else ''}; median {pct(0.5):.0f} ms, "
                  f"p99 {pct(0.99):.0f} ms, longest {waits[-1] * 1000:.0f} ms, over 1 s: "
                  f"{sum(w > 1 for w in waits)}, over 2 s: {sum(w > 2 for w in waits)}; while the "
                  f"import wrote: {len(during):,} writes, longest "
                  f"{max(during, default=0) * 1000:.0f} ms")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
