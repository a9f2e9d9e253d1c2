"""Benchmark: the database-backed RecordTable over a large customer table.

Builds N customers (default 1,000,000) with raw ``executemany`` in one transaction into a
temporary SQLite file (or uses/creates the file given with ``--db``), then, in a headless
Textual app at 80x24, times:

- first paint: from mounting the list to the first frame that shows its rows (also from
  App start, which includes Textual's own start-up); the rows are read in a thread worker,
- cursor move (Down), page down (PgDn), jump to end (End) and back home (Home): each from
  the key press to the first frame that shows its result (the rows read in a worker when
  they are not at hand), median of several presses; ``*_work_ms`` is the time the UI thread
  spent in the widget meanwhile (handling the key, applying rows, painting),
- 2,000 PgDn typed at once: the time until all are applied (they queue while pages arrive),
- peak RSS of the process (resource.getrusage), which must not grow with the table.

The database is built in a child process so that its memory does not count. Run:

    python bench/list_widget.py                 # 1M rows in a temp file, 3 runs
    python bench/list_widget.py --rows 100000 --runs 1
    python bench/list_widget.py --db /tmp/big.db   # reuse (or build once) a file
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POLL = 0.0002  # seconds between checks while waiting for a frame
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

SURNAMES_CJK = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN_CJK = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚"
LATIN = [
    "Acme",
    "Globex",
    "Initech",
    "Umbrella",
    "Hooli",
    "Vandelay",
    "Stark",
    "Wayne",
    "Wonka",
    "Tyrell",
    "Soylent",
    "Cyberdyne",
    "Oscorp",
    "Gringotts",
    "Monarch",
]
SUFFIX = ["Ltd", "Trading", "GmbH", "& Sons", "Supplies", "商贸有限公司", "五金店", "超市"]


def build(path: str, rows: int) -> None:
    """Create the schema with tuicrm's migrations, then bulk-insert customers."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db

    open_db(path)
    conn = dbmod.database.obj.connection()
    rnd = random.Random(42)
    t0 = time.perf_counter()
    with dbmod.database.atomic():
        conn.executemany(
            "INSERT INTO customer_group (name, parent_id) VALUES (?, NULL)",
            [(f"Group {i:02d}",) for i in range(1, 21)],
        )

        def customers():
            now = "2026-01-02 03:04:05"
            for i in range(1, rows + 1):
                if rnd.random() < 0.4:
                    name = (
                        rnd.choice(SURNAMES_CJK)
                        + rnd.choice(GIVEN_CJK)
                        + rnd.choice(GIVEN_CJK)
                        + rnd.choice(SUFFIX[5:])
                    )
                else:
                    name = f"{rnd.choice(LATIN)} {rnd.choice(SUFFIX)} {rnd.randrange(10000)}"
                group = rnd.randrange(1, 21) if rnd.random() < 0.9 else None
                yield (
                    1,
                    now,
                    now,
                    f"C{i:07d}",
                    name,
                    group,
                    rnd.choice("ABC"),
                    "active",
                    f"0{rnd.randrange(10**9, 10**10)}",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    "",
                    rnd.randrange(0, 10_000_000),
                    30,
                    1,
                    "",
                )

        conn.executemany(
            "INSERT INTO customer (version, created_at, updated_at, code, name, group_id, grade,"
            " status, phone, mobile, fax, email, address, region, industry, source, tax_number,"
            " credit_limit, payment_terms_days, price_level, notes, salesperson_id)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,NULL)",
            customers(),
        )
    conn.execute("ANALYZE")
    dbmod.close()
    print(f"built {rows:,} customers in {time.perf_counter() - t0:.1f} s -> {path}", flush=True)


def table_rows(path: str) -> int:
    import sqlite3

    try:
        con = sqlite3.connect(path)
        try:
            return con.execute("SELECT count(*) FROM customer").fetchone()[0]
        finally:
            con.close()
    except sqlite3.Error:
        return -1


# --------------------------------------------------------------------------- measuring


