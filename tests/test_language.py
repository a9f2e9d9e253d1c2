"""The interface's language: chosen per user, else the site's, else the environment's; the
catalogue is complete; the command palette finds screens by Chinese, pinyin or English."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette

from tests.helpers import SIZE, log_in, screen_text, sees, wait_for
from tuicrm.app import make_app
from tuicrm.cli import main
from tuicrm.data.core import settings
from tuicrm.data.core.errors import ValidationError
from tuicrm.data.staff import users
from tuicrm.i18n import (
    CHINESE,
    ENGLISH,
    _,
    choose_language,
    current_language,
    language_from_environment,
    normalise,
    set_language,
)
from tuicrm.screens.home import HomeScreen
from tuicrm.screens.login import LoginScreen

ROOT = Path(__file__).resolve().parent.parent


def test_locale_names_become_a_language_tuicrm_speaks():
    assert normalise("zh_CN.UTF-8") == CHINESE
    assert normalise("zh-Hans") == CHINESE and normalise("zh_TW") == CHINESE
    assert normalise("en_US.UTF-8") == ENGLISH and normalise("C.UTF-8") == ENGLISH
    assert normalise("fr_FR") is None and normalise("") is None
    assert language_from_environment({"LANG": "zh_CN.UTF-8"}) == CHINESE
    assert language_from_environment({"LANGUAGE": "fr:zh_CN", "LANG": "en_US"}) == CHINESE
    assert language_from_environment({"LC_ALL": "en_US.UTF-8", "LANG": "zh_CN"}) == ENGLISH
    assert language_from_environment({"LANG": "fr_FR.UTF-8"}) is None
    assert choose_language(None, "", "zh_CN", "en") == CHINESE
    assert choose_language("en", "zh_CN") == ENGLISH
    assert choose_language(None, "") == ENGLISH


def test_every_marked_string_has_a_chinese_translation_and_the_catalogue_is_compiled():
    """tools/translations.py check: what CI relies on to fail on a missing translation."""
    done = subprocess.run([sys.executable, "tools/translations.py", "check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_set_language_switches_the_catalogue():
    assert set_language("zh_CN.UTF-8") == CHINESE and current_language() == CHINESE
    assert _("Customers") == "客户"
    set_language("en")
    assert _("Customers") == "Customers"


def test_a_users_language_is_theirs_to_choose(admin, sales):
    row = users.set_own_language(sales, "zh_CN")
    assert row.language == "zh_CN" and row.actor.language == "zh_CN"
    with pytest.raises(ValidationError):
        users.set_own_language(sales, "fr")
    assert users.update_user(admin, sales.id, language="").language == ""
    with pytest.raises(ValidationError):
        settings.set_value(admin, "ui.language", "klingon")
    settings.set_value(admin, "ui.language", "zh_CN")
    assert settings.value(settings.UI_LANGUAGE) == "zh_CN"


async def test_login_speaks_the_environments_language_and_home_the_users(
        db, admin, make_user, password, monkeypatch):
    monkeypatch.setenv("LANGUAGE", "zh_CN")
    english = make_user("sales", "emma")
    users.update_user(admin, english.id, language="en")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await sees(pilot, "登录", "用户名", "密码")
        await log_in(pilot, "emma", password)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await sees(pilot, "Customers", "Order entry")
        assert "客户" not in screen_text(app)


async def test_a_chinese_user_gets_chinese_screens_and_palette(db, admin, make_user, password):
    chinese = make_user("sales", "lihua")
    users.set_own_language(chinese, "zh_CN")
    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await sees(pilot, "log in")  # before login: the environment's English
        await log_in(pilot, "lihua", password)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await sees(pilot, "客户", "开单", "首页")
        for typed in ("kh", "kehu", "客户", "customers"):
            await pilot.press("ctrl+p")
            await wait_for(pilot, lambda: isinstance(app.screen, CommandPalette))
            await sees(pilot, "输入屏幕或命令的名称")
            await pilot.press(*typed)
            await wait_for(pilot, lambda: any(
                "客户" in str(o.prompt)
                for o in app.screen.query_one(CommandList)._options), timeout=30)
            await pilot.press("escape")
            await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))


async def test_lang_option_beats_the_users_choice(db, admin, password):
    users.set_own_language(admin, "en")
    app = make_app(db, language="zh_CN")
    async with app.run_test(size=SIZE) as pilot:
        await sees(pilot, "登录")
        await log_in(pilot, "admin", password)
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await sees(pilot, "客户")


def test_cli_help_in_chinese(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--lang", "zh_CN", "--help"])
    assert done.value.code == 0
    out = capsys.readouterr().out
    assert "用法" in out and "显示本帮助并退出" in out and "界面语言" in out


def test_cli_speaks_lang_from_the_environment(tmp_path):
    env = {"PATH": "/usr/bin:/bin", "LANG": "zh_CN.UTF-8", "PYTHONIOENCODING": "utf-8"}
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "check", "--db",
                           str(tmp_path / "none.db")], env=env, capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode == 1
    assert "没有数据库" in done.stderr


async def test_choosing_my_language_saves_it_and_speaks_it_at_once(db, sales, password):
    from tuicrm.screens.language import LanguageScreen

    app = make_app(db)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, LoginScreen))
        await log_in(pilot, "sally", password)
        await pilot.press("x")
        await wait_for(pilot, lambda: isinstance(app.screen, LanguageScreen))
        screen = app.screen
        from textual.widgets import Select

        screen.query_one(Select).value = "zh_CN"
        await pilot.press("ctrl+s")
        await wait_for(pilot, lambda: isinstance(app.screen, HomeScreen))
        await sees(pilot, "客户", "首页")
        assert users.find_user(admin_actor(), "sally").language == "zh_CN"
        assert app.user is not None and app.user.language == "zh_CN"


def admin_actor():
    from tuicrm.data.core.actor import system_actor

    return system_actor()
