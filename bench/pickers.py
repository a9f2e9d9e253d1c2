"""What the pickers take per typed text: order entry's customer picker (F2) and product
finder (F4), as their search functions run in the picker's worker thread.

    python bench/pickers.py --db PATH [--products-db PATH] [--rounds 3]

``--db``: ``bench/customers.py``'s build (1M customers). ``--products-db``: a database with
products (the demo's 1,000 when none is given with more). Every prefix of each query of
``bench/search_pty.py``'s ``QUERIES`` (customers) and of ``PRODUCT_QUERIES`` (products) is
timed on a warm connection; median, p95 and the slowest text. The pickers read in a thread
worker (``PickDialog``): a typed key never waits on these.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.search_pty import QUERIES  # noqa: E402

PRODUCT_QUERIES = ["螺丝", "网线", "cat6", "P0001", "lsd", "wangxian", "69", "茶"]


def prefixes(queries: list[str]) -> list[str]:
    return [q[:i].strip() for q in queries for i in range(1, len(q) + 1) if q[:i].strip()]


def timed(label: str, texts: list[str], run: Callable[[str], object], rounds: int) -> None:
    every: list[tuple[float, str]] = []
    for _ in range(rounds):
        for text in texts:
            start = time.perf_counter()
            run(text)
            every.append((time.perf_counter() - start, text))
    every.sort()
    ms = [t * 1000 for t, _ in every]
    p95 = ms[max(0, int(len(ms) * 0.95) - 1)]
    print(f"{label:<34} median {statistics.median(ms):6.1f} ms, p95 {p95:6.1f} ms, "
          f"max {ms[-1]:6.1f} ms ({every[-1][1]!r}), {len(ms)} searches")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--products-db")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    from tuicrm.data.catalog.products import search_products
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.parties.search import search_customers

    open_db(args.db, upgrade=False)
    actor = system_actor()
    n = dbmod.database.execute_sql("SELECT count(*) FROM customer").fetchone()[0]
    timed(f"customer picker F2 ({n:,} customers)", prefixes(QUERIES),
          lambda t: search_customers(actor, t, 20), args.rounds)
    if args.products_db:
        dbmod.close()
        open_db(args.products_db, upgrade=False)
    n = dbmod.database.execute_sql("SELECT count(*) FROM product").fetchone()[0]
    if n:
        timed(f"product finder F4 ({n:,} products)", prefixes(PRODUCT_QUERIES),
              lambda t: search_products(actor, t, limit=20), args.rounds)


if __name__ == "__main__":
    main()
