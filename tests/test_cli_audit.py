"""The command line changes users as the OS account that ran it, named in the audit trail
(from the real user id: ``USER=someone-else`` does not change it)."""

from __future__ import annotations

import os
import pwd
import subprocess
import sys


def test_cli_role_change_is_audited_with_the_os_account(db, admin, make_user):
    from tuicrm.data.core import db as dbmod
    from tuicrm.data.models import AuditLog

    make_user("sales", "bob")
    dbmod.close()
    env = dict(os.environ, USER="mallory", LOGNAME="mallory")
    env.pop("SUDO_USER", None)
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "user", "role", "bob",
                           "manager", "--db", db], env=env, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    from tuicrm.data.core.schema import open_db

    open_db(db)
    row = AuditLog.select().order_by(AuditLog.id.desc()).first()
    assert row.username == f"system:{pwd.getpwuid(os.getuid()).pw_name}"
    assert "mallory" not in row.username
