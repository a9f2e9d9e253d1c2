"""One way to write an operation: an explicit actor, its permission and row scope checked, one
transaction, an audit record through the same object.

A business operation is a function whose first parameter is an ``Op``; decorated, it is called
with an ``Actor`` instead::

    @operation("customer.edit", scoped={"customer_id": CUSTOMERS})
    def rename_customer(op: Op, customer_id: int, name: str) -> CustomerRow:
        customer = load_customer(op, customer_id)      # inside the transaction
        ...
        op.audit("customer", customer.id, "update", {"name": (customer.name, name)})

    rename_customer(actor, 42, "华兴包装")   # PermissionDenied, NotFound, ValidationError, ...

Before the body runs, the decorator

1. refuses anything but an ``Actor`` (there is no "nobody" that skips the checks);
2. checks the permission (any one of several, when the right one depends on the record; the
   body then checks the exact one with ``op.require``);
3. opens the write transaction (``writes=True``; readers run without one);
4. cleans every string argument (``core/text.clean``: no control characters, one line
   except in notes and addresses), so user text is clean at the door whatever the screen,
   command or import that sent it;
5. checks every ``scoped`` parameter: the ids it holds must be within the actor's reach (a
   salesperson's own customers and their orders), else ``NotFound`` ("does not exist or is
   not yours": the same answer as for a missing record, so scope leaks nothing).

On PostgreSQL a transaction that lost a deadlock or serialisation race is run again (up to
``RETRIES`` times); on SQLite write transactions begin IMMEDIATE and queue instead.

Every decorated function is listed in ``OPERATIONS`` with its permission and scoped
parameters; a test walks that list and proves each one refuses a user without the permission
and a salesperson outside their scope.
"""

from __future__ import annotations

import functools
import inspect
import random
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Concatenate, ParamSpec, TypeVar

import peewee

from . import audit, db, faults
from .actor import Actor
from .errors import PermissionDenied
from .permissions import allowed, as_actor, require, require_active, require_any
from .text import clean_value

P = ParamSpec("P")
R = TypeVar("R")

RETRIES = 5  # PostgreSQL: attempts at a transaction that lost a deadlock / serialisation race


@dataclass(frozen=True)
class Scope:
    """A kind of record an actor may reach only in part, e.g. a salesperson's own customers.

    ``check(actor, ids)`` raises ``NotFound`` unless every id exists and is within the
    actor's reach (it runs inside the operation's transaction).
    """

    name: str
    check: Callable[[Actor, list[int]], None] = field(repr=False)


@dataclass
class OperationInfo:
    """What the decorator knows about an operation (for the permission walk and the docs)."""

    name: str  # module.function
    permissions: tuple[str, ...]  # any one of them lets the body run; () = any active user
    writes: bool
    scoped: Mapping[str, Scope]  # parameter name -> the scope of the id(s) it holds
    function: Callable[..., Any] = field(repr=False)  # the body, taking an Op
    call: Callable[..., Any] = field(repr=False, default=lambda *a, **k: None)  # takes an Actor


OPERATIONS: dict[str, OperationInfo] = {}


class Op:
    """What the body of an operation gets: the actor and the means to check and audit."""

    __slots__ = ("actor", "info")

    def __init__(self, actor: Actor, info: OperationInfo) -> None:
        self.actor = actor
        self.info = info

    def allowed(self, action: str) -> bool:
        return allowed(self.actor, action)

    def require(self, action: str) -> None:
        """A further check inside the body, e.g. the exact permission for an order's kind."""
        require(self.actor, action)

    def audit(
        self,
        entity: str,
        record_id: int | None,
        action: str,
        changes: Mapping[str, Any] | None = None,
    ) -> None:
        """One audit row, committed with the operation's transaction (or not at all)."""
        audit.record(self.actor, entity, record_id, action, dict(changes or {}))


def ids_in(value: Any) -> list[int]:
    """The record ids a scoped argument holds: an id, a row with ``.id``, or an iterable of
    either (None holds none)."""
    if value is None:
        return []
    if isinstance(value, bool):
        raise TypeError(f"not a record id: {value!r}")
    if isinstance(value, int):
        return [value]
    if hasattr(value, "id") and not isinstance(value, str | bytes):
        return ids_in(value.id)
    if isinstance(value, Iterable) and not isinstance(value, str | bytes):
        out: list[int] = []
        for item in value:
            out.extend(ids_in(item))
        return out
    raise TypeError(f"not a record id: {value!r}")