async def measure(path: str, repeats: int) -> dict:
    from peewee import JOIN
    from textual import events
    from textual.app import App, ComposeResult

    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.lists.columns import Column
    from tuicrm.data.lists.paging import PagedQuery
    from tuicrm.data.models import Customer, CustomerGroup
    from tuicrm.widgets.record_table import RecordTable

    open_db(path)
    marks: dict[str, float] = {}

    class BenchTable(RecordTable):
        painted = 0  # frames in which the table's rows were rendered
        work = 0.0  # seconds spent in the widget: key handling and painting lines
        acts = 0  # keys handled and reads applied
        applied_at: int | None = None  # frames painted when the keys were applied

        def render_lines(self, crop):
            t0 = time.perf_counter()
            strips = super().render_lines(crop)
            t1 = time.perf_counter()
            BenchTable.work += t1 - t0
            BenchTable.painted += 1
            if self._window.items:
                marks.setdefault("first_paint", t1)
            return strips

        def _act(self, change):
            t0 = time.perf_counter()
            super()._act(change)
            BenchTable.work += time.perf_counter() - t0
            BenchTable.acts += 1
            window = self._window
            if BenchTable.applied_at is None and not (window.waiting_for_list or window._queue):
                BenchTable.applied_at = BenchTable.painted  # the next frame shows the result

    columns = [
        Column("code", Customer.code, "Code", width=8),
        Column("name", Customer.name, "Name", width=28),
        Column("group", CustomerGroup.name, "Group", width=8),
        Column("phone", Customer.phone, "Phone", width=11),
        Column("credit", Customer.credit_limit, "Credit", width=12),
    ]
    query = Customer.select().join(CustomerGroup, JOIN.LEFT_OUTER)

    class BenchApp(App):
        def compose(self) -> ComposeResult:
            marks["compose"] = time.perf_counter()
            yield BenchTable(PagedQuery(query, columns, sort=[("code", False)]), id="t")

    t_start = time.perf_counter()
    app = BenchApp()
    out: dict = {}
    async with app.run_test(size=(80, 24)) as pilot:
        table = app.query_one(BenchTable)
        while "first_paint" not in marks:
            await asyncio.sleep(POLL)
        out["first_paint_ms"] = (marks["first_paint"] - marks["compose"]) * 1000
        out["app_start_to_paint_ms"] = (marks["first_paint"] - t_start) * 1000
        await pilot.pause()
        while table.total is None:  # the count worker
            await asyncio.sleep(0.01)
        pq = table.paged_query
        t0 = time.perf_counter()
        pq.count()  # what the count worker runs, timed here on its own
        out["count_ms"] = (time.perf_counter() - t0) * 1000

        driver = app._driver
        work: dict[str, list[float]] = {}

        def asking() -> None:
            """Call before a key or a call whose result ``shown`` waits for."""
            BenchTable.applied_at = None

        async def shown() -> None:
            """Until the keys are applied (their rows arrived) and a frame shows them. It
            polls with short sleeps: a loop of ``sleep(0)`` would hold the GIL and starve
            the worker thread that reads (a real app waits in ``select``)."""
            while BenchTable.applied_at is None or BenchTable.painted <= BenchTable.applied_at:
                await asyncio.sleep(POLL)

        async def timed(key: str) -> float:
            """Key press (as the terminal driver delivers it) to the frame that shows its
            result.

            Includes Textual's frame pacing (the screen repaints on a 60 Hz timer, so up
            to ~17 ms of each figure is waiting for the next frame)."""
            await asyncio.sleep(0.03)  # let the previous frame settle
            while table.fetching or table.counting:  # and the pages read ahead
                await asyncio.sleep(0.001)
            asking()
            BenchTable.work = 0.0
            acts = BenchTable.acts
            t0 = time.perf_counter()
            driver.send_message(events.Key(key, None))
            while BenchTable.acts == acts:  # the key reaches the table
                await asyncio.sleep(POLL)
            await shown()
            elapsed = (time.perf_counter() - t0) * 1000
            work.setdefault(key, []).append(BenchTable.work * 1000)
            return elapsed

        downs, pgdns, ends, homes = [], [], [], []
        for _ in range(repeats):
            downs.append(await timed("down"))
        for _ in range(repeats):
            pgdns.append(await timed("pagedown"))
        for _ in range(repeats):
            ends.append(await timed("end"))
            homes.append(await timed("home"))
        await timed("end")
        assert table.row_number == table.total, (table.row_number, table.total)
        assert table.cursor_row.values[0] == f"C{table.total:07d}", table.cursor_row
        out["cursor_move_ms"] = statistics.median(downs)
        out["page_down_ms"] = statistics.median(pgdns)
        out["jump_end_ms"] = statistics.median(ends)
        out["jump_home_ms"] = statistics.median(homes)
        out["cursor_move_work_ms"] = statistics.median(work["down"])
        out["page_down_work_ms"] = statistics.median(work["pagedown"])
        out["jump_end_work_ms"] = statistics.median(work["end"])
        out["total_rows"] = table.total
        out["peak_rss_before_sort_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

        # Re-sort by an indexed column (the cursor keeps its record): from call to frame.
        await asyncio.sleep(0.03)
        asking()
        t0 = time.perf_counter()
        table.sort_by("name", desc=True)
        await shown()
        out["sort_by_name_ms"] = (time.perf_counter() - t0) * 1000
        await pilot.pause()
        out["peak_rss_after_sort_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        table.sort_by("code")
        table.action_first()

        # Walk 2,000 pages (46,000 rows) typed at once: they queue while the pages arrive,
        # and the window and the memory must not grow.
        await pilot.pause()
        asking()
        t0 = time.perf_counter()
        for _ in range(2000):
            table.action_page_down()
        out["typing_2000_page_downs_ms"] = (time.perf_counter() - t0) * 1000
        await shown()
        out["applying_2000_page_downs_ms"] = (time.perf_counter() - t0) * 1000
        await pilot.pause()
        out["rows_held_after_2000_pages"] = len(table._window.items)
        out["row_after_2000_pages"] = table.row_number
    dbmod.close()
    out["peak_rss_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--db", help="SQLite file to use (built if missing or empty)")
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--runs", type=int, default=3, help="separate processes to measure")
    ap.add_argument("--repeats", type=int, default=9, help="key presses per figure per run")
    ap.add_argument("--build-only", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--measure-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.build_only:
        build(args.db, args.rows)
        return 0
    if args.measure_only:
        print(json.dumps(asyncio.run(measure(args.db, args.repeats))), flush=True)
        return 0

    tmpdir = None
    path = args.db
    if path is None:
        tmpdir = tempfile.TemporaryDirectory(prefix="tuicrm-bench-")
        path = os.path.join(tmpdir.name, "bench.db")
    try:
        if table_rows(path) <= 0:
            subprocess.run(
                [sys.executable, __file__, "--build-only", "--db", path, "--rows", str(args.rows)],
                check=True,
            )
        print(f"table: {table_rows(path):,} customers in {path}", flush=True)
        results = []
        for run in range(args.runs):
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--measure-only",
                    "--db",
                    path,
                    "--repeats",
                    str(args.repeats),
                ],
                check=True,
                capture_output=True,
                text=True,
            )
            res = json.loads(proc.stdout.strip().splitlines()[-1])
            results.append(res)
            print(
                f"run {run + 1}: "
                + ", ".join(
                    f"{k} {v:.1f}" if isinstance(v, float) else f"{k} {v}" for k, v in res.items()
                ),
                flush=True,
            )
        keys = [
            "first_paint_ms",
            "app_start_to_paint_ms",
            "cursor_move_ms",
            "page_down_ms",
            "jump_end_ms",
            "jump_home_ms",
            "cursor_move_work_ms",
            "page_down_work_ms",
            "jump_end_work_ms",
            "sort_by_name_ms",
            "applying_2000_page_downs_ms",
            "count_ms",
            "peak_rss_mib",
            "rows_held_after_2000_pages",
        ]
        targets = {
            "first_paint_ms": 300,
            "cursor_move_ms": 20,
            "page_down_ms": 50,
            "jump_end_ms": 100,
            "peak_rss_mib": 100,
        }
        print(f"\nmedian of {len(results)} runs ({results[0]['total_rows']:,} rows, 80x24):")
        for k in keys:
            med = statistics.median(r[k] for r in results)
            target = f"  (target < {targets[k]})" if k in targets else ""
            ok = "" if k not in targets else ("  ok" if med < targets[k] else "  MISSED")
            print(f"  {k:26} {med:9.1f}{target}{ok}")
    finally:
        if tmpdir is not None:
            tmpdir.cleanup()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
