"""Service tickets at scale: builds a demo company with N tickets (default 200k) and times
what the screens and reports read.

    python bench/tickets.py [N] [--db PATH]

Prints the median and p95 (ms) of: the Tickets list's first page (open ones, newest first;
all of them by due time; a search), its row count, a salesperson's scoped first page, the
Today tickets of one owner, and the tickets report by kind and by month over the whole range.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def timed(label: str, fn: Callable[[], object], runs: int = 15) -> None:
    fn()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label:<44} median {statistics.median(times):8.1f} ms   p95 {p95:8.1f} ms")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("n", nargs="?", type=int, default=200_000)
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    path = args.db or str(Path(tempfile.mkdtemp()) / "tickets.db")

    from tuicrm.data.core import clock
    from tuicrm.data.core.actor import actor_of, system_actor
    from tuicrm.data.core.schema import open_db
    from tuicrm.data.demo import builder
    from tuicrm.data.demo import service as demo_service
    from tuicrm.data.lists.view import ListRequest, open_list
    from tuicrm.data.models import User
    from tuicrm.data.service.lists import TICKETS
    from tuicrm.data.service.report import ticket_report
    from tuicrm.data.service.today import tickets_due

    open_db(path)
    demo_service.MAX_TICKETS = args.n
    start = time.perf_counter()
    summary = builder.build_demo(customers=max(2000, args.n // 3 + 1), products=200,
                                 orders=2000)
    print(f"built {summary.tickets:,} tickets ({summary.customers:,} customers) in "
          f"{time.perf_counter() - start:.1f} s at {path}")
    system = system_actor()
    counter = actor_of(User.get(User.username == "counter"))
    manager = actor_of(User.get(User.username == "manager"))

    def page(actor, **request) -> Callable[[], object]:
        return lambda: open_list(actor, TICKETS, ListRequest(**request)).first(50)

    timed("first page, open, newest first", page(manager, options={"status": "open"}))
    timed("first page, all, by due time", page(manager, sort=("resolve_by", False)))
    timed("first page, search 'screen'", page(manager, search="screen"))
    timed("row count, open", lambda: open_list(manager, TICKETS, ListRequest(
        options={"status": "open"})).count())
    timed("salesperson's first page (scoped), open", page(counter, options={"status": "open"}))
    timed("Today: one owner's overdue + waiting", lambda: tickets_due(counter, clock.now()))
    timed("report by kind, everything", lambda: ticket_report(system, "kind"), runs=5)
    timed("report by month, everything", lambda: ticket_report(system, "month"), runs=5)


if __name__ == "__main__":
    main()
