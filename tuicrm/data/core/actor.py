"""Who performs an operation: the logged-in user, or the command line on behalf of an OS user.

Every operation takes an ``Actor`` as its first argument; there is no "nobody" that skips the
checks. An ``Actor`` is a plain frozen value (no database handle), so a screen can hold it and
hand it to a worker thread. Its role is what it was at login: the permission check reads the
current role and the active flag from the database each time (``permissions.allowed``), so
disabling or demoting someone takes effect in their open sessions at once.

The command line acts as the **system actor**: whoever can run ``tuicrm`` against the database
file already holds every row, so it may do everything; the audit trail records it as
``system:<OS user>`` (``getpass.getuser()``), so a password reset from a shell still names
who did it.
"""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .vocab import Role

if TYPE_CHECKING:
    from ..models import User


@dataclass(frozen=True, slots=True)
class Actor:
    """A user as operations see them. ``id`` is None only for the system actor."""

    id: int | None
    username: str
    role: Role
    full_name: str = ""
    system: bool = False
    language: str = ""  # the user's interface language; "" = the site's / the environment's

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def audit_name(self) -> str:
        """What the audit trail records as "who"."""
        return self.username

    def __str__(self) -> str:
        return self.username


def os_account() -> str:
    """Who runs this process, for the audit trail: the account of the real user id (not
    ``$USER``/``$LOGNAME``, which anyone can set), and the account that used sudo."""
    try:
        import pwd

        name = pwd.getpwuid(os.getuid()).pw_name
    except (ImportError, KeyError):  # no password database entry (a bare container uid)
        try:
            name = getpass.getuser()
        except Exception:  # noqa: BLE001 - nothing to go on
            name = f"uid {os.getuid()}" if hasattr(os, "getuid") else "unknown"
    sudo = os.environ.get("SUDO_USER", "").strip() if os.getuid() == 0 else ""
    return f"{name} (sudo by {sudo})" if sudo and sudo != name else name


def system_actor(os_user: str | None = None) -> Actor:
    """The command line (or set-up code such as migrations and the demo builder)."""
    if os_user is None:
        os_user = os_account()
    return Actor(id=None, username=f"system:{os_user}", role=Role.ADMIN, system=True)


def actor_of(user: User) -> Actor:
    """The actor for a user row (after login, or in tests)."""
    return Actor(id=user.id, username=user.username, role=Role(user.role),
                 full_name=user.full_name, language=user.language or "")
