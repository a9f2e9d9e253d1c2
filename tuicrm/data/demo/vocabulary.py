"""The demo company's words: names, places, trades, the product catalogue, and the small
functions that make a person's or a company's name, a phone number or a tax number from them.

Only data and the rules that combine it; the random stream is the build's (``Names`` draws from
it), so the same seed gives the same names.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence
from typing import Protocol, TypeVar

from ..core.vocab import Role

T = TypeVar("T")

DEMO_PASSWORD = "demo1234"  # every demo user's (the login screen of the demo says so)
DEMO_USERS = [  # username, full name, department, role
    ("admin", "系统管理员 Admin", "管理部", Role.ADMIN),
    ("manager", "王丽 Wang Li", "销售部", Role.MANAGER),
    ("counter", "李小红 Li Xiaohong", "门市部", Role.SALES),
    ("warehouse", "张建国 Zhang Jianguo", "仓库", Role.WAREHOUSE),
]

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

SUPPLIER_TRADES = ("制造有限公司", "工厂", "实业有限公司", "批发部")

# --- the catalogue --------------------------------------------------------------------------

# (name, variants, unit, cost range in yuan)
ProductTemplate = tuple[str, list[str], str, tuple[float, float]]

# category > sub-category > product templates
CATALOG: dict[str, dict[str, list[ProductTemplate]]] = {
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


class Picker(Protocol):
    def __call__(self, seq: Sequence[T], /) -> T: ...


def picker(rnd: Callable[[], float]) -> Picker:
    """``pick(seq)``: a random element, faster than ``Random.choice`` (called millions of
    times here)."""

    def pick(seq: Sequence[T]) -> T:
        return seq[int(rnd() * len(seq))]

    return pick


class Names:
    """People's and companies' names, phone and tax numbers, birthdays: drawn from the build's
    random stream in the order the rows are made."""

    def __init__(self, rng: random.Random, pick: Picker) -> None:
        self.rng = rng
        self.rnd = rng.random
        self.pick = pick

    def cn_person(self) -> str:
        pick = self.pick
        given = pick(GIVEN) if self.rnd() < 0.3 else pick(GIVEN) + pick(GIVEN)
        return pick(SURNAMES) + given

    def latin_person(self) -> str:
        return f"{self.pick(PERSON_FIRST)} {self.pick(PERSON_LAST)}"

    def cn_company(self, city: str) -> str:
        pick, r = self.pick, self.rnd()
        if r < 0.55:
            return city + pick(CORES) + pick(TRADES) + pick(CN_SUFFIXES)
        if r < 0.8:
            return self.cn_person() + pick(TRADES) + pick(CN_SUFFIXES)  # 张三丰贸易有限公司
        if r < 0.9:
            return city + pick(CORES) + pick(TRADES)  # 深圳华强电子
        return self.cn_person()  # a private customer

    def latin_company(self, city: str = "") -> str:
        name = f"{self.pick(LATIN_FIRST)} {self.pick(LATIN_SECOND)}"
        if city and self.rnd() < 0.5:
            return f"{name} ({city}) Co., Ltd."
        return f"{name} {self.pick(LATIN_SUFFIXES)}"

    def supplier(self, city: str) -> str:
        pick = self.pick
        return city + pick(CORES) + pick(TRADES) + pick(SUPPLIER_TRADES)

    def mobile(self) -> str:
        return f"1{'3578'[int(self.rnd() * 4)]}{int(self.rnd() * 1e9):09d}"

    def landline(self, area: str) -> str:
        return f"{area}-{20_000_000 + int(self.rnd() * 70_000_000)}"

    def tax_number(self, area: str) -> str:
        """A unified social credit code shape: 18 characters."""
        return f"91{area[-3:]:0>3}{self.rng.getrandbits(52):013X}"

    def birthday_on(self, day: dt.date) -> str:
        """A birthday on ``day``'s month and day (29 February: in a leap year)."""
        years = range(1964, 2001, 4) if (day.month, day.day) == (2, 29) else range(1960, 2001)
        return dt.date(self.pick(years), day.month, day.day).isoformat()



# The demo shop's company settings (printed on receipts, invoices and contracts).
DEMO_COMPANY = {
    "company.name": "华兴五金建材 Huaxing Hardware",
    "company.address": "上海市闵行区七莘路1888号 No. 1888 Qixin Road, Minhang, Shanghai",
    "company.tax_number": "91310112MA1GB0000K",
    "company.phone": "021-6488 0000",
    "company.bank_account": "中国工商银行上海七宝支行 1001 2345 6789 0000 000",
}
