"""The demo's parties: a customer-group tree, customers with Chinese and Latin names, their
contacts (some with a birthday today), suppliers and competitors.

Phones, addresses and tax numbers agree with the group a customer is in (a Shenzhen customer
has a 0755 number and a Shenzhen district). What the documents need later (each customer's
price level, salesperson and first day) is kept in lists indexed like this build's customers.
"""

from __future__ import annotations

import datetime as dt
import re

from ..models import Competitor, CustomerGroup
from .bulk import Row, SearchTriggersOff, stamp
from .context import BuildContext, tree_node
from .vocabulary import (
    CHANNELS,
    CN_TITLES,
    COMPETITORS,
    EN_TITLES,
    INDUSTRIES,
    LATIN_STREETS,
    MAIL_HOSTS,
    OVERSEAS,
    REGIONS,
    ROADS,
    SOURCES,
    SPLIT_CITIES,
)

CUSTOMER_COLUMNS = (
    "id", "created_at", "updated_at", "code", "name", "group_id", "grade", "status",
    "salesperson_id", "phone", "mobile", "email", "address", "region", "industry", "source",
    "tax_number", "credit_limit", "payment_terms_days", "price_level", "version", "fax", "notes",
)
CONTACT_COLUMNS = ("created_at", "updated_at", "customer_id", "name", "title", "mobile", "email",
                   "birthday", "is_key", "version", "phone", "notes")
SUPPLIER_COLUMNS = ("id", "version", "created_at", "updated_at", "code", "name", "contact_name",
                    "phone", "email", "address", "tax_number", "payment_terms_days", "active",
                    "notes")

# (group id, kind, region, city, districts, area code); kind is "cn", "intl" or "channel"
Leaf = tuple[int, str, str, str, list[str], str]
City = tuple[str, str, str, list[str]]  # region, city, area code, districts


