"""The Settings screen: administrators see every setting by section, change one in a form
that explains a wrong value beside the field and keeps what was typed, and every change is
audited. A user would notice a failure as a setting they cannot reach or a bad value saved."""

from __future__ import annotations

import json

from textual.widgets import Input, Select

from tests.helpers import log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.data.core import settings
from tuicrm.data.models import AuditLog
from tuicrm.screens.settings import SettingsScreen
from tuicrm.widgets.saving_form import SavingFormDialog


async def _open(pilot, user: str, password: str) -> SettingsScreen:
    await log_in(pilot, user, password)
    await pilot.press("1")
    await wait_for(pilot, lambda: isinstance(pilot.app.screen, SettingsScreen)
                   and pilot.app.screen.ready)
    return pilot.app.screen


async def _go_to(pilot, screen: SettingsScreen, key: str) -> None:
    while screen.current_key() != key:
        await pilot.press("down")


async def test_change_a_setting_with_a_message_beside_the_field(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "admin", password)
        # settings by name; the key (what ``tuicrm config set`` takes) under the list
        await sees(pilot, "-- Company --", "Company name", "company.name  Company name "
                   "printed", "(not set)")
        await _go_to(pilot, screen, "receipt.width")
        await sees(pilot, "Receipt width in columns", "default: 42")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SavingFormDialog))
        assert app.screen.query_one("#f-value", Select).value == "42"

        await pilot.press("escape")
        await _go_to(pilot, screen, "company.phone")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SavingFormDialog))
        form = app.screen
        await pilot.press(*"x" * 41, "enter")  # over 40 characters
        await sees(pilot, "at most 40 characters")
        assert isinstance(app.screen, SavingFormDialog)
        assert form.query_one("#f-value", Input).value == "x" * 41  # nothing typed is lost
        await pilot.press(*["backspace"] * 41, *"021-6321 0000", "enter")
        await wait_for(pilot, lambda: app.screen is screen and "021-6321 0000" in
                       screen_text(app))
        assert settings.get("company.phone") == "021-6321 0000"
        row = AuditLog.select().where(AuditLog.entity == "setting").get()
        assert (row.username, json.loads(row.changes)) == (
            "admin", {"company.phone": ["", "021-6321 0000"]})

        await pilot.press("d", "y")  # back to the default, after a question
        await wait_for(pilot, lambda: settings.get("company.phone") == "")


async def test_a_flag_is_a_yes_no_choice_and_demo_is_not_editable(db, admin, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "admin", password)
        await _go_to(pilot, screen, "stock.allow_negative")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, SavingFormDialog))
        app.screen.query_one("#f-value", Select).value = "1"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: settings.get("stock.allow_negative") == "1")
        await _go_to(pilot, screen, "demo")
        await pilot.press("enter")
        await wait_for(pilot, lambda: any("demo is kept by tuicrm itself" in n.message
                                          for n in app._notifications))


async def test_a_salesperson_has_no_settings(db, sales, password):
    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        await log_in(pilot, "sales", password)
        assert "Settings" not in screen_text(app)
        await pilot.press("1")
        await pilot.pause()
        assert not isinstance(app.screen, SettingsScreen)


async def test_the_contract_template_is_edited_as_a_block_of_text(db, admin, password):
    from textual.widgets import TextArea

    from tuicrm.widgets.text_edit import TextEditDialog

    app = make_app(db)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "admin", password)
        await _go_to(pilot, screen, "document.contract_template")
        await sees(pilot, "SALES CONTRACT  No. {order_number} …")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, TextEditDialog))
        area = app.screen.query_one(TextArea)
        area.text = "合同 {order_number}\n{nope}\n"
        await pilot.press("ctrl+s")
        await sees(pilot, "unknown placeholder {nope}")
        assert isinstance(app.screen, TextEditDialog) and "{nope}" in area.text
        area.text = "合同 {order_number}\n买方 {customer}\n"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: app.screen is screen)
        assert settings.get("document.contract_template") == "合同 {order_number}\n买方 {customer}\n"


async def test_settings_read_in_chinese(db, admin, password):
    """Names, values and kinds in Chinese: not company.name, yes / no or (not set)."""
    app = make_app(db, language="zh_CN")
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot, "admin", password)
        await sees(pilot, "公司名称", "（未设置）")
        await _go_to(pilot, screen, "prefix.sale_return")
        await sees(pilot, "编号前缀：销售退货", "prefix.sale_return")
        await _go_to(pilot, screen, "stock.allow_negative")
        await sees(pilot, "允许超库存销售", "否")
        await pilot.press("enter")  # the form's keys in Chinese too ("save" was left English)
        await wait_for(pilot, lambda: isinstance(app.screen, SavingFormDialog))
        await sees(pilot, "允许超库存销售 (stock.allow_negative)", "Ctrl+S：保存")
