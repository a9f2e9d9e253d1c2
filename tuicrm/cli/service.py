"""``tuicrm tickets report``: the tickets report (by kind, owner or period) without the TUI,
for cron jobs and scripts; the same data function as the Tickets screen's report."""

from __future__ import annotations

import argparse
from typing import Any

from ..data.core.actor import system_actor
from .common import add_db, iso_date, open_database


def cmd_report(args: argparse.Namespace) -> int:
    from ..data.service.report import ticket_report
    from ..reports.ticket_report import report_text, write_report

    open_database(args.db)
    report = ticket_report(system_actor(), args.by, args.start, args.end)
    if args.output:
        write_report(report, args.output)
        print(f"wrote the tickets report ({len(report.rows)} lines) to {args.output}")
    else:
        print(report_text(report, width=args.width), end="")
    return 0


def register(sub: Any) -> None:
    p = sub.add_parser("tickets", help="service tickets: the tickets report")
    tsub = p.add_subparsers(title="tickets commands", metavar="COMMAND", required=True)
    r = tsub.add_parser("report", help="count, median response and resolution times, share "
                        "resolved on time and satisfaction, by kind, owner or period")
    r.add_argument("--by", choices=["kind", "owner", "day", "week", "month"], default="kind")
    r.add_argument("--from", dest="start", type=iso_date, metavar="YYYY-MM-DD",
                   help="tickets opened on or after this day")
    r.add_argument("--to", dest="end", type=iso_date, metavar="YYYY-MM-DD",
                   help="tickets opened on or before this day")
    r.add_argument("-o", "--output", metavar="FILE", help=".txt, .csv or .xlsx (default: "
                   "print the text)")
    r.add_argument("--width", type=int, default=100, help="text width (default 100)")
    add_db(r)
    r.set_defaults(func=cmd_report)
