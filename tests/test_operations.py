"""Every business operation checks its permission and its row scope (the operation walk).

The walk imports every module of ``tuicrm.data``, then calls each operation registered by
``@operation`` / ``@reader``: as a user whose role holds every permission *except* the
operation's own, it must be refused; as a salesperson with every permission except
``customer.view_all`` / ``order.view_all``, handed another salesperson's customer, contact or
order in a scoped parameter, it must answer "does not exist or is not yours". A user would
notice a failure as a clerk reaching what their role or their scope should keep from them.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re

import pytest

import tuicrm.data
from tuicrm.data.core.errors import NotFound, PermissionDenied
from tuicrm.data.core.operation import OPERATIONS, OperationInfo
from tuicrm.data.core.permissions import ACTIONS
from tuicrm.data.models import RolePermission

pytestmark = pytest.mark.pg

# Parameters that name a scoped record: an operation taking one must declare its scope.
SCOPED_NAMES = re.compile(r"^(customer|contact|order|ticket|return_order)(_id|_ids|s)?$")
VIEW_ALL = ("customer.view_all", "order.view_all", "ticket.view_all")


def _import_everything() -> None:
    for module in pkgutil.walk_packages(tuicrm.data.__path__, "tuicrm.data."):
        if ".migrations." not in module.name:
            importlib.import_module(module.name)


_import_everything()
ALL = sorted(OPERATIONS.values(), key=lambda info: info.name)


def _grant(role: str, actions: set[str]) -> None:
    RolePermission.delete().where(RolePermission.role == role).execute()
    RolePermission.insert_many([(role, a) for a in sorted(actions)],
                               fields=[RolePermission.role, RolePermission.action]).execute()


def test_operations_are_registered():
    """The walk below walks something: the operations of every domain are decorated."""
    assert len(ALL) >= 1
    assert all(set(info.permissions) <= set(ACTIONS) for info in ALL)


@pytest.mark.parametrize("info", [i for i in ALL if i.permissions], ids=lambda i: i.name)
def test_refused_without_its_permission(info: OperationInfo, make_user):
    clerk = make_user("warehouse")
    _grant("warehouse", set(ACTIONS) - set(info.permissions))
    with pytest.raises(PermissionDenied):
        info.call(clerk)


@pytest.fixture
def others_records(admin, make_user):
    """A customer, a contact, an order and a ticket of salesperson A; returns the ids by
    scope name."""
    from tuicrm.data.models import Contact, Customer, Order, Ticket

    owner = make_user("sales", "owner")
    customer = Customer.create(code="SCOPE1", name="Not yours Ltd", salesperson=owner.id)
    contact = Contact.create(customer=customer.id, name="Someone")
    order = Order.create(number="SO-SCOPE-1", kind="sale", date="2026-06-15",
                         customer=customer.id, salesperson=owner.id)
    ticket = Ticket.create(number="TK-SCOPE-1", kind="request", customer=customer.id,
                           subject="Not yours", owner=owner.id)
    return {"customer": customer.id, "contact": contact.id, "order": order.id,
            "ticket": ticket.id}


SCOPED = [i for i in ALL if i.scoped]


@pytest.mark.parametrize("info", SCOPED, ids=lambda i: i.name)
def test_a_salesperson_is_refused_outside_their_scope(info: OperationInfo, make_user,
                                                      others_records):
    if set(info.permissions) & set(VIEW_ALL):
        pytest.skip("needs a view-all permission, which is the scope itself")
    seller = make_user("sales", "seller")
    _grant("sales", set(ACTIONS) - set(VIEW_ALL))
    for param, scope in info.scoped.items():
        record_id = others_records[scope.name]
        value = [record_id] if param.endswith(("_ids", "s")) and param != "customers" else \
            record_id
        with pytest.raises(NotFound, match="not yours"):
            info.call(seller, **{param: value})


def test_every_record_parameter_declares_its_scope():
    """An operation that takes a customer, contact or order id checks whose it is."""
    missing = []
    for info in ALL:
        params = inspect.signature(info.function).parameters
        for name in list(params)[1:]:
            if SCOPED_NAMES.match(name) and name not in info.scoped:
                missing.append(f"{info.name}({name})")
    assert missing == []
