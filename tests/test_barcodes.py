"""Barcodes: GTIN check digits, the normal form scans are looked up in, saving rules."""

from __future__ import annotations

import pytest

from tuicrm.data.catalog.barcodes import (
    carton_gtin14,
    clean,
    gtin_check_digit,
    is_valid_gtin,
    make_ean13,
    normalize,
    validate_for_save,
)
from tuicrm.data.core.errors import ValidationError

UPC_A = "036000291452"  # the textbook UPC-A
EAN_13 = "4006381333931"
GTIN_8 = "96385074"


@pytest.mark.parametrize(
    ("body", "digit"),
    [("03600029145", 2), ("400638133393", 1), ("9638507", 4), ("1400638133393", 8)],
)
def test_check_digit(body, digit):
    assert gtin_check_digit(body) == digit
    assert gtin_check_digit("00" + body) == digit  # leading zeros do not change it


@pytest.mark.parametrize("body", ["", "12a4", "１２３", "12 34"])
def test_check_digit_refuses_non_digits(body):
    with pytest.raises(ValueError):
        gtin_check_digit(body)


@pytest.mark.parametrize("code", [UPC_A, "0" + UPC_A, "00" + UPC_A, EAN_13, GTIN_8,
                                  "14006381333938", f" {EAN_13}\r\n"])
def test_valid_gtins(code):
    assert is_valid_gtin(code)


@pytest.mark.parametrize(
    "code",
    ["036000291453", "4006381333930", "96385075", "1234567", "123456789", "ABC-12", "",
     None, 4.5, True, "0360002914521"],
)
def test_invalid_gtins(code):
    assert not is_valid_gtin(code)


def test_upc_a_and_ean13_of_the_same_product_are_equal():
    assert normalize(UPC_A) == normalize("0" + UPC_A) == normalize("00" + UPC_A)
    assert normalize(UPC_A) == "00036000291452"
    assert normalize(GTIN_8) == "00000096385074"
    assert normalize(EAN_13) == "04006381333931"


def test_normalize_strips_scanner_junk_and_keeps_other_codes_exact():
    assert normalize(f"\x00{UPC_A}\r\n") == "00036000291452"
    assert normalize(f"  {EAN_13}\t") == "04006381333931"
    assert normalize("\u200b" + EAN_13 + "\ufeff") == "04006381333931"
    assert normalize("abc-12") == "abc-12"  # case kept: internal codes compare exactly
    assert normalize("abc-12") != normalize("ABC-12")
    assert normalize("12345") == "12345"  # not a GTIN length: exact
    assert normalize("4 006381 333931") == "04006381333931"  # as printed under the bars
    assert normalize("０３６０００２９１４５２") == "00036000291452"  # full-width input mode
    # A wrong check digit still normalises (the lookup says "unknown code", not a crash).
    assert normalize("036000291453") == "00036000291453"


def test_clean_keeps_what_was_typed():
    assert clean(" \x1b036000291452\n") == UPC_A
    assert clean(" SKU 12 ") == "SKU 12"


def test_validate_for_save_accepts_gtins_and_internal_codes():
    assert validate_for_save(UPC_A) == "00036000291452"
    assert validate_for_save(" 14006381333938 ") == "14006381333938"
    assert validate_for_save("SKU-001") == "SKU-001"
    assert validate_for_save("12345") == "12345"
    assert validate_for_save("123456789012345") == "123456789012345"  # 15 digits: internal


def test_validate_for_save_names_the_wrong_check_digit():
    with pytest.raises(ValidationError) as err:
        validate_for_save("036000291453")
    message = str(err.value)
    assert "036000291453" in message
    assert "should be 2" in message and "not 3" in message
    assert err.value.errors.keys() == {"barcode"}


@pytest.mark.parametrize("code", ["", "   ", "\x00\r\n", "X" * 65])
def test_validate_for_save_refuses_empty_and_long(code):
    with pytest.raises(ValidationError):
        validate_for_save(code)


def test_make_ean13_and_cartons():
    assert make_ean13("400638133393") == EAN_13
    code = make_ean13("6901234", 42)
    assert code.startswith("690123400042") and len(code) == 13 and is_valid_gtin(code)
    carton = carton_gtin14(code)
    assert len(carton) == 14 and carton[0] == "1" and is_valid_gtin(carton)
    assert carton[1:13] == code[:12]
    assert normalize(carton) != normalize(code)
    with pytest.raises(ValueError):
        make_ean13("6901234", 100_000)  # does not fit in 5 digits
    with pytest.raises(ValueError):
        make_ean13("69012")  # not 12 digits
    with pytest.raises(ValueError):
        make_ean13("69A")
