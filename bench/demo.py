"""Build the big demo database and time it: rows/s of ``build_demo`` and ``run_checks``.

    python bench/demo.py                       # 100k customers, 50k products, 200k orders
    python bench/demo.py --runs 3              # median of three fresh builds
    python bench/demo.py --orders 20000 ...    # smaller
    python bench/demo.py --today 2026-06-15    # the same rows whatever the date
    python bench/demo.py --pg postgresql://user@host:5433/db   # on PostgreSQL (schema emptied!)

Each run builds into a fresh SQLite file in a temporary directory (or a PostgreSQL database
whose ``public`` schema is dropped and created again), then closes it (SQLite: the WAL is
checkpointed into the file), opens it again and runs every check. Printed per run: build
seconds (wall and this process's CPU), rows written and rows/s, close, check seconds per check.
The load average is printed too: other work on the machine slows every figure.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tuicrm.data import check
from tuicrm.data.core import db as dbmod
from tuicrm.data.core import schema
from tuicrm.data.demo import builder as demo


def _reset_pg(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
        conn.execute("CREATE SCHEMA public")


def _load() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"


def one_run(location: str, args: argparse.Namespace) -> dict[str, float]:
    schema.open_db(location)
    last = [0.0]

    def progress(step: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if args.verbose and (now - last[0] > 1 or done == total):
            last[0] = now
            print(f"    {now - t0:6.1f} s  {step} {done:,}/{total:,}", file=sys.stderr)

    t0, c0 = time.perf_counter(), time.process_time()
    summary = demo.build_demo(args.customers, args.products, args.orders, seed=args.seed,
                              progress=progress, today=args.today)
    build, cpu = time.perf_counter() - t0, time.process_time() - c0
    t1 = time.perf_counter()
    dbmod.close()
    closing = time.perf_counter() - t1
    schema.open_db(location)
    per_check = {}
    t2 = time.perf_counter()
    problems = check.run_checks([])  # none: loads the checks that register on import
    for name in list(check.CHECKS):
        t = time.perf_counter()
        problems += check.run_checks([name])
        per_check[name] = time.perf_counter() - t
    checking = time.perf_counter() - t2
    dbmod.close()
    size = ""
    if not dbmod.is_postgres(location):
        size = f", file {os.path.getsize(location) / 2**20:,.0f} MiB"
    print(f"  build {build:6.1f} s (cpu {cpu:5.1f} s): {summary.rows:,} rows, "
          f"{summary.rows / build:,.0f} rows/s; {summary.orders:,} orders, "
          f"{summary.order_lines:,} lines, {summary.stock_movements:,} movements{size}")
    print(f"  close {closing:5.1f} s, run_checks {checking:5.1f} s "
          f"({', '.join(f'{k} {v:.2f}' for k, v in per_check.items())}); "
          f"{len(problems)} problem(s)  [load {_load()}]")
    for p in problems[:10]:
        print("   ", p)
    return {"build": build, "cpu": cpu, "rows_per_s": summary.rows / build,
            "close": closing, "check": checking}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--orders", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--today", type=dt.date.fromisoformat, metavar="YYYY-MM-DD",
                        help="the demo's last day (default: today)")
    parser.add_argument("--pg", metavar="URL", help="run on this PostgreSQL database (emptied)")
    parser.add_argument("--dir", help="where the SQLite files go (default: a temp directory)")
    parser.add_argument("--keep", action="store_true", help="keep the SQLite files")
    parser.add_argument("-v", "--verbose", action="store_true", help="print progress")
    args = parser.parse_args()

    print(f"demo: {args.customers:,} customers, {args.products:,} products, "
          f"{args.orders:,} orders; {'PostgreSQL' if args.pg else 'SQLite'}, "
          f"{os.cpu_count()} CPUs, load {_load()}")
    results = []
    with tempfile.TemporaryDirectory(dir=args.dir) as tmp:
        for run in range(1, args.runs + 1):
            print(f"run {run}:")
            if args.pg:
                _reset_pg(args.pg)
                location = args.pg
            else:
                location = str(Path(args.dir if args.keep and args.dir else tmp)
                               / f"demo-{os.getpid()}-{run}.db")
            results.append(one_run(location, args))
            if not args.pg and not args.keep:
                for suffix in ("", "-wal", "-shm"):
                    Path(location + suffix).unlink(missing_ok=True)
    if len(results) > 1:
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print(f"median of {len(results)}: build {med['build']:.1f} s (cpu {med['cpu']:.1f} s), "
              f"{med['rows_per_s']:,.0f} rows/s, close {med['close']:.1f} s, "
              f"run_checks {med['check']:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
