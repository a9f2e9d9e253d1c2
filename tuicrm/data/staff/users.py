"""Users: creating them, logging in (with lock-out), passwords and roles.

The operations (``create_user``, ``update_user``, ``reset_password``, ``change_own_password``
and the readers) take an ``Actor`` like every other operation. Two things happen before there
is one and are plain functions: logging in (``authenticate``, which returns the ``Actor`` the
app then holds) and setting up the administrator of a new database (``create_first_admin``).
Screens get ``UserRow``s and ``UserChoice``s, never user records.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from ...i18n import LANGUAGES, N_, _
from ..core import clock
from ..core.actor import Actor, system_actor
from ..core.db import write
from ..core.errors import AuthError, Conflict, NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..core.permissions import ACTIONS, grants
from ..core.roles import ROLES
from ..core.vocab import Role
from ..models.users import LoginEvent, User
from .passwords import (
    MIN_PASSWORD_LENGTH,
    check_password_rules,
    dummy_hash,
    hash_password,
    needs_rehash,
    verify_password,
)

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15

__all__ = [
    "LOCK_MINUTES",
    "MAX_FAILED_LOGINS",
    "MIN_PASSWORD_LENGTH",
    "UserChoice",
    "UserRow",
    "authenticate",
    "change_own_password",
    "check_password_rules",
    "create_first_admin",
    "create_user",
    "find_user",
    "get_user",
    "has_users",
    "hash_password",
    "list_users",
    "permissions_of",
    "record_session_event",
    "reset_password",
    "update_user",
    "user_choices",
    "verify_password",
]


@dataclass(frozen=True)
class UserRow:
    """A user as the Users screen and ``tuicrm user list`` show them."""

    id: int
    username: str
    full_name: str
    department: str
    role: Role
    active: bool
    locked_until: dt.datetime | None
    last_login_at: dt.datetime | None
    language: str = ""  # "" = the site's / the environment's
    phone: str = ""

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    def status(self, at: dt.datetime | None = None) -> str:
        """``active``, ``disabled`` or ``locked until 09:15``."""
        at = at or clock.now()
        if self.locked_until is not None and self.locked_until > at:
            return f"locked until {self.locked_until:%H:%M}"
        return "active" if self.active else "disabled"

    @property
    def actor(self) -> Actor:
        return Actor(id=self.id, username=self.username, role=self.role,
                     full_name=self.full_name, language=self.language)


@dataclass(frozen=True)
class UserChoice:
    """Someone to pick in a form (a salesperson, whose reminder it is, who gets a notice)."""

    id: int
    username: str
    full_name: str

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def label(self) -> str:
        return f"{self.username}: {self.display_name}"


def _row(u: User) -> UserRow:
    return UserRow(u.id, u.username, u.full_name, u.department, Role(u.role), bool(u.active),
                   u.locked_until, u.last_login_at, u.language or "", u.phone)


def _user(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(_("user #{id} does not exist").format(id=user_id))
    return user


def _clean_phone(phone: str) -> str:
    text = phone.strip()
    if len(text) > 40:
        raise ValidationError({"phone": _("at most 40 characters")})
    if not all(c.isdigit() or c in " +-()/.,#xX分机转" for c in text):
        raise ValidationError({"phone": _("digits, spaces and + - ( ) / . , # only")})
    return text


def _clean_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not name:
        raise ValidationError({"username": _("a user name is required")})
    if len(name) > 40 or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationError(
            {"username": _("use up to 40 letters, digits, dots, dashes or underscores")}
        )
    return name


def _role(role: str) -> Role:
    if role not in ROLES:
        raise ValidationError({"role": _("unknown role {role!r}; one of: {roles}").format(
            role=role, roles=", ".join(ROLES))})
    return Role(role)


# -- reading -----------------------------------------------------------------------------------


@reader("user.manage")
def list_users(op: Op) -> list[UserRow]:
    """Everyone who can (or could) log in, by user name."""
    return [_row(u) for u in User.select().order_by(User.username)]


@reader("user.manage")
def get_user(op: Op, user_id: int) -> UserRow:
    return _row(_user(user_id))


@reader("user.manage")
def find_user(op: Op, username: str) -> UserRow:
    user = User.get_or_none(User.username == (username or "").strip().lower())
    if user is None:
        raise NotFound(_("no user named {name!r}").format(name=username))
    return _row(user)


@reader(None)
def user_choices(op: Op) -> list[UserChoice]:
    """The active users, by user name: whom a form may name (any user may see who works
    here, not their role or status)."""
    query = (User.select(User.id, User.username, User.full_name)
             .where(User.active == True)  # noqa: E712 - SQL, not Python truth
             .order_by(User.username).tuples().execute())
    return [UserChoice(uid, name, full) for uid, name, full in query]


@reader(None)
def permissions_of(op: Op) -> frozenset[str]:
    """What the actor may do now, read in one go (Home and the palette show only these)."""
    if op.actor.system:
        return frozenset(ACTIONS)
    role = User.select(User.role).where(User.id == op.actor.id).scalar()
    return frozenset(grants(role)) if role else frozenset()


# -- changing ----------------------------------------------------------------------------------


def _insert(op: Op, name: str, password_hash: str, role: Role, full_name: str,
            department: str) -> UserRow:
    if User.select().where(User.username == name).exists():
        raise ValidationError({"username": _("user {name!r} already exists").format(name=name)})
    user = User.create(username=name, full_name=(full_name or "").strip(),
                       department=(department or "").strip(), role=role.value,
                       password_hash=password_hash)
    op.audit("user", user.id, "create",
             {"username": name, "role": role.value, "full_name": user.full_name})
    return _row(user)


@operation("user.manage")
def create_user(op: Op, username: str, password: str, role: str, full_name: str = "",
                department: str = "") -> UserRow:
    """Add a user. The password is hashed inside the transaction (about 50 ms): adding users
    is rare, and the permission is checked before any of that work."""
    name = _clean_username(username)
    check_password_rules(password)
    checked_role = _role(role)
    return _insert(op, name, hash_password(password), checked_role, full_name, department)


_HAS_USERS = N_("this database already has users; log in instead")


@operation("user.manage")
def _set_up_admin(op: Op, name: str, password_hash: str, full_name: str) -> UserRow:
    # Checked again in the insert's transaction: another session may have set the database
    # up while the password was being hashed.
    if has_users():
        raise ValidationError(_(_HAS_USERS))
    return _insert(op, name, password_hash, Role.ADMIN, full_name, "")


def create_first_admin(username: str, password: str, full_name: str = "") -> UserRow:
    """The administrator of a brand-new database (set-up screen, ``tuicrm init``); refused
    once any user exists. Audited as the system actor."""
    if has_users():  # fail fast, before the slow hash
        raise ValidationError(_(_HAS_USERS))
    name = _clean_username(username)
    check_password_rules(password)
    password_hash = hash_password(password)  # slow: before the write transaction
    return _set_up_admin(system_actor(), name, password_hash, full_name)


def _keeps_an_admin(op: Op, user: User, values: dict[str, Any]) -> None:
    loses_admin = values.get("active") is False or values.get("role", Role.ADMIN) != Role.ADMIN
    if not loses_admin:
        return
    if user.id == op.actor.id:
        raise ValidationError(_("you cannot disable yourself or take away your own admin role"))
    if user.role == Role.ADMIN:
        others = User.select().where(
            (User.role == Role.ADMIN.value) & User.active & (User.id != user.id)
        )
        if not others.exists():
            raise ValidationError(_("the last active administrator must stay an active admin"))


@operation("user.manage")
def update_user(
    op: Op,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    full_name: str | None = None,
    department: str | None = None,
    language: str | None = None,
    phone: str | None = None,
) -> UserRow:
    """Change a user's role, name, department or telephone, or disable / enable them
    (enabling also clears a lock-out). The last active administrator stays one."""
    values: dict[str, Any] = {}
    if role is not None:
        values["role"] = _role(role).value
    if active is not None:
        values["active"] = active
    if full_name is not None:
        values["full_name"] = full_name.strip()
    if department is not None:
        values["department"] = department.strip()
    if language is not None:
        values["language"] = _language(language)
    if phone is not None:
        values["phone"] = _clean_phone(phone)
    user = _user(user_id)
    _keeps_an_admin(op, user, values)
    changes = {k: (getattr(user, k), v) for k, v in values.items() if getattr(user, k) != v}
    if changes:
        extra = {"failed_logins": 0, "locked_until": None} if values.get("active") else {}
        # Conditional on the role read above: a concurrent demotion cannot slip past the
        # last-admin rule on PostgreSQL.
        n = (User.update(**values, **extra)
             .where((User.id == user.id) & (User.role == user.role)
                    & (User.active == user.active)).execute())
        if n != 1:
            raise Conflict(_("user {name} was changed by someone else; look again").format(
                name=user.username))
        op.audit("user", user.id, "update", changes)
    return _row(_user(user_id))


@operation("user.manage")
def reset_password(op: Op, user_id: int, new_password: str) -> None:
    """An administrator sets someone's password (also unlocks a locked-out account)."""
    check_password_rules(new_password)
    user = _user(user_id)
    User.update(password_hash=hash_password(new_password), failed_logins=0,
                locked_until=None).where(User.id == user.id).execute()
    op.audit("user", user.id, "reset_password", {})


