"""Password hashing and the password rule (no database).

argon2id at the OWASP baseline (19 MiB, 2 passes): about 50 ms a check here, far below
scrypt's cost at the same strength.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

from ...i18n import _
from ..core.errors import ValidationError

if TYPE_CHECKING:
    from argon2 import PasswordHasher

MIN_PASSWORD_LENGTH = 8


@lru_cache(maxsize=1)
def hasher() -> PasswordHasher:
    from argon2 import PasswordHasher

    return PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str) -> str:
    return str(hasher().hash(password))


def verify_password(password_hash: str, password: str) -> bool:
    from argon2.exceptions import InvalidHashError, VerificationError

    try:
        return bool(hasher().verify(password_hash, password))
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str) -> bool:
    """Whether a hash was made with weaker parameters than today's (rehashed at login)."""
    return bool(hasher().check_needs_rehash(password_hash))


@lru_cache(maxsize=1)
def dummy_hash() -> str:
    """A hash to check an unknown user's password against: the answer takes as long."""
    return hash_password("not a password of anyone")


def check_password_rules(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationError(
            {"password": _("a password needs at least {n} characters").format(
                n=MIN_PASSWORD_LENGTH)}
        )
