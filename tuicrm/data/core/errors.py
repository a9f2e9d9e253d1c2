"""Errors raised by business operations.

Every error a user can cause carries a message fit to show as it is; screens and the command
line print ``str(error)`` and nothing else (no tracebacks).
"""

from __future__ import annotations


class TuicrmError(Exception):
    """Base of every error the operations raise on purpose."""


class DatabaseError(TuicrmError):
    """The database cannot be opened or used (missing, corrupt, locked, too new, ...)."""


class SchemaTooNew(DatabaseError):
    """The database was written by a newer tuicrm."""


class PermissionDenied(TuicrmError):
    """The operator's role does not allow the action."""


class NotFound(TuicrmError):
    """A record the operation needs does not exist."""


class Conflict(TuicrmError):
    """Another user changed or deleted the record since it was read."""


class InUse(TuicrmError):
    """A record cannot be deleted because others refer to it; ``refs`` maps what -> count."""

    def __init__(self, message: str, refs: dict[str, int] | None = None) -> None:
        super().__init__(message)
        self.refs = dict(refs or {})


class InsufficientStock(TuicrmError):
    """Selling or moving more than is on hand."""


class AuthError(TuicrmError):
    """Login failed: wrong name or password, disabled or locked account."""


class ValidationError(TuicrmError):
    """One or more fields are wrong; ``errors`` maps a field name to its message."""

    def __init__(self, errors: dict[str, str] | str) -> None:
        if isinstance(errors, str):
            errors = {"": errors}
        self.errors = dict(errors)
        text = "; ".join(f"{k}: {v}" if k else v for k, v in self.errors.items())
        super().__init__(text)