@operation(None)
def change_own_password(op: Op, old_password: str, new_password: str) -> None:
    """Any user changes their own password, knowing the current one."""
    if op.actor.id is None:
        raise ValidationError(_("the command line has no password; use 'tuicrm user passwd'"))
    me = _user(op.actor.id)
    if not verify_password(me.password_hash, old_password):
        raise ValidationError({"old_password": _("the current password is not right")})
    check_password_rules(new_password)
    if new_password == old_password:
        raise ValidationError({"password": _("the new password is the same as the old one")})
    updated = (User.update(password_hash=hash_password(new_password))
               .where((User.id == me.id) & (User.password_hash == me.password_hash))
               .execute())
    if updated != 1:
        raise ValidationError({"old_password": _("the password was changed meanwhile; try again")})
    op.audit("user", me.id, "change_password", {})


@operation(None)
def set_own_language(op: Op, language: str) -> UserRow:
    """Any user chooses the language their sessions speak ("" = the site's)."""
    if op.actor.id is None:
        raise ValidationError(_("the command line has no user; use 'tuicrm --lang'"))
    me = _user(op.actor.id)
    new = _language(language)
    if me.language != new:
        User.update(language=new).where(User.id == me.id).execute()
        op.audit("user", me.id, "update", {"language": (me.language, new)})
    return _row(User.get_by_id(me.id))


