"""A demo company: customers, products, a year of orders and a consistent stock ledger.

``build_demo()`` fills the open database (SQLite or PostgreSQL) with realistic data that the
screens and reports can be tried and measured on: a customer-group tree, customers with Chinese
and Latin names, contacts (some with a birthday today), suppliers, competitors, a product
category tree, products with valid EAN-13 barcodes (some with a carton GTIN-14), and a year of
quotes, sales, purchases and returns ending today. Stock is a ledger: opening stock, purchases
in, deliveries out and returns are movement rows, and every stock level is their sum.

Speed (100k customers, 50k products, 200k orders / ~1M lines, ~2.5M rows in all):

- rows are plain tuples in integer units (cents, thousandths) written with ``executemany``;
  no peewee model object is built per row;
- one transaction; the secondary indexes of the big tables (and the quick-search triggers) are
  dropped for the load and rebuilt once from the loaded rows, which is several times cheaper
  than updating them row by row;
- stock movements are derived with one ``INSERT ... SELECT`` from the delivered order lines;
- the SQL runs on a second thread (SQLite and the database driver release the GIL) while the
  next rows are made in Python, so on a 2-core machine the two overlap.

Running it again on the same database adds another company's worth of records with fresh codes
and document numbers; existing users are kept and become the salespeople.
"""

from __future__ import annotations

import datetime as dt
import queue
import random
import re
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import chain
from typing import Any

from ..catalog.barcodes import carton_gtin14, make_ean13
from ..core import audit, clock, numbering, settings
from ..core import db as dbmod
from ..core.actor import system_actor
from ..core.db import database
from ..core.errors import ValidationError
from ..models import Competitor, CustomerGroup, Location, ProductCategory, User, now
from ..staff.users import hash_password

try:  # the Today screen's demo reminders, activities and announcements (another module)
    from .agenda import build_demo_activities
except ImportError:  # pragma: no cover - that feature not installed
    build_demo_activities = None

Progress = Callable[[str, int, int], None]

DEMO_PASSWORD = "demo1234"
DEMO_USERS = [  # username, full name, department, role
    ("admin", "系统管理员 Admin", "管理部", "admin"),
    ("manager", "王丽 Wang Li", "销售部", "manager"),
    ("counter", "李小红 Li Xiaohong", "门市部", "sales"),
    ("warehouse", "张建国 Zhang Jianguo", "仓库", "warehouse"),
]
LINES_PER_FLUSH = 50_000  # order lines made before they are handed to the writer
BULK = 20_000  # a load this big (and bigger than the table) rebuilds the table's indexes
THREADED = True  # write on a second thread (False: everything in the caller's thread)
MAX_PENDING_ROWS = 300_000  # rows made ahead of the writer, at most (memory)

# --- names and places -----------------------------------------------------------------------

# region > city > districts; the area code and the districts make phones and addresses agree.
REGIONS = {
    "华东": {"上海": ("021", ["浦东新区", "闵行区", "徐汇区"]), "杭州": ("0571", ["西湖区", "滨江区"]),
             "南京": ("025", ["鼓楼区", "江宁区"]), "苏州": ("0512", ["工业园区", "吴中区"])},
    "华南": {"深圳": ("0755", ["福田区", "南山区", "宝安区"]), "广州": ("020", ["天河区", "越秀区", "番禺区"]),
             "东莞": ("0769", ["长安镇", "虎门镇"]), "厦门": ("0592", ["思明区", "湖里区"])},
    "华北": {"北京": ("010", ["朝阳区", "海淀区", "丰台区"]), "天津": ("022", ["和平区", "滨海新区"]),
             "青岛": ("0532", ["市南区", "黄岛区"])},
    "西南": {"成都": ("028", ["武侯区", "高新区"]), "重庆": ("023", ["渝中区", "江北区"])},
    "华中": {"武汉": ("027", ["江汉区", "洪山区"]), "长沙": ("0731", ["岳麓区", "芙蓉区"])},
}
SPLIT_CITIES = {"上海", "深圳", "北京", "广州"}  # these get a third level: one group per district
OVERSEAS = {  # group name -> (phone format, city/country for addresses)
    "Hong Kong": ("+852 {a:04d} {b:04d}", ["Kowloon, Hong Kong", "Wan Chai, Hong Kong"]),
    "Singapore": ("+65 {a:04d} {b:04d}", ["Singapore"]),
    "Europe": ("+49 30 {a:04d}{b:03d}", ["Hamburg, Germany", "Rotterdam, Netherlands", "Milan, Italy"]),
    "North America": ("+1 415 {a:03d} {b:04d}", ["San Francisco, CA, USA", "Vancouver, BC, Canada"]),
}
CHANNELS = ["连锁超市 Chains", "分销商 Distributors", "网店 Online shops"]
ROADS = ["人民路", "建设路", "中山路", "解放路", "华强北路", "深南大道", "科技园路", "长江路", "和平路",
         "新华路", "工业大道", "滨海大道"]
LATIN_STREETS = ["Harbour Road", "Queen's Road", "Market Street", "Orchard Road", "Main Street",
                 "Industrial Avenue", "King Street"]
CORES = ["华强", "华兴", "恒通", "永盛", "金源", "宏达", "鑫达", "新世纪", "东方", "长城", "瑞丰", "万家",
         "百盛", "嘉华", "联创", "天成", "博远", "安泰", "鼎盛", "明辉", "富华", "盛世", "康达", "兴业",
         "汇丰源", "立信", "顺发", "佳美", "德润", "创维", "海联", "星河", "金桥", "信达", "龙腾"]
TRADES = ["电子", "贸易", "五金", "食品", "科技", "商贸", "实业", "建材", "家居", "文具", "物流", "电器",
          "日用品", "办公设备", "包装"]
CN_SUFFIXES = ["有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司", "商行", "经营部"]
SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶"
                "程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦方白邹孟熊秦邱江尹薛段雷侯龙史陶黎贺顾毛")
SURNAMES += ["欧阳", "司马", "诸葛", "上官"]
GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国志红玉海燕鹏飞晓东文斌辉俊琳雪梅"
             "宇浩然子轩思雨欣怡佳慧三丰")
LATIN_FIRST = ["Acme", "Global", "Pacific", "Golden", "Sunrise", "Blue Ocean", "Evergreen", "Summit",
               "Pioneer", "Silverline", "Harbour", "Dragon", "Phoenix", "Orient", "Northstar",
               "Red River", "Crystal", "Atlas", "Lotus", "Jade", "O'Brien"]
LATIN_SECOND = ["Trading", "Electronics", "Industries", "Supplies", "Imports", "Foods", "Hardware",
                "Logistics", "Office", "Textiles", "Components", "Retail"]
LATIN_SUFFIXES = ["Ltd", "Co., Ltd.", "Inc.", "LLC", "GmbH", "Limited", "Pte Ltd", "& Sons [HK] Ltd"]
PERSON_FIRST = ["John", "Mary", "David", "Linda", "Peter", "Anna", "Michael", "Sarah", "Tom", "Emma",
                "Kevin", "Grace", "Hans", "Sofia", "James", "Chloe"]
PERSON_LAST = ["Smith", "Chan", "Wong", "Brown", "Müller", "García", "Lee", "Taylor", "Nguyen",
               "Kim", "O'Brien", "Schmidt", "Rossi", "Tan"]
CN_TITLES = ["总经理", "采购经理", "采购", "财务", "仓库主管", "老板", "店长", "行政"]
EN_TITLES = ["Purchasing Manager", "Director", "Accountant", "Owner", "Buyer", "Store Manager"]
INDUSTRIES = ["制造业", "批发零售", "餐饮", "建筑", "教育", "医疗", "物流", "IT", "酒店", "其他"]
SOURCES = ["老客户介绍", "展会", "网络", "电话营销", "上门拜访", "Referral", "Website"]
MAIL_HOSTS = ["163.com", "126.com", "sina.com", "foxmail.com"]
ORDER_NOTES = ["送货上门", "月结", "急单 Urgent", "开增值税专用发票", "Call before delivery", "自提"]

