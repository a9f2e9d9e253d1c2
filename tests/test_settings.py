"""Settings (A4, O7): every registry setting listed by section, changed only through the
validated, audited operation, and ``tuicrm config list|get|set`` doing the same for scripts.
A user would notice a failure as a setting missing from the screen, a bad value accepted, or a
change nobody can trace."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest

from tests.test_cli import tuicrm
from tuicrm.data.core import numbering, settings, settings_parsers
from tuicrm.data.core.errors import PermissionDenied, ValidationError
from tuicrm.data.core.settings_rows import get_setting, list_settings
from tuicrm.data.models import AuditLog

pytestmark = pytest.mark.pg


def test_every_registry_setting_is_listed_with_its_section(admin):
    rows = list_settings(admin)
    assert {r.key for r in rows} == set(settings.REGISTRY)
    by_key = {r.key: r for r in rows}
    assert by_key["company.name"].section == "Company"
    assert by_key["backup.every_hours"].section == "Backup"
    assert by_key["stock.allow_negative"].choices == ("1", "0")
    assert by_key["stock.allow_negative"].shown == "no"
    assert by_key["receipt.width"].choices == ("32", "42", "48")
    assert not by_key["demo"].editable
    # Sections stay together (the screen shows them as blocks).
    sections = [r.section for r in rows]
    assert sections == sorted(sections, key=sections.index)


def test_a_setting_declared_later_appears_without_touching_the_screen(admin):
    """Another domain (credit policy, ageing buckets) adds settings to the registry: they are
    listed under their own section and can be set like any other."""
    extra = settings._declare(settings.SettingDef(
        "credit.test_days", 30, "Days of credit (test)", settings_parsers.whole_number(0, 365)))
    try:
        row = get_setting(admin, "credit.test_days")
        assert (row.value, row.section) == ("30", "Money")
        settings.set_value(admin, "credit.test_days", "45")
        assert settings.value(extra) == 45
        assert "credit.test_days" in {r.key for r in list_settings(admin)}
    finally:
        del settings.REGISTRY["credit.test_days"]


def test_a_change_is_validated_and_audited(admin):
    with pytest.raises(ValidationError) as e:
        settings.set_value(admin, "receipt.width", "40")
    assert e.value.errors == {"receipt.width": "one of 32, 42, 48"}
    # Control characters are taken out at the door (tuicrm.data.core.text), never stored.
    settings.set_value(admin, "company.phone", "021\x1b[2J")
    assert "\x1b" not in settings.get("company.phone")
    with pytest.raises(ValidationError):
        settings.set_value(admin, "company.phone", "021\n6321")  # one line only
    settings.set_value(admin, "company.phone", "021-6321 0000")
    audit = (AuditLog.select().where(AuditLog.entity == "setting")
             .order_by(AuditLog.id.desc()).get())
    assert audit.username == "admin"
    assert json.loads(audit.changes) == {"company.phone": ["021[2J", "021-6321 0000"]}
    assert get_setting(admin, "company.phone").value == "021-6321 0000"


def test_only_those_allowed_may_read_or_change_settings(sales, manager):
    with pytest.raises(PermissionDenied):
        list_settings(sales)
    with pytest.raises(PermissionDenied):
        settings.set_value(sales, "company.name", "x")
    assert list_settings(manager)  # managers hold settings.edit by default


def test_number_padding_and_continuous_numbers(admin):
    day = dt.date(2026, 3, 1)
    settings.set_value(admin, "numbering.padding", "4")
    assert numbering.next_number("sale", day) == "SO-2026-0001"
    settings.set_value(admin, "numbering.yearly_reset", "no")
    assert numbering.next_number("sale", day) == "SO-0001"
    assert numbering.next_number("sale", dt.date(2027, 1, 2)) == "SO-0002"
    with pytest.raises(ValidationError):
        settings.set_value(admin, "numbering.padding", "2")


def test_a_row_is_plain_data(admin):
    row = get_setting(admin, "company.name")
    assert dataclasses.is_dataclass(row)
    with pytest.raises(dataclasses.FrozenInstanceError):
        row.value = "x"  # type: ignore[misc]


def test_config_command(tmp_path):
    db = str(tmp_path / "shop.db")
    assert tuicrm("init", "--admin", "boss", "--db", db, stdin="long-password\n").returncode == 0
    r = tuicrm("config", "set", "company.name", "华兴五金 Huaxing", "--db", db)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == "company.name: '' -> 华兴五金 Huaxing"
    assert tuicrm("config", "get", "company.name", "--db", db).stdout == "华兴五金 Huaxing\n"
    listing = tuicrm("config", "list", "backup", "--db", db).stdout
    assert listing.splitlines()[0].split() == ["key", "value", "description"]
    assert "backup.keep_daily" in listing and "company.name" not in listing
    bad = tuicrm("config", "set", "receipt.width", "40", "--db", db)
    assert (bad.returncode, bad.stderr) == (1, "tuicrm: receipt.width: one of 32, 42, 48\n")
    bad = tuicrm("config", "get", "no.such", "--db", db)
    assert (bad.returncode, bad.stderr) == (1, "tuicrm: key: there is no setting 'no.such'\n")
