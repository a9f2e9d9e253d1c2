"""Demo service tickets: a few hundred over the last four months, in every state, so the
Tickets screen, Today and the tickets report have something real to show.

Old tickets are mostly done (answered and resolved around their due times, some late, most
rated 4-5, late ones lower) or cancelled; recent ones are new, in progress or waiting for the
customer, some of them already overdue. Owners are the customers' salespeople (repairs now
and then the warehouse's). Due times come from the settings like any ticket's; numbers are
reserved through ``core.numbering``. Written in a few statements (the build's transaction);
``tuicrm check`` proves the rows agree with their states.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from peewee import chunked, fn

from ..core import numbering
from ..core.vocab import OrderKind, Role
from ..models import Customer, Order, Ticket, User, now
from ..service.due import Targets, due_times, targets
from ..service.tickets import NUMBER_KIND

MAX_TICKETS = 300
DAYS = 120
SUBJECTS = {
    "request": ["报价请求 Asks for a quote on cables", "要发票 Needs a VAT invoice",
                "改送货地址 Change of delivery address", "Wants the new catalogue",
                "询问库存 Asks if 200 chargers are in stock"],
    "service": ["电水壶不加热 Kettle does not heat", "充电器坏了 Charger broken after a week",
                "Install the shelving in the shop", "安装调试 Set up the POS printer",
                "Replace a cracked screen"],
    "feedback": ["喜欢新包装 Likes the new packaging", "Suggests Saturday deliveries",
                 "价格偏高 Finds the prices high", "Good service at the counter"],
    "complaint": ["送货延迟 Delivery three days late", "货物破损 Goods arrived damaged",
                  "少发两箱 Two cartons missing", "Wrong colour delivered",
                  "发票错误 Invoice amount wrong"],
}
KINDS = [("request", 35), ("service", 30), ("feedback", 20), ("complaint", 15)]
PRIORITIES = [("urgent", 8), ("high", 22), ("normal", 55), ("low", 15)]
CHANNELS = [("phone", 40), ("wechat", 25), ("counter", 15), ("visit", 10), ("email", 7),
            ("other", 3)]
RESOLUTIONS = ["已更换 Replaced it", "Sent the missing goods", "已退款 Refunded by credit note",
               "Explained the price list", "上门维修 Repaired on site", "Answered by phone"]


def _weighted(rng: random.Random, choices: list[tuple[str, int]]) -> str:
    return rng.choices([c for c, _w in choices], [w for _c, w in choices])[0]


def _latest(kind: OrderKind) -> dict[int, int]:
    """Each customer's latest order of ``kind`` (one grouped query)."""
    query = (Order.select(Order.customer, fn.MAX(Order.id))
             .where((Order.kind == kind.value) & Order.customer.is_null(False))
             .group_by(Order.customer))
    return {int(c): int(o) for c, o in query.tuples().iterator()}


def build_demo_tickets(seed: int, customers: int) -> int:
    """Up to ``MAX_TICKETS`` tickets (three per customer in a small demo); returns how many."""
    rng = random.Random(seed)
    at = now()
    pool: list[tuple[int, int | None]] = [
        (int(c), s) for c, s in Customer.select(Customer.id, Customer.salesperson)
        .order_by(Customer.id.desc()).limit(max(customers, 1)).tuples().iterator()]
    total = min(MAX_TICKETS, 3 * len(pool))
    if not total:
        return 0
    staff: dict[Role, list[int]] = {}
    for role in (Role.WAREHOUSE, Role.MANAGER):
        query: Any = User.select(User.id).where(
            (User.role == role) & (User.active == True))  # noqa: E712 - SQL
        staff[role] = [int(u) for (u,) in query.tuples()]
    sales, returns = _latest(OrderKind.SALE), _latest(OrderKind.SALE_RETURN)
    opened_list = sorted(
        (at - dt.timedelta(days=rng.random() ** 1.5 * DAYS)).replace(
            hour=rng.randint(8, 18), minute=rng.randrange(60), second=0, microsecond=0)
        for _ in range(total))
    opened_list = [min(o, at - dt.timedelta(minutes=5)) for o in opened_list]
    first = numbering.reserve(NUMBER_KIND, at.year, total)  # demo tickets: this year's numbers
    rows: list[dict[str, Any]] = []
    allowed: dict[tuple[str, str], Targets] = {}  # the settings, read once per kind/priority
    prefix = numbering.prefix(NUMBER_KIND)
    for i, opened in enumerate(opened_list):
        cid, seller = rng.choice(pool)
        kind, priority = _weighted(rng, KINDS), _weighted(rng, PRIORITIES)
        if (kind, priority) not in allowed:
            allowed[kind, priority] = targets(kind, priority)
        due = due_times(opened, allowed[kind, priority])
        owner = seller
        if kind == "service" and staff[Role.WAREHOUSE] and rng.random() < 0.3:
            owner = rng.choice(staff[Role.WAREHOUSE])
        elif owner is None and staff[Role.MANAGER]:
            owner = rng.choice(staff[Role.MANAGER])
        row = _life(rng, opened, at, due.respond_by - opened, due.resolve_by - opened)
        row.update(
            number=numbering.format_number(prefix, at.year, first + i),
            kind=kind, priority=priority, channel=_weighted(rng, CHANNELS), customer=cid,
            subject=rng.choice(SUBJECTS[kind]), owner=owner, created_by=owner, opened_at=opened,
            respond_by=due.respond_by, resolve_by=due.resolve_by, version=1, created_at=opened,
            updated_at=row.get("resolved_at") or row.get("first_response_at") or opened,
            order=sales.get(cid) if rng.random() < 0.4 else None,
            return_order=returns.get(cid) if kind == "complaint" and rng.random() < 0.5
            else None,
            details="" if rng.random() < 0.5 else "客户来电说明情况。Customer called about it.",
        )
        rows.append(row)
    for batch in chunked(rows, 500):  # 25 columns: well under SQLite's variable limit
        Ticket.insert_many(batch).execute()
    return total


def _life(rng: random.Random, opened: dt.datetime, at: dt.datetime, respond: dt.timedelta,
          resolve: dt.timedelta) -> dict[str, Any]:
    """Where a ticket opened at ``opened`` stands at ``at``: its state and times."""
    answered = opened + respond * rng.uniform(0.2, 1.5)
    resolved = opened + resolve * rng.uniform(0.3, 1.4)
    resolved = max(resolved, answered)
    row: dict[str, Any] = {"status": "new", "first_response_at": None, "resolved_at": None,
                           "resolution": "", "satisfaction": None}
    if rng.random() < 0.05:
        row["status"] = "cancelled"
        return row
    if answered > at or rng.random() < 0.04:
        return row  # still new (some of them unanswered past due)
    row["first_response_at"] = answered.replace(microsecond=0)
    if resolved > at or rng.random() < 0.05:
        row["status"] = rng.choice(["in_progress", "in_progress", "waiting"])
        return row
    late = resolved > opened + resolve
    row.update(status="done", resolved_at=resolved.replace(microsecond=0),
               resolution=rng.choice(RESOLUTIONS))
    if rng.random() < 0.7:
        row["satisfaction"] = rng.choice([2, 3, 3, 4] if late else [3, 4, 4, 5, 5, 5])
    return row
