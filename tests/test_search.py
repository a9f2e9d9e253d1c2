"""Quick search (L1): FTS5 trigram on SQLite, pg_trgm / ILIKE on PostgreSQL."""

from __future__ import annotations

import pytest

from tuicrm.data.core import db as dbmod
from tuicrm.data.core.actor import system_actor
from tuicrm.data.models import Customer
from tuicrm.data.parties import contacts as K
from tuicrm.data.parties import customers as C
from tuicrm.data.parties.search import customer_search_where, explain, search_customers

pytestmark = pytest.mark.pg


def names(text, actor=None):
    return sorted(c.name for c in search_customers(actor or system_actor(), text))


def listed(text, actor=None):
    return sorted(c.name for c in C.customer_query(actor or system_actor(), search=text))


@pytest.fixture
def people(admin):
    zs = C.create_customer(admin, name="张三丰贸易有限公司", phone="021-55501234",
                           mobile="13800138000")
    C.create_customer(admin, name="ACME Trading Ltd", code="K-77")
    C.create_customer(admin, name="李四五金店")
    C.create_customer(admin, name="100%_pure")
    K.create_contact(admin, zs.id, name="王小明")
    return zs


@pytest.mark.parametrize("text", ["张", "张三", "张三丰", "丰贸易", "有限公司"])
def test_chinese_one_two_three_characters(people, text):
    assert names(text) == ["张三丰贸易有限公司"]
    assert listed(text) == ["张三丰贸易有限公司"]


@pytest.mark.parametrize("text", ["acme", "ACME", "trad", "Ac", "a", "k-77", "K-7"])
def test_latin_ignores_case_and_finds_codes(people, text):
    assert "ACME Trading Ltd" in names(text)


def test_phone_mobile_and_contact(people):
    assert names("5550") == ["张三丰贸易有限公司"]
    assert names("138001") == ["张三丰贸易有限公司"]
    assert names("王小明") == ["张三丰贸易有限公司"]
    assert names("王") == ["张三丰贸易有限公司"]  # contact name prefix
    assert names("nothing here") == []


def test_wildcards_are_literal(people):
    assert names("0%_") == ["100%_pure"]
    assert names("%") == [] or names("%") == ["100%_pure"]  # never "everything"
    assert "ACME Trading Ltd" not in names("%")
    assert names('"quoted"') == []


def test_stays_in_step_after_update_and_delete(admin, people):
    C.update_customer(admin, people.id, people.version, name="赵六实业", phone="999")
    assert names("张三") == []
    assert names("赵六") == ["赵六实业"]
    assert names("5550") == []
    ct = C.contact_query(admin, people.id).first()
    K.update_contact(admin, ct.id, ct.version, name="钱七")
    assert names("王小明") == [] and names("钱七") == ["赵六实业"]
    K.delete_contacts(admin, [ct.id])
    assert names("钱七") == []
    C.delete_customers(admin, [people.id])
    assert names("赵六") == []


def test_sales_searches_only_own(admin, sales, people):
    C.create_customer(sales, name="张家小店")
    assert names("张", sales) == ["张家小店"]
    assert listed("张家", sales) == ["张家小店"]
    assert names("张", admin) == ["张三丰贸易有限公司", "张家小店"]


def test_blank_is_no_condition(people):
    assert customer_search_where("  ") is None
    assert search_customers(system_actor(), "") == []


def test_sqlite_plans_use_indexes(people):
    if not dbmod.is_sqlite():
        pytest.skip("SQLite plans")
    assert any("customer_search" in line for line in explain("张三丰"))
    plan = " ".join(explain("张"))
    assert "customer_name_nocase" in plan and "SCAN customer " not in plan
    assert Customer.select().where(customer_search_where("张三")).count() == 1


def _walk(pq, n):
    fwd, page = [], pq.first(n)
    while page:
        fwd += [r.id for r in page]
        page = pq.after(page[-1].key, n)
    back, page = [], pq.last(n)
    while page:
        back = [r.id for r in page] + back
        page = pq.before(page[0].key, n)
    return fwd, back


