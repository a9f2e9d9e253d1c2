"""The log of unexpected errors: details for whoever fixes them, one line for the user.

A traceback never reaches a user's screen or the command line's stderr: Textual's own error
screen prints the local variables of every frame (a password being checked, a customer's
data), and a traceback tells counter staff nothing. The details go to a file readable only by
its owner; the user sees one line naming that file.

The file is ``$TUICRM_LOG`` when set, else ``tuicrm.log`` in the user's log folder
(``~/.local/state/tuicrm/log/`` on Linux). Frames are written without their local variables.
"""

from __future__ import annotations

import datetime as dt
import os
import traceback
from pathlib import Path

from .i18n import _


def log_path() -> Path:
    """Where unexpected errors are written."""
    env = os.environ.get("TUICRM_LOG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("tuicrm", appauthor=False)) / "tuicrm.log"


def record(error: BaseException, where: str = "") -> Path | None:
    """Append ``error``'s traceback (no local variables) to the log; its path, or None when
    the log cannot be written (a full disk must not turn one error into two)."""
    path = log_path()
    stamp = dt.datetime.now().isoformat(timespec="seconds")
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    text = f"--- {stamp} pid {os.getpid()} {where}\n{''.join(lines)}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        # O_NOFOLLOW: a symlink planted at the log's path is not written through.
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o600)
        with os.fdopen(fd, "a", encoding="utf-8", errors="replace") as f:
            f.write(text)
    except OSError:
        return None
    return path


def one_line(error: BaseException, where: str = "") -> str:
    """Record ``error`` and return the line to show the user."""
    path = record(error, where)
    kind = type(error).__name__
    if path is None:
        return _("Unexpected error ({kind}); nothing more could be logged.").format(kind=kind)
    return _("Unexpected error ({kind}); details in {path}").format(kind=kind, path=path)
