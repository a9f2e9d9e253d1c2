"""The due-by arithmetic of service tickets: time spans as typed in the settings, response and
resolution times per kind and priority, counted in calendar time. A user would notice a
failure as a ticket shown overdue too early or too late."""

from __future__ import annotations

import datetime as dt

import pytest

from tuicrm.data.core import settings
from tuicrm.data.core.durations import format_duration, parse_duration, parse_spans
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.service.due import (
    DueTimes,
    Targets,
    due_for,
    due_times,
    fmt_span,
    is_overdue,
    resolved_on_time,
    targets,
)

D = dt.datetime
H = dt.timedelta(hours=1)


@pytest.mark.parametrize(("text", "hours"), [
    ("4h", 4), ("2d", 48), ("1d12h", 36), ("30m", 0.5), ("6", 6), (" 1D 2H ", 26),
    ("90m", 1.5),
])
def test_spans_are_read_as_typed(text, hours):
    assert parse_duration(text) == dt.timedelta(hours=hours)


@pytest.mark.parametrize("text", ["", "0h", "h", "2x", "1h30", "-2h", "400d", "2h 3q"])
def test_a_wrong_span_is_refused_with_a_message(text):
    with pytest.raises(ValueError, match=r"."):
        parse_duration(text)


def test_spans_read_back_as_written():
    for hours in (0.5, 1, 4, 24, 36, 24 * 14 + 0.25):
        span = dt.timedelta(hours=hours)
        assert parse_duration(format_duration(span)) == span
    assert format_duration(dt.timedelta(hours=36)) == "1d12h"


def test_a_setting_holds_one_span_per_priority():
    assert parse_spans("1h 2h, 4h;1d", 4) == (H, 2 * H, 4 * H, 24 * H)
    with pytest.raises(ValueError, match="4 time spans"):
        parse_spans("1h 2h 4h", 4)


def test_due_times_count_calendar_time_across_nights_weekends_and_month_ends():
    """Friday 16:30 + 1 day is Saturday 16:30; Jan 31 + 2 days is Feb 2; to the minute."""
    friday = D(2026, 6, 19, 16, 30, 45)
    due = due_times(friday, Targets(respond=4 * H, resolve=24 * H))
    assert due == DueTimes(D(2026, 6, 19, 20, 30), D(2026, 6, 20, 16, 30))
    month_end = due_times(D(2026, 1, 31, 23, 0), Targets(2 * H, 48 * H))
    assert month_end == DueTimes(D(2026, 2, 1, 1, 0), D(2026, 2, 2, 23, 0))
    leap = due_times(D(2028, 2, 28, 12, 0), Targets(H, 24 * H))
    assert leap.resolve_by == D(2028, 2, 29, 12, 0)


def test_targets_come_from_the_settings_per_kind_and_priority(db, system):
    """The defaults: a complaint is answered within 1h when urgent and 8h when low."""
    assert targets("complaint", "urgent") == Targets(H, 24 * H)
    assert targets("complaint", "low") == Targets(8 * H, 5 * 24 * H)
    assert targets("feedback", "normal") == Targets(2 * 24 * H, 10 * 24 * H)
    settings.set_value(system, "ticket.resolve.service", "4h 8h 2d 1w".replace("1w", "7d"))
    assert targets("service", "high").resolve == 8 * H
    opened = D(2026, 6, 15, 10, 0)
    assert due_for(opened, "service", "normal") == DueTimes(opened + 8 * H,
                                                            opened + 48 * H)


def test_a_resolve_time_shorter_than_the_response_time_is_raised_to_it(db, system):
    settings.set_value(system, "ticket.respond.request", "8h 8h 8h 8h")
    settings.set_value(system, "ticket.resolve.request", "1h 1h 1h 1h")
    assert targets("request", "normal") == Targets(8 * H, 8 * H)


def test_a_wrong_setting_is_refused_beside_the_field(db, system):
    with pytest.raises(ValidationError) as e:
        settings.set_value(system, "ticket.respond.complaint", "1h 2h")
    assert "4 time spans" in e.value.errors["ticket.respond.complaint"]


def test_overdue_means_past_resolution_or_unanswered_past_response():
    at = D(2026, 6, 15, 12, 0)
    respond, resolve = D(2026, 6, 15, 11, 0), D(2026, 6, 16, 10, 0)
    assert is_overdue("new", respond, resolve, None, at)  # no response yet
    assert not is_overdue("in_progress", respond, resolve, D(2026, 6, 15, 10, 30), at)
    assert is_overdue("waiting", respond, D(2026, 6, 15, 11, 59), at, at)  # the clock runs
    assert not is_overdue("done", respond, D(2026, 6, 1), None, at)
    assert not is_overdue("cancelled", respond, D(2026, 6, 1), None, at)
    assert not is_overdue("new", D(2026, 6, 15, 12, 0), resolve, None, at)  # due this minute


def test_on_time_is_no_later_than_the_resolve_by_time():
    due = D(2026, 6, 16, 10, 0)
    assert resolved_on_time(due, due)
    assert resolved_on_time(due, due - H)
    assert not resolved_on_time(due, due + dt.timedelta(minutes=1))
    assert not resolved_on_time(due, None)


def test_spans_are_shown_short():
    assert fmt_span(dt.timedelta(days=2, hours=4, minutes=5)) == "2d 4h"
    assert fmt_span(dt.timedelta(hours=3, minutes=20)) == "3h 20m"
    assert fmt_span(dt.timedelta(minutes=45)) == "45m"
    assert fmt_span(dt.timedelta(days=1)) == "1d"
    assert fmt_span(None) == ""
