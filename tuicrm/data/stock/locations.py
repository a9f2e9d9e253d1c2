"""Stock locations (warehouses, shops, a back room): where a product's stock is kept.

A database starts without any; the first one needed is the default ``MAIN``, created by
``default_location`` with an ``INSERT ... ON CONFLICT DO NOTHING`` so two sessions asking at
once get the same row. ``get_location`` / ``default_location`` are building blocks returning
the model for operations that already run (a movement, opening an order or a count);
screens call the readers and get ``LocationRow``s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from peewee import IntegrityError

from ...i18n import _
from ..core.db import database, write
from ..core.errors import NotFound, ValidationError
from ..core.operation import Op, operation, reader
from ..models.stock import Location

DEFAULT_LOCATION_CODE = "MAIN"
MAX_CODE = 20
MAX_NAME = 100


@dataclass(frozen=True, slots=True)
class LocationRow:
    id: int
    code: str
    name: str
    is_default: bool


def location_row(location: Any) -> LocationRow:
    return LocationRow(int(location.id), str(location.code), str(location.name),
                       bool(location.is_default))


def default_location() -> Any:
    """The default ``Location``, created (as MAIN) the first time it is needed."""
    is_default = Location.is_default == True  # noqa: E712 - peewee expression
    loc = Location.select().where(is_default).order_by(Location.id).first()
    if loc is not None:
        return loc
    loc = Location.get_or_none(Location.code == DEFAULT_LOCATION_CODE)
    if loc is not None:
        return loc
    with write():
        p = database.param
        database.execute_sql(
            f'INSERT INTO "location" ("code", "name", "is_default") VALUES ({p}, {p}, {p}) '
            'ON CONFLICT ("code") DO NOTHING',
            (DEFAULT_LOCATION_CODE, "Main warehouse", True),
        )
    return Location.get(Location.code == DEFAULT_LOCATION_CODE)


def get_location(location: Any) -> Any:
    """The ``Location`` for an id, a code, a row with ``.id`` or a model; None is the
    default location. ``NotFound`` for an unknown one."""
    if location is None:
        return default_location()
    if isinstance(location, Location):
        return location
    if hasattr(location, "id"):
        location = location.id
    if isinstance(location, int) and not isinstance(location, bool):
        loc = Location.get_or_none(Location.id == location)
    else:
        loc = Location.get_or_none(Location.code == str(location).strip())
    if loc is None:
        raise NotFound(_("location {location} does not exist").format(location=location))
    return loc


@reader(("stock.view", "stock.adjust", "count.manage"))
def list_locations(op: Op) -> list[LocationRow]:
    """Every location by code (none before the first movement or ``create_location``)."""
    return [location_row(loc) for loc in Location.select().order_by(Location.code)]


@operation("stock.adjust")
def create_location(op: Op, code: str, name: str) -> LocationRow:
    """A new location; the first one ever made becomes the default."""
    code = (code or "").strip()
    name = (name or "").strip()
    errors = {}
    if not code:
        errors["code"] = _("a location needs a code")
    elif len(code) > MAX_CODE:
        errors["code"] = _("at most {MAX_CODE} characters").format(MAX_CODE=MAX_CODE)
    if not name:
        errors["name"] = _("a location needs a name")
    elif len(name) > MAX_NAME:
        errors["name"] = _("at most {MAX_NAME} characters").format(MAX_NAME=MAX_NAME)
    if errors:
        raise ValidationError(errors)
    if Location.select().where(Location.code == code).exists():
        raise ValidationError({"code": _("location {code} already exists").format(code=code)})
    has_default = Location.select().where(Location.is_default == True).exists()  # noqa: E712
    try:
        with write():  # a savepoint: the unique code refuses a twin created meanwhile
            loc = Location.create(code=code, name=name, is_default=not has_default)
    except IntegrityError:
        raise ValidationError({"code": _("location {code} already exists").format(code=code)}) from None
    op.audit("location", loc.id, "create", {"code": code, "name": name})
    return location_row(loc)
