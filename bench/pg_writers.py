"""Counter sales per second with 1 and with 8 writers at once, on PostgreSQL (and SQLite).

Each writer is its own process with its own connection (as each SSH session is): it sells one
or two units of a random product out of 200 (plenty of stock), the way F10 does at the
counter: the first scan makes the draft with its line, a second scan, then the sale is
completed (stock out). Printed: sales/s for 1 writer and for 8, the median of ``--runs``, and
the ratio. Issue 9 measured 70 sales/s for 8 writers on PostgreSQL when every writer of a site
queued on one advisory lock (SQLite: 170).

    python bench/pg_writers.py postgresql://postgres@127.0.0.1:5433/bench [--seconds 10]
    python bench/pg_writers.py sqlite        # a temporary SQLite file, for comparison

The PostgreSQL database given is emptied first (its public schema is dropped).
Run it on a quiet machine: every figure is wall-clock time.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

PRODUCTS = 200
WRITERS = 8


def _prepare(location: str) -> None:
    if location.startswith("postgres"):
        import psycopg

        with psycopg.connect(location, autocommit=True) as conn:
            conn.execute("DROP SCHEMA IF EXISTS public CASCADE")
            conn.execute("CREATE SCHEMA public")
    from tuicrm.data.catalog import products
    from tuicrm.data.core import db
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.staff import users
    from tuicrm.data.stock import ledger

    open_db(location)
    system = system_actor()
    users.create_first_admin("admin", "bench-password-1", "Bench")
    for i in range(WRITERS):
        users.create_user(system, f"seller{i}", "bench-password-1", "sales")
    for i in range(PRODUCTS):
        p = products.create_product(system, code=f"B{i:04d}", name=f"Bench product {i}",
                                    price1="9.90")
        ledger.adjust(system, p.id, 1_000_000, "bench opening stock")
    db.close()


def _sell(location: str, username: str, seconds: float, start, out) -> None:
    from tuicrm.data.core import db
    from tuicrm.data.core.actor import actor_of
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import User
    from tuicrm.data.sales import orders

    open_db(location)
    actor = actor_of(User.get(User.username == username))
    rnd = random.Random(username)
    start.wait()
    done = 0
    errors: list[str] = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        try:
            first = orders.start_order(actor, "sale", f"B{rnd.randrange(PRODUCTS):04d}")
            orders.add_scan(actor, first.order.id, f"B{rnd.randrange(PRODUCTS):04d}")
            orders.complete_sale(actor, first.order.id)
            done += 1
        except Exception as e:  # noqa: BLE001 - counted and shown
            errors.append(f"{type(e).__name__}: {e}")
    db.close()
    out.put((done, errors[:3], len(errors)))


def _round(location: str, writers: int, seconds: float) -> tuple[float, int]:
    ctx = mp.get_context("spawn")
    start = ctx.Event()
    out = ctx.Queue()
    procs = [ctx.Process(target=_sell, args=(location, f"seller{i}", seconds, start, out))
             for i in range(writers)]
    for p in procs:
        p.start()
    time.sleep(2.0)  # let every process import and connect before the clock starts
    t0 = time.perf_counter()
    start.set()
    results = [out.get(timeout=seconds + 120) for _ in procs]
    elapsed = time.perf_counter() - t0
    for p in procs:
        p.join()
    sold = sum(r[0] for r in results)
    failed = sum(r[2] for r in results)
    for r in results:
        for e in r[1]:
            print("   error:", e, file=sys.stderr)
    return sold / elapsed, failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("location", help="a postgresql:// URL, or 'sqlite'")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    tmp = None
    location = args.location
    if location == "sqlite":
        tmp = tempfile.TemporaryDirectory()
        location = str(Path(tmp.name) / "bench.db")
    print(f"preparing {PRODUCTS} products, {WRITERS} sellers ...", flush=True)
    _prepare(location)
    figures: dict[int, list[float]] = {1: [], WRITERS: []}
    for run in range(args.runs):
        for writers in (1, WRITERS):
            rate, failed = _round(location, writers, args.seconds)
            figures[writers].append(rate)
            print(f"run {run + 1}: {writers} writer(s): {rate:7.1f} sales/s"
                  f"{f', {failed} failed' if failed else ''}", flush=True)
    one, many = (statistics.median(figures[n]) for n in (1, WRITERS))
    print(f"median: 1 writer {one:.1f} sales/s, {WRITERS} writers {many:.1f} sales/s "
          f"({many / one:.2f}x)")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
