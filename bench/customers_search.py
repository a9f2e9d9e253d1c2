"""Quick-search latency at scale: builds N customers (default 1M) and times searches.

    python bench/customers_search.py [N] [--db PATH]

Rows go in with raw ``executemany`` in one transaction (the FTS triggers fire, so the load
time includes keeping the search index). Prints median and p95 per query kind, for
``search_customers`` (pick list, 50 rows) and for the first 50-row page of the list query
that carries ``customer_search_where`` (what the list widget runs), and ``LIKE '%x%'`` for
comparison.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超秀兰霞平刚桂英华建国志红文辉力斌宇浩凯鹏飞"
TRADES = ["贸易", "五金", "电子", "食品", "建材", "服装", "物流", "科技", "餐饮", "百货"]
SUFFIX = ["有限公司", "商行", "经营部", "店", "工作室"]
LATIN = ["Acme", "Global", "Pacific", "Sunrise", "Golden", "Dragon", "Lotus", "Orient"]


def build(n: int, seed: int = 1) -> float:
    from tuicrm.data.core.db import database
    from tuicrm.data.models import now

    rnd = random.Random(seed)
    ts = now().isoformat(sep=" ")
    cols = ("version, created_at, updated_at, code, name, group_id, grade, status, "
            "salesperson_id, phone, mobile, fax, email, address, region, industry, source, "
            "tax_number, credit_limit, payment_terms_days, price_level, notes")
    sql = f"INSERT INTO customer ({cols}) VALUES ({', '.join('?' * 22)})"
    start = time.perf_counter()
    with database.atomic():
        cur = database.cursor()
        batch = []
        for i in range(1, n + 1):
            if rnd.random() < 0.1:
                name = f"{rnd.choice(LATIN)} {rnd.choice(['Trading', 'Foods', 'Tech'])} {i}"
            else:
                name = (rnd.choice(SURNAMES) + rnd.choice(GIVEN) + rnd.choice(GIVEN)
                        + rnd.choice(TRADES) + rnd.choice(SUFFIX))
            batch.append((1, ts, ts, f"C{i:07d}", name, None, "", "active", None,
                          f"0{rnd.randint(10, 999)}-{rnd.randint(1000000, 99999999)}",
                          f"1{rnd.randint(3000000000, 9999999999)}", "", "", "", "", "", "",
                          "", 0, 0, 1, ""))
            if len(batch) == 10_000:
                cur.executemany(sql, batch)
                batch.clear()
        if batch:
            cur.executemany(sql, batch)
    return time.perf_counter() - start


def timed(fn, repeat: int) -> tuple[float, float]:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[min(len(times) - 1, int(len(times) * 0.95))]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("n", nargs="?", type=int, default=1_000_000)
    ap.add_argument("--db")
    ap.add_argument("--repeat", type=int, default=30)
    args = ap.parse_args()
    from tuicrm.data.core.schema import open_db

    path = args.db or str(Path(tempfile.mkdtemp()) / "search.db")
    fresh = not Path(path).exists()
    open_db(path)
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.db import database
    from tuicrm.data.models import Customer
    from tuicrm.data.parties.customers import customer_query
    from tuicrm.data.parties.search import search_customers

    if fresh:
        from tuicrm.data.core.pinyin import fill

        secs = build(args.n)
        with database.atomic():
            fill(database, "customer")  # what the models do for every name written
        print(f"built {args.n:,} customers in {secs:.1f} s ({args.n / secs:,.0f} rows/s, "
              "FTS triggers included)")
    total = Customer.select().count()
    print(f"{total:,} customers in {path}")
    queries = [("1 CJK char", "张"), ("2 CJK chars", "张伟"), ("3 CJK chars", "张伟芳"),
               ("rare 4 chars", "张伟芳贸"), ("common word", "有限公司"), ("latin ci", "acme"),
               ("phone digits", "5551234"), ("code", "C0123456"), ("no match", "zzzqqq")]
    print(f"{'query':14} {'text':10} {'pick list med/p95 ms':>22} {'list page med/p95 ms':>22}")
    for label, text in queries:
        a = timed(lambda t=text: search_customers(system_actor(), t, 50), args.repeat)
        page = lambda t=text: list(customer_query(system_actor(), search=t)  # noqa: E731
                                   .order_by(Customer.name, Customer.id).limit(50))
        b = timed(page, args.repeat)
        print(f"{label:14} {text:10} {a[0]:9.2f} / {a[1]:8.2f}   {b[0]:9.2f} / {b[1]:8.2f}")
    like = lambda: database.execute_sql(  # noqa: E731
        "SELECT id FROM customer WHERE name LIKE ? LIMIT 50", ("%zzzqqq%",)).fetchall()
    m = timed(like, 5)
    print(f"for comparison LIKE '%x%' (no match, full scan): {m[0]:.1f} / {m[1]:.1f} ms")


if __name__ == "__main__":
    main()
