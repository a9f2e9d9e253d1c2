"""Service tickets (SPEC S1): requests, service records, feedback and complaints."""

from __future__ import annotations

from peewee import AutoField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from .base import Versioned, now
from .catalog import Product
from .orders import Order
from .parties import Contact, Customer
from .users import User


class Ticket(Versioned):
    """One ticket. ``respond_by`` / ``resolve_by`` are set from the settings when it is opened
    (again when its kind or priority changes); ``first_response_at`` is the first time it left
    "new", ``resolved_at`` when it was done (cleared by a reopen). ``return_order`` links a
    complaint to the sales return that settled it."""

    id = AutoField()
    number = CharField(unique=True)
    kind = CharField()  # request | service | feedback | complaint
    status = CharField(default="new")  # new | in_progress | waiting | done | cancelled
    priority = CharField(default="normal")  # urgent | high | normal | low
    channel = CharField(default="phone")  # phone | visit | counter | email | wechat | other
    customer = ForeignKeyField(Customer, backref="tickets", on_delete="RESTRICT")
    contact = ForeignKeyField(Contact, null=True, on_delete="SET NULL")
    order = ForeignKeyField(Order, null=True, on_delete="SET NULL")
    product = ForeignKeyField(Product, null=True, on_delete="SET NULL")
    return_order = ForeignKeyField(Order, null=True, on_delete="SET NULL",
                                   backref="complaints")
    subject = CharField()
    details = TextField(default="")
    owner = ForeignKeyField(User, null=True, on_delete="SET NULL")
    created_by = ForeignKeyField(User, null=True, on_delete="SET NULL")
    opened_at = DateTimeField(default=now)
    respond_by = DateTimeField(null=True)
    resolve_by = DateTimeField(null=True)
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    resolution = TextField(default="")
    satisfaction = IntegerField(null=True)  # 1-5, given when it is done

    class Meta:
        indexes = (
            (("opened_at",), False),
            (("resolve_by",), False),
            (("customer", "opened_at"), False),
            (("owner", "status", "resolve_by"), False),
            (("status", "resolve_by"), False),
        )
