"""The reports on a big demo (issue 12): each sales grouping against the same GROUP BY in raw SQL,
and the whole set of reports for one year.

    python bench/reports.py [--db PATH|URL] [--orders N] [--runs R]

Without ``--db`` a demo is built in a temporary directory (``tuicrm demo --orders N``, default
210,000 orders = about 1M order lines, 50k customers, 20k products, ending 2026-06-15); with
``--db`` that database is used as it is (build one with ``tuicrm --db big.db demo --orders
210000 --customers 50000 --products 20000 --today 2026-06-15``).

For every sales grouping it times, in the same run and alternating, R times each:

- **raw**: the report's GROUP BY itself through the DB-API cursor (``sales_data.sales_sql``,
  integer tuples, no labels, no Decimal);
- **raw + names**: the same with the customer / product / user names joined (what the report
  runs in SQL);
- **report**: ``run_report(admin, "sales", by=KEY)``: the same query plus labels, Decimals,
  periods folded, totals, sorting, and the rows the Reports screen shows made (its first
  1,000; customer and product rows are made as they are read, ``reports.made_rows``).

and prints the medians and their ratio (target <= 1.2x); each report runs cold (the sums kept
between reports cleared). Then it runs every report of the catalog once for the year (sales
by every grouping, with and without comparison, stock by each grouping, below minimum, staff,
takings, expenses, collections) and prints the total twice: **cold** (each report from
nothing) and **session** (one after another, as a manager runs them: the day sums the period
groupings share are read once while the database does not change) (target < 10 s).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

TODAY = dt.date(2026, 6, 15)
SHOWN_ROWS = 1000  # the rows the Reports screen shows (screens.reports.SHOWN_ROWS)
YEAR = {"from": dt.date(2025, 6, 16), "to": TODAY}


def build(path: str, orders: int) -> None:
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "tuicrm.cli", "--db", path, "demo", "--orders",
                    str(orders), "--customers", "50000", "--products", "20000", "--today",
                    TODAY.isoformat()], check=True)
    print(f"demo built in {time.perf_counter() - started:.1f} s")


CLOCK = time.perf_counter  # SQLite: process CPU time (main() switches), PG: wall time


def timed(fn: object) -> float:
    started = CLOCK()
    fn()  # type: ignore[operator]
    return CLOCK() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db")
    parser.add_argument("--orders", type=int, default=210_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    tmp = None
    if args.db is None:
        tmp = tempfile.TemporaryDirectory()
        args.db = str(Path(tmp.name) / "big.db")
        build(args.db, args.orders)

    from tuicrm.data.core import clock
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.db import database
    from tuicrm.data.core.schema import open_db
    from tuicrm.reports import sales_data
    from tuicrm.reports.engine import load_catalog, run_report

    open_db(args.db)
    global CLOCK
    if not args.db.startswith("postgres"):
        # SQLite runs in this process: its CPU time is the work done, whatever else the
        # machine runs at the same time (wall time on a shared 2-core box varied 2x).
        CLOCK = time.process_time
    print(f"timing: {'CPU time of this process' if CLOCK is time.process_time else 'wall'}")
    (lines,) = database.execute_sql("SELECT COUNT(*) FROM order_line").fetchone()
    print(f"database: {args.db}: {lines:,} order lines")
    actor = system_actor()
    load_catalog()
    with clock.pinned(dt.datetime.combine(TODAY, dt.time(12))):
        print(f"{'grouping':<12} {'raw SQL':>9} {'+names':>9} {'report':>9} {'ratio':>6}")
        ratios = []
        for key in sales_data.KEYS:
            sql = sales_data.sales_sql(key)
            params = (YEAR["from"].isoformat(), YEAR["to"].isoformat())

            def raw(sql: str = sql, params: tuple[str, str] = params) -> None:
                database.execute_sql(sql, params).fetchall()

            def rep(key: str = key) -> None:
                sales_data.clear_cache()  # each report cold: the ratio is the work it does
                run_report(actor, "sales", {**YEAR, "by": key}).rows[:SHOWN_ROWS]

            named_sql = sales_data.labelled_sql(key)

            def named(sql: str = named_sql, params: tuple[str, str] = params) -> None:
                database.execute_sql(sql, params).fetchall()

            raw()  # warm the cache once for both
            raws, nameds, reps = [], [], []
            for _ in range(args.runs):
                raws.append(timed(raw))
                nameds.append(timed(named))
                reps.append(timed(rep))
            r, n, p = (statistics.median(raws), statistics.median(nameds),
                       statistics.median(reps))
            ratios.append(p / r)
            print(f"{key:<12} {r * 1000:>7.0f}ms {n * 1000:>7.0f}ms {p * 1000:>7.0f}ms "
                  f"{p / r:>5.2f}x")
        print(f"worst ratio {max(ratios):.2f}x (target <= 1.2x)")

        jobs: list[tuple[str, dict[str, object]]] = []
        for key in sales_data.KEYS:
            jobs.append(("sales", {**YEAR, "by": key}))
        for how in ("previous", "last-year"):
            jobs.append(("sales", {**YEAR, "by": "month", "compare": how}))
            jobs.append(("sales", {**YEAR, "by": "customer", "compare": how, "top": 20}))
        for key in ("product", "location", "category"):
            jobs.append(("stock", {"by": key}))
        jobs.append(("stock", {"by": "product", "as-of": dt.date(2026, 3, 31)}))
        jobs.append(("stock-below-minimum", {}))
        jobs.append(("staff", dict(YEAR)))
        jobs += [("takings", {**YEAR, "by": by}) for by in ("method", "day", "cashier")]
        jobs += [("expenses", {**YEAR, "by": by}) for by in ("category", "month")]
        jobs += [("collections", {**YEAR, "by": by}) for by in ("customer", "salesperson",
                                                                "method")]
        totals = {}
        # cold: every report from nothing; session: one after another as a manager runs them
        # (the day sums the period groupings share are read once while nothing changes)
        for how in ("cold", "session"):
            sales_data.clear_cache()
            spent = 0.0
            for name, params in jobs:
                if how == "cold":
                    sales_data.clear_cache()
                t = timed(lambda name=name, params=params: run_report(actor, name, params))
                spent += t
                print(f"  {how:<8} {name:<20} {params.get('by', '')!s:<12} "
                      f"{params.get('compare', '')!s:<10} {t * 1000:>7.0f} ms")
            totals[how] = spent
        for how, spent in totals.items():
            print(f"whole set ({len(jobs)} reports) for one year, {how}: {spent:.1f} s "
                  f"(target < 10 s)")
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
