"""Users, roles and permissions, logins, the audit trail and settings."""

from __future__ import annotations

from peewee import (
    AutoField,
    BooleanField,
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from .base import BaseModel, now


class User(BaseModel):
    id = AutoField()
    username = CharField(unique=True)  # stored lower-case
    full_name = CharField(default="")
    department = CharField(default="")
    phone = CharField(default="")
    role = CharField()  # admin | manager | sales | warehouse
    password_hash = CharField()
    active = BooleanField(default=True)
    failed_logins = IntegerField(default=0)
    locked_until = DateTimeField(null=True)
    last_login_at = DateTimeField(null=True)
    created_at = DateTimeField(default=now)
    language = CharField(default="")  # "", "en" or "zh_CN" (tuicrm.i18n.LANGUAGES)

    @property
    def display_name(self) -> str:
        return self.full_name or self.username


class RolePermission(BaseModel):
    """Which role may do which action; the operations consult it (see ``permissions``)."""

    role = CharField()
    action = CharField()

    class Meta:
        indexes = ((("role", "action"), True),)


class LoginEvent(BaseModel):
    id = AutoField()
    at = DateTimeField(default=now, index=True)
    username = CharField()
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    event = CharField()  # login | failure | locked | logout | lock | unlock
    detail = CharField(default="")


class AuditLog(BaseModel):
    """Who changed what, when: one row per record touched by a business operation."""

    id = AutoField()
    at = DateTimeField(default=now, index=True)
    user = ForeignKeyField(User, null=True, on_delete="SET NULL")
    username = CharField(default="")  # kept even if the user row goes
    entity = CharField()  # table name of the record
    record_id = IntegerField(null=True)
    action = CharField()  # create | update | delete | ...
    changes = TextField(default="{}")  # JSON: {field: [old, new]}

    class Meta:
        indexes = ((("entity", "record_id"), False),)


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()


class UserPref(BaseModel):
    """Per-user remembered choices (list columns, sort, ...), JSON values."""

    user = ForeignKeyField(User, on_delete="CASCADE")
    key = CharField()
    value = TextField()

    class Meta:
        indexes = ((("user", "key"), True),)
