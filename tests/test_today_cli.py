"""``tuicrm today --user NAME [--format text|csv]``: the Today list without the TUI."""

from __future__ import annotations

import csv
import datetime as dt
import io
import subprocess
import sys

from tuicrm.cli import main
from tuicrm.data.agenda import announcements, reminders
from tuicrm.data.models import now
from tuicrm.data.staff import users


def _data(sales, manager) -> dict[str, dt.datetime]:
    at = now()
    late = (at - dt.timedelta(days=2)).replace(second=0)
    soon = dt.datetime.combine(at.date() + dt.timedelta(days=2), dt.time(11, 15))
    reminders.create_reminder(sales, title="Chase 张三 for payment", due_at=late)
    reminders.create_reminder(sales, title="Visit, Acme", due_at=soon, repeat="weekly")
    reminders.create_reminder(manager, title="Manager only", due_at=late)
    announcements.post_announcement(manager, "Stocktaking on Sunday")
    return {"late": late, "soon": soon}


def test_today_text(db, sales, manager, capsys):
    _data(sales, manager)
    assert main(["today", "--db", db, "--user", "sally"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines[0].startswith("Today for sally (sally), ")
    assert "OVERDUE (1)" in out and "NEXT 7 DAYS (1)" in out
    assert "NEW ANNOUNCEMENTS (1)" in out and "DUE TODAY" not in out
    late_line = next(line for line in lines if "Chase 张三 for payment" in line)
    assert late_line.lstrip().startswith("!")
    assert out.index("OVERDUE") < out.index("Chase 张三") < out.index("NEXT 7 DAYS") < out.index(
        "Visit, Acme") < out.index("Stocktaking on Sunday")
    assert "Manager only" not in out


def test_today_csv(db, sales, manager, capsys):
    times = _data(sales, manager)
    assert main(["today", "--db", db, "--user", "SALLY", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert [(r["group"], r["kind"], r["title"]) for r in rows] == [
        ("overdue", "reminder", "Chase 张三 for payment"),
        ("upcoming", "reminder", "Visit, Acme"),
        ("announcements", "announcement", "Stocktaking on Sunday"),
    ]
    assert rows[0]["at"] == f"{times['late']:%Y-%m-%dT%H:%M}"
    assert rows[1]["at"] == f"{times['soon']:%Y-%m-%dT%H:%M}"
    assert rows[1]["detail"] == "Reminder, repeats weekly"


def test_today_unknown_or_disabled_user_is_one_line_and_exit_1(db, sales, admin, capsys):
    assert main(["today", "--db", db, "--user", "nobody"]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err == "tuicrm: no user named 'nobody'\n"
    users.update_user(admin, sales.id, active=False)
    assert main(["today", "--db", db, "--user", "sally"]) == 1
    assert capsys.readouterr().err == "tuicrm: user sally is disabled\n"


def test_today_as_a_real_command_with_nothing_due(db, sales):
    done = subprocess.run(
        [sys.executable, "-m", "tuicrm.cli", "today", "--db", db, "--user", "sally"],
        capture_output=True, text=True, timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "Nothing due, no alerts."
    assert done.stderr == ""


def test_alerts_heading_counts_what_exists_not_what_fits(db, manager):
    """Issue 17: ``ALERTS (11)`` while 79 products were below minimum ("... and 69 more")."""
    from decimal import Decimal

    from tuicrm.data.agenda import today
    from tuicrm.data.models import Product

    for n in range(today.ALERT_LIMIT + 7):
        Product.create(code=f"LOW{n:03}", name=f"Low {n}", min_stock=Decimal("5"))
    items = today.build_today(manager)
    alerts = dict(today.grouped(items))[today.TodayGroup.ALERTS]
    more = [i for i in alerts if i.kind == today.ItemKind.MORE]
    assert more and more[0].title.startswith("... and 7 more")
    total = today.ALERT_LIMIT + 7 + sum(1 for i in alerts if i.kind == "stock_count")
    assert today.heading("alerts", alerts) == f"ALERTS ({total})"
    assert f"ALERTS ({total})" in today.render_text(items, manager)
