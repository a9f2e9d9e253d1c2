"""Barcodes: GTIN check digits and the normal form codes are stored and looked up in.

A scanner or a person may give the same product code in several spellings: a UPC-A
``036000291452`` is the EAN-13 ``0036000291452`` and the GTIN-14 ``00036000291452``. So numeric
codes of a GTIN length (8, 12, 13, 14 digits) are stored and compared as 14 digits; every other
code (an internal article number, ``ABC-12``) is compared exactly as entered, case kept.
"""

from __future__ import annotations

import re

from ...i18n import _
from ..core.errors import ValidationError

GTIN_LENGTHS = (8, 12, 13, 14)
MAX_CODE_LENGTH = 64

_DIGITS = re.compile(r"[0-9]+")
# Control and format characters a scanner or a terminal may slip in (NUL, CR, ESC, zero-width
# spaces, BOM, ...): never part of a code.
_JUNK = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
# A Chinese input method in full-width mode types ０１２ and ＡＢＣ: the user meant ASCII.
_FULLWIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_FULLWIDTH[0x3000] = 0x20  # ideographic space


def gtin_check_digit(body: str) -> int:
    """The GS1 check digit for ``body`` (a GTIN without its last digit).

    Weights 3, 1, 3, ... from the rightmost digit of the body, so leading zeros do not matter.
    """
    if not body or not _DIGITS.fullmatch(body):
        raise ValueError(_("a GTIN body is digits only, not {body!r}").format(body=body))
    digits = [ord(c) - 48 for c in reversed(body)]
    total = 3 * sum(digits[0::2]) + sum(digits[1::2])
    return -total % 10


def clean(code: str) -> str:
    """``code`` as typed or scanned, minus control characters, full-width forms and the
    surrounding whitespace: what is kept as the barcode's ``raw`` text."""
    text = _JUNK.sub("", str(code).translate(_FULLWIDTH)).strip()
    compact = text.replace(" ", "")
    if _DIGITS.fullmatch(compact):  # "5 901234 123457" as printed under the bars
        return compact
    return text


def is_gtin_shaped(code: str) -> bool:
    """True for a numeric code of a GTIN length (its check digit not yet checked)."""
    text = clean(code)
    return len(text) in GTIN_LENGTHS and bool(_DIGITS.fullmatch(text))


def is_valid_gtin(code: object) -> bool:
    """True when ``code`` is an 8, 12, 13 or 14-digit GTIN with a correct check digit."""
    if not isinstance(code, str | int) or isinstance(code, bool):
        return False
    text = clean(str(code))
    if len(text) not in GTIN_LENGTHS or not _DIGITS.fullmatch(text):
        return False
    return gtin_check_digit(text[:-1]) == int(text[-1])


def normalize(code: str) -> str:
    """The form a code is stored and looked up in.

    Numeric 8/12/13/14-digit codes become the 14-digit GTIN (zeros on the left), whether or
    not the check digit is right (lookups must still find what was saved); any other code is
    returned cleaned but otherwise unchanged.
    """
    text = clean(code)
    if len(text) in GTIN_LENGTHS and _DIGITS.fullmatch(text):
        return text.zfill(14)
    return text


def validate_for_save(code: str) -> str:
    """Check a barcode a user is about to save; return its normal form.

    Raises ``ValidationError`` (field ``barcode``) for an empty or over-long code and for a
    numeric GTIN-length code whose check digit is wrong (almost always a typing error).
    Internal codes that are not GTINs (letters, other lengths) are allowed.
    """
    text = clean(code if code is not None else "")
    if not text:
        raise ValidationError({"barcode": _("a barcode cannot be empty")})
    if len(text) > MAX_CODE_LENGTH:
        raise ValidationError(
            {"barcode": _("a barcode has at most {MAX_CODE_LENGTH} characters, not {len}").format(
                          MAX_CODE_LENGTH=MAX_CODE_LENGTH,
                          len=len(text))}
        )
    if len(text) in GTIN_LENGTHS and _DIGITS.fullmatch(text):
        expected = gtin_check_digit(text[:-1])
        if expected != int(text[-1]):
            raise ValidationError(
                {
                    "barcode": (
                        _("{text} is not a valid {len}-digit GTIN/EAN/UPC code: its last digit "
                          "should be {expected}, not {value} (a typing error?)").format(
                          text=text,
                          len=len(text),
                          expected=expected,
                          value=text[-1])
                    )
                }
            )
        return text.zfill(14)
    return text


def make_gtin(body: str) -> str:
    """``body`` followed by its check digit."""
    return body + str(gtin_check_digit(body))


def make_ean13(prefix_digits: str, item: int | None = None) -> str:
    """A valid EAN-13: ``prefix_digits`` (GS1 prefix + company number, e.g. ``"6901234"``)
    followed by ``item`` zero-padded to fill 12 digits, then the check digit.

    Without ``item``, ``prefix_digits`` must be the full 12-digit body.
    """
    if not _DIGITS.fullmatch(prefix_digits or ""):
        raise ValueError(_("an EAN-13 prefix is digits only, not {prefix_digits!r}").format(
                           prefix_digits=prefix_digits))
    if item is None:
        body = prefix_digits
    else:
        width = 12 - len(prefix_digits)
        if item < 0 or width < 1 or item >= 10**width:
            raise ValueError(_("item {item} does not fit after prefix {prefix_digits}").format(
                               item=item,
                               prefix_digits=prefix_digits))
        body = prefix_digits + str(item).zfill(width)
    if len(body) != 12:
        raise ValueError(_("an EAN-13 body has 12 digits, not {len} ({body})").format(
                           len=len(body),
                           body=body))
    return make_gtin(body)


def carton_gtin14(unit_code: str, indicator: int = 1) -> str:
    """The GTIN-14 of a case of ``unit_code`` (an EAN-13/UPC/GTIN): indicator digit 1-8, the
    unit's digits without its check digit, a new check digit."""
    if not 1 <= indicator <= 8:
        raise ValueError(_("a GTIN-14 packaging indicator is 1 to 8"))
    unit = normalize(unit_code)
    if len(unit) != 14 or not _DIGITS.fullmatch(unit):
        raise ValueError(_("{unit_code!r} is not a GTIN").format(unit_code=unit_code))
    return make_gtin(str(indicator) + unit[1:13])
