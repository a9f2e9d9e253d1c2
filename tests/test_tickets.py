"""Service tickets (S1): opened with a number and due times, linked to what they are about,
moved through their states with the first response and resolution recorded, rated, kept to
their owner's and customer's reach, audited, listed, exported, on Today and in the report."""

from __future__ import annotations

import csv
import datetime as dt
import json

import pytest

from tests.conftest import FIXED_NOW
from tuicrm.data.agenda import today
from tuicrm.data.core import clock
from tuicrm.data.core.errors import Conflict, NotFound, PermissionDenied, ValidationError
from tuicrm.data.lists.view import ListRequest, open_list
from tuicrm.data.models import AuditLog, Contact, Customer, Order, Product, Ticket
from tuicrm.data.parties import customers
from tuicrm.data.parties.related import customer_related
from tuicrm.data.service import tickets
from tuicrm.data.service.lists import TICKETS
from tuicrm.data.service.report import ticket_report

pytestmark = pytest.mark.pg
H = dt.timedelta(hours=1)


@pytest.fixture
def shop(admin, sales, manager):
    """Sally's customer (with a contact, a sale and its return) and a product."""
    c = Customer.create(code="C1", name="华兴五金", salesperson=sales.id)
    other = Customer.create(code="C2", name="Not Sally's", salesperson=manager.id)
    Contact.create(customer=c.id, name="Wang Li")
    sale = Order.create(number="SO-2026-000001", kind="sale", date="2026-06-01",
                        customer=c.id, salesperson=sales.id, status="delivered")
    ret = Order.create(number="SR-2026-000001", kind="sale_return", date="2026-06-10",
                       customer=c.id, salesperson=sales.id, status="delivered")
    Product.create(code="P-KETTLE", name="Kettle")
    return {"customer": c, "other": other, "sale": sale, "return": ret}


def test_a_ticket_gets_a_number_due_times_and_its_links(shop, sales):
    t = tickets.open_ticket(sales, subject="Kettle leaks", kind="complaint",
                            customer_code="c1", contact_name="wang li", order_number="so-2026-000001",
                            product_code="P-KETTLE", return_number="SR-2026-000001",
                            priority="high", channel="wechat", details="Bought last week")
    assert t.number == "TK-2026-000001"
    assert (t.status, t.owner, t.customer_code) == ("new", "sally", "C1")
    assert (t.contact_name, t.order_number, t.product_code, t.return_number) == (
        "Wang Li", "SO-2026-000001", "P-KETTLE", "SR-2026-000001")
    assert t.opened_at == FIXED_NOW.replace(microsecond=0) or t.opened_at >= FIXED_NOW
    assert t.respond_by == (t.opened_at + 2 * H).replace(second=0)
    assert t.resolve_by == (t.opened_at + 48 * H).replace(second=0)
    second = tickets.open_ticket(sales, subject="Need a manual", customer_id=shop["customer"].id)
    assert second.number == "TK-2026-000002"
    audit = AuditLog.get((AuditLog.entity == "ticket") & (AuditLog.record_id == t.id))
    assert audit.action == "create" and audit.username == "sally"


def test_what_was_typed_wrong_is_said_beside_the_field(shop, sales):
    with pytest.raises(ValidationError) as e:
        tickets.open_ticket(sales, subject="  ", customer_code="C1", kind="moan")
    assert set(e.value.errors) == {"subject", "kind"}
    for field, kwargs in [("customer", {"customer_code": "C404"}),
                          ("customer", {"customer_code": "C2"}),  # not hers: not found
                          ("contact", {"customer_code": "C1", "contact_name": "Nobody"}),
                          ("order", {"customer_code": "C1", "order_number": "SO-9"}),
                          ("return_order", {"customer_code": "C1",
                                            "return_number": "SO-2026-000001"}),
                          ("product", {"customer_code": "C1", "product_code": "NOPE"})]:
        with pytest.raises(ValidationError) as e:
            tickets.open_ticket(sales, subject="x", **kwargs)
        assert field in e.value.errors, (field, e.value.errors)
    assert Ticket.select().count() == 0


