"""Order entry scanning through a real pseudo-terminal, on a database with 50k products.

Runs the real app (``python -m tuicrm.cli``) in a pty at 80x24, logs in, opens order entry (E)
and measures:

* scan-to-line latency at a human pace of 5 scans/s: from writing the terminator (the code's
  characters typed 1 ms apart before it, like a local scanner) to the line's status text
  ``CODE +1 -> 1`` on the (pyte) screen; p50 / p99;
* the sustained rate of 500 scans written in one single write (as SSH delivers them), to the
  screen showing all 500 new lines; then F7 (keep as draft) and every line's quantity is
  checked in the database (zero loss);
* terminal output per scan (what an SSH link carries back).

Medians of ``--runs`` runs (default 3). Targets: p99 < 50 ms, >= 100 scans/s.

Usage: python bench/scan.py [--products 50000] [--runs 3] [--latency-scans 100]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_order_entry_pty import F7, AppPty  # noqa: E402

PASSWORD = "bench-password-1"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def build(path: str, products: int) -> dict[str, str]:
    """The database; returns barcode -> product code for unit barcodes."""
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.demo.builder import build_demo
    from tuicrm.data.models import Barcode, Product
    from tuicrm.data.staff import users

    open_db(path)
    users.create_first_admin("admin", PASSWORD, "Bench Admin")
    started = time.perf_counter()
    build_demo(customers=100, products=products, orders=0)
    print(f"built {products:,} products in {time.perf_counter() - started:.1f} s")
    rows = (Barcode.select(Barcode.raw, Product.code).join(Product)
            .where((Barcode.pack_qty == 1) & (Product.active == True))  # noqa: E712
            .tuples())
    out = dict(rows)
    dbmod.close()
    return out


def one_run(db: str, codes: dict[str, str], rng: random.Random, latency_scans: int) -> dict:
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import Order
    from tuicrm.data.sales import orders

    pool = rng.sample(sorted(codes), latency_scans + 500)
    app = AppPty(db)
    try:
        app.log_in("admin", PASSWORD)
        app.write("e")
        app.wait_for("Sales order (new)")
        time.sleep(0.5)
        latencies = []
        bytes_before = app.bytes_out
        for barcode in pool[:latency_scans]:
            started = time.monotonic()
            app.type(barcode, gaps=(0.001,))
            time.sleep(0.001)
            written = time.monotonic()
            app.write("\r")
            seen = app.wait_for(f"{codes[barcode]} +1 -> 1", timeout=10)
            latencies.append((seen - written) * 1000)
            time.sleep(max(0.0, 0.2 - (time.monotonic() - started)))  # 5 scans/s
        time.sleep(0.5)
        per_scan_bytes = (app.bytes_out - bytes_before) / latency_scans
        burst = pool[latency_scans:]
        started = time.monotonic()
        app.write("".join(b + "\r" for b in burst))
        done = app.wait_for(f"Lines {latency_scans + 500} ", timeout=120)
        rate = 500 / (done - started)
        app.write(F7)
        app.wait_for("kept as a draft", timeout=60)
    finally:
        app.close()
    open_db(db)
    try:
        order = Order.select().where(Order.kind == "sale").order_by(Order.id.desc()).first()
        lines = orders.order_lines(system_actor(), order.id)
        got = Counter({ln.product_code: int(ln.quantity) for ln in lines})
    finally:
        dbmod.close()
    want = Counter(codes[b] for b in pool)
    lost = sum((want - got).values()) + sum((got - want).values())
    return {"p50": percentile(latencies, 0.5), "p99": percentile(latencies, 0.99),
            "rate": rate, "lost": lost, "bytes": per_scan_bytes}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=50_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--latency-scans", type=int, default=100)
    args = parser.parse_args()
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as tmp:
        db = str(Path(tmp) / "bench.db")
        codes = build(db, args.products)
        results = []
        for run in range(args.runs):
            r = one_run(db, codes, rng, args.latency_scans)
            results.append(r)
            print(f"run {run + 1}: latency p50 {r['p50']:.1f} ms, p99 {r['p99']:.1f} ms; "
                  f"500 scans in one write: {r['rate']:.0f} scans/s, lost {r['lost']}; "
                  f"{r['bytes']:.0f} bytes out per scan")
        med = {k: statistics.median(r[k] for r in results) for k in results[0]}
        print(f"median of {args.runs}: scan-to-line p50 {med['p50']:.1f} ms, "
              f"p99 {med['p99']:.1f} ms (target < 50); sustained {med['rate']:.0f} scans/s "
              f"(target >= 100), lost {max(r['lost'] for r in results)}; "
              f"{med['bytes']:.0f} bytes per scan at 5/s")


if __name__ == "__main__":
    main()