class Parties:
    """Groups and competitors (before the writer starts), then customers, contacts and
    suppliers as rows for the writer."""

    def __init__(self, ctx: BuildContext, search_triggers: SearchTriggersOff) -> None:
        self.ctx = ctx
        self.search_triggers = search_triggers  # off from the customers to the contacts' end
        self.leaves: list[Leaf] = []  # the groups customers are put in
        self.cities: list[City] = []
        self.customer_ids = range(0)
        self.supplier_ids = range(0)
        # per customer of this build (index i is customer id customer_ids[i]):
        self.level: list[int] = []  # price level 1..4
        self.seller: list[int] = []  # salesperson's user id
        self.first_day: list[int] = []  # created on this day of the order year (<0: before)
        self.latin: list[bool] = []  # a Latin name, so Latin contacts
        self.created: list[str] = []  # created_at
        self.old_customers: list[int] = []  # customers before the order year (or all)

    # -- before the writer starts (models, in the caller's thread) ---------------------------

    def groups(self) -> None:
        """Regions > cities (> districts), overseas markets, sales channels."""
        created = 0

        def node(name: str, parent: int | None) -> int:
            nonlocal created
            gid, new = tree_node(CustomerGroup, name, parent)
            created += new
            return gid

        for region, cities in REGIONS.items():
            rid = node(region, None)
            for city, (area, districts) in cities.items():
                self.cities.append((region, city, area, districts))
                cid = node(city, rid)
                if city in SPLIT_CITIES:
                    for district in districts:
                        did = node(district, cid)
                        self.leaves.append((did, "cn", region, city, [district], area))
                else:
                    self.leaves.append((cid, "cn", region, city, districts, area))
        oid = node("海外 Overseas", None)
        for market in OVERSEAS:
            self.leaves.append((node(market, oid), "intl", "Overseas", market, [], ""))
        chid = node("渠道 Channels", None)
        for channel in CHANNELS:
            self.leaves.append((node(channel, chid), "channel", "", "", [], ""))
        self.ctx.summary.customer_groups = created

    def competitors(self) -> None:
        existing = {c.name for c in Competitor.select(Competitor.name)}
        for name, products, strengths, weaknesses in COMPETITORS:
            if name not in existing:
                Competitor.create(name=name, products=products, strengths=strengths,
                                  weaknesses=weaknesses)
                self.ctx.summary.competitors += 1

    # -- rows ------------------------------------------------------------------------------

    def customers(self, ids: range, first_code: int, sellers: list[int]) -> None:
        ctx = self.ctx
        rnd, pick, names = ctx.rnd, ctx.pick, ctx.names
        n = len(ids)
        self.customer_ids = ids
        self.level = [1] * n
        self.seller = [0] * n
        self.first_day = [0] * n
        self.latin = [False] * n
        self.created = [""] * n
        cn_leaves = [leaf for leaf in self.leaves if leaf[1] == "cn"]
        other_leaves = [leaf for leaf in self.leaves if leaf[1] != "cn"]
        stamps: dict[int, str] = {}
        rows: list[Row] = []
        ctx.progress("customers", 0, n)
        for i in range(n):
            gid, kind, region, city, districts, area = (
                pick(cn_leaves) if rnd() < 0.8 else pick(other_leaves))
            if kind == "channel":
                region, city, area, districts = pick(self.cities)
            latin = kind == "intl" or rnd() < 0.25
            if kind == "intl":
                phone_format, places = OVERSEAS[city]
                name = names.latin_company()
                phone = phone_format.format(a=1000 + int(rnd() * 8999), b=1000 + int(rnd() * 8999))
                mobile = tax = ""
                address = f"{1 + int(rnd() * 300)} {pick(LATIN_STREETS)}, {pick(places)}"
                email = "info@" + re.sub(r"[^a-z]", "", name.lower())[:20] + ".com"
            else:
                name = names.latin_company(city) if latin else names.cn_company(city)
                phone = names.landline(area)
                mobile = names.mobile()
                address = f"{city}市{pick(districts)}{pick(ROADS)}{1 + int(rnd() * 998)}号"
                if rnd() < 0.3:
                    address += f"{1 + int(rnd() * 29)}楼{1 + int(rnd() * 19):02d}室"
                email = (f"{100_000 + int(rnd() * 1e9)}@qq.com" if rnd() < 0.4
                         else f"{mobile}@{pick(MAIL_HOSTS)}")
                tax = names.tax_number(area)
            g = rnd()
            grade, credit, terms = (
                ("A", 200 + int(rnd() * 800), 60) if g < 0.15
                else ("B", 50 + int(rnd() * 150), 30) if g < 0.5
                else ("C", pick((0, 0, 5, 10, 20)), 0))
            lv = rnd()
            level = (2 if kind == "channel" else 1 if lv < 0.5 else 2 if lv < 0.75
                     else 3 if lv < 0.95 else 4)
            s = rnd()
            status = "active" if s < 0.87 else "prospect" if s < 0.95 else "inactive"
            day = int(rnd() * 364) if rnd() < 0.08 else -1 - int(rnd() * 3 * 365)
            created = stamps.get(day)
            if created is None:
                created = stamps[day] = stamp(ctx.start + dt.timedelta(days=day), 34_200)
            seller = pick(sellers)
            self.first_day[i], self.level[i], self.seller[i] = day, level, seller
            self.latin[i], self.created[i] = latin, created
            rows.append((
                ids.start + i, created, created, f"C{first_code + i:06d}", name, gid, grade,
                status, seller, phone, mobile, email, address, region, pick(INDUSTRIES),
                pick(SOURCES), tax, credit * 1000_00, terms, level, 1, "", "",
            ))
        self.old_customers = [i for i in range(n) if self.first_day[i] < 0] or list(range(n))
        ctx.summary.customers = n
        ctx.writer.run(ctx.indexes.drop, "customer")
        ctx.writer.run(self.search_triggers.drop)
        ctx.insert("customer", CUSTOMER_COLUMNS, rows)

    def contacts(self) -> None:
        """One to three contacts per customer; the first is the key contact."""
        ctx = self.ctx
        rnd, pick, names, today = ctx.rnd, ctx.pick, ctx.names, ctx.today
        rows: list[Row] = []
        ctx.progress("contacts", 0, len(self.customer_ids))
        today_count = 0
        for i, cid in enumerate(self.customer_ids):
            latin, created = self.latin[i], self.created[i]
            for k in range(1 + int(rnd() * 2.5)):
                mobile = names.mobile()
                if latin:
                    name = names.latin_person()
                    title = pick(EN_TITLES)
                    email = re.sub(r"[^a-z.]", "", name.lower().replace(" ", ".")) + "@example.com"
                else:
                    name = names.cn_person()
                    title = pick(CN_TITLES)
                    email = f"{mobile}@{pick(MAIL_HOSTS)}"
                b = rnd()
                birthday: str | None
                if b < 0.01 or today_count < 3:  # birthdays today, for the reminders panel
                    birthday = names.birthday_on(today)
                    today_count += 1
                elif b < 0.03:  # and some in the coming week
                    birthday = names.birthday_on(today + dt.timedelta(days=1 + int(rnd() * 7)))
                elif b < 0.45:
                    birthday = (dt.date(1960 + int(rnd() * 40), 1, 1)
                                + dt.timedelta(days=int(rnd() * 365))).isoformat()
                else:
                    birthday = None
                rows.append((created, created, cid, name, title, mobile, email, birthday, k == 0,
                             1, "", ""))
        ctx.summary.contacts = len(rows)
        ctx.writer.run(ctx.indexes.drop, "contact")
        ctx.insert("contact", CONTACT_COLUMNS, rows)
        ctx.writer.run(self.search_triggers.restore, self.customer_ids.start)
        ctx.writer.run(ctx.indexes.restore, "customer")
        ctx.writer.run(ctx.indexes.restore, "contact")

    def suppliers(self, ids: range, first_code: int) -> None:
        ctx = self.ctx
        rnd, pick, names = ctx.rnd, ctx.pick, ctx.names
        self.supplier_ids = ids
        created = stamp(ctx.start - dt.timedelta(days=400), 9 * 3600)
        rows: list[Row] = []
        for i in range(len(ids)):
            _region, city, area, districts = pick(self.cities)
            if rnd() < 0.85:
                name, contact = names.supplier(city), names.cn_person()
            else:
                name, contact = names.latin_company(), names.latin_person()
            rows.append((
                ids.start + i, 1, created, created, f"S{first_code + i:05d}", name, contact,
                names.landline(area), f"{names.mobile()}@163.com",
                f"{city}市{pick(districts)}{pick(ROADS)}{1 + int(rnd() * 998)}号",
                names.tax_number(area), pick((0, 30, 30, 60)), True, "",
            ))
        ctx.summary.suppliers = len(ids)
        ctx.insert("supplier", SUPPLIER_COLUMNS, rows)
