"""Company information and settings, stored as key/value rows."""

from __future__ import annotations

from ..models import Setting, User
from . import audit
from .db import write
from .permissions import require

DEFAULTS: dict[str, str] = {
    "company.name": "",
    "company.address": "",
    "company.tax_number": "",
    "currency": "CNY",
    "money.decimals": "2",
    "session.idle_lock_minutes": "10",
    "stock.allow_negative": "0",
    "demo": "0",
}


def get(key: str) -> str:
    row = Setting.get_or_none(Setting.key == key)
    return row.value if row is not None else DEFAULTS.get(key, "")


def get_int(key: str) -> int:
    try:
        return int(get(key))
    except ValueError:
        return int(DEFAULTS.get(key, "0") or 0)


def get_bool(key: str) -> bool:
    return get(key).strip().lower() in {"1", "true", "yes", "on"}


def set_value(actor: User | None, key: str, value: str) -> None:
    """Change a setting (``actor`` None only for set-up code such as the demo builder)."""
    if actor is not None:
        require(actor, "settings.edit")
    with write():
        old = get(key)
        Setting.insert(key=key, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}
        ).execute()
        audit.record(actor, "setting", None, "update", {key: (old, value)})