# category > sub-category > product templates: (name, variants, unit, cost range in yuan)
CATALOG = {
    "电子产品 Electronics": {
        "手机配件": [("USB-C 数据线", ["1m", "2m", "3m"], "根", (3, 15)),
                 ("快充充电器", ["20W", "33W", "65W"], "个", (15, 60)),
                 ("钢化膜", ["iPhone 15", "iPhone 16", "Mate 60", "小米 14"], "片", (1, 5)),
                 ("蓝牙耳机", ["白色", "黑色"], "副", (40, 150)),
                 ("充电宝", ["10000mAh", "20000mAh"], "个", (40, 120))],
        "电脑配件": [("无线鼠标", ["黑色", "白色", "静音"], "个", (12, 60)),
                 ("机械键盘", ["87键", "104键"], "个", (80, 300)),
                 ("U盘", ["32GB", "64GB", "128GB"], "个", (15, 60)),
                 ("HDMI 线", ["1.5m", "3m", "5m"], "根", (8, 30))],
    },
    "食品饮料 Food & drinks": {
        "饮料": [("矿泉水", ["550ml", "1.5L"], "瓶", (0.6, 2)),
               ("可乐", ["330ml", "500ml"], "罐", (1.5, 3)),
               ("绿茶", ["500ml", "1L"], "瓶", (1.8, 4))],
        "零食": [("坚果礼盒", ["750g", "1.2kg"], "盒", (40, 120)),
               ("苏打饼干", ["原味", "葱香"], "包", (3, 8))],
        "散装食品": [("大米", ["东北", "泰国香米"], "kg", (3, 9)),
                 ("白砂糖", ["一级"], "kg", (4, 7)),
                 ("花生油", ["压榨"], "kg", (12, 25))],
    },
    "日用品 Household": {
        "清洁用品": [("洗洁精", ["1.1kg", "2kg"], "瓶", (5, 15)),
                 ("垃圾袋", ["45x50", "60x80"], "卷", (3, 9)),
                 ("抽纸", ["3层 120抽"], "提", (10, 25))],
        "厨房用品": [("不粘锅", ["26cm", "30cm"], "个", (45, 150)),
                 ("保鲜膜", ["30cm"], "卷", (4, 12))],
    },
    "办公用品 Office": {
        "纸品": [("A4 复印纸", ["70g", "80g"], "包", (14, 25)),
               ("便利贴", ["76x76", "彩色"], "本", (1, 4))],
        "文具": [("中性笔", ["0.5mm 黑", "0.5mm 蓝", "0.7mm 红"], "支", (0.8, 3)),
               ("订书机", ["12号", "重型"], "个", (6, 40)),
               ("文件夹", ["A4 蓝", "A4 透明"], "个", (1, 6))],
    },
    "五金工具 Hardware": {
        "手动工具": [("螺丝刀套装", ["6件", "12件"], "套", (15, 60)),
                 ("活动扳手", ["8寸", "10寸", "12寸"], "把", (12, 45))],
        "紧固件": [("不锈钢螺丝", ["M3x10", "M4x12", "M5x20"], "盒", (6, 20)),
                ("膨胀螺栓", ["M8", "M10"], "盒", (10, 30))],
        "线材": [("BV 电线", ["1.5mm²", "2.5mm²", "4mm²"], "米", (1.2, 5)),
               ("网线 Cat6", ["灰色"], "米", (1, 3))],
    },
}
BRANDS = {
    "电子产品 Electronics": ["绿联", "品胜", "Anker", "小米", "倍思", "罗技"],
    "食品饮料 Food & drinks": ["农夫山泉", "可口可乐", "康师傅", "统一", "金龙鱼", "三只松鼠"],
    "日用品 Household": ["立白", "蓝月亮", "维达", "苏泊尔", "妙洁"],
    "办公用品 Office": ["得力", "晨光", "齐心", "3M"],
    "五金工具 Hardware": ["世达", "史丹利", "Bosch", "长城精工"],
}
WEIGHED_UNITS = {"kg", "米"}  # sold in fractions: 2.345 kg
COMPETITORS = [
    ("华南办公用品批发城", "办公用品, 纸品", "价格低, 品种全", "服务慢, 不送货"),
    ("Global Office Direct", "Office supplies, online", "Next-day delivery", "No credit terms"),
    ("鑫源五金城", "五金工具, 紧固件", "就近, 老客户多", "品牌少"),
    ("优品电子商行", "手机配件", "价格战", "质量不稳定"),
    ("大润发 B2B", "食品饮料, 日用品", "规模大", "账期短"),
    ("Pacific Supply Chain Ltd", "Electronics, components", "Imports, brands", "High minimum order"),
]
GS1_CHINA = "69"  # GS1 prefixes 690-699 are China's


KIND_WORDS = {"quote": "quotes", "sale": "sales", "sale_return": "sales returns",
              "purchase": "purchases", "purchase_return": "returns to suppliers"}


@dataclass
class DemoSummary:
    users_created: int = 0
    salespeople: int = 0
    customer_groups: int = 0
    customers: int = 0
    contacts: int = 0
    suppliers: int = 0
    competitors: int = 0
    product_categories: int = 0
    products: int = 0
    barcodes: int = 0
    orders: int = 0
    order_lines: int = 0
    stock_movements: int = 0
    stock_levels: int = 0
    below_min_stock: int = 0
    seconds: float = 0.0
    by_kind: dict[str, int] = field(default_factory=dict)

    def __str__(self) -> str:
        kinds = ", ".join(f"{n:,} {KIND_WORDS.get(k, k)}" for k, n in self.by_kind.items())
        users = f"{self.users_created} demo users (password {DEMO_PASSWORD}), " \
            if self.users_created else ""
        return (
            f"{users}{self.customers:,} customers ({self.contacts:,} contacts), "
            f"{self.suppliers:,} suppliers, {self.products:,} products ({self.barcodes:,} "
            f"barcodes), {self.orders:,} orders ({kinds}) with {self.order_lines:,} lines, "
            f"{self.stock_movements:,} stock movements, {self.below_min_stock:,} products "
            f"below minimum stock; {self.rows:,} rows in {self.seconds:.1f} s"
        )

    @property
    def rows(self) -> int:
        """Rows written (for rows/s figures)."""
        return (
            self.users_created + self.customer_groups + self.customers + self.contacts
            + self.suppliers + self.competitors + self.product_categories + self.products
            + self.barcodes + self.orders + self.order_lines + self.stock_movements
            + self.stock_levels
        )


# --- writing --------------------------------------------------------------------------------