def operation(
    permission: str | tuple[str, ...] | None,
    *,
    scoped: Mapping[str, Scope] | None = None,
    writes: bool = True,
) -> Callable[[Callable[Concatenate[Op, P], R]], Callable[Concatenate[Actor, P], R]]:
    """Make ``fn(op, ...)`` the operation ``fn(actor, ...)`` (see the module docstring).

    ``permission``: the action the actor needs; a tuple means any one of them; None means any
    active user (changing one's own password, say). ``scoped``: parameter name -> ``Scope``.
    ``writes=False`` for reading operations (no transaction, nothing to audit).
    """
    permissions = (
        () if permission is None else (permission,) if isinstance(permission, str)
        else tuple(permission)
    )
    scopes = dict(scoped or {})

    def decorate(fn: Callable[Concatenate[Op, P], R]) -> Callable[Concatenate[Actor, P], R]:
        signature = inspect.signature(fn)
        unknown = set(scopes) - set(signature.parameters)
        if unknown:
            raise TypeError(f"{fn.__qualname__}: no parameter {', '.join(sorted(unknown))}")
        info = OperationInfo(f"{fn.__module__}.{fn.__qualname__}", permissions, writes,
                             scopes, fn)

        @functools.wraps(fn)
        def run(actor: Actor, /, *args: P.args, **kwargs: P.kwargs) -> R:
            who = as_actor(actor)
            if permissions:
                require_any(who, permissions)
            else:
                require_active(who)
            op = Op(who, info)
            args, kwargs = _cleaned(signature, args, kwargs)  # type: ignore[assignment]
            if not writes:
                try:
                    _check_scopes(who, signature, scopes, args, kwargs)
                    return fn(op, *args, **kwargs)
                except peewee.PeeweeException as e:  # a damaged or vanished file, named
                    fault = faults.fault_of(e)
                    if fault is None:
                        raise
                    raise fault from None
            attempt = 0
            while True:
                attempt += 1
                outermost = not db.in_transaction()
                try:
                    with db.write():
                        _check_scopes(who, signature, scopes, args, kwargs)
                        return fn(op, *args, **kwargs)
                except Exception as e:
                    if not (outermost and attempt < RETRIES and db.is_retryable(e)):
                        raise
                time.sleep(random.uniform(0.005, 0.05) * attempt)

        info.call = run
        OPERATIONS[info.name] = info
        run.operation = info  # type: ignore[attr-defined]
        return run

    return decorate


def refusal(actor: Actor, operation_fn: Callable[..., Any], *actions: str) -> str | None:
    """Why ``actor`` may not call ``operation_fn`` (a decorated operation), or may not do
    ``actions`` (each needed, e.g. the exact permission the operation checks on the data);
    None when allowed. Screens ask it before opening a form the user could not save, so the
    refusal comes before the typing (issue 17)."""
    info: OperationInfo | None = getattr(operation_fn, "operation", None)
    if info is None:
        raise TypeError(f"{operation_fn!r} is not an operation")
    who = as_actor(actor)
    needed = [info.permissions] if info.permissions else []
    needed += [(a,) for a in actions]
    for any_of in needed:
        try:
            require_any(who, any_of)
        except PermissionDenied as e:
            return f"not allowed: {e}"
    return None


def reader(
    permission: str | tuple[str, ...] | None,
    *,
    scoped: Mapping[str, Scope] | None = None,
) -> Callable[[Callable[Concatenate[Op, P], R]], Callable[Concatenate[Actor, P], R]]:
    """A reading operation: the same checks, no write transaction, nothing audited."""
    return operation(permission, scoped=scoped, writes=False)


def _cleaned(signature: inspect.Signature, args: tuple[Any, ...],
             kwargs: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any]]:
    """``args`` and ``kwargs`` with their strings cleaned, each by its parameter's name."""
    try:
        bound = signature.bind_partial(None, *args, **kwargs)
    except TypeError:
        return args, kwargs  # the call itself is wrong: let it fail as it would
    for name, value in bound.arguments.items():
        kind = signature.parameters[name].kind
        if kind is inspect.Parameter.VAR_KEYWORD:
            bound.arguments[name] = {k: clean_value(v, k) for k, v in value.items()}
        else:
            bound.arguments[name] = clean_value(value, name)
    return bound.args[1:], bound.kwargs


def _check_scopes(
    actor: Actor,
    signature: inspect.Signature,
    scopes: Mapping[str, Scope],
    args: tuple[Any, ...],
    kwargs: Mapping[str, Any],
) -> None:
    if not scopes:
        return
    # The first parameter is the Op; bind_partial lets a missing argument fail in the body.
    bound = signature.bind_partial(None, *args, **kwargs).arguments
    for name, scope in scopes.items():
        if name in bound:
            ids = ids_in(bound[name])
            if ids:
                scope.check(actor, ids)
