"""Memory of one counter session after long use: RSS, USS and PSS of one app process.

Runs tuicrm in a pseudo-terminal (80x24, as over SSH), logs in, and repeats a counter's round
``--cycles`` times; after login and after every cycle it reads the process's memory from
``/proc/PID/smaps_rollup``: RSS (what ``ps`` shows), USS (pages only this process has: what
one more session costs the machine) and PSS (its fair share of shared pages).

One round, each step waiting for the screen it expects:

1. Today (Home ``t``), a few cursor moves;
2. Customers (``c``): scroll (Down x8, PgDn x3, End, Home), a search typed a key at a time
   (Chinese or Latin, from a list), Enter, Down x3;
3. Order entry (``e``): 6 scans (product codes from the database, one ``3*code``), Esc
   keeps the draft;
4. Products (``g``): PgDn x2, a search;
5. Reports (``o``): the first report runs, the next period (``]``), the chart (``v``).

A person does one round in about a minute; the default 12 rounds (about 5 minutes of keys
at machine pace) stand for 10 minutes of use, with every screen opened 12 times.
``--trace DIR`` runs the app under ``bench/traced_app.py`` (tracemalloc; slower, more memory)
and writes a snapshot after login and after every cycle into DIR.

    python bench/session_memory.py --db big.db --user admin --password bench-password-1

Target (issue 16): <= 60 MiB per session after 10 minutes of use at 1M customers.
"""

from __future__ import annotations

import argparse
import os
import random
import signal
import sqlite3
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.terminal import PtyProcess, log_in_home  # noqa: E402

ESC, DOWN, PGDN = "\x1b", "\x1b[B", "\x1b[6~"
END, HOME_KEY = "\x1b[F", "\x1b[H"
WORDS = ["王", "五金", "zhang", "li", "华兴", "shang", "wang", "acme", "c0012", "lj"]


def memory(pid: int) -> dict[str, float]:
    """RSS, USS and PSS of ``pid`` in MiB (smaps_rollup), and the peak RSS (VmHWM)."""
    fields: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, _, value = line.partition(":")
        fields[name] = int(value.split()[0]) / 1024
    peak = next(int(v.split()[0]) / 1024 for k, _, v in
                (ln.partition(":") for ln in Path(f"/proc/{pid}/status").read_text().splitlines())
                if k == "VmHWM")
    return {"rss": fields["Rss"], "uss": fields["Private_Clean"] + fields["Private_Dirty"],
            "pss": fields["Pss"], "peak": peak}


def mappings(pid: int, top: int = 12) -> list[tuple[float, float, str]]:
    """The ``top`` mappings of ``pid`` by RSS: (RSS MiB, private MiB, what is mapped)."""
    totals: dict[str, list[float]] = {}
    name = ""
    for line in Path(f"/proc/{pid}/smaps").read_text().splitlines():
        head = line.split()
        if head and "-" in head[0] and ":" not in head[0]:
            name = head[5] if len(head) > 5 else "[anon]"
            totals.setdefault(name, [0.0, 0.0])
        elif head and head[0] == "Rss:":
            totals[name][0] += int(head[1]) / 1024
        elif head and head[0] in ("Private_Clean:", "Private_Dirty:"):
            totals[name][1] += int(head[1]) / 1024
    ranked = sorted(((r, p, n) for n, (r, p) in totals.items()), reverse=True)
    return ranked[:top]


def product_codes(db: str, n: int = 40) -> list[str]:
    with sqlite3.connect(db) as conn:
        rows = conn.execute("SELECT code FROM product WHERE active ORDER BY id LIMIT ?",
                            (n,)).fetchall()
    if not rows:
        raise SystemExit(f"{db} has no products: add some (tuicrm demo --customers 200 "
                         "--products 3000 --orders 20000)")
    return [r[0] for r in rows]