def test_control_characters_never_reach_the_ticket(shop, sales):
    t = tickets.open_ticket(sales, subject="Bad\x1b[2J name\x07", customer_code="C1",
                            details="line 1\nline\x1b]0;x\x07 2")
    assert t.subject == "Bad[2J name" and t.details == "line 1\nline]0;x 2"


def test_moves_record_first_response_and_resolution(shop, sales):
    t = tickets.open_ticket(sales, subject="Repair", kind="service", customer_code="C1")
    with clock.pinned(FIXED_NOW + 3 * H):
        t = tickets.move_ticket(sales, t.id, "waiting")
    assert t.first_response_at == FIXED_NOW + 3 * H
    with clock.pinned(FIXED_NOW + 5 * H):
        t = tickets.move_ticket(sales, t.id, "in_progress")
    assert t.first_response_at == FIXED_NOW + 3 * H  # the first one stays
    with clock.pinned(FIXED_NOW + 30 * H):
        t = tickets.move_ticket(sales, t.id, "done", resolution="Replaced the fuse",
                                satisfaction="5")
    assert (t.status, t.resolved_at, t.resolution, t.satisfaction) == (
        "done", FIXED_NOW + 30 * H, "Replaced the fuse", 5)
    with pytest.raises(Conflict, match="cannot be moved"):
        tickets.move_ticket(sales, t.id, "waiting")
    t = tickets.move_ticket(sales, t.id, "in_progress")  # reopened
    assert (t.resolved_at, t.satisfaction, t.first_response_at) == (None, None,
                                                                    FIXED_NOW + 3 * H)
    moves = [a.action for a in AuditLog.select().where(AuditLog.entity == "ticket")]
    assert moves == ["create", "move", "move", "move", "move"]


def test_a_score_is_1_to_5_and_only_when_done(shop, sales):
    t = tickets.open_ticket(sales, subject="Feedback", kind="feedback", customer_code="C1")
    with pytest.raises(ValidationError, match="satisfaction"):
        tickets.move_ticket(sales, t.id, "done", satisfaction="6")
    with pytest.raises(ValidationError):
        tickets.move_ticket(sales, t.id, "waiting", satisfaction=3)
    with pytest.raises(Conflict, match="not done"):
        tickets.rate_ticket(sales, t.id, 4)
    t = tickets.move_ticket(sales, t.id, "done")
    assert t.satisfaction is None and t.first_response_at is not None
    assert tickets.rate_ticket(sales, t.id, "4").satisfaction == 4


def test_a_stale_move_is_refused(shop, sales, manager):
    t = tickets.open_ticket(sales, subject="Two at once", customer_code="C1")
    tickets.move_ticket(manager, t.id, "in_progress", version=t.version)
    with pytest.raises(Conflict, match="changed by someone else"):
        tickets.move_ticket(sales, t.id, "cancelled", version=t.version)


def test_a_cancelled_ticket_is_not_a_response(shop, sales):
    t = tickets.open_ticket(sales, subject="Wrong number", customer_code="C1")
    t = tickets.move_ticket(sales, t.id, "cancelled")
    assert t.first_response_at is None and t.resolved_at is None


def test_a_new_kind_or_priority_sets_the_due_times_again(shop, sales):
    t = tickets.open_ticket(sales, subject="Query", kind="request", customer_code="C1")
    assert t.resolve_by == (t.opened_at + 5 * 24 * H).replace(second=0)
    t = tickets.update_ticket(sales, t.id, version=t.version, kind="complaint",
                              priority="urgent", subject="Angry query")
    assert t.respond_by == (t.opened_at + H).replace(second=0)
    assert t.resolve_by == (t.opened_at + 24 * H).replace(second=0)
    t = tickets.update_ticket(sales, t.id, order_number="", contact_name="Wang Li")
    assert t.contact_name == "Wang Li" and t.order_id is None
    audit = AuditLog.select().where(AuditLog.action == "update").first()
    assert {"resolve_by", "subject", "kind"} <= set(json.loads(audit.changes))


