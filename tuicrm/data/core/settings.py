"""Company information and settings: one typed registry, stored as key/value rows.

Every setting is declared here once: its key, type, default, a one-line description (shown by
``tuicrm config list`` and the Settings screen) and who may change it. Reading an undeclared
key or writing one is an error, so a misspelt key cannot silently read a default. Values are
stored as text and parsed on every read; a stored value that no longer parses (written by hand,
or by an older version) reads as the default rather than breaking a sale.

    from tuicrm.data.core import settings
    width = settings.value(settings.RECEIPT_WIDTH)          # an int: 32, 42 or 48
    settings.set_value(actor, "receipt.width", "32")        # validated and audited
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Generic, TypeVar

from ...i18n import LANGUAGES
from ..models import Setting
from .errors import ValidationError
from .money import parse_qty
from .operation import Op, operation

T = TypeVar("T")


@dataclass(frozen=True)
class SettingDef(Generic[T]):
    """One setting: ``parse`` turns the stored text into a value or raises ``ValueError`` with
    the message shown beside the field; ``render`` is the inverse."""

    key: str
    default: T
    description: str
    parse: Callable[[str], T] = field(repr=False)
    render: Callable[[T], str] = field(default=str, repr=False)
    permission: str = "settings.edit"
    editable: bool = True  # False: written by tuicrm itself (e.g. the demo flag)


REGISTRY: dict[str, SettingDef[Any]] = {}


def _declare(setting: SettingDef[T]) -> SettingDef[T]:
    if setting.key in REGISTRY:
        raise ValueError(f"setting {setting.key!r} declared twice")
    setting.parse(setting.render(setting.default))  # the default must read back
    REGISTRY[setting.key] = setting
    return setting


# -- parsers ---------------------------------------------------------------------------------


def _text(max_len: int) -> Callable[[str], str]:
    def parse(text: str) -> str:
        text = text.strip()
        if len(text) > max_len:
            raise ValueError(f"at most {max_len} characters")
        if any(ord(c) < 32 or 0x7F <= ord(c) < 0xA0 for c in text):
            raise ValueError("no control characters")
        return text

    return parse


def _int(lo: int, hi: int, choices: tuple[int, ...] = ()) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            n = int(text.strip())
        except ValueError:
            raise ValueError(f"a whole number, not {text.strip()!r}") from None
        if choices and n not in choices:
            raise ValueError(f"one of {', '.join(str(c) for c in choices)}")
        if not lo <= n <= hi:
            raise ValueError(f"from {lo} to {hi}")
        return n

    return parse


def _bool(text: str) -> bool:
    value = text.strip().lower()
    if value in ("1", "true", "yes", "on", "是"):
        return True
    if value in ("0", "false", "no", "off", "否", ""):
        return False
    raise ValueError("yes or no")


def _render_bool(value: bool) -> str:
    return "1" if value else "0"


def _quantity(text: str) -> Decimal:
    return abs(parse_qty(text, negative=True))  # ValueError fit to show beside the field


def _prefix(text: str) -> str:
    text = text.strip()
    if not text:
        raise ValueError("a prefix is required")
    if len(text) > 10 or not all(c.isalnum() or c in "-_/" for c in text):
        raise ValueError("up to 10 letters, digits, - _ or /")
    return text


def _language(text: str) -> str:
    code = text.strip()
    if code and code not in LANGUAGES:
        raise ValueError(f"one of {', '.join(LANGUAGES)}, or empty")
    return code


# -- the settings ------------------------------------------------------------------------------

COMPANY_NAME = _declare(SettingDef(
    "company.name", "", "Company name printed on receipts and documents", _text(120)))
COMPANY_ADDRESS = _declare(SettingDef(
    "company.address", "", "Company address printed on documents", _text(255)))
COMPANY_TAX_NUMBER = _declare(SettingDef(
    "company.tax_number", "", "Tax number (统一社会信用代码) printed on documents", _text(40)))
CURRENCY = _declare(SettingDef(
    "currency", "CNY", "Currency code or symbol shown with amounts on documents", _text(10)))
MONEY_DECIMALS = _declare(SettingDef(
    "money.decimals", 2, "Decimals shown for amounts (display only: amounts are kept in cents)",
    _int(0, 2)))
IDLE_LOCK_MINUTES = _declare(SettingDef(
    "session.idle_lock_minutes", 10, "Lock a session after this many idle minutes (0: never)",
    _int(0, 24 * 60)))
ALLOW_NEGATIVE_STOCK = _declare(SettingDef(
    "stock.allow_negative", False, "Allow selling more than is on hand", _bool, _render_bool))
PRINT_COMMAND = _declare(SettingDef(
    "print.command", "lp", "Command that prints lists, receipts and documents", _text(255)))
PRINT_ENCODING = _declare(SettingDef(
    "print.encoding", "utf-8", "Encoding sent to the printer (e.g. gb18030 for receipt printers)",
    _text(20)))
FILES_FOLDER = _declare(SettingDef(
    "files.folder", "", "Folder where receipts, reports and exported lists are saved when a "
    "bare file name is given (empty: each user's documents folder)", _text(255)))
RECEIPT_WIDTH = _declare(SettingDef(
    "receipt.width", 42, "Receipt width in columns (32, 42 or 48)", _int(32, 48, (32, 42, 48))))
RECOUNT_THRESHOLD = _declare(SettingDef(
    "count.recount_threshold", Decimal(5),
    "A stock-count line whose variance is larger than this is marked for recount", _quantity,
    lambda d: f"{d.normalize():f}"))
FOLLOW_UP_DAYS = _declare(SettingDef(
    "reminder.follow_up_days", 3, "Days until the follow-up made by 'done + follow-up'",
    _int(0, 365)))
UI_LANGUAGE = _declare(SettingDef(
    "ui.language", "", "Interface language for users who chose none: en or zh_CN (empty: the "
    "language of the terminal's environment, LANG)", _language))
DEMO = _declare(SettingDef(
    "demo", False, "This database holds demo data", _bool, _render_bool, editable=False))

# Document number prefixes (O7): SO-2026-000123.
DEFAULT_PREFIXES: dict[str, str] = {
    "quote": "QT",
    "sale": "SO",
    "sale_return": "SR",
    "purchase": "PO",
    "purchase_return": "PR",
    "count": "SC",
    "adjust": "ADJ",
}
PREFIXES: dict[str, SettingDef[str]] = {
    kind: _declare(SettingDef(f"prefix.{kind}", default, f"Number prefix of {kind} documents",
                              _prefix))
    for kind, default in DEFAULT_PREFIXES.items()
}


# -- reading and writing -------------------------------------------------------------------------


def definition(key: str) -> SettingDef[Any]:
    try:
        return REGISTRY[key]
    except KeyError:
        raise ValidationError({"key": f"there is no setting {key!r}"}) from None


def value(setting: SettingDef[T]) -> T:
    """The current value of ``setting`` (its default when unset or no longer valid)."""
    row = Setting.select(Setting.value).where(Setting.key == setting.key).scalar()
    if row is None:
        return setting.default
    try:
        return setting.parse(row)
    except ValueError:
        return setting.default


def get(key: str) -> str:
    """The current value of the setting ``key`` as text."""
    setting = definition(key)
    return setting.render(value(setting))


def get_int(key: str) -> int:
    result = value(definition(key))
    if isinstance(result, bool) or not isinstance(result, int):
        raise TypeError(f"setting {key!r} is not a whole number")
    return result


def get_bool(key: str) -> bool:
    result = value(definition(key))
    if not isinstance(result, bool):
        raise TypeError(f"setting {key!r} is not yes / no")
    return result


@operation("settings.edit")
def set_value(op: Op, key: str, text: str) -> None:
    """Change a setting: validated (``ValidationError`` with the message for the field),
    audited with the old and the new value."""
    setting = definition(key)
    if not setting.editable and not op.actor.system:
        raise ValidationError({key: "this setting is kept by tuicrm itself"})
    if setting.permission != "settings.edit":
        op.require(setting.permission)
    try:
        new = setting.render(setting.parse(str(text)))
    except ValueError as e:
        raise ValidationError({key: str(e)}) from None
    old = get(key)
    Setting.insert(key=key, value=new).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: new}
    ).execute()
    op.audit("setting", None, "update", {key: (old, new)})