class _Sql:
    """The build's SQL, on the open transaction's own DB-API connection.

    Peewee gives each thread its own connection; the writer thread must use this one, so that
    everything lands in the one transaction the caller's thread began.
    """

    def __init__(self) -> None:
        self.conn = database.connection()
        self.p = database.param
        self.sqlite = dbmod.is_sqlite()

    def execute(self, sql: str, params: Sequence = ()) -> Any:
        cursor = self.conn.cursor()
        if params:
            cursor.execute(sql, tuple(params))
        else:
            cursor.execute(sql)
        return cursor

    def scalar(self, sql: str, params: Sequence = ()) -> Any:
        row = self.execute(sql, params).fetchone()
        return row[0] if row else None

    def insert(self, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
        if not rows:
            return
        names = ", ".join(f'"{c}"' for c in columns)
        cursor = self.conn.cursor()
        if not self.sqlite:
            # PostgreSQL runs each INSERT of an executemany on its own (~15k rows/s here);
            # COPY streams the rows (the only engine-specific path of the build).
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                for row in rows:
                    copy.write_row(row)
            return
        # Many rows per INSERT: half the cost of one row per statement (measured, 1M lines:
        # 0.84 s instead of 1.62 s). At most 999 parameters, the limit of old SQLite builds.
        one = f'({", ".join("?" * len(columns))})'
        per = max(1, min(100, 999 // len(columns)))
        full = len(rows) - len(rows) % per
        if full:
            many = f'INSERT INTO "{table}" ({names}) VALUES {", ".join([one] * per)}'
            flat = chain.from_iterable
            cursor.executemany(many, (tuple(flat(rows[i : i + per])) for i in range(0, full, per)))
        if full < len(rows):
            cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES {one}', rows[full:])

    def max_id(self, table: str) -> int:
        return int(self.scalar(f'SELECT MAX(id) FROM "{table}"') or 0)

    def count(self, table: str) -> int:
        return int(self.scalar(f'SELECT COUNT(*) FROM "{table}"') or 0)

    def next_code(self, table: str, letter: str) -> int:
        """One more than the highest number in codes like ``C000123`` already in ``table``."""
        pattern = re.compile(re.escape(letter) + r"(\d+)")
        rows = self.execute(f'SELECT code FROM "{table}" WHERE code LIKE {self.p}', (letter + "%",))
        numbers = [int(m.group(1)) for (code,) in rows.fetchall() if (m := pattern.fullmatch(code))]
        return max(numbers, default=0) + 1

    def secondary_indexes(self, table: str) -> list[tuple[str, str]]:
        """(drop, create) statements of ``table``'s indexes, and on PostgreSQL of its foreign
        keys too: the server checks those row by row (measured: 34 s of a 65 s build), and
        adding them back checks every row at once. SQLite's are off for the build."""
        if self.sqlite:
            sql = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                   "AND sql IS NOT NULL")
            return [(f'DROP INDEX "{name}"', ddl)
                    for name, ddl in self.execute(sql, (table,)).fetchall()]
        indexes = self.execute(  # not the ones behind a primary key or unique constraint
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)", (table,)).fetchall()
        keys = self.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = to_regclass(%s)", (f'"{table}"',)).fetchall()
        return [(f'DROP INDEX "{name}"', ddl) for name, ddl in indexes] + [
            (f'ALTER TABLE "{table}" DROP CONSTRAINT "{name}"',
             f'ALTER TABLE "{table}" ADD CONSTRAINT "{name}" {ddl}') for name, ddl in keys]


class _Writer:
    """Runs the build's SQL in order on a second thread while the caller makes the next rows.

    ``run(fn, *args, rows=n)`` queues a job; it blocks while more than ``MAX_PENDING_ROWS``
    made rows wait to be written, so memory stays bounded. ``wait()`` returns when every job
    is done. The first error of a job is raised in the caller's thread by the next
    ``run``/``wait``; later jobs are skipped. Leaving the ``with`` block always stops the
    thread first, so the transaction is committed or rolled back only when no statement runs.
    The caller's thread runs no SQL of its own while jobs are queued (one connection).
    """

    def __init__(self, threaded: bool) -> None:
        self.jobs: queue.Queue = queue.Queue()
        self.error: BaseException | None = None
        self.abandon = False
        self.queued = self.finished = 0
        self.pending_rows = 0  # rows made but not yet written: bounded by MAX_PENDING_ROWS
        self.room = threading.Condition()
        self.thread = threading.Thread(target=self._work, name="demo-writer", daemon=True) \
            if threaded else None

    def __enter__(self) -> _Writer:
        if self.thread is not None:
            self.thread.start()
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if self.thread is not None:
            self.abandon = exc_type is not None
            self.jobs.put(None)
            self.thread.join()
        if exc_type is None:
            self._raise()

    def run(self, fn: Callable[..., None], *args: Any, rows: int = 0) -> None:
        """Queue ``fn(*args)``; ``rows`` is how many made rows it holds (for the memory bound)."""
        self._raise()
        self.queued += 1
        if self.thread is None:
            fn(*args)
            self.finished += 1
            return
        with self.room:
            while self.pending_rows > MAX_PENDING_ROWS and self.error is None:
                self.room.wait()
            self.pending_rows += rows
        self._raise()
        self.jobs.put((fn, args, rows))

    def wait(self, progress: Progress) -> None:
        """Until every queued job is done (or one failed), reporting progress now and then."""
        while self.thread is not None:
            progress("writing", self.finished, self.queued)
            with self.room:
                if self.finished >= self.queued or self.error is not None:
                    break
                self.room.wait(0.5)
        self._raise()

    def _raise(self) -> None:
        if self.error is not None:
            raise self.error

    def _work(self) -> None:
        while True:
            job = self.jobs.get()
            if job is None:
                return
            fn, args, rows = job
            if self.error is None and not self.abandon:
                try:
                    fn(*args)
                except BaseException as e:  # noqa: BLE001 - raised again in the caller's thread
                    self.error = e
            with self.room:
                self.pending_rows -= rows
                self.finished += 1
                self.room.notify_all()


class _IndexesOff:
    """A table's secondary indexes (PostgreSQL: and foreign keys), dropped for a big load and
    made again once afterwards.

    Building an index from the loaded table is much cheaper than updating it row by row
    (measured: 1M order lines load in 1.6 s instead of 4.3 s, and the index builds cost less
    than the difference). Inside the build's transaction: a failed load rolls back to the
    original indexes.
    """

    def __init__(self, sql: _Sql) -> None:
        self.sql = sql
        self.dropped: dict[str, list[tuple[str, str]]] = {}

    def plan(self, table: str, new_rows: int) -> bool:
        """Decide now (before the writer runs) whether ``table``'s load drops its indexes."""
        if new_rows >= BULK and new_rows >= self.sql.count(table):
            self.dropped[table] = self.sql.secondary_indexes(table)
        return table in self.dropped

    def drop(self, table: str) -> None:
        for drop, _create in self.dropped.get(table, ()):
            self.sql.execute(drop)

    def restore(self, table: str) -> None:
        for _drop, create in self.dropped.pop(table, ()):
            self.sql.execute(create)


class _SearchTriggersOff:
    """The SQLite quick-search index (FTS5 ``customer_search``, migration 0004) is kept up to
    date by triggers: one FTS write per customer and one more per contact, ~19 s for 100k
    customers and 180k contacts. For the load, its two insert triggers are dropped and the
    index is filled once from the loaded rows (~1.4 s), as the migration fills it. If the
    index has a shape this does not know, the triggers stay (slow but right).
    """

    TRIGGERS = ("customer_search_ai", "contact_search_ai")
    COLUMNS = ["code", "name", "phones", "contacts"]

    def __init__(self, sql: _Sql) -> None:
        self.sql = sql
        self.saved: list[tuple[str, str]] = []
        if not sql.sqlite:
            return  # PostgreSQL searches with pg_trgm indexes: dropped with the others
        columns = [r[1] for r in sql.execute('PRAGMA table_info("customer_search")').fetchall()]
        found = sql.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND name IN (?, ?)",
            self.TRIGGERS,
        ).fetchall()
        if columns == self.COLUMNS and len(found) == len(self.TRIGGERS):
            self.saved = found

    def drop(self) -> None:
        for name, _ddl in self.saved:
            self.sql.execute(f'DROP TRIGGER "{name}"')

    def restore(self, first_customer_id: int) -> None:
        if not self.saved:
            return
        self.sql.execute(
            """
            INSERT INTO customer_search (rowid, code, name, phones, contacts)
            SELECT c.id, c.code, c.name, c.phone || ' ' || c.mobile, COALESCE(k.names, '')
            FROM customer c LEFT JOIN (
                SELECT customer_id, group_concat(name, ' ') AS names FROM contact
                WHERE customer_id >= ? GROUP BY customer_id
            ) k ON k.customer_id = c.id
            WHERE c.id >= ?
            """,
            (first_customer_id, first_customer_id),
        )
        for _name, ddl in self.saved:
            self.sql.execute(ddl)


def _picker(rnd: Callable[[], float]) -> Callable[[Sequence], Any]:
    """``pick(seq)``: a random element, faster than ``Random.choice`` (called millions of
    times here)."""

    def pick(seq: Sequence) -> Any:
        return seq[int(rnd() * len(seq))]

    return pick


def _stamp(day: dt.date, seconds: int) -> str:
    return f"{day.isoformat()} {seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


def _no_progress(step: str, done: int, total: int) -> None:
    pass


# --- the builder ----------------------------------------------------------------------------


def build_demo(
    customers: int = 2000,
    products: int = 1000,
    orders: int = 5000,
    seed: int = 1,
    progress: Progress | None = None,
    *,
    today: dt.date | None = None,
) -> DemoSummary:
    """Fill the open database with a demo company (see the module docstring).

    ``progress(step, done, total)`` is called now and then, always in the caller's thread.
    Raises ``ValidationError`` for impossible sizes. All or nothing: one transaction.
    """
    for name, value in (("customers", customers), ("products", products), ("orders", orders)):
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 10**7:
            raise ValidationError({name: f"a whole number from 0 to 10,000,000, not {value!r}"})
    if orders and (customers < 1 or products < 1):
        raise ValidationError("orders need at least one customer and one product")
    started = time.perf_counter()
    progress = progress or _no_progress
    restore: list[str] = []
    if dbmod.is_sqlite():
        # For this build only: a bigger page cache, in-memory sorts for the index builds, and
        # no per-row foreign key lookups (every id written here was just made here;
        # ``check.run_checks`` proves it). These pragmas do nothing inside a transaction.
        for pragma, value in (("cache_size", -131072), ("temp_store", 2), ("foreign_keys", 0)):
            (old,) = database.execute_sql(f"PRAGMA {pragma}").fetchone()
            restore.append(f"PRAGMA {pragma} = {int(old)}")
            database.execute_sql(f"PRAGMA {pragma} = {value}")
    # A given day pins the clock (at noon) for the whole build: the same seed and day give
    # the same company whatever the real date (the tests rely on it).
    pinned = clock.pinned(dt.datetime.combine(today, dt.time(12))) if today else nullcontext()
    try:
        with pinned, database.atomic():
            b = _Builder(random.Random(seed), clock.today(), progress)
            b.prepare(customers, products, orders)
            with _Writer(THREADED) as writer:
                b.writer = writer
                b.customers(customers)
                b.contacts()
                b.suppliers(max(3, min(1000, products // 50)) if products else 0)
                b.products(products)
                b.orders(orders)
                b.stock()
                writer.wait(progress)
            b.finish()
            progress("commit", 0, 1)
    finally:
        for statement in restore:
            database.execute_sql(statement)
    b.summary.seconds = time.perf_counter() - started
    progress("done", 1, 1)
    return b.summary


class _Builder:
    EXPLICIT_IDS = ("customer", "supplier", "product", "order")
    WRITTEN = ("customer", "contact", "supplier", "product", "barcode", "order", "order_line",
               "stock_movement", "stock_level")

    def __init__(self, rng: random.Random, today: dt.date, progress: Progress) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.pick = _picker(rng.random)
        self.today = today
        self.start = today - dt.timedelta(days=364)  # a year of orders ending today
        self.progress = progress
        self.summary = DemoSummary()
        self.sql = _Sql()
        self.indexes = _IndexesOff(self.sql)
        self.writer: _Writer

    def insert(self, table: str, columns: Sequence[str], rows: list[tuple]) -> None:
        """Hand ``rows`` to the writer (the caller must not touch the list afterwards)."""
        self.writer.run(self.sql.insert, table, columns, rows, rows=len(rows))

    # -- set-up, in the caller's thread, before the writer starts -------------------------

    def prepare(self, customers: int, products: int, orders: int) -> None:
        if not self.sql.sqlite:
            # SQLite's BEGIN IMMEDIATE already keeps other writers out; on PostgreSQL keep
            # them off the tables whose ids, codes and numbers are taken here (reads go on).
            tables = ", ".join(f'"{t}"' for t in (*self.WRITTEN, "doc_sequence"))
            self.sql.execute(f"LOCK TABLE {tables} IN EXCLUSIVE MODE")
        self.users()
        self.location()
        self.customer_groups()
        self.categories()
        self.competitors()
        sql = self.sql
        self.search_triggers = _SearchTriggersOff(sql)
        first = {t: self._first_id(t) for t in self.EXPLICIT_IDS}
        self.customer_ids = range(first["customer"], first["customer"] + customers)
        self.supplier_base = first["supplier"]
        self.product_ids = range(first["product"], first["product"] + products)
        self.first_order_id = first["order"]
        self.first_codes = {t: sql.next_code(t, c) for t, c in
                            (("customer", "C"), ("supplier", "S"), ("product", "P"))}
        # Document numbers continue each kind's sequence; they are reserved at the end.
        self.sequences = {(kind, year): numbering.peek(kind, year)
                          for kind in _OrderWriter.KINDS
                          for year in {self.start.year, self.today.year}}
        self.prefixes = {kind: numbering.prefix(kind) for kind in _OrderWriter.KINDS}
        for table, rows in (("customer", customers), ("contact", 2 * customers),
                            ("product", products), ("barcode", products), ("order", orders),
                            ("order_line", 5 * orders), ("stock_movement", 5 * orders),
                            ("stock_level", products)):
            self.indexes.plan(table, rows)

    def _first_id(self, table: str) -> int:
        """The first id this build writes into ``table`` (ids are made here, not by the
        database, because the lines and movements refer to them)."""
        first = self.sql.max_id(table) + 1
        if not self.sql.sqlite:  # never below what the id sequence has handed out
            seq = f"pg_get_serial_sequence('\"{table}\"', 'id')"
            first = max(first, int(self.sql.scalar(f"SELECT nextval({seq})")))
        return first

    def users(self) -> None:
        if not User.select().exists():
            self.progress("users", 0, len(DEMO_USERS))
            password_hash = hash_password(DEMO_PASSWORD)  # slow on purpose (argon2): once
            User.insert_many([
                {"username": u, "full_name": f, "department": d, "role": r,
                 "password_hash": password_hash, "active": True, "failed_logins": 0,
                 "created_at": now()}
                for u, f, d, r in DEMO_USERS
            ]).execute()
            settings.set_value(system_actor(), "demo", "1")
            self.summary.users_created = len(DEMO_USERS)
        everyone = list(User.select().order_by(User.id))
        active = [u for u in everyone if u.active] or everyone
        self.sellers = [u.id for u in active if u.role in ("sales", "manager")] or [
            u.id for u in active]
        self.buyers = [u.id for u in active if u.role in ("warehouse", "manager")] or [
            u.id for u in active]
        self.admin_id = next((u.id for u in active if u.role == "admin"), active[0].id)
        self.summary.salespeople = len(self.sellers)

    def location(self) -> None:
        loc = Location.get_or_none(Location.code == "MAIN")
        if loc is None:
            has_default = Location.select().where(Location.is_default).exists()
            loc = Location.create(code="MAIN", name="主仓库 Main warehouse",
                                  is_default=not has_default)
        self.location_id = loc.id

    @staticmethod
    def _node(model, name: str, parent_id: int | None) -> tuple[int, bool]:
        """Get or create a tree node (unique per parent and name); True when created."""
        parent_test = model.parent.is_null() if parent_id is None else model.parent == parent_id
        row = model.get_or_none((model.name == name) & parent_test)
        if row is not None:
            return row.id, False
        return model.create(name=name, parent=parent_id).id, True

    def customer_groups(self) -> None:
        """Regions > cities (> districts), overseas markets, sales channels."""
        # leaves: (group id, kind, region, city, districts, area code)
        self.leaves: list[tuple[int, str, str, str, list[str], str]] = []
        self.cities: list[tuple[str, str, str, list[str]]] = []  # region, city, area, districts
        created = 0

        def node(name: str, parent: int | None) -> int:
            nonlocal created
            gid, new = self._node(CustomerGroup, name, parent)
            created += new
            return gid

        for region, cities in REGIONS.items():
            rid = node(region, None)
            for city, (area, districts) in cities.items():
                self.cities.append((region, city, area, districts))
                cid = node(city, rid)
                if city in SPLIT_CITIES:
                    for district in districts:
                        self.leaves.append((node(district, cid), "cn", region, city, [district], area))
                else:
                    self.leaves.append((cid, "cn", region, city, districts, area))
        oid = node("海外 Overseas", None)
        for market in OVERSEAS:
            self.leaves.append((node(market, oid), "intl", "Overseas", market, [], ""))
        chid = node("渠道 Channels", None)
        for channel in CHANNELS:
            self.leaves.append((node(channel, chid), "channel", "", "", [], ""))
        self.summary.customer_groups = created

    def categories(self) -> None:
        self.templates: list[tuple[int, str, tuple]] = []  # category id, top name, template
        created = 0
        for top, subs in CATALOG.items():
            tid, new = self._node(ProductCategory, top, None)
            created += new
            for sub, templates in subs.items():
                sid, new = self._node(ProductCategory, sub, tid)
                created += new
                self.templates.extend((sid, top, template) for template in templates)
        self.summary.product_categories = created

    def competitors(self) -> None:
        existing = {c.name for c in Competitor.select(Competitor.name)}
        for name, products, strengths, weaknesses in COMPETITORS:
            if name not in existing:
                Competitor.create(name=name, products=products, strengths=strengths,
                                  weaknesses=weaknesses)
                self.summary.competitors += 1

    # -- parties ---------------------------------------------------------------------------

    def _cn_person(self) -> str:
        pick = self.pick
        given = pick(GIVEN) if self.rnd() < 0.3 else pick(GIVEN) + pick(GIVEN)
        return pick(SURNAMES) + given

    def _latin_person(self) -> str:
        return f"{self.pick(PERSON_FIRST)} {self.pick(PERSON_LAST)}"

    def _cn_company(self, city: str) -> str:
        pick, r = self.pick, self.rnd()
        if r < 0.55:
            return city + pick(CORES) + pick(TRADES) + pick(CN_SUFFIXES)
        if r < 0.8:
            return self._cn_person() + pick(TRADES) + pick(CN_SUFFIXES)  # 张三丰贸易有限公司
        if r < 0.9:
            return city + pick(CORES) + pick(TRADES)  # 深圳华强电子
        return self._cn_person()  # a private customer

    def _latin_company(self, city: str = "") -> str:
        name = f"{self.pick(LATIN_FIRST)} {self.pick(LATIN_SECOND)}"
        if city and self.rnd() < 0.5:
            return f"{name} ({city}) Co., Ltd."
        return f"{name} {self.pick(LATIN_SUFFIXES)}"

    def _mobile(self) -> str:
        return f"1{'3578'[int(self.rnd() * 4)]}{int(self.rnd() * 1e9):09d}"

    def _landline(self, area: str) -> str:
        return f"{area}-{20_000_000 + int(self.rnd() * 70_000_000)}"

    def _tax_number(self, area: str) -> str:
        """A unified social credit code shape: 18 characters."""
        return f"91{area[-3:]:0>3}{self.rng.getrandbits(52):013X}"

    def customers(self, n: int) -> None:
        rnd, pick = self.rnd, self.pick
        base_id, first_code = self.customer_ids.start, self.first_codes["customer"]
        self.cust_level = [1] * n
        self.cust_seller = [0] * n
        self.cust_day = [0] * n  # created on this day of the order year (negative: before)
        self.cust_latin = [False] * n
        self.cust_stamp = [""] * n
        cn_leaves = [leaf for leaf in self.leaves if leaf[1] == "cn"]
        other_leaves = [leaf for leaf in self.leaves if leaf[1] != "cn"]
        stamps: dict[int, str] = {}
        rows = []
        self.progress("customers", 0, n)
        for i in range(n):
            gid, kind, region, city, districts, area = (
                pick(cn_leaves) if rnd() < 0.8 else pick(other_leaves))
            if kind == "channel":
                region, city, area, districts = pick(self.cities)
            latin = kind == "intl" or rnd() < 0.25
            if kind == "intl":
                phone_format, places = OVERSEAS[city]
                name = self._latin_company()
                phone = phone_format.format(a=1000 + int(rnd() * 8999), b=1000 + int(rnd() * 8999))
                mobile = tax = ""
                address = f"{1 + int(rnd() * 300)} {pick(LATIN_STREETS)}, {pick(places)}"
                email = "info@" + re.sub(r"[^a-z]", "", name.lower())[:20] + ".com"
            else:
                name = self._latin_company(city) if latin else self._cn_company(city)
                phone = self._landline(area)
                mobile = self._mobile()
                address = f"{city}市{pick(districts)}{pick(ROADS)}{1 + int(rnd() * 998)}号"
                if rnd() < 0.3:
                    address += f"{1 + int(rnd() * 29)}楼{1 + int(rnd() * 19):02d}室"
                email = (f"{100_000 + int(rnd() * 1e9)}@qq.com" if rnd() < 0.4
                         else f"{mobile}@{pick(MAIL_HOSTS)}")
                tax = self._tax_number(area)
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
            stamp = stamps.get(day)
            if stamp is None:
                stamp = stamps[day] = _stamp(self.start + dt.timedelta(days=day), 34_200)
            seller = pick(self.sellers)
            self.cust_day[i], self.cust_level[i], self.cust_seller[i] = day, level, seller
            self.cust_latin[i], self.cust_stamp[i] = latin, stamp
            rows.append((
                base_id + i, stamp, stamp, f"C{first_code + i:06d}", name, gid, grade, status,
                seller, phone, mobile, email, address, region, pick(INDUSTRIES), pick(SOURCES),
                tax, credit * 1000_00, terms, level, 1, "", "",
            ))
        self.old_customers = [i for i in range(n) if self.cust_day[i] < 0] or list(range(n))
        self.summary.customers = n
        w = self.writer
        w.run(self.indexes.drop, "customer")
        w.run(self.search_triggers.drop)
        self.insert("customer", (
            "id", "created_at", "updated_at", "code", "name", "group_id", "grade", "status",
            "salesperson_id", "phone", "mobile", "email", "address", "region", "industry",
            "source", "tax_number", "credit_limit", "payment_terms_days", "price_level",
            "version", "fax", "notes"), rows)

    def contacts(self) -> None:
        rnd, pick, today = self.rnd, self.pick, self.today
        rows = []
        self.progress("contacts", 0, len(self.customer_ids))
        today_count = 0
        for i, cid in enumerate(self.customer_ids):
            latin, stamp = self.cust_latin[i], self.cust_stamp[i]
            for k in range(1 + int(rnd() * 2.5)):
                mobile = self._mobile()
                if latin:
                    name = self._latin_person()
                    title = pick(EN_TITLES)
                    email = re.sub(r"[^a-z.]", "", name.lower().replace(" ", ".")) + "@example.com"
                else:
                    name = self._cn_person()
                    title = pick(CN_TITLES)
                    email = f"{mobile}@{pick(MAIL_HOSTS)}"
                b = rnd()
                if b < 0.01 or today_count < 3:  # birthdays today, for the reminders panel
                    birthday = self._birthday_on(today)
                    today_count += 1
                elif b < 0.03:  # and some in the coming week
                    birthday = self._birthday_on(today + dt.timedelta(days=1 + int(rnd() * 7)))
                elif b < 0.45:
                    birthday = (dt.date(1960 + int(rnd() * 40), 1, 1)
                                + dt.timedelta(days=int(rnd() * 365))).isoformat()
                else:
                    birthday = None
                rows.append((stamp, stamp, cid, name, title, mobile, email, birthday, k == 0,
                             1, "", ""))
        self.summary.contacts = len(rows)
        w = self.writer
        w.run(self.indexes.drop, "contact")
        self.insert("contact", (
            "created_at", "updated_at", "customer_id", "name", "title", "mobile", "email",
            "birthday", "is_key", "version", "phone", "notes"), rows)
        w.run(self.search_triggers.restore, self.customer_ids.start)
        w.run(self.indexes.restore, "customer")
        w.run(self.indexes.restore, "contact")

    def _birthday_on(self, day: dt.date) -> str:
        years = range(1964, 2001, 4) if (day.month, day.day) == (2, 29) else range(1960, 2001)
        return dt.date(self.pick(years), day.month, day.day).isoformat()

    def suppliers(self, n: int) -> None:
        rnd, pick = self.rnd, self.pick
        base_id, first_code = self.supplier_base, self.first_codes["supplier"]
        self.supplier_ids = range(base_id, base_id + n)
        stamp = _stamp(self.start - dt.timedelta(days=400), 9 * 3600)
        rows = []
        for i in range(n):
            _region, city, area, districts = pick(self.cities)
            if rnd() < 0.85:
                name = city + pick(CORES) + pick(TRADES) + pick(
                    ("制造有限公司", "工厂", "实业有限公司", "批发部"))
                contact = self._cn_person()
            else:
                name, contact = self._latin_company(), self._latin_person()
            rows.append((
                base_id + i, 1, stamp, stamp, f"S{first_code + i:05d}", name, contact,
                self._landline(area), f"{self._mobile()}@163.com",
                f"{city}市{pick(districts)}{pick(ROADS)}{1 + int(rnd() * 998)}号",
                self._tax_number(area), pick((0, 30, 30, 60)), True, "",
            ))
        self.summary.suppliers = n
        self.insert("supplier", (
            "id", "version", "created_at", "updated_at", "code", "name", "contact_name", "phone",
            "email", "address", "tax_number", "payment_terms_days", "active", "notes"), rows)

    # -- catalogue -------------------------------------------------------------------------

    def products(self, n: int) -> None:
        rnd, pick = self.rnd, self.pick
        base_id, first_code = self.product_ids.start, self.first_codes["product"]
        self.cost = [0] * n
        self.prices = [[0] * n for _ in range(5)]  # [price level 1..4][product]
        self.weighed = [False] * n
        self.min_stock = [0] * n
        stamp = _stamp(self.start - dt.timedelta(days=200), 10 * 3600)
        letters = "ABCDEFGHJKLMNPRSTUVWXYZ"
        rows, codes = [], []
        self.progress("products", 0, n)
        for i in range(n):
            pid = base_id + i
            cat_id, top, (base, variants, unit, (lo, hi)) = pick(self.templates)
            weighed = unit in WEIGHED_UNITS
            cost = max(1, int((lo + (hi - lo) * rnd()) * 100))
            retail = max(cost + 1, int(cost * (1.25 + 0.65 * rnd())) // 10 * 10 + 9)
            wholesale = max(cost + 1, (retail * 88 + 50) // 100)
            member = max(cost + 1, (retail * 95 + 50) // 100)
            special = max(cost + 1, (retail * 80 + 50) // 100)
            min_stock = (10 + int(rnd() * 190) if weighed
                         else pick((5, 10, 20, 30, 50, 100))) * 1000
            self.cost[i], self.weighed[i], self.min_stock[i] = cost, weighed, min_stock
            self.prices[1][i], self.prices[2][i] = retail, wholesale
            self.prices[3][i], self.prices[4][i] = member, special
            rows.append((
                pid, stamp, stamp, f"P{first_code + i:06d}",
                f"{pick(BRANDS[top])} {base} {pick(variants)}",
                f"{pick(letters)}{pick(letters)}-{100 + int(rnd() * 9900)}", unit, cat_id,
                cost, retail, wholesale, member, special, min_stock, rnd() < 0.97, 1, False, "",
            ))
            # A unique EAN-13 per product id: GS1 China prefix, a "company" and an item number.
            ean = make_ean13(f"{GS1_CHINA}{20_000 + pid // 100_000:05d}", pid % 100_000)
            codes.append((pid, "0" + ean, ean, 1000))
            if rnd() < 0.1:  # a carton of 12 with its own GTIN-14
                carton = carton_gtin14(ean)
                codes.append((pid, carton, carton, 12_000))
        self.summary.products = n
        self.summary.barcodes = len(codes)
        w = self.writer
        w.run(self.indexes.drop, "product")
        w.run(self.indexes.drop, "barcode")
        self.insert("product", (
            "id", "created_at", "updated_at", "code", "name", "spec", "unit", "category_id",
            "cost", "price1", "price2", "price3", "price4", "min_stock", "active", "version",
            "allow_negative", "notes"), rows)
        self.insert("barcode", ("product_id", "code", "raw", "pack_qty"), codes)
        w.run(self.indexes.restore, "product")
        w.run(self.indexes.restore, "barcode")

    # -- orders and stock ------------------------------------------------------------------

    def orders(self, n: int) -> None:
        self.order_writer = _OrderWriter(self)
        self.order_writer.run(n)

    def stock(self) -> None:
        """Opening stock so that no product ever goes below zero, the movements of every
        delivered document, and on hand = the sum of the movements."""
        rnd, sql = self.rnd, self.sql
        ow = self.order_writer
        self.progress("stock", 0, len(self.product_ids))
        opening_at = _stamp(self.start - dt.timedelta(days=1), 8 * 3600)
        movements, levels = [], []
        for i, pid in enumerate(self.product_ids):
            min_stock = self.min_stock[i]
            unit = 1 if self.weighed[i] else 1000
            if rnd() < 0.12:  # a product to reorder: below its minimum
                target = int(rnd() * (min_stock // unit)) * unit
            else:
                target = (min_stock // unit + int(rnd() * 3 * min_stock // unit)) * unit
            opening = max(-ow.lowest[i], target - ow.balance[i])
            if opening:
                movements.append((opening_at, pid, self.location_id, opening, "opening", "",
                                  None, "", self.admin_id, "demo opening stock"))
            on_hand = opening + ow.balance[i]
            levels.append((pid, self.location_id, on_hand))
            self.summary.below_min_stock += on_hand < min_stock
        self.summary.stock_movements = len(movements) + ow.moved_lines
        self.summary.stock_levels = len(levels)
        columns = ("at", "product_id", "location_id", "quantity", "reason", "doc_type", "doc_id",
                   "doc_number", "user_id", "note")
        w = self.writer
        w.run(self.indexes.drop, "stock_movement")
        self.insert("stock_movement", columns, movements)
        if self.summary.orders:
            # In order-line order, which is date order: movement ids follow time (SQLite).
            w.run(sql.execute, f"""
                INSERT INTO stock_movement ({", ".join(columns)})
                SELECT o.updated_at, l.product_id, o.location_id,
                       CASE WHEN o.kind IN ('sale', 'purchase_return') THEN -l.quantity
                            ELSE l.quantity END,
                       o.kind, 'order', o.id, o.number, o.salesperson_id, ''
                FROM order_line l JOIN "order" o ON o.id = l.order_id
                WHERE l.order_id >= {sql.p} AND o.status = 'delivered'
                  AND o.kind IN ('sale', 'sale_return', 'purchase', 'purchase_return')
                """, (self.first_order_id,))
        # The levels were summed alongside the documents; run_checks() proves they agree.
        w.run(self.indexes.drop, "stock_level")
        self.insert("stock_level", ("product_id", "location_id", "on_hand"), levels)
        for table in ("order", "order_line", "stock_movement", "stock_level"):
            w.run(self.indexes.restore, table)
        if not sql.sqlite:
            # Fresh statistics, or PostgreSQL plans the first queries (reports, checks) as if
            # the tables were still empty (measured: a 1 s check ran for 13 minutes).
            w.run(sql.execute, "ANALYZE " + ", ".join(f'"{t}"' for t in self.WRITTEN))

    def finish(self) -> None:
        """After the writer: reserve the numbers used, move PostgreSQL's id sequences past
        the ids written here, the Today screen's demo data, one audit row."""
        for (kind, year), used in self.order_writer.used.items():
            if numbering.reserve(kind, year, used) != self.sequences[(kind, year)]:
                raise RuntimeError(f"{kind} numbers of {year} were taken meanwhile")
        if not self.sql.sqlite:  # move the id sequences past the ids written here
            last = {"customer": self.customer_ids.stop, "supplier": self.supplier_ids.stop,
                    "product": self.product_ids.stop, "order": self.order_writer.oid}
            for table, stop in last.items():
                if stop > 1:
                    self.sql.execute(f"SELECT setval(pg_get_serial_sequence('\"{table}\"', "
                                     f"'id'), {int(stop) - 1})")
        self.progress("activities", 0, 1)
        if build_demo_activities is not None:  # reminders, activities, announcements
            build_demo_activities(self.rng.randrange(1 << 30))
        s = self.summary
        audit.record(system_actor(), "demo", None, "build", {
            "customers": s.customers, "products": s.products, "orders": s.orders,
            "order_lines": s.order_lines, "stock_movements": s.stock_movements,
        })


class _OrderWriter:
    """A year of documents, day by day, handed to the writer in batches (bounded memory).

    Line tuples are (order id, line no, product id, quantity, unit price, discount, amount) in
    thousandths and cents; amount = round_half_up(quantity * unit price) - discount. The
    running stock balance of every product is kept as the documents are made, so that the
    opening stock can be set to what keeps it from ever going below zero.
    """

    SALE_QTY = (1, 1, 1, 1, 2, 2, 2, 3, 3, 4, 5, 6, 6, 10, 12, 12, 20, 24, 50)
    BUY_QTY = (5, 6, 10, 10, 12, 20, 24, 24, 30, 48, 50, 100)
    KINDS = ("quote", "sale", "sale_return", "purchase", "purchase_return")
    ORDER_COLUMNS = ("id", "created_at", "updated_at", "number", "kind", "status", "date",
                     "valid_until", "customer_id", "supplier_id", "salesperson_id", "source_id",
                     "subtotal", "discount", "total", "notes", "location_id", "version")
    LINE_COLUMNS = ("order_id", "line_no", "product_id", "quantity", "unit_price", "discount",
                    "amount")

    def __init__(self, b: _Builder) -> None:
        self.b = b
        self.rnd = b.rnd
        self.pick = b.pick
        self.base_pid = b.product_ids.start
        np_ = len(b.product_ids)
        self.balance = [0] * np_  # stock change so far per product (thousandths)
        self.lowest = [0] * np_  # lowest running balance: what the opening stock must cover
        self.moved_lines = 0
        self.hot = list(range(np_))  # popularity rank -> product index
        b.rng.shuffle(self.hot)
        self.orders: list[tuple] = []
        self.lines: list[tuple] = []
        self.conversions: list[tuple[int]] = []
        self.used: dict[tuple[str, int], int] = {}  # document numbers used per (kind, year)
        self.by_kind = dict.fromkeys(self.KINDS, 0)
        self.first_customer = b.customer_ids.start
        self.recent_sales: deque = deque(maxlen=400)  # what returns are made from
        self.recent_buys: deque = deque(maxlen=200)
        self.pending_quotes: deque = deque()  # accepted quotes waiting to become orders

    def per_day(self, n: int, days: int) -> list[int]:
        """Orders per day: fewer at weekends, some growth over the year; sums to ``n``."""
        weights = []
        for d in range(days):
            weekday = (self.b.start + dt.timedelta(days=d)).weekday()
            w = (1.0, 1.0, 1.0, 1.0, 1.1, 0.6, 0.3)[weekday] * (0.85 + 0.3 * d / days)
            weights.append(w * (0.8 + 0.4 * self.rnd()))
        total = sum(weights)
        counts, acc, given = [], 0.0, 0
        for w in weights:
            acc += w * n / total
            counts.append(round(acc) - given)
            given += counts[-1]
        return counts

    def run(self, n: int) -> None:
        b = self.b
        self.oid = b.first_order_id
        b.writer.run(b.indexes.drop, "order")
        b.writer.run(b.indexes.drop, "order_line")
        days = (b.today - b.start).days + 1
        at_now = clock.now()
        done = 0
        b.progress("orders", 0, n)
        for d, count in enumerate(self.per_day(n, days)):
            if not count:
                continue
            day = b.start + dt.timedelta(days=d)
            end = 19 * 3600
            if day == at_now.date():  # nothing later than now
                end = max(60, min(end, at_now.hour * 3600 + at_now.minute * 60))
            begin = min(8 * 3600, end - 60)
            span, one = end - begin, self.one
            for t in sorted(begin + int(self.rnd() * span) for _ in range(count)):
                one(d, day, _stamp(day, t))
            done += count
            if len(self.lines) >= LINES_PER_FLUSH:
                self.flush()
                b.progress("orders", done, n)
        self.flush()
        if self.conversions:
            b.writer.run(self._convert, self.conversions)
        b.summary.orders = self.oid - b.first_order_id
        b.summary.by_kind = {k: v for k, v in self.by_kind.items() if v}
        b.progress("orders", n, n)

    def flush(self) -> None:
        self.b.insert("order", self.ORDER_COLUMNS, self.orders)
        self.b.insert("order_line", self.LINE_COLUMNS, self.lines)
        self.b.summary.order_lines += len(self.lines)
        self.orders, self.lines = [], []  # new lists: the writer still holds the old ones

    def _convert(self, quote_ids: list[tuple[int]]) -> None:
        sql = self.b.sql
        sql.conn.cursor().executemany(
            f"UPDATE \"order\" SET status = 'converted' WHERE id = {sql.p}", quote_ids)

    def add(self, kind: str, status: str, stamp: str, year: int, subtotal: int, discount: int,
            customer: int | None, supplier: int | None, seller: int, source: int | None = None,
            valid_until: str | None = None) -> None:
        """One order row (``customer`` is an index into this build's customers)."""
        self.by_kind[kind] += 1
        key = (kind, year)
        used = self.used.get(key, 0)
        self.used[key] = used + 1
        number = numbering.format_number(self.b.prefixes[kind], year, self.b.sequences[key] + used)
        self.orders.append((
            self.oid, stamp, stamp, number, kind, status, stamp[:10], valid_until,
            None if customer is None else self.first_customer + customer, supplier, seller, source,
            subtotal, discount, subtotal - discount,
            self.pick(ORDER_NOTES) if self.rnd() < 0.05 else "", self.b.location_id, 1,
        ))
        self.oid += 1

    def move(self, lines: list[tuple], sign: int) -> None:
        """Book the stock effect of delivered ``lines`` into the running balances."""
        balance, lowest, base = self.balance, self.lowest, self.base_pid
        for line in lines:
            pi = line[2] - base
            bal = balance[pi] = balance[pi] + sign * line[3]
            if bal < lowest[pi]:
                lowest[pi] = bal
        self.moved_lines += len(lines)

    # one document --------------------------------------------------------------------------

    def one(self, d: int, day: dt.date, stamp: str) -> None:
        age = (self.b.today - day).days
        r = self.rnd()
        if r < 0.09:
            self.quote(d, day, stamp, age)
        elif r < 0.87:
            self.sale(d, day, stamp, age)
        elif r < 0.97 or not (self.recent_sales or self.recent_buys):
            self.purchase(day, stamp, age)
        elif (r < 0.99 and self.recent_sales) or not self.recent_buys:
            self.sale_return(day, stamp, age)
        else:
            self.purchase_return(day, stamp, age)

    def customer(self, d: int) -> int:
        b = self.b
        i = int(len(b.customer_ids) * self.rnd() ** 1.6)  # some customers buy much more
        if b.cust_day[i] > d:  # not a customer yet on that day
            i = self.pick(b.old_customers)
        return i

    def sell_lines(self, level: int, delivered: bool = False) -> tuple[list[tuple], int]:
        """Up to nine lines of distinct products at the customer's price level; ``delivered``
        books them out of the running stock balances at once (the hottest loop here)."""
        rnd, oid, base = self.rnd, self.oid, self.base_pid
        np_, hot, qtys = len(self.hot), self.hot, self.SALE_QTY
        prices, weighed = self.b.prices[level], self.b.weighed
        balance, lowest = self.balance, self.lowest
        used: set[int] = set()
        lines: list[tuple] = []
        subtotal = k = 0
        for _ in range(1 + int(rnd() * 9)):
            pi = hot[int(np_ * rnd() * rnd())]  # a few products sell far more than most
            if pi in used:
                continue
            used.add(pi)
            # weighed goods: 0.1 to 20 kg to the 5 g; others whole units
            q = 100 + int(rnd() * 4000) * 5 if weighed[pi] else qtys[int(rnd() * 19)] * 1000
            price = prices[pi]
            gross = (q * price + 500) // 1000
            discount = gross * 5 // 100 if rnd() < 0.08 else 0
            k += 1
            lines.append((oid, k, base + pi, q, price, discount, gross - discount))
            subtotal += gross - discount
            if delivered:
                bal = balance[pi] = balance[pi] - q
                if bal < lowest[pi]:
                    lowest[pi] = bal
        if delivered:
            self.moved_lines += k
        return lines, subtotal

    def order_discount(self, subtotal: int) -> int:
        if subtotal > 10_000 and self.rnd() < 0.06:  # drop the small change, or 2 % off
            return subtotal % 1000 if self.rnd() < 0.6 else subtotal * 2 // 100
        return 0

    def quote(self, d: int, day: dt.date, stamp: str, age: int) -> None:
        b, rnd = self.b, self.rnd
        ci = self.customer(d)
        valid = day + dt.timedelta(days=30)
        if age <= 30 and rnd() < 0.3:  # about to expire: a reminder on the Today screen
            valid = max(day, b.today + dt.timedelta(days=int(rnd() * 4)))
        quote_id = self.oid
        lines, subtotal = self.sell_lines(b.cust_level[ci])
        self.lines += lines
        discount = self.order_discount(subtotal)
        self.add("quote", "draft", stamp, day.year, subtotal, discount, ci, None,
                 b.cust_seller[ci], None, valid.isoformat())
        if age > 10 and rnd() < 0.5:  # accepted: becomes a sales order within a week
            self.pending_quotes.append((d + 1 + int(rnd() * 7), quote_id, ci, lines, discount))

    def sale(self, d: int, day: dt.date, stamp: str, age: int) -> None:
        b, s = self.b, self.rnd()
        if age <= 2:
            status = "draft" if s < 0.5 else "confirmed"
        elif age <= 10:
            status = "delivered" if s < 0.7 else "confirmed"
        else:
            status = "delivered" if s < 0.97 else "cancelled"
        oid, source = self.oid, None
        delivered = status == "delivered"
        if self.pending_quotes and self.pending_quotes[0][0] <= d:
            _due, source, ci, quoted, discount = self.pending_quotes.popleft()
            lines = [(oid,) + line[1:] for line in quoted]
            subtotal = sum(line[6] for line in lines)
            self.conversions.append((source,))
            if delivered:
                self.move(lines, -1)
        else:
            ci = self.customer(d)
            lines, subtotal = self.sell_lines(b.cust_level[ci], delivered)
            discount = self.order_discount(subtotal)
        self.lines += lines
        self.add("sale", status, stamp, day.year, subtotal, discount, ci, None,
                 b.cust_seller[ci], source)
        if delivered:
            self.recent_sales.append((oid, ci, lines))

    def purchase(self, day: dt.date, stamp: str, age: int) -> None:
        b, rnd, oid = self.b, self.rnd, self.oid
        received = age > 5 or rnd() < 0.3
        np_ = len(self.hot)
        used: set[int] = set()
        lines, subtotal = [], 0
        for _ in range(1 + int(rnd() * 9)):
            pi = int(np_ * rnd())
            if pi in used:
                continue
            used.add(pi)
            q = (20 + int(rnd() * 200)) * 1000 if b.weighed[pi] else self.pick(self.BUY_QTY) * 1000
            price = b.cost[pi]
            amount = (q * price + 500) // 1000
            lines.append((oid, len(lines) + 1, self.base_pid + pi, q, price, 0, amount))
            subtotal += amount
        self.lines += lines
        supplier = self.pick(b.supplier_ids)
        self.add("purchase", "delivered" if received else "confirmed", stamp, day.year,
                 subtotal, 0, None, supplier, self.pick(b.buyers))
        if received:
            self.move(lines, +1)
            self.recent_buys.append((oid, supplier, lines))

    def sale_return(self, day: dt.date, stamp: str, age: int) -> None:
        b, rnd, oid = self.b, self.rnd, self.oid
        source, ci, sold = self.pick(self.recent_sales)
        lines, subtotal = [], 0
        for line in b.rng.sample(sold, min(len(sold), 1 + (rnd() < 0.3))):
            q, price = line[3], line[4]
            if b.weighed[line[2] - self.base_pid]:
                back = max(1, q // (1 + int(rnd() * 3)))
            else:
                back = (1 + int(rnd() * (q // 1000))) * 1000
            amount = (back * price + 500) // 1000
            lines.append((oid, len(lines) + 1, line[2], back, price, 0, amount))
            subtotal += amount
        self.lines += lines
        done = age > 2
        self.add("sale_return", "delivered" if done else "draft", stamp, day.year, subtotal, 0,
                 ci, None, b.cust_seller[ci], source)
        if done:
            self.move(lines, +1)

    def purchase_return(self, day: dt.date, stamp: str, age: int) -> None:
        b, rnd = self.b, self.rnd
        source, supplier, bought = self.pick(self.recent_buys)
        line = self.pick(bought)
        q, price = line[3], line[4]
        back = max(1, q // self.pick((2, 4, 10)))
        if not b.weighed[line[2] - self.base_pid]:
            back = max(1000, back // 1000 * 1000)
        amount = (back * price + 500) // 1000
        lines = [(self.oid, 1, line[2], back, price, 0, amount)]
        self.lines += lines
        done = age > 2 or rnd() < 0.5
        self.add("purchase_return", "delivered" if done else "draft", stamp, day.year, amount,
                 0, None, supplier, self.pick(b.buyers), source)
        if done:
            self.move(lines, -1)
