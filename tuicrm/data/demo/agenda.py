"""Demo reminders, activities and announcements for every user in the database.

Called by the demo builder after users and customers exist, so that whoever logs in first
sees a full Today screen: something overdue, something due today, the next days, repeating
series, follow-ups on customers, a few logged calls and visits, and unread announcements.
Users made before the demo data (``tuicrm init``) get theirs too. Through the operations, so
every row is valid and audited.
"""

from __future__ import annotations

import datetime as dt
import random

from ..agenda import activities, announcements, reminders
from ..core.actor import actor_of, system_actor
from ..core.permissions import allowed
from ..models import Customer, User, now

ONE_OFF = [  # title, kind, wants a customer
    ("回电: 报价单 Call back about the quote", "follow_up", True),
    ("寄样品 Send samples", "task", True),
    ("催款 Chase the overdue payment", "task", True),
    ("拜访客户 Visit the buyer", "work_plan", True),
    ("华强北市场调查 Market check in Huaqiangbei", "market_task", False),
    ("准备月度报表 Prepare the monthly figures", "task", False),
    ("续签合同 Renew the supply contract", "reminder", True),
    ("整理仓库货架 Tidy the shelves", "task", False),
]
SERIES = [  # title, kind, repeat
    ("对账 Check the till", "task", "daily"),
    ("周例会 Weekly sales meeting", "work_plan", "weekly"),
    ("交房租 Pay the rent", "reminder", "monthly"),
    ("营业执照年检 Business licence check", "reminder", "yearly"),
]
NOTES = ["", "", "客户要求周五前回复", "Bring the new catalogue", "记得带发票", "Ask about the 2nd order"]
CALLS = [
    ("call", "询问新产品价格 Asked for prices", "Send the price list"),
    ("visit", "上门拜访 Visited the shop", "Likes the new cables; wants samples"),
    ("email", "Sent the quotation", "Waiting for an answer"),
    ("meeting", "年度合同洽谈 Contract talks", "Agreed on monthly terms"),
    ("call", "投诉: 送货延迟 Late delivery complaint", "Apologised; delivery tomorrow"),
]
NOTICES = [  # title, body, audience, role, to chosen users, posted by (role)
    ("本周日盘点, 门市停业 Stocktaking on Sunday: shop closed", "Please finish all deliveries "
     "by Saturday 17:00. 周六下午五点前完成所有送货。", "all", "", False, "manager"),
    ("新价格表生效 New price list from Monday", "Wholesale prices of cables and chargers go "
     "up 5%. Quotes already sent stay valid.", "role", "sales", False, "manager"),
    ("仓库钥匙 Warehouse keys", "Bring your key back to the office before the holiday.",
     "users", "", True, "manager"),
    ("系统维护 tuicrm maintenance tonight 22:00", "The system is off for about 30 minutes for "
     "a backup. Log out before 22:00.", "all", "", False, "admin"),
]


def _at_today(base: dt.datetime, hours_ahead: float) -> dt.datetime:
    """Later today (never past 23:59), to the minute."""
    end = dt.datetime.combine(base.date(), dt.time(23, 59))
    return min(base + dt.timedelta(hours=hours_ahead), end).replace(second=0, microsecond=0)


def _day(base: dt.datetime, days: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(base.date() + dt.timedelta(days=days), dt.time(hour, minute))


def build_demo_activities(seed: int = 1) -> int:
    """Reminders, activities and announcements for every user; returns the rows created."""
    rng = random.Random(seed)
    at = now()
    SYSTEM = system_actor()
    users = list(User.select().order_by(User.id))
    customer_ids: list[int] = [c for (c,) in Customer.select(Customer.id)
                               .order_by(Customer.id).limit(500).tuples().iterator()]
    created = 0
    for user in users:
        own: list[int] = [c for (c,) in Customer.select(Customer.id)
                          .where(Customer.salesperson == user.id)
                          .order_by(Customer.id).limit(100).tuples().iterator()] or customer_ids

        def customer_for(wanted: bool, pool: list[int] = own) -> int | None:
            return rng.choice(pool) if wanted and pool else None

        jobs = rng.sample(ONE_OFF, k=7)
        whens = [
            _day(at, -rng.randint(2, 6), rng.choice((9, 10, 14))),  # overdue by days
            _day(at, -1, 16, 30),  # overdue since yesterday
            _at_today(at, 1.5),  # due today
            _at_today(at, 3),
            _day(at, 1, 10),  # the next days
            _day(at, rng.randint(2, 4), rng.choice((9, 11, 15)), 30),
            _day(at, rng.randint(10, 20), 9),  # later: not on Today yet
        ]
        for (title, kind, wants_customer), due in zip(jobs, whens, strict=True):
            reminders.create_reminder(
                SYSTEM, title=title, kind=kind, due_at=due, assignee=user.id,
                remind_at=due - dt.timedelta(minutes=rng.choice((0, 0, 15, 60))),
                notes=rng.choice(NOTES), customer_id=customer_for(wants_customer),
            )
            created += 1
        for title, kind, repeat in SERIES:
            if repeat == "daily":
                due = _at_today(at, 4)
            elif repeat == "weekly":
                due = _day(at, rng.randint(1, 6), 9)
            elif repeat == "monthly":
                due = _day(at, -1, 9)  # overdue: done, it comes back next month
            else:
                due = _day(at, rng.randint(20, 200), 10)
            reminders.create_reminder(SYSTEM, title=title, kind=kind, due_at=due, repeat=repeat,
                                      assignee=user.id)
            created += 1
        if customer_ids:
            for k, (kind, subject, outcome) in enumerate(rng.sample(CALLS, k=4)):
                when = _day(at, -(k * 5 + rng.randint(1, 4)), rng.choice((9, 11, 14, 16)))
                activities.add_activity(SYSTEM, customer_for(True), kind, subject=subject,
                                        outcome=outcome, at=when, user_id=user.id)
                created += 1

    posters = {role: next((actor_of(u) for u in users
                           if u.role == role and allowed(actor_of(u), "announcement.post")),
                          None) for role in ("admin", "manager")}
    chosen = [u.id for u in users if u.role in ("warehouse", "sales")][:3] or [
        u.id for u in users][:1]
    for title, body, audience, role, to_chosen, by in NOTICES:
        if to_chosen and not chosen:
            continue
        author = posters[by] or posters["admin"] or posters["manager"]
        if author is None:  # nobody here may post announcements
            continue
        announcements.post_announcement(
            author, title, body, audience=audience, role=role,
            users=chosen if to_chosen else (),
        )
        created += 1
    return created