@pytest.mark.parametrize("text", ["acme", "张", "张三"])
@pytest.mark.parametrize("desc", [False, True])
def test_windowed_pages_reach_every_match(admin, monkeypatch, text, desc):
    """A broad search in id order pages through windows of the match index; forward and
    backward, with a filter that drops most candidates, it lists exactly the full match set."""
    if not dbmod.is_sqlite():
        pytest.skip("windows of the FTS / name indexes: SQLite")
    from tuicrm.data.parties import search as S
    from tuicrm.data.parties.groups import customer_groups
    from tuicrm.data.parties.lists import CUSTOMERS

    monkeypatch.setattr(S, "SPAN", 7)  # 1-2 characters: many small id spans
    g = customer_groups.create(admin, "G1")
    for i in range(90):
        name = ["ACME Trading", "张三丰贸易", "李四", "张飞"][i % 4] + f" {i}"
        c = C.create_customer(admin, name=name, group=g.id if i % 3 == 0 else None)
        if i % 5 == 0:
            K.create_contact(admin, c.id, name="张三" if i % 2 else "王五")
    m = S.analyse(text, cap=10)
    assert m is not None and m.broad
    for group_id in (None, g.id):
        plain = C.customer_query(admin, group_id=group_id)
        full = C.customer_query(admin, group_id=group_id, search=text)
        want = sorted((c.id for c in full), reverse=desc)
        assert want
        pq = S.SearchPagedQuery(plain, CUSTOMERS.columns, [(Customer.id, desc)], match=m)
        assert pq.windowed
        for n in (1, 3, 50):
            fwd, back = _walk(pq, n)
            assert fwd == want and back == want
        mid = want[len(want) // 2]
        row = pq.get(mid)
        assert row is not None and row.id == mid
        before, after = pq.around(row.key, 3, 3)
        i = want.index(mid)
        assert [r.id for r in before] == want[max(0, i - 3):i]
        assert [r.id for r in after] == want[i:i + 4]
        assert pq.count() == len(want)
        outside = next(c.id for c in Customer.select() if c.id not in set(want))
        assert pq.get(outside) is None


# -- pieces of two characters and pinyin (issue 15) ---------------------------------------------


@pytest.fixture
def shops(admin):
    a = C.create_customer(admin, name="广州华兴包装商行", phone="020-81234567")
    b = C.create_customer(admin, name="张三五金店", code="Z-9")
    C.create_customer(admin, name="Global Foods")
    K.create_contact(admin, a.id, name="刘德明")
    return a, b


@pytest.mark.parametrize("text, want", [
    ("华兴", ["广州华兴包装商行"]), ("五金", ["张三五金店"]), ("商行", ["广州华兴包装商行"]),
    ("德明", ["广州华兴包装商行"]), ("obal", ["Global Foods"]), ("lo", ["Global Foods"]),
    ("81", ["广州华兴包装商行"]), ("-9", ["张三五金店"]), ("兴包装", ["广州华兴包装商行"]),
])
def test_any_piece_of_two_or_more_characters(shops, text, want):
    assert names(text) == want
    assert listed(text) == want


@pytest.mark.parametrize("text", ["zswjd", "zhangsan", "ZSW", "wujin", "sw", "zhangsanwujindian"])
def test_pinyin_initials_and_full_find_chinese_names(shops, text):
    assert names(text) == ["张三五金店"]
    assert listed(text) == ["张三五金店"]


def test_pinyin_of_contacts_and_pieces_do_not_span_values(shops):
    assert names("ldm") == ["广州华兴包装商行"]
    assert names("liudeming") == ["广州华兴包装商行"]
    assert names("行刘") == []  # the end of the name and the contact's name are two values
    assert names("hw") == []  # not a piece of any initials


def test_pinyin_kept_up_to_date(admin, shops):
    a, b = shops
    C.update_customer(admin, b.id, b.version, name="李四建材")
    assert names("zswjd") == [] and names("lsjc") == ["李四建材"]
    assert Customer.get_by_id(b.id).pinyin == "lisijiancai lsjc"
    ct = C.contact_query(admin, a.id).first()
    K.update_contact(admin, ct.id, ct.version, name="王小明")
    assert names("ldm") == [] and names("wxm") == ["广州华兴包装商行"]
    C.update_customer(admin, a.id, a.version, name="Latin Only")
    assert Customer.get_by_id(a.id).pinyin == ""
    assert names("gzhx") == []


def test_suppliers_products_and_contacts_find_pieces_and_pinyin(admin):
    from tuicrm.data.catalog import products as P
    from tuicrm.data.lists.view import ListRequest, open_list
    from tuicrm.data.parties import suppliers as S
    from tuicrm.data.parties.lists import CONTACTS, SUPPLIERS

    S.create_supplier(admin, code="S1", name="佛山华兴五金厂")
    P.create_product(admin, code="P1", name="不锈钢螺丝")
    c = C.create_customer(admin, name="Some Shop")
    K.create_contact(admin, c.id, name="陈大文")

    def listed_names(listdef, text):
        pager = open_list(admin, listdef, ListRequest(search=text))
        return [r.values[[col.name for col in pager.columns].index("name")]
                for r in pager.first(10)]

    for text in ("华兴", "fshx", "foshan"):
        assert [s.name for s in S.pick_suppliers(admin, text)] == ["佛山华兴五金厂"]
        assert listed_names(SUPPLIERS, text) == ["佛山华兴五金厂"]
    for text in ("螺丝", "bxg", "buxiugang"):
        assert [p.name for p in P.search_products(admin, text)] == ["不锈钢螺丝"]
    assert listed_names(CONTACTS, "cdw") == ["陈大文"]
    assert listed_names(CONTACTS, "大文") == ["陈大文"]


def test_typed_search_is_worked_out_by_the_first_read(people, admin, monkeypatch):
    """Opening the searched list reads nothing (the screen opens it on the UI thread at every
    typed key); the first read works the search out, once, and a broad one comes back in id
    order: a key of the asked order is not used on it."""
    from tuicrm.data.lists.deferred import DeferredPager
    from tuicrm.data.lists.view import ListRequest, open_list
    from tuicrm.data.parties import search as S
    from tuicrm.data.parties.lists import CUSTOMERS
    from tuicrm.widgets.page_reads import Request

    calls = []
    real = S.analyse
    monkeypatch.setattr("tuicrm.data.parties.lists.analyse",
                        lambda text: calls.append(text) or real(text, cap=1))
    pq = open_list(admin, CUSTOMERS, ListRequest(search="张三", sort=("name", False)))
    assert isinstance(pq, DeferredPager) and calls == []
    assert pq.sort_columns == [("name", False)] and not pq.broad
    result = Request("load", pq, fallback_key=("zzz", 10**9)).run()
    assert [i.row.values[1] for i in result.items][:1] == ["张三丰贸易有限公司"]
    real_pager = result.pager
    assert real_pager is pq.resolved() and len(calls) <= 1
    if dbmod.is_sqlite():
        assert calls == ["张三"] and pq.broad and real_pager.sort_columns == []
    assert pq.count() == 1 and len(calls) <= 1
