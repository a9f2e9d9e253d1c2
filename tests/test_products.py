"""Products: validation, optimistic locking, barcodes (normalised, unique, pack quantity),
scans, search and what each role may see."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from tuicrm.data.catalog import categories, product_barcodes, product_edit, products
from tuicrm.data.catalog.rows import ScanMatch
from tuicrm.data.core.errors import Conflict, PermissionDenied, ValidationError
from tuicrm.data.models import AuditLog, Barcode, Product

pytestmark = pytest.mark.pg

UPC_A = "036000291452"  # the same product as EAN-13 0036000291452
CARTON = "10036000291459"  # GTIN-14 of a case of it


def _widget(actor, **extra):
    fields = dict(code="P001", name="Widget 小部件", unit="pcs", cost="5.25", price1="9.99",
                  price2="8.50", min_stock="3")
    fields.update(extra)
    return products.create_product(actor, **fields)


def test_create_validates_fields_in_the_operation(manager):
    with pytest.raises(ValidationError) as err:
        products.create_product(manager, code="", name="", cost="-1", price1="abc")
    assert set(err.value.errors) == {"code", "name", "cost", "price1"}
    assert Product.select().count() == 0

    p = _widget(manager)
    assert (p.code, p.name, p.cost, p.price1, p.min_stock) == (
        "P001", "Widget 小部件", Decimal("5.25"), Decimal("9.99"), Decimal("3.000"))
    with pytest.raises(ValidationError) as err:
        _widget(manager, name="Other")
    assert "Widget 小部件" in err.value.errors["code"]
    assert Product.select().count() == 1
    row = AuditLog.select().where(AuditLog.entity == "product").get()
    assert (row.record_id, row.action, row.user_id) == (p.id, "create", manager.id)


def test_stale_save_is_refused_and_changes_nothing(manager):
    p = _widget(manager)
    first = products.update_product(manager, p.id, p.version, price1="10.50")
    assert first.version == p.version + 1 and first.price1 == Decimal("10.50")
    with pytest.raises(Conflict):
        products.update_product(manager, p.id, p.version, price1="1.00")  # stale version
    assert Product.get_by_id(p.id).price1 == Decimal("10.50")
    changes = json.loads(AuditLog.select().where(AuditLog.action == "update").get().changes)
    assert changes == {"price1": ["9.99", "10.50"]}


def test_deactivate(manager):
    p = _widget(manager)
    products.deactivate_product(manager, p.id)
    assert Product.get_by_id(p.id).active is False


def test_upc_a_and_ean13_with_leading_zero_are_one_barcode(manager):
    p = _widget(manager, barcodes=[UPC_A])
    assert Barcode.get().code == "00036000291452"
    for spelling in (UPC_A, "0" + UPC_A, "00" + UPC_A, f" {UPC_A}\r"):
        found = products.lookup(spelling)
        assert found is not None and found[0].id == p.id and found[1] == Decimal("1")
    # and by the product code too
    assert products.lookup("P001")[0].id == p.id
    assert products.lookup("4006381333931") is None


def test_carton_barcode_has_its_pack_quantity(manager):
    p = _widget(manager, barcodes=[UPC_A])
    product_barcodes.add_barcode(manager, p.id, CARTON, 12)
    product, pack = products.lookup(CARTON)
    assert product.id == p.id and pack == Decimal("12")
    assert [(b.raw, b.pack_qty) for b in product_barcodes.barcodes_of(manager, p.id)] == [
        (UPC_A, Decimal("1.000")), (CARTON, Decimal("12.000"))]


def test_barcode_check_digit_and_uniqueness_across_products(manager):
    p = _widget(manager)
    with pytest.raises(ValidationError) as err:
        product_barcodes.add_barcode(manager, p.id, "036000291453")  # wrong check digit
    assert "last digit should be 2" in err.value.errors["barcode"]
    product_barcodes.add_barcode(manager, p.id, "INT-77")  # internal codes are allowed
    other = _widget(manager, code="P002", name="Gadget")
    with pytest.raises(ValidationError) as err:
        product_barcodes.add_barcode(manager, other.id, "INT-77")
    assert "P001" in err.value.errors["barcode"] and "Widget" in err.value.errors["barcode"]
    with pytest.raises(ValidationError):
        products.create_product(manager, code="P003", name="Thing", barcodes=["INT-77"])
    assert not Product.select().where(Product.code == "P003").exists()  # all or nothing
    with pytest.raises(ValidationError):
        product_barcodes.add_barcode(manager, p.id, UPC_A, 0)
    assert Barcode.select().count() == 1


def test_parse_scan():
    assert products.parse_scan("3*4006381333931") == (Decimal("3"), "4006381333931")
    assert products.parse_scan("4006381333931\x00") == (Decimal(1), "4006381333931")
    assert products.parse_scan(" 1.5 * P001 ") == (Decimal("1.5"), "P001")
    for bad in ("0*P001", "x*P001", "3*", ""):
        with pytest.raises(ValidationError):
            products.parse_scan(bad)


def test_search_by_code_prefix_and_name(manager):
    _widget(manager)
    _widget(manager, code="P002", name="Gadget 工具")
    _widget(manager, code="X100", name="Big widget")
    assert [p.code for p in products.search_products(manager, "widget")] == ["P001", "X100"]
    assert [p.code for p in products.search_products(manager, "P00")] == ["P001", "P002"]
    assert [p.code for p in products.search_products(manager, "工具")] == ["P002"]
    assert products.search_products(manager, "%") == []  # wildcards are literal


def test_permissions_and_cost_visibility(manager, sales, warehouse):
    with pytest.raises(PermissionDenied):
        _widget(sales)
    p = _widget(manager)
    with pytest.raises(PermissionDenied):
        products.update_product(warehouse, p.id, p.version, price1="1")
    assert products.get_product(sales, p.id).cost is None  # the operation leaves it out
    assert products.search_products(sales, "P001")[0].cost is None
    assert product_edit.product_detail(sales, p.id).product.cost is None
    assert products.get_product(manager, p.id).cost == Decimal("5.25")
    assert Product.get_by_id(p.id).price1 == Decimal("9.99")


def test_setting_the_cost_needs_the_right_to_see_it(manager, make_user):
    """A role that may edit products but not see costs cannot write one either."""
    from tuicrm.data.models import RolePermission

    editor = make_user("warehouse", "editor")
    RolePermission.create(role="warehouse", action="product.edit")
    p = products.create_product(editor, code="E1", name="No cost known")
    assert p.cost is None
    with pytest.raises(PermissionDenied):
        products.create_product(editor, code="E2", name="Priced", cost="1.00")
    with pytest.raises(PermissionDenied):
        products.update_product(editor, p.id, p.version, cost="2.00")
    assert products.update_product(editor, p.id, p.version, price1="3").price1 == Decimal("3")
    assert Product.get_by_id(p.id).cost == Decimal("0")


def test_lookup_product_gives_plain_rows(manager, sales):
    """Order entry's lookup by code or barcode, as rows a screen may hold."""
    p = _widget(manager, barcodes=[UPC_A, (CARTON, 12)])
    match = products.lookup_product(sales, CARTON)
    assert isinstance(match, ScanMatch)
    assert (match.product.id, match.product.code, match.pack_qty) == (p.id, "P001", Decimal(12))
    assert match.product.cost is None  # a counter clerk
    assert products.lookup_product(sales, "P001").pack_qty == Decimal(1)
    assert products.lookup_product(sales, "nothing") is None
    assert products.find_by_code(sales, " P001 ").id == p.id