class Round:
    def __init__(self, term: PtyProcess, codes: list[str], seed: int,
                 steps: dict[str, float] | None = None) -> None:
        self.term, self.codes, self.rng = term, codes, random.Random(seed)
        self.steps = steps  # step -> the highest peak RSS seen during it (--steps)
        self.step = ""

    def mark(self, step: str) -> None:
        """A new step starts: note the peak of the last one, and start a new peak."""
        if self.steps is None:
            return
        if self.step:
            time.sleep(0.5)
            peak = memory(self.term.pid)["peak"]
            self.steps[self.step] = max(self.steps.get(self.step, 0.0), peak)
        self.step = step
        Path(f"/proc/{self.term.pid}/clear_refs").write_text("5")  # resets VmHWM

    def keys(self, *keys: str, gap: float = 0.08) -> None:
        for key in keys:
            self.term.write(key)
            time.sleep(gap)

    def open(self, key: str, needle: str) -> None:
        if "tuicrm - Home" not in self.term.text():
            self.term.write(ESC)
            self.term.wait_for_text("tuicrm - Home", 60)
            time.sleep(0.1)  # Esc and the next key in one read would be Alt+key
        self.term.write(key)
        self.term.wait_for_text(needle, 60)

    def search(self, word: str) -> None:
        self.term.write("/")
        time.sleep(0.3)
        for ch in word:
            self.keys(ch, gap=0.15)
        time.sleep(0.5)
        self.keys("\r", DOWN, DOWN, DOWN)

    def run(self) -> None:
        self.mark("today")
        self.open("t", "Today, ")
        self.keys(DOWN, DOWN, DOWN)
        self.mark("customers")
        self.open("c", " of ")
        self.keys(*[DOWN] * 8, PGDN, PGDN, PGDN, END, HOME_KEY)
        time.sleep(0.5)
        self.mark("customer search")
        self.search(self.rng.choice(WORDS))
        self.mark("order entry")
        self.open("e", "Code")
        for i in range(6):
            code = self.rng.choice(self.codes)
            self.term.write(f"3*{code}\r" if i == 2 else f"{code}\r")
            self.term.wait_for_text(f"{code} +", 30)
        self.term.write(ESC)
        self.term.wait_for_text("kept as a draft", 30)
        self.mark("products")
        self.open("g", " of ")
        self.keys(PGDN, PGDN)
        self.search(self.rng.choice(["tea", "P00", "茶", "bolt"]))
        self.mark("reports")
        self.open("o", "Report")
        time.sleep(1.5)
        self.keys("]", gap=1.0)
        self.keys("v", gap=1.0)
        self.mark("")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", required=True)
    parser.add_argument("--user", default="admin")
    parser.add_argument("--password", default="demo1234")
    parser.add_argument("--cycles", type=int, default=12)
    parser.add_argument("--size", default="80x24")
    parser.add_argument("--steps", action="store_true",
                        help="the peak RSS of each step (Today, Customers, ...)")
    parser.add_argument("--maps", action="store_true",
                        help="at the end, the mappings that hold the most memory")
    parser.add_argument("--trace", metavar="DIR", help="tracemalloc snapshots into DIR")
    parser.add_argument("--allocators", action="store_true",
                        help="with --trace: no tracemalloc, only the allocators' statistics")
    args = parser.parse_args()
    columns, lines = (int(v) for v in args.size.split("x"))
    codes = product_codes(args.db)
    env: dict[str, str] = {}
    if args.trace:
        Path(args.trace).mkdir(parents=True, exist_ok=True)
        env["TUICRM_TRACE_DIR"] = str(Path(args.trace).resolve())
        if args.allocators:
            env["TUICRM_TRACE_ALLOCATORS_ONLY"] = "1"
        argv = [sys.executable, str(REPO / "bench" / "traced_app.py"), "--db", args.db]
    else:
        argv = [sys.executable, "-m", "tuicrm.cli", "--db", args.db]
    term = PtyProcess(argv, columns, lines, env)
    term.wait_for = term.wait_for_text  # type: ignore[attr-defined]  (as AppPty has it)
    started = time.monotonic()
    try:
        log_in_home(term, args.user, args.password)

        def report(label: str) -> dict[str, float]:
            time.sleep(1.0)  # let the last paint and workers finish
            if args.trace:
                os.kill(term.pid, signal.SIGUSR1)
                time.sleep(6.0)  # a snapshot of the traced process takes seconds
            m = memory(term.pid)
            print(f"{label:>10}  RSS {m['rss']:6.1f}  USS {m['uss']:6.1f}  PSS {m['pss']:6.1f}"
                  f"  peak {m['peak']:6.1f} MiB  ({(time.monotonic() - started) / 60:.1f} min)",
                  flush=True)
            return m

        steps: dict[str, float] | None = {} if args.steps else None
        first = report("login")
        last = first
        for cycle in range(1, args.cycles + 1):
            Round(term, codes, cycle, steps).run()
            term.write(ESC)
            term.wait_for_text("tuicrm - Home", 60)
            last = report(f"cycle {cycle}")
        print(f"after {args.cycles} cycles: RSS {last['rss']:.1f} MiB (login {first['rss']:.1f}),"
              f" USS {last['uss']:.1f} MiB, growth {last['rss'] - first['rss']:+.1f} MiB")
        for step, peak in (steps or {}).items():
            print(f"  peak during {step}: {peak:.1f} MiB")
        if args.maps:
            for rss, private, name in mappings(term.pid):
                print(f"  {rss:6.1f} MiB RSS, {private:6.1f} private  {name}")
    finally:
        term.kill()


if __name__ == "__main__":
    main()
