"""``tuicrm kiosk``, the SSH kiosk's ForceCommand (issue 16): the database and colour per user
or group from the kiosk file, a UTF-8 environment, no client command, and one line without a
terminal."""

from __future__ import annotations

import grp
import os
import pwd
import subprocess
import sys

import pytest

from tuicrm.cli.common import CliError
from tuicrm.cli.kiosk import kiosk_entry, kiosk_environment

ME = pwd.getpwuid(os.getuid()).pw_name
MY_GROUP = grp.getgrgid(os.getgid()).gr_name


def test_the_user_line_wins_then_a_group_then_everyone(tmp_path):
    conf = tmp_path / "kiosk.conf"
    conf.write_text(f"# who  database  colour\n*  /srv/all.db 256\n@{MY_GROUP} /srv/group.db 16\n"
                    f"{ME}  /srv/me.db  # no colour\n", encoding="utf-8")
    assert kiosk_entry(conf, ME) == ("/srv/me.db", None)
    conf.write_text(f"*  /srv/all.db 256\n@{MY_GROUP} /srv/group.db 16\n", encoding="utf-8")
    assert kiosk_entry(conf, ME) == ("/srv/group.db", "16")
    conf.write_text("*  /srv/all.db none\nsomeone-else /srv/x.db\n", encoding="utf-8")
    assert kiosk_entry(conf, ME) == ("/srv/all.db", "none")
    conf.write_text("someone-else /srv/x.db\n", encoding="utf-8")
    assert kiosk_entry(conf, ME) is None


def test_a_bad_line_is_named(tmp_path):
    conf = tmp_path / "kiosk.conf"
    conf.write_text("alice /srv/a.db purple\n", encoding="utf-8")
    with pytest.raises(CliError, match="kiosk.conf:1"):
        kiosk_entry(conf, "alice")


def test_the_environment_is_utf8_with_the_colour_mode_and_no_client_command():
    env = kiosk_environment({"LANG": "en_US.ISO-8859-1", "TERM": "dumb",
                             "SSH_ORIGINAL_COMMAND": "bash", "TEXTUAL": "devtools"}, "none")
    assert env["LC_ALL"] == env["LANG"] == "C.UTF-8" and env["PYTHONUTF8"] == "1"
    assert env["NO_COLOR"] == "1" and env["TERM"] == "vt100"
    assert "SSH_ORIGINAL_COMMAND" not in env and "TEXTUAL" not in env
    env = kiosk_environment({"LANG": "zh_CN.UTF-8", "TERM": "xterm", "NO_COLOR": "1"}, "16")
    assert env["LANG"] == "zh_CN.UTF-8" and "LC_ALL" not in env
    assert env["TEXTUAL_COLOR_SYSTEM"] == "standard" and "NO_COLOR" not in env


def test_without_a_terminal_the_kiosk_refuses_with_one_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "kiosk", "--db",
                           str(tmp_path / "x.db")], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert len(done.stderr.strip().splitlines()) == 1 and "needs a terminal" in done.stderr


def test_ascii_drawing_is_passed_on_to_the_app():
    """--ascii on the ForceCommand: the app draws only ASCII (Chinese terminals)."""
    assert kiosk_environment({"LANG": "zh_CN.UTF-8"}, None, ascii_style=True)["TUICRM_ASCII"] == "1"
    assert "TUICRM_ASCII" not in kiosk_environment({"LANG": "zh_CN.UTF-8"}, None)