def test_form_save_is_one_operation_with_one_audit_row(manager):
    """The product form's fields and barcode line are saved together, or not at all."""
    p = _widget(manager, barcodes=[UPC_A])
    detail = product_edit.product_detail(manager, p.id)
    assert detail.barcodes_text == UPC_A and detail.category_path == ""
    with pytest.raises(ValidationError) as err:  # a bad carton code: nothing changes
        product_edit.save_with_barcodes(manager, p.id, p.version, f"{UPC_A}; 12*{CARTON[:-1]}0",
                                        price1="1.00")
    assert "barcodes" in err.value.errors
    assert Product.get_by_id(p.id).price1 == Decimal("9.99")
    before = AuditLog.select().count()
    saved = product_edit.save_with_barcodes(manager, p.id, p.version, f"12*{CARTON}",
                                            price1="1.00")
    assert saved.version == p.version + 1 and saved.price1 == Decimal("1.00")
    assert product_edit.product_detail(manager, p.id).barcodes_text == f"12*{CARTON}"
    assert AuditLog.select().count() == before + 1
    row = AuditLog.select().order_by(AuditLog.id.desc()).get()
    assert json.loads(row.changes) == {"price1": ["9.99", "1.00"],
                                       "barcodes": [UPC_A, f"12*{CARTON}"]}
    with pytest.raises(Conflict):  # the form was opened before that save
        product_edit.save_with_barcodes(manager, p.id, p.version, UPC_A, price1="2")


def test_categories_tree_and_create(manager, sales):
    food = categories.create_category(manager, "  Food ")
    snacks = categories.create_category(manager, "Snacks", food.id)
    assert (snacks.path, snacks.depth, snacks.parent_id) == ("Food/Snacks", 1, food.id)
    _widget(manager, category=snacks.id)
    with pytest.raises(ValidationError):
        categories.create_category(manager, "Snacks", food.id)
    with pytest.raises(ValidationError):
        categories.create_category(manager, "a/b")
    with pytest.raises(PermissionDenied):
        categories.create_category(sales, "Tools")
    tree = categories.category_tree(sales)
    assert [(n.path, n.items, n.total, n.has_children) for n in tree] == [
        ("Food", 0, 1, True), ("Food/Snacks", 1, 1, False)]
    p = products.find_by_code(manager, "P001")
    assert product_edit.product_detail(manager, p.id).category_path == "Food/Snacks"