def _language(code: str) -> str:
    if code and code not in LANGUAGES:
        raise ValidationError({"language": _("choose one of {languages} (or none)").format(
            languages=", ".join(LANGUAGES))})
    return code


# -- logging in (before there is an actor) -----------------------------------------------------


def has_users() -> bool:
    return bool(User.select().exists())


def _log(username: str, user_id: int | None, event: str, detail: str) -> None:
    LoginEvent.create(username=username[:80], user=user_id, event=event, detail=detail[:200])


def authenticate(username: str, password: str, detail: str = "") -> Actor:
    """Log in; the ``Actor`` of the session. Five failures in a row lock the account for 15
    minutes, in every process, because the count lives in the database. Every attempt is
    recorded."""
    name = (username or "").strip().lower()
    user = User.get_or_none(User.username == name) if name else None
    if user is None:
        verify_password(dummy_hash(), password or "")  # same time as a real check
        with write():
            _log(name, None, "failure", "unknown user " + detail)
        raise AuthError(_("wrong user name or password"))
    if not user.active:
        with write():
            _log(name, user.id, "failure", "disabled " + detail)
        raise AuthError(_("this account is disabled; ask an administrator"))

    ok = verify_password(user.password_hash, password or "")  # slow: outside the transaction
    t = clock.now()
    locked_until: dt.datetime | None = None
    with write():
        fresh = User.get_by_id(user.id)
        if fresh.locked_until is not None and fresh.locked_until > t:
            locked_until = fresh.locked_until
            _log(name, user.id, "failure", "locked " + detail)
        elif ok:
            User.update(failed_logins=0, locked_until=None, last_login_at=t).where(
                User.id == user.id
            ).execute()
            _log(name, user.id, "login", detail)
        else:
            User.update(failed_logins=User.failed_logins + 1).where(User.id == user.id).execute()
            _log(name, user.id, "failure", "wrong password " + detail)
            if User.get_by_id(user.id).failed_logins >= MAX_FAILED_LOGINS:
                locked_until = t + dt.timedelta(minutes=LOCK_MINUTES)
                User.update(failed_logins=0, locked_until=locked_until).where(
                    User.id == user.id
                ).execute()
                _log(name, user.id, "locked", f"{MAX_FAILED_LOGINS} failed logins")
    # Raise only after the transaction has committed the failure count.
    if locked_until is not None:
        raise AuthError(
            _("account locked until {time} after {n} failed logins; ask an administrator to "
              "unlock it sooner").format(time=f"{locked_until:%H:%M}", n=MAX_FAILED_LOGINS)
        )
    if not ok:
        raise AuthError(_("wrong user name or password"))
    if needs_rehash(user.password_hash):
        new_hash = hash_password(password)
        with write():
            User.update(password_hash=new_hash).where(User.id == user.id).execute()
    return _row(User.get_by_id(user.id)).actor


def record_session_event(actor: Actor, event: str, detail: str = "") -> None:
    """Log out / lock / unlock, for the login log (session bookkeeping, not audited)."""
    with write():
        _log(actor.username, actor.id, event, detail)
