"""The settings as rows for the Settings screen and ``tuicrm config list``: every setting of
the registry, whoever declared it, so a setting added by another domain (credit policy,
ageing buckets, ...) appears on screen and in the command line without touching either."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ...i18n import N_
from ..models import Setting
from . import settings
from .operation import Op, reader

# Section titles by the first part of a key; an unknown section is shown by its key part.
SECTIONS: dict[str, str] = {
    "company": N_("Company"),
    "currency": N_("Money"),
    "money": N_("Money"),
    "credit": N_("Money"),
    "ageing": N_("Money"),
    "prefix": N_("Document numbers"),
    "numbering": N_("Document numbers"),
    "receipt": N_("Printing"),
    "print": N_("Printing"),
    "session": N_("Security"),
    "backup": N_("Backup"),
    "stock": N_("Stock"),
    "count": N_("Stock"),
    "reminder": N_("Reminders"),
    "document": N_("Printing"),
    "ui": N_("Language"),
    "demo": N_("Other"),
}


@dataclass(frozen=True)
class SettingRow:
    key: str
    section: str
    value: str  # as stored (and typed back): "1" / "0" for yes / no
    default: str
    description: str
    editable: bool
    choices: tuple[str, ...]  # values a form offers; empty: free text
    is_bool: bool
    multiline: bool = False  # a block of text (a document template)

    @property
    def shown(self) -> str:
        """The value as a person reads it (yes / no for flags, "(not set)" for blanks)."""
        if self.is_bool:
            return "yes" if self.value == "1" else "no"
        if self.multiline:
            lines = self.value.splitlines()
            first = lines[0] if lines else ""
            return f"{first} … ({len(lines)} lines)" if len(lines) > 1 else first or "(not set)"
        return self.value if self.value != "" else "(not set)"

    @property
    def is_default(self) -> bool:
        return self.value == self.default


def section_of(key: str) -> str:
    head = key.split(".", 1)[0]
    return SECTIONS.get(head, head.replace("_", " ").capitalize())


def _row(setting: settings.SettingDef[object], stored: str | None) -> SettingRow:
    default = setting.render(setting.default)
    current = default
    if stored is not None:
        try:
            current = setting.render(setting.parse(stored))
        except ValueError:
            current = default  # a value that no longer parses reads as the default
    return SettingRow(setting.key, section_of(setting.key), current, default,
                      setting.description, setting.editable, setting.offered(),
                      isinstance(setting.default, bool), setting.multiline)


def _order(row: SettingRow) -> tuple[int, str]:
    sections = list(dict.fromkeys(SECTIONS.values()))
    index = sections.index(row.section) if row.section in sections else len(sections)
    return (index, row.section)


@reader("settings.edit")
def list_settings(op: Op) -> list[SettingRow]:
    """Every declared setting with its current value, by section (declaration order within)."""
    query: Any = Setting.select(Setting.key, Setting.value).tuples()
    stored: dict[str, str] = {str(k): str(v) for k, v in query}
    rows = [_row(s, stored.get(key)) for key, s in settings.REGISTRY.items()]
    return sorted(rows, key=_order)  # stable: declaration order within a section


@reader("settings.edit")
def get_setting(op: Op, key: str) -> SettingRow:
    """One setting (``ValidationError`` for a key that is not declared)."""
    setting = settings.definition(key)
    stored = Setting.select(Setting.value).where(Setting.key == key).scalar()
    return _row(setting, stored)