def test_giving_a_ticket_to_someone_else_needs_ticket_assign(shop, sales, manager,
                                                             make_user):
    other = make_user("sales", "sam")
    t = tickets.open_ticket(sales, subject="Mine", customer_code="C1")
    with pytest.raises(PermissionDenied):
        tickets.update_ticket(sales, t.id, owner="sam")
    t = tickets.update_ticket(manager, t.id, owner=other.id)
    assert t.owner == "sam"
    # Sam owns it: he reaches it although the customer is Sally's
    assert tickets.get_ticket(other, t.id).number == t.number
    assert [r.id for r in open_list(other, TICKETS).first(10)] == [t.id]


def test_a_salesperson_reaches_her_customers_tickets_and_her_own(shop, sales, manager):
    mine = tickets.open_ticket(manager, subject="On Sally's customer", customer_code="C1")
    theirs = tickets.open_ticket(manager, subject="Not hers", customer_code="C2")
    given = tickets.open_ticket(manager, subject="Given to her", customer_code="C2",
                                owner=sales.id)
    assert tickets.get_ticket(sales, mine.id).id == mine.id
    assert tickets.get_ticket(sales, given.id).id == given.id
    with pytest.raises(NotFound, match="not yours"):
        tickets.get_ticket(sales, theirs.id)
    with pytest.raises(NotFound):
        tickets.move_ticket(sales, theirs.id, "in_progress")
    seen = {r.id for r in open_list(sales, TICKETS, ListRequest()).first(50)}
    assert seen == {mine.id, given.id}
    assert len(open_list(manager, TICKETS).first(50)) == 3


def test_the_list_shows_open_closed_mine_and_searches(shop, sales, manager):
    a = tickets.open_ticket(sales, subject="Kettle leaks", customer_code="C1")
    b = tickets.open_ticket(manager, subject="Invoice wrong", customer_code="C1")
    tickets.move_ticket(sales, b.id, "done")

    def ids(**options):
        search = options.pop("search", "")
        return [r.id for r in open_list(manager, TICKETS, ListRequest(
            search=search, options=options)).first(50)]

    assert ids(status="open") == [a.id]
    assert ids(status="closed") == [b.id]
    assert sorted(ids(status="all")) == [a.id, b.id]
    assert ids(status="all", mine=True) == [b.id]
    assert ids(status="all", search="kettle") == [a.id]
    assert ids(status="all", search="华兴") == sorted([a.id, b.id], reverse=True)
    row = open_list(manager, TICKETS, ListRequest(options={"status": "open"})).first(1)[0]
    shown = dict(zip([c.name for c in open_list(manager, TICKETS).columns], row.values,
                     strict=True))
    assert shown["number"] == a.number and shown["status"] == "new"


def test_a_customer_with_tickets_is_not_deleted(shop, sales, admin):
    tickets.open_ticket(sales, subject="Keep me", customer_code="C1")
    from tuicrm.data.core.errors import InUse

    with pytest.raises(InUse, match="ticket"):
        customers.delete_customers(admin, [shop["customer"].id])


def test_open_tickets_show_in_the_customers_related_information(shop, sales):
    t = tickets.open_ticket(sales, subject="Open one", customer_code="C1")
    done = tickets.open_ticket(sales, subject="Closed one", customer_code="C1")
    tickets.move_ticket(sales, done.id, "done")
    related = customer_related(sales, shop["customer"].id)
    assert related.ticket_count == 1
    assert [x.number for x in related.tickets] == [t.number]


def test_today_shows_my_overdue_tickets_and_those_waiting_on_me(shop, sales):
    late = tickets.open_ticket(sales, subject="Late one", customer_code="C1",
                               opened_at=FIXED_NOW - 10 * 24 * H)
    fresh = tickets.open_ticket(sales, subject="Fresh one", customer_code="C1")
    waiting = tickets.open_ticket(sales, subject="On the customer", customer_code="C1")
    tickets.move_ticket(sales, waiting.id, "waiting")
    items = today.build_today(sales, FIXED_NOW)
    tickets_shown = [(i.group.value, i.title) for i in items if i.kind == "ticket"]
    assert tickets_shown == [("overdue", f"{late.number} Late one"),
                             ("tickets", f"{fresh.number} Fresh one")]
    text = today.render_text(items, sales, FIXED_NOW)
    assert "TICKETS WAITING ON YOU (1)" in text


