"""Users: creating them, logging in (with lock-out), passwords and roles."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from ..core import audit
from ..core.actor import Actor, system_actor
from ..core.db import write
from ..core.errors import AuthError, NotFound, ValidationError
from ..core.permissions import ROLES, require
from ..models import LoginEvent, User, now

MAX_FAILED_LOGINS = 5
LOCK_MINUTES = 15
MIN_PASSWORD_LENGTH = 8


@lru_cache(maxsize=1)
def _hasher():
    # argon2id at the OWASP baseline (19 MiB, 2 passes): ~50 ms here, far below scrypt's cost.
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return _hasher().hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return _hasher().verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return hash_password("not a password of anyone")


def _clean_username(username: str) -> str:
    name = (username or "").strip().lower()
    if not name:
        raise ValidationError({"username": "a user name is required"})
    if len(name) > 40 or not all(c.isalnum() or c in "._-" for c in name):
        raise ValidationError(
            {"username": "use up to 40 letters, digits, dots, dashes or underscores"}
        )
    return name


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": f"a password needs at least {MIN_PASSWORD_LENGTH} characters"}
        )


def _check_role(role: str) -> None:
    if role not in ROLES:
        raise ValidationError({"role": f"unknown role {role!r}; one of: {', '.join(ROLES)}"})


def has_users() -> bool:
    return User.select().exists()


def get_user(user_id: int) -> User:
    user = User.get_or_none(User.id == user_id)
    if user is None:
        raise NotFound(f"user #{user_id} does not exist")
    return user


def find_user(username: str) -> User:
    user = User.get_or_none(User.username == (username or "").strip().lower())
    if user is None:
        raise NotFound(f"no user named {username!r}")
    return user


def list_users() -> list[User]:
    return list(User.select().order_by(User.username))


def _insert_user(
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str,
    department: str,
    *,
    first: bool = False,
) -> User:
    name = _clean_username(username)
    check_password_rules(password)
    _check_role(role)
    password_hash = hash_password(password)  # slow: outside the write transaction
    with write():
        # Checked again here, in the same transaction as the insert: another session may have
        # set the database up while the password was being hashed.
        if first and has_users():
            raise ValidationError(_HAS_USERS)
        if User.select().where(User.username == name).exists():
            raise ValidationError({"username": f"user {name!r} already exists"})
        user = User.create(
            username=name,
            full_name=(full_name or "").strip(),
            department=(department or "").strip(),
            role=role,
            password_hash=password_hash,
        )
        audit.record(
            actor, "user", user.id, "create",
            {"username": name, "role": role, "full_name": user.full_name},
        )
    return user


_HAS_USERS = "this database already has users; log in instead"


def create_first_admin(username: str, password: str, full_name: str = "") -> User:
    """The administrator of a brand-new database; refused once any user exists."""
    if has_users():  # fail fast, before the slow hash; _insert_user checks again
        raise ValidationError(_HAS_USERS)
    return _insert_user(system_actor(), username, password, "admin", full_name, "", first=True)


def create_user(
    actor: Actor,
    username: str,
    password: str,
    role: str,
    full_name: str = "",
    department: str = "",
) -> User:
    """Add a user. ``actor`` None is for the command line run by the server's owner."""
    require(actor, "user.manage")
    return _insert_user(actor, username, password, role, full_name, department)


def update_user(
    actor: Actor,
    user_id: int,
    *,
    role: str | None = None,
    active: bool | None = None,
    full_name: str | None = None,
    department: str | None = None,
) -> User:
    require(actor, "user.manage")
    values: dict[str, object] = {}
    if role is not None:
        _check_role(role)
        values["role"] = role
    if active is not None:
        values["active"] = active
    if full_name is not None:
        values["full_name"] = full_name.strip()
    if department is not None:
        values["department"] = department.strip()
    with write():
        user = get_user(user_id)
        if user.id == actor.id and (
            values.get("active") is False or values.get("role", "admin") != "admin"
        ):
            raise ValidationError("you cannot disable yourself or take away your own admin role")
        if user.role == "admin" and (
            values.get("active") is False or values.get("role", "admin") != "admin"
        ):
            others = User.select().where(
                (User.role == "admin") & User.active & (User.id != user.id)
            )
            if not others.exists():
                raise ValidationError("the last active administrator must stay an active admin")
        changes = audit.diff(user, values)
        if changes:
            User.update(**values).where(User.id == user.id).execute()
            if "active" in values and values["active"]:
                User.update(failed_logins=0, locked_until=None).where(User.id == user.id).execute()
            audit.record(actor, "user", user.id, "update", changes)
    return get_user(user_id)


