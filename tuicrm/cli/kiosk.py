"""``tuicrm kiosk``: the ForceCommand of an SSH kiosk (T2).

sshd runs it for every login of the kiosk group, whatever the client asked to run. It

- refuses a session without a terminal (``ssh -T``, ``ssh host cmd``: no app spinning on a
  closed input, no shell) with one line;
- ignores the command the client asked for (``SSH_ORIGINAL_COMMAND``): one app per login;
- sets the environment: UTF-8 (``C.UTF-8`` unless the locale already is UTF-8), the colour
  mode (``--colour`` or the kiosk file: ``none`` sets NO_COLOR, ``16``/``256``/``truecolor``
  fix Textual's colour system), no cursor blink (the app's inputs never blink; the terminal's
  own cursor is hidden), ASCII-only drawing with ``--ascii`` (``TUICRM_ASCII=1``: for
  terminals that draw ambiguous-width characters two cells wide);
- picks the database of the OS user from the kiosk file (``/etc/tuicrm/kiosk.conf``)::

      # who            database (an SQLite path or a postgresql:// URL)   colour
      alice            /srv/tuicrm/shop1.db
      @warehouse       postgresql:///tuicrm?host=/run/postgresql          16
      *                /srv/tuicrm/shop1.db                               256

  the first line naming the user, then one of their groups (``@group``), then ``*``;
- and replaces itself with the app (``exec``), so a hang-up reaches the app directly.
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import os
import pwd
import sys
from pathlib import Path
from typing import Any

from ..i18n import _
from .common import CliError, add_db

DEFAULT_CONFIG = "/etc/tuicrm/kiosk.conf"

# The sshd_config block of a kiosk group (``tuicrm kiosk --sshd-config GROUP`` prints it with
# this installation's command; tests/test_ssh_kiosk.py runs a real sshd with it).
SSHD_BLOCK = """\
# tuicrm kiosk: members of {group} get the app and nothing else
Match Group {group}
    ForceCommand {command}
    PermitTTY yes
    DisableForwarding yes
    AllowTcpForwarding no
    AllowStreamLocalForwarding no
    AllowAgentForwarding no
    X11Forwarding no
    PermitTunnel no
    PermitUserRC no
    MaxSessions 1
    ClientAliveInterval 15
    ClientAliveCountMax 4
"""


def sshd_block(group: str, command: str) -> str:
    """The Match block for ``group`` running ``command`` (``tuicrm kiosk ...``)."""
    return SSHD_BLOCK.format(group=group, command=command)
COLOUR_MODES = {"none": None, "16": "standard", "256": "256", "truecolor": "truecolor"}


def _groups_of(user: str) -> set[str]:
    try:
        entry = pwd.getpwnam(user)
    except KeyError:
        return set()
    names = {g.gr_name for g in grp.getgrall() if user in g.gr_mem}
    with contextlib.suppress(KeyError):
        names.add(grp.getgrgid(entry.pw_gid).gr_name)
    return names


def kiosk_entry(config: Path, user: str) -> tuple[str, str | None] | None:
    """(database, colour or None) for ``user`` from the kiosk file, or None if no line fits."""
    groups = _groups_of(user)
    rows: list[tuple[str, str, str | None]] = []
    for number, raw in enumerate(config.read_text(encoding="utf-8").splitlines(), 1):
        line = raw.split("#", 1)[0].split()
        if not line:
            continue
        if len(line) not in (2, 3) or (len(line) == 3 and line[2] not in COLOUR_MODES):
            raise CliError(_("{place}: expected 'who database [colour]'").format(
                place=f"{config}:{number}"))
        rows.append((line[0], line[1], line[2] if len(line) == 3 else None))
    for wanted in ({user}, {f"@{g}" for g in groups}, {"*"}):
        for who, location, colour in rows:
            if who in wanted:
                return location, colour
    return None


def kiosk_environment(environ: dict[str, str], colour: str | None,
                      ascii_style: bool = False) -> dict[str, str]:
    """The environment the app runs in (``ascii_style``: ASCII-only drawing)."""
    env = dict(environ)
    if ascii_style:
        env["TUICRM_ASCII"] = "1"
    for name in ("LC_ALL", "LC_CTYPE", "LANG"):
        value = env.get(name)
        if value:
            if "utf-8" not in value.lower() and "utf8" not in value.lower():
                env["LC_ALL"] = env["LANG"] = "C.UTF-8"
            break
    else:
        env["LANG"] = "C.UTF-8"
    env["PYTHONUTF8"] = "1"
    if not env.get("TERM") or env["TERM"] in ("dumb", "unknown"):
        env["TERM"] = "vt100"
    env.pop("SSH_ORIGINAL_COMMAND", None)
    env.pop("TEXTUAL", None)  # never a developer's console from a client's environment
    if colour == "none":
        env["NO_COLOR"] = "1"
    elif colour:
        env.pop("NO_COLOR", None)
        env["TEXTUAL_COLOR_SYSTEM"] = str(COLOUR_MODES[colour])
    return env


def cmd_kiosk(args: argparse.Namespace) -> int:
    from ..terminal.link import terminal_problem

    if args.sshd_config:
        command = f"{sys.executable} -m tuicrm.cli kiosk"
        print(sshd_block(args.sshd_config, command), end="")
        return 0
    problem = terminal_problem()
    if problem:
        raise CliError(problem)
    user = pwd.getpwuid(os.getuid()).pw_name
    location, colour = getattr(args, "db", None), args.colour
    config = Path(args.config)
    if config.exists():
        entry = kiosk_entry(config, user)
        if entry is None and location is None:
            raise CliError(_("no line for {user} in {config}; ask the administrator").format(
                user=user, config=config))
        if entry is not None:
            location = location or entry[0]
            colour = colour or entry[1]
    location = location or os.environ.get("TUICRM_DB")
    if not location:
        raise CliError(_("no database for {user}: give --db, set TUICRM_DB or add {config}")
                       .format(user=user, config=config))
    env = kiosk_environment(dict(os.environ), colour, args.ascii)
    argv = [sys.executable, "-m", "tuicrm.cli", "--db", location]
    sys.stdout.flush()
    os.execve(sys.executable, argv, env)
    return 0  # not reached


def register(sub: Any) -> None:
    p = sub.add_parser("kiosk", help=_("run the app as an SSH kiosk's ForceCommand"))
    add_db(p)
    p.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE",
                   help=_("kiosk file: database and colour per user or group (default {file})")
                   .format(file=DEFAULT_CONFIG))
    p.add_argument("--colour", choices=sorted(COLOUR_MODES), default=None,
                   help=_("colour mode (default: the kiosk file's, else the terminal's)"))
    p.add_argument("--ascii", action="store_true",
                   help=_("draw only ASCII: for terminals that show ambiguous-width "
                          "characters two cells wide"))
    p.add_argument("--sshd-config", metavar="GROUP",
                   help=_("print the sshd_config block for the kiosk group GROUP and exit"))
    p.epilog = _("Put it in sshd_config as the ForceCommand of the kiosk group; it refuses "
                 "sessions without a terminal and ignores the command a client asks for.")
    p.set_defaults(func=cmd_kiosk)