def test_the_report_by_kind_owner_and_period(shop, sales, manager):
    opened = FIXED_NOW - 5 * 24 * H
    for kind, respond_h, resolve_h, score in [("complaint", 1, 20, 5), ("complaint", 3, 80, 3),
                                              ("request", 2, None, None)]:
        t = tickets.open_ticket(sales, subject=kind, kind=kind, customer_code="C1",
                                opened_at=opened)
        with clock.pinned(opened + respond_h * H):
            tickets.move_ticket(sales, t.id, "in_progress")
        if resolve_h:
            with clock.pinned(opened + resolve_h * H):
                tickets.move_ticket(sales, t.id, "done", satisfaction=score)
    report = ticket_report(manager, "kind")
    by = {r.group: r for r in report.rows}
    complaint = by["Complaint"]
    assert (complaint.count, complaint.resolved, complaint.on_time, complaint.rated) == (
        2, 2, 1, 2)  # a normal complaint has 3 days: 20 h is on time, 80 h late
    assert complaint.median_response == 2 * H
    assert complaint.median_resolution == 50 * H
    assert complaint.satisfaction == 4.0 and complaint.on_time_share == 0.5
    assert by["Request"].resolved == 0 and by["Request"].open == 1
    assert report.total is not None and report.total.count == 3
    assert [r.group for r in ticket_report(manager, "owner").rows] == ["sally"]
    assert [r.group for r in ticket_report(manager, "month").rows] == ["2026-06"]
    assert ticket_report(manager, "kind", start=FIXED_NOW.date()).rows == []


def test_the_report_on_the_engine_and_the_command_line(shop, sales, manager, db, tmp_path,
                                                       make_user):
    """``tuicrm report tickets``: the same figures as columns, totals summed, files for
    scripts with stable headers."""
    from tuicrm.cli import main
    from tuicrm.reports.engine import run_report

    opened = FIXED_NOW - 2 * 24 * H
    for n in range(3):
        t = tickets.open_ticket(sales, subject=f"T{n}", kind="request", customer_code="C1",
                                opened_at=opened)
        with clock.pinned(opened + (n + 1) * H):
            tickets.move_ticket(sales, t.id, "done", satisfaction=n + 3)
    result = run_report(manager, "tickets", {"by": "kind"})
    row = dict(zip([c.key for c in result.columns], result.rows[0], strict=True))
    assert (row["group"], row["tickets"], row["resolved"], row["on_time"]) == (
        "Request", 3, 3, 3)
    assert str(row["median_response_hours"]) == "2.0" and str(row["satisfaction"]) == "4.0"
    assert str(row["on_time_pct"]) == "100.0"
    from tests.test_operations import _grant
    from tuicrm.data.core.permissions import ACTIONS

    clerk = make_user("warehouse")
    _grant("warehouse", set(ACTIONS) - {"ticket.view"})
    with pytest.raises(PermissionDenied):
        run_report(clerk, "tickets")
    path = tmp_path / "tickets.csv"
    assert main(["report", "tickets", "--by", "owner", "--db", db, "-o", str(path)]) == 0
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("group,tickets,open,median_response_hours")
    assert lines[1].startswith("sally,3,0,2.0")


def test_export_tickets(shop, sales, tmp_path):
    from tuicrm.reports.interchange import export_data

    for n in range(3):
        tickets.open_ticket(sales, subject=f"Ticket {n}", customer_code="C1")
    path = tmp_path / "tickets.csv"
    assert export_data("tickets", path, sales) == 3
    rows = list(csv.DictReader(path.open(encoding="utf-8-sig")))
    assert [r["number"] for r in rows] == [f"TK-2026-00000{n}" for n in (1, 2, 3)]
    assert rows[0]["customer_code"] == "C1" and rows[0]["status"] == "new"


def test_check_finds_a_ticket_whose_times_disagree_with_its_state(shop, sales):
    from tuicrm.data.check import run_checks

    t = tickets.open_ticket(sales, subject="Fine", customer_code="C1")
    assert run_checks(["tickets"]) == []
    Ticket.update(status="done", satisfaction=9).where(Ticket.id == t.id).execute()
    messages = [p.message for p in run_checks(["tickets"])]
    assert any("no resolution time" in m for m in messages)
    assert any("outside 1-5" in m for m in messages)
