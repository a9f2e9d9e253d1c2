"""Quick search as typed, as a user sees it: keystroke -> matching rows drawn on the screen.

    python bench/search_pty.py --db PATH [--tree DIR] [--rounds 2]

Runs ``tuicrm`` in a pseudo-terminal at 80x24 (read with pyte), logs in as ``admin`` with
``bench/customers.py``'s password, opens Customers, focuses the search line and types each
query of ``QUERIES`` one key at a time, like a fast typist. After each key it waits until the
customer rows on the screen (their codes) are all matches of the text typed so far (or the
list says it is empty, for a text nothing matches); the time from sending the key to that
screen is one sample. A key after which the rows already on screen still all match cannot be
seen to take effect, so it gives no sample.

``--tree DIR`` runs another checkout (``git archive main | tar -x -C DIR``) against its own
database, to compare before and after in one run on a shared machine. The database must
hold ``bench/customers.py``'s build (1M customers: ``python bench/customers.py --build-only``).
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import time
from pathlib import Path

PASSWORD = "bench-password-1"
QUERIES = ["五金", "华兴", "王伟", "张三", "有限公司", "刘明贸易", "acme tr", "golden foods 12",
           "C0500000", "0139", "Lotus Tech 9", "zswjd", "zhangsan"]
CODE = re.compile(r"C\d{7}")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--db", required=True)
    ap.add_argument("--tree", default=str(Path(__file__).resolve().parent.parent))
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--key-gap", type=float, default=0.12, help="seconds between keys")
    args = ap.parse_args()
    tree = str(Path(args.tree).resolve())
    here = str(Path(__file__).resolve().parent.parent)
    sys.path.insert(0, here)
    from tests.terminal import Terminal  # this checkout's pty helper

    sys.path.insert(0, tree)  # the checkout under test decides what matches
    os.chdir(tree)  # ``python -m tuicrm.cli`` imports from the working directory
    for name in [m for m in sys.modules if m == "tuicrm" or m.startswith("tuicrm.")]:
        del sys.modules[name]
    from tuicrm.data.core.actor import system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.models import Customer
    from tuicrm.data.parties.customers import customer_query
    from tuicrm.data.parties.search import analyse

    open_db(args.db, upgrade=False)
    # The check runs inside the timed loop: per code, through the primary key and the
    # match index (``Match.has``), never a query over every match (a broad text's
    # ``IN (SELECT ...)`` read 50k+ rowids per check: up to ~100 ms counted as the app's).
    ids: dict[str, int] = {}
    matches: dict[str, object] = {}
    memo: dict[tuple[str, str], bool] = {}

    def prepare(text: str) -> None:
        if text not in matches:
            matches[text] = analyse(text)

    def one(text: str, code: str) -> bool:
        if (text, code) not in memo:
            if code not in ids:
                row = Customer.select(Customer.id).where(Customer.code == code).first()
                ids[code] = -1 if row is None else row.id
            m = matches[text]
            memo[text, code] = ids[code] > 0 and m is not None and (
                Customer.select().where((Customer.id == ids[code]) & m.has(ids[code])).exists())
        return memo[text, code]

    def all_match(text: str, codes: list[str]) -> bool:
        return all(one(text, c) for c in codes)

    def nothing(text: str) -> bool:
        return not customer_query(system_actor(), search=text).limit(1).exists()

    term = Terminal.tuicrm("--db", args.db)
    samples: dict[str, list[float]] = {}
    try:
        term.wait_for("log in", 60)
        term.type("admin")
        term.write("\t")
        term.type(PASSWORD)
        term.write("\r")
        term.wait_for("Today,", 60)
        term.write("\x1b")
        term.wait_for("tuicrm - Home", 20)
        term.write("c")
        term.wait_for("│  C0", 60)
        time.sleep(2.0)  # the count and the related pane settle
        term.write("/")
        term.write("x")  # proves the search line has the focus
        term.wait_for("Search  x", 20)
        term.write("\x7f")
        term.wait_for("row 1 of 1,000,000", 30)
        # pexpect sleeps 50 ms before every send by default: it was counted in every sample.
        term.child.delaybeforesend = None
        for _round in range(args.rounds):
            for query in QUERIES:
                time.sleep(0.5)
                term.pump(0.3)
                for i, ch in enumerate(query):
                    text = " ".join(query[: i + 1].split())
                    prepare(text)
                    before = CODE.findall(term.text())
                    empty = nothing(text)
                    seen = bool(before) and not empty and all_match(text, before)
                    t0 = time.monotonic()
                    term.write(ch)
                    while True:
                        term.pump(0.002)
                        screen = term.text()
                        codes = CODE.findall(screen)
                        if empty and not codes and "Nothing " in screen:  # here / found
                            break
                        if codes and not empty and all_match(text, codes):
                            break
                        if time.monotonic() - t0 > 20:
                            raise AssertionError(f"no rows for {text!r}:\n{screen}")
                    took = time.monotonic() - t0
                    if not seen and text.strip():
                        samples.setdefault(query, []).append(took)
                    time.sleep(max(0.0, args.key_gap - took))
                term.write("\x1b")  # clears the search line (it keeps the focus)
                term.wait_for(" of 1,000,000", 30)
    finally:
        term.close()
    every = sorted(s for v in samples.values() for s in v)
    p95 = every[max(0, int(len(every) * 0.95) - 1)]
    print(f"tree {tree}, db {args.db}")
    print(f"keystroke -> rows on screen (pty, 80x24): median {statistics.median(every) * 1000:.0f}"
          f" ms, p95 {p95 * 1000:.0f} ms, max {every[-1] * 1000:.0f} ms of {len(every)} keys"
          "   (target p95 < 50 ms)")
    for query, v in samples.items():
        print(f"    {query!r:20} median {statistics.median(v) * 1000:6.0f} ms, "
              f"max {max(v) * 1000:6.0f} ms ({len(v)} keys)")


if __name__ == "__main__":
    main()
