"""The SSH kiosk end to end (issue 16): a real OpenSSH server on 127.0.0.1 with the sshd_config
block ``tuicrm kiosk --sshd-config`` prints, a real ssh client in a pseudo-terminal.

A login gets the app (whatever command the client asked for); ``ssh -T`` gets one line and
exit 1; a forwarding is refused; a dropped connection ends the app on the server. Skipped
where there is no sshd (``apt-get install openssh-server openssh-client``).
"""

from __future__ import annotations

import contextlib
import grp
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.terminal import Terminal
from tuicrm.cli.kiosk import sshd_block

pytestmark = pytest.mark.pty

SSHD = shutil.which("sshd") or ("/usr/sbin/sshd" if Path("/usr/sbin/sshd").exists() else None)
SSH = shutil.which("ssh")
if SSHD is None or SSH is None:
    pytest.skip("no OpenSSH server or client here", allow_module_level=True)

USER = pwd.getpwuid(os.getuid()).pw_name
GROUP = grp.getgrgid(os.getgid()).gr_name


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _app_pids(db: str) -> list[int]:
    """Processes running the app on ``db`` (the server side of a kiosk session)."""
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            with contextlib.suppress(OSError):
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                if b"tuicrm.cli" in argv and db.encode() in argv:
                    pids.append(int(entry.name))
    return pids


@pytest.fixture
def kiosk(tmp_path, db, admin):
    """An sshd on a free port of 127.0.0.1 whose kiosk group is the test user's group."""
    from tuicrm.data.core import db as dbmod

    dbmod.close()
    if os.geteuid() == 0:
        Path("/run/sshd").mkdir(mode=0o755, exist_ok=True)  # sshd's privilege separation
    for name in ("host_key", "client_key"):
        subprocess.run(["ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f",
                        str(tmp_path / name)], check=True)
    (tmp_path / "authorized_keys").write_text((tmp_path / "client_key.pub").read_text())
    port = _free_port()
    command = f"{sys.executable} -m tuicrm.cli kiosk --db {db} --config {tmp_path}/none.conf"
    config = tmp_path / "sshd_config"
    config.write_text(
        f"Port {port}\nListenAddress 127.0.0.1\nHostKey {tmp_path}/host_key\n"
        f"PidFile {tmp_path}/sshd.pid\nAuthorizedKeysFile {tmp_path}/authorized_keys\n"
        "PasswordAuthentication no\nKbdInteractiveAuthentication no\nUsePAM no\n"
        "StrictModes no\nPermitRootLogin prohibit-password\nLogLevel VERBOSE\n"
        + sshd_block(GROUP, command))
    subprocess.run([SSHD, "-t", "-f", str(config)], check=True)
    with open(tmp_path / "sshd.log", "wb") as log:
        server = subprocess.Popen([SSHD, "-D", "-e", "-f", str(config)], stderr=log)
    deadline = time.monotonic() + 10
    while True:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
            break
        if time.monotonic() > deadline:
            pytest.fail("sshd did not start: " + (tmp_path / "sshd.log").read_text())
        time.sleep(0.05)
    client = [SSH, "-i", str(tmp_path / "client_key"), "-p", str(port), "-o", "BatchMode=yes",
              "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
              "-o", "LogLevel=ERROR"]
    try:
        yield client, f"{USER}@127.0.0.1", db
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(10)


def _wait_gone(db: str, timeout: float = 10.0) -> float | None:
    start = time.monotonic()
    while time.monotonic() - start < timeout:
        if not _app_pids(db):
            return time.monotonic() - start
        time.sleep(0.05)
    return None


def test_a_login_gets_the_app_and_a_dropped_link_ends_it(kiosk, password):
    client, target, db = kiosk
    term = Terminal([*client, "-tt", target, "bash", "-i"])  # the asked-for shell is ignored
    try:
        term.wait_for("log in")
        term.write(f"admin\t{password}\r")
        term.wait_for("Today, ")
        assert _app_pids(db), "the app runs on the server"
        os.kill(term.child.pid, signal.SIGKILL)  # the client vanishes: the link drops
        gone_after = _wait_gone(db)
    finally:
        term.close()
    assert gone_after is not None, "the app outlived the SSH connection"
    print(f"app gone {gone_after:.2f} s after the client vanished")


def test_a_session_without_a_terminal_gets_one_line(kiosk):
    client, target, db = kiosk
    done = subprocess.run([*client, "-T", target], stdin=subprocess.DEVNULL,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 1
    assert done.stderr.strip().splitlines() == [
        "tuicrm: the app needs a terminal and its input is not one (use 'ssh -t', or a "
        "command: 'tuicrm --help')"]
    assert not _app_pids(db)


def test_forwarding_is_refused(kiosk):
    client, target, _db = kiosk
    done = subprocess.run([*client, "-T", "-N", "-o", "ExitOnForwardFailure=yes",
                           "-R", f"{_free_port()}:127.0.0.1:22", target],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
    assert "forwarding failed" in done.stderr


def test_the_kiosk_block_is_what_sshd_accepts():
    """The printed block is valid sshd_config (sshd -t), so the README's copy works."""
    done = subprocess.run([sys.executable, "-m", "tuicrm.cli", "kiosk", "--sshd-config",
                           "tuicrm-kiosk"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0
    assert "Match Group tuicrm-kiosk" in done.stdout and "ForceCommand" in done.stdout
    assert "DisableForwarding yes" in done.stdout