def reset_password(actor: Actor, user_id: int, new_password: str) -> None:
    """An administrator sets someone's password (also unlocks a locked-out account)."""
    require(actor, "user.manage")
    check_password_rules(new_password)
    new_hash = hash_password(new_password)
    with write():
        user = get_user(user_id)
        User.update(password_hash=new_hash, failed_logins=0, locked_until=None).where(
            User.id == user.id
        ).execute()
        audit.record(actor, "user", user.id, "reset_password", {})


def change_own_password(user: User, old_password: str, new_password: str) -> None:
    fresh = get_user(user.id)
    if not verify_password(fresh.password_hash, old_password):
        raise ValidationError({"old_password": "the current password is not right"})
    check_password_rules(new_password)
    if new_password == old_password:
        raise ValidationError({"password": "the new password is the same as the old one"})
    new_hash = hash_password(new_password)
    with write():
        User.update(password_hash=new_hash).where(User.id == user.id).execute()
        audit.record(user, "user", user.id, "change_password", {})


def _log(username: str, user: User | Actor | None, event: str, detail: str) -> None:
    LoginEvent.create(username=username[:80], user=user.id if user is not None else None,
                      event=event, detail=detail[:200])


def authenticate(username: str, password: str, detail: str = "") -> User:
    """Log in. Five failures in a row lock the account for 15 minutes, in every process,
    because the count lives in the database. Every attempt is recorded."""
    name = (username or "").strip().lower()
    user = User.get_or_none(User.username == name) if name else None
    if user is None:
        verify_password(_dummy_hash(), password or "")  # same time as a real check
        with write():
            _log(name, None, "failure", "unknown user " + detail)
        raise AuthError("wrong user name or password")
    if not user.active:
        with write():
            _log(name, user, "failure", "disabled " + detail)
        raise AuthError("this account is disabled; ask an administrator")

    ok = verify_password(user.password_hash, password or "")  # slow: outside the transaction
    t = now()
    locked_until: dt.datetime | None = None
    with write():
        fresh = User.get_by_id(user.id)
        if fresh.locked_until is not None and fresh.locked_until > t:
            locked_until = fresh.locked_until
            _log(name, user, "failure", "locked " + detail)
        elif ok:
            User.update(failed_logins=0, locked_until=None, last_login_at=t).where(
                User.id == user.id
            ).execute()
            _log(name, user, "login", detail)
        else:
            User.update(failed_logins=User.failed_logins + 1).where(User.id == user.id).execute()
            _log(name, user, "failure", "wrong password " + detail)
            if User.get_by_id(user.id).failed_logins >= MAX_FAILED_LOGINS:
                locked_until = t + dt.timedelta(minutes=LOCK_MINUTES)
                User.update(failed_logins=0, locked_until=locked_until).where(
                    User.id == user.id
                ).execute()
                _log(name, user, "locked", f"{MAX_FAILED_LOGINS} failed logins")
    # Raise only after the transaction has committed the failure count.
    if locked_until is not None:
        raise AuthError(
            f"account locked until {locked_until:%H:%M} after {MAX_FAILED_LOGINS} failed "
            "logins; ask an administrator to unlock it sooner"
        )
    if not ok:
        raise AuthError("wrong user name or password")
    if _hasher().check_needs_rehash(user.password_hash):
        with write():
            User.update(password_hash=hash_password(password)).where(User.id == user.id).execute()
    return User.get_by_id(user.id)


def record_session_event(user: User, event: str, detail: str = "") -> None:
    """Log out / lock / unlock, for the login log."""
    with write():
        _log(user.username, user, event, detail)
