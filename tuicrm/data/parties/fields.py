"""The fields of customers, contacts, suppliers and competitors: how each input is checked and
converted before an operation stores it.

Column types do not protect us (SQLite stores ``'12abc'`` in an integer column, 5,000
characters in a ``CharField(max_length=10)``), so every operation runs what it was given
through ``clean(RULES, values)``: all problems come back at once in one ``ValidationError``
keyed by field, which the form shows beside each field.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from ...i18n import _
from ..core.errors import ValidationError
from ..core.money import money, parse_money


class CustomerStatus(StrEnum):
    ACTIVE = "active"
    PROSPECT = "prospect"
    INACTIVE = "inactive"


STATUSES = tuple(s.value for s in CustomerStatus)
EMAIL_RE = re.compile(r"^[^@\s]+@[^@\s.]+(\.[^@\s.]+)+$")
YES = ("1", "true", "yes", "y", "on", "是")
NO = ("", "0", "false", "no", "n", "off", "否")


@dataclass(frozen=True)
class Rule:
    """How one input field is checked and converted."""

    kind: str = "text"  # text | email | money | int | date | bool | choice
    required: bool = False
    max_len: int = 255
    lo: int | None = None
    hi: int | None = None
    choices: tuple[str, ...] = ()


CUSTOMER_RULES: dict[str, Rule] = {
    "code": Rule(max_len=40),
    "name": Rule(required=True, max_len=200),
    "grade": Rule(max_len=20),
    "status": Rule("choice", choices=STATUSES),
    "phone": Rule(max_len=40),
    "mobile": Rule(max_len=40),
    "fax": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "address": Rule(max_len=255),
    "region": Rule(max_len=60),
    "industry": Rule(max_len=60),
    "source": Rule(max_len=60),
    "tax_number": Rule(max_len=40),
    "credit_limit": Rule("money", lo=0),
    "payment_terms_days": Rule("int", lo=0, hi=3650),
    "price_level": Rule("int", lo=1, hi=4),
    "notes": Rule(max_len=4000),
}
CONTACT_RULES: dict[str, Rule] = {
    "name": Rule(required=True, max_len=100),
    "title": Rule(max_len=60),
    "phone": Rule(max_len=40),
    "mobile": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "birthday": Rule("date"),
    "is_key": Rule("bool"),
    "notes": Rule(max_len=4000),
}
SUPPLIER_RULES: dict[str, Rule] = {
    "code": Rule(required=True, max_len=40),
    "name": Rule(required=True, max_len=200),
    "contact_name": Rule(max_len=100),
    "phone": Rule(max_len=40),
    "email": Rule("email", max_len=120),
    "address": Rule(max_len=255),
    "tax_number": Rule(max_len=40),
    "payment_terms_days": Rule("int", lo=0, hi=3650),
    "active": Rule("bool"),
    "notes": Rule(max_len=4000),
}
COMPETITOR_RULES: dict[str, Rule] = {
    "name": Rule(required=True, max_len=200),
    "products": Rule(max_len=4000),
    "strengths": Rule(max_len=4000),
    "weaknesses": Rule(max_len=4000),
    "notes": Rule(max_len=4000),
}


def _text(rule: Rule, value: Any) -> str:
    if value is None:
        value = ""
    if isinstance(value, bool) or not isinstance(value, str):
        kind = "a number" if isinstance(value, int | float) else type(value).__name__
        raise ValueError(_("expected text, got {kind} ({value!r})").format(kind=kind, value=value))
    text = value.strip()
    if rule.required and not text:
        raise ValueError(_("required"))
    if len(text) > rule.max_len:
        raise ValueError(_("at most {max_len} characters (got {len})").format(
                           max_len=rule.max_len,
                           len=len(text)))
    if rule.kind == "email" and text and not EMAIL_RE.match(text):
        raise ValueError(_("not an e-mail address: {text!r}").format(text=text))
    if rule.kind == "choice" and text not in rule.choices:
        raise ValueError(_("one of {join}").format(join=', '.join(rule.choices)))
    return text


def _money(rule: Rule, value: Any) -> Any:
    if value is None or value == "":
        return money(0)
    if isinstance(value, bool):
        raise ValueError(_("expected an amount"))
    d = parse_money(value, negative=True)  # ValueError fit to show beside the field
    if rule.lo is not None and d < rule.lo:
        raise ValueError(_("must not be below {lo}").format(lo=rule.lo))
    return d


def _whole(rule: Rule, value: Any) -> int:
    if value is None or value == "":
        return rule.lo if rule.lo is not None else 0
    if isinstance(value, bool):
        raise ValueError(_("expected a whole number"))
    try:
        if isinstance(value, float):
            if not value.is_integer():
                raise ValueError
            n = int(value)
        else:
            n = int(str(value).strip())
    except ValueError:
        raise ValueError(_("expected a whole number, got {value!r}").format(value=value)) from None
    if rule.lo is not None and n < rule.lo or rule.hi is not None and n > rule.hi:
        raise ValueError(_("between {lo} and {hi}").format(lo=rule.lo, hi=rule.hi))
    return n


def _date(value: Any) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ValueError(_("expected a date YYYY-MM-DD, got {value!r}").format(value=value)) from None


def _yes_no(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    text = str(value or "").strip().lower()
    if text in YES:
        return True
    if text in NO:
        return False
    raise ValueError(_("expected yes or no, got {value!r}").format(value=value))


def check_value(rule: Rule, value: Any) -> Any:
    """The converted value, or ``ValueError`` with the message for the field."""
    if rule.kind in ("text", "email", "choice"):
        return _text(rule, value)
    if rule.kind == "money":
        return _money(rule, value)
    if rule.kind == "int":
        return _whole(rule, value)
    if rule.kind == "date":
        return _date(value)
    if rule.kind == "bool":
        return _yes_no(value)
    raise AssertionError(rule.kind)


def clean(rules: Mapping[str, Rule], values: Mapping[str, Any], *, partial: bool) -> dict[str, Any]:
    """Check and convert ``values`` against ``rules``; all problems at once in one
    ``ValidationError``. ``partial`` (an update) checks only the fields given."""
    errors: dict[str, str] = {}
    out: dict[str, Any] = {}
    for name in values:
        if name not in rules:
            errors[name] = _("unknown field")
    for name, rule in rules.items():
        if name not in values:
            if partial:
                continue
            if rule.required:
                errors[name] = _("required")
            continue
        try:
            out[name] = check_value(rule, values[name])
        except ValueError as e:
            errors[name] = str(e)
    if errors:
        raise ValidationError(errors)
    return out


__all__ = ["COMPETITOR_RULES", "CONTACT_RULES", "CUSTOMER_RULES", "STATUSES",
           "SUPPLIER_RULES", "CustomerStatus", "Rule", "check_value", "clean"]
