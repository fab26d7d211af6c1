"""Deterministic synthetic registry rows (人员名单, EXCHANGE.md §1) of rural 湘西 households.

Plain Python, no Django: used by the demo and by the benchmarks (`bench/make_registry_file.py`).
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from functools import cache

from bangfu.core.idnumber import IdNumberError, check_against, make_id, parse_id_number
from bangfu.registry import vocab

__all__ = ["REFERENCE_DATE", "REGISTRY_COLUMNS", "generate_households", "validate_row"]

# "Today" for every age; never the clock, so the same seed gives the same rows on any day.
REFERENCE_DATE = dt.date(2026, 1, 1)
_LAST_YEAR = REFERENCE_DATE.year - 1  # a person aged N was born in this year minus N (Jan 2 – Dec 31)
MAX_AGE = 95

# EXCHANGE.md §1, area-code form, in the order the platform exports them.
REGISTRY_COLUMNS = (
    "行政区划代码",
    "户编号",
    "姓名",
    "证件号码",
    "与户主关系",
    "性别",
    "出生日期",
    "民族",
    "文化程度",
    "在校生状况",
    "健康状况",
    "劳动技能",
    "务工状态",
    "务工时间(月)",
    "联系电话",
    "户类型",
    "监测对象类型",
    "脱贫年度",
    "人均纯收入",
    "是否低保",
    "是否特困",
    "是否易地搬迁",
    "就业意向",
    "意向务工地",
    "期望月薪",
    "培训意愿",
    "技能特长",
    "就业意愿",
)


def _table(weights: Mapping[object, float], size: int = 1000) -> tuple:
    """A weighted distribution as a flat lookup table: ``t[int(random() * len(t))]`` draws from it.

    Every value gets at least one slot, so rare values stay possible.
    """
    total = sum(weights.values())
    return tuple(
        value for value, weight in weights.items() for _ in range(max(1, round(weight * size / total)))
    )


# ---------------------------------------------------------------------------------------------------
# Data: households
# ---------------------------------------------------------------------------------------------------

# Mean ≈ 3.5 members; many single elderly and elderly couples, some large three-generation households.
_SIZES = _table({1: 15, 2: 20, 3: 16, 4: 20, 5: 16, 6: 9, 7: 4})
# Structure of a household of 3+ members: nuclear, single parent, head with own parents, head with
# married son (or daughter and 上门女婿) and grandchildren.
_STRUCTURES = {
    3: _table({"nuclear": 48, "single": 17, "parents": 15, "grand": 20}),
    4: _table({"nuclear": 45, "single": 8, "parents": 20, "grand": 27}),
    5: _table({"nuclear": 30, "single": 5, "parents": 28, "grand": 37}),
    6: _table({"nuclear": 12, "single": 3, "parents": 33, "grand": 52}),
    7: _table({"nuclear": 5, "parents": 38, "grand": 57}),
}
# Age of the youngest child of a couple: mostly school age, some grown-up children still at home.
_YOUNGEST_CHILD = _table(
    {age: 2 if age < 3 else 3 if age < 8 else 5 if age < 18 else 3 if age < 23 else 1 for age in range(31)}
)
_YOUNGEST_GRANDCHILD = _table({age: 4 if age < 4 else 6 if age < 14 else 3 for age in range(18)})

_HOUSEHOLD_TYPES = _table({"脱贫户": 80, "监测户": 14, "一般农户": 6})
_MONITORING_TYPES = _table({"脱贫不稳定户": 40, "边缘易致贫户": 45, "突发严重困难户": 15})
_EXIT_YEARS = _table({"2014": 7, "2015": 10, "2016": 15, "2017": 22, "2018": 22, "2019": 20, "2020": 4})
# Per-capita net income (yuan/year): (low, high) of a log-triangular draw.
_INCOME_RANGE = {"脱贫户": (6000, 30000), "监测户": (4500, 14000), "一般农户": (8000, 36000)}
_DIBAO = {"脱贫户": 0.14, "监测户": 0.40, "一般农户": 0.03}
_RELOCATED = {"脱贫户": 0.13, "监测户": 0.07, "一般农户": 0.0}

# ---------------------------------------------------------------------------------------------------
# Data: ethnicity and names (花垣县 / 凤凰县 proportions)
# ---------------------------------------------------------------------------------------------------

_ETHNICITIES = _table(
    {
        "苗族": 620,
        "土家族": 180,
        "汉族": 180,
        "侗族": 6,
        "瑶族": 4,
        "回族": 4,
        "白族": 2,
        "壮族": 2,
        "满族": 1,
        "蒙古族": 1,
    }
)
_MIAO_SURNAMES = {
    "龙": 16, "石": 15, "吴": 12, "麻": 10, "杨": 8, "隆": 4, "廖": 4, "施": 4, "滕": 4, "梁": 3,
    "欧": 2, "张": 2, "田": 2, "秧": 1.5, "时": 1.5, "金": 1, "胡": 1, "罗": 1, "唐": 1, "贾": 0.5,
}  # fmt: skip
_TUJIA_SURNAMES = {
    "彭": 14, "田": 12, "向": 12, "覃": 6, "王": 6, "李": 5, "张": 5, "符": 4, "舒": 4, "刘": 4,
    "黄": 3, "杨": 3, "米": 2, "宋": 2, "冉": 2, "谭": 2, "鲁": 1, "瞿": 1, "龚": 1, "卢": 1,
}  # fmt: skip
_HAN_SURNAMES = {
    "张": 8, "李": 7, "王": 7, "刘": 6, "陈": 6, "杨": 5, "黄": 4, "周": 4, "吴": 4, "唐": 4,
    "胡": 3, "谭": 3, "邓": 3, "罗": 3, "肖": 3, "曾": 2.5, "彭": 2, "向": 2, "田": 2, "梁": 2,
    "廖": 2, "姚": 2, "宋": 2, "朱": 2, "何": 2, "蒋": 2, "熊": 1.5, "侯": 1, "颜": 1, "欧阳": 1,
    "单": 0.6, "仇": 0.5, "解": 0.5,
}  # fmt: skip
_OTHER_SURNAMES = {"杨": 5, "吴": 4, "石": 3, "龙": 3, "马": 3, "赵": 2, "盘": 2, "李": 2, "粟": 2}
_SURNAMES = {
    "苗族": _table(_MIAO_SURNAMES),
    "土家族": _table(_TUJIA_SURNAMES),
    "汉族": _table(_HAN_SURNAMES),
}
_OTHER_SURNAME_TABLE = _table(_OTHER_SURNAMES)

# Given names by sex and birth cohort: (first characters, second characters, one-character names,
# share of one-character names).
_GIVEN_NAMES = {
    # born before 1960
    (True, 0): (
        "德正金光长世昌永文明玉志树先贵福成清",
        "生贵福明清林成华山章和兴发顺武才元良富",
        "林山清富贵顺发",
        0.1,
    ),
    (False, 0): ("秀桂玉金翠春菊兰银满凤冬月花", "英兰花珍妹莲香娥凤秀梅姣翠芝", "英兰花珍妹香", 0.1),
    # 1960–1984
    (True, 1): (
        "建国志海小红卫文明永家新军少晓春云光德正定和",
        "军华强平林明清勇兵斌峰波武东杰刚生辉",
        "军勇平伟斌华明林清波兵强刚涛",
        0.25,
    ),
    (False, 1): (
        "红小丽海春美晓秀玉桂金翠艳彩爱冬",
        "梅燕英华芳霞琼莲娟艳玲花兰珍凤妹",
        "丽芳艳霞琼燕娟英萍玲",
        0.25,
    ),
    # 1985–2004
    (True, 2): (
        "俊家文志小浩宇子佳明鹏建海金永天思",
        "杰豪涛鹏龙辉强伟宇波林峰飞鑫磊军",
        "浩涛鹏杰磊鑫凯宇飞超亮",
        0.25,
    ),
    (False, 2): (
        "婷小晓丽雪佳思玉春美慧梦金海",
        "婷丹静娟敏雪倩玲丽燕琴艳霞芳红",
        "婷丹静娟敏雪倩琴慧",
        0.25,
    ),
    # 2005 and later
    (True, 3): ("子浩宇梓俊一皓铭博天沐睿思嘉家", "轩宇航豪熙鸣泽文佑墨阳睿哲瑞凯", "睿铭轩浩宇泽", 0.1),
    (False, 3): ("梓欣诗雨子一思语佳可梦紫若依", "涵怡琪桐萱诺彤嫣欣妍菲曦雯瑶", "涵琪萱妍菲瑶", 0.1),
}
# Rare here but present: people from Xinjiang married into the county, names written with "·".
_DOT_NAME_SHARE = 0.003
_DOT_GIVEN = {
    True: ("艾力", "买买提", "阿不都", "努尔", "吐尔逊", "艾尔肯"),
    False: ("阿依古丽", "古丽", "热依拉", "米热古丽", "帕提古丽", "阿娜尔"),
}
_DOT_FATHER = ("买买提", "吐尔逊", "艾买提", "阿不力孜", "热合曼", "依明", "努尔", "卡德尔")
_DOT_ETHNICITIES = _table({"维吾尔族": 85, "哈萨克族": 15})

# ---------------------------------------------------------------------------------------------------
# Data: persons
# ---------------------------------------------------------------------------------------------------


def _education_tables() -> dict[tuple[bool, int], tuple]:
    """文化程度 of adults who left school, by sex and age band."""
    tables = {}
    for male in (True, False):
        tables[male, 70] = _table(
            {"文盲或半文盲": 35, "小学": 50, "初中": 13, "高中": 2}
            if male
            else {"文盲或半文盲": 60, "小学": 35, "初中": 5}
        )
        tables[male, 55] = _table(
            {"文盲或半文盲": 12, "小学": 48, "初中": 33, "高中": 6, "中专": 1}
            if male
            else {"文盲或半文盲": 30, "小学": 48, "初中": 20, "高中": 2}
        )
        tables[male, 40] = _table(
            {
                "文盲或半文盲": 4 if male else 7,
                "小学": 32 if male else 38,
                "初中": 50,
                "高中": 9,
                "中专": 4,
                "大专": 1,
            }
        )
        tables[male, 25] = _table(
            {"小学": 10, "初中": 50, "高中": 15, "中专": 13, "大专": 8, "本科及以上": 4}
        )
        tables[male, 22] = _table({"初中": 52, "高中": 18, "中专": 16, "大专": 10, "本科及以上": 4})
        tables[male, 15] = _table({"小学": 3, "初中": 62, "高中": 18, "中专": 17})
    return tables


_EDUCATION = _education_tables()
_EDUCATION_BANDS = (70, 55, 40, 25, 22, 15)
_HEALTH = {
    0: _table({"健康": 970, "长期慢性病": 10, "患有大病": 5, "残疾": 15}),
    16: _table({"健康": 920, "长期慢性病": 40, "患有大病": 15, "残疾": 25}),
    45: _table({"健康": 800, "长期慢性病": 120, "患有大病": 30, "残疾": 50}),
    60: _table({"健康": 600, "长期慢性病": 280, "患有大病": 50, "残疾": 70}),
    75: _table({"健康": 400, "长期慢性病": 420, "患有大病": 80, "残疾": 100}),
}
_SKILL_WORKING_AGE = {
    "健康": _table({"技能劳动力": 16, "普通劳动力": 78, "弱劳动力或半劳动力": 6}),
    "长期慢性病": _table({"普通劳动力": 30, "弱劳动力或半劳动力": 55, "丧失劳动力": 15}),
    "患有大病": _table({"弱劳动力或半劳动力": 40, "丧失劳动力": 60}),
    "残疾": _table({"普通劳动力": 10, "弱劳动力或半劳动力": 40, "丧失劳动力": 50}),
}
# Healthy people aged 60–64.
_SKILL_NEAR_RETIREMENT = _table({"技能劳动力": 5, "普通劳动力": 60, "弱劳动力或半劳动力": 35})
_EMPLOYMENT = {
    "able": _table({"省外务工": 38, "省内县外务工": 14, "县内务工": 22, "未务工": 26}),
    "older": _table({"省外务工": 15, "省内县外务工": 10, "县内务工": 35, "未务工": 40}),  # 55–64
    "weak": _table({"省外务工": 5, "省内县外务工": 5, "县内务工": 35, "未务工": 55}),
    "elderly": _table({"县内务工": 20, "未务工": 80}),  # 65+ with some labor ability
}
_WORK_MONTHS = _table({"12": 30, "11": 12, "10": 15, "9": 10, "8": 8, "7": 5, "6": 8, "5": 4, "4": 3, "3": 5})
_DESIRED_REGION = {
    "省外务工": _table({"省外": 50, "不限": 50}),
    "省内县外务工": _table({"省内": 70, "省外": 20, "不限": 10}),
    "县内务工": _table({"县内": 70, "省内": 30}),
    "未务工": _table({"县内": 60, "省内": 25, "不限": 15}),
}
# Expected monthly wage (yuan), by the farthest region accepted.
_WAGES = {
    "县内": _table({str(w): 1 for w in range(2500, 4001, 100)}),
    "省内": _table({str(w): 1 for w in range(3000, 5501, 100)}),
    "省外": _table({str(w): 1 for w in range(4000, 7001, 100)}),
    "不限": _table({str(w): 1 for w in range(3500, 7001, 100)}),
}
_PHONE_PREFIXES = tuple(
    str(prefix)
    for prefix in (
        *(130, 131, 132, 134, 135, 136, 137, 138, 139, 150, 151, 152, 155, 156, 157, 158, 159),
        *(166, 173, 177, 178, 180, 181, 182, 183, 185, 186, 187, 188, 189, 191, 198, 199),
    )
)

# Level-4 occupations (细类) of the 职业分类大典 that rural laborers ask for, copied from
# /work/shared/data/occupations_2022_draft.csv; weighted by sex.
_OCCUPATIONS = {
    True: _table(
        {
            "砌筑工": 8, "钢筋工": 6, "混凝土工": 5, "架子工": 4, "装饰装修工": 6, "乡村建设工匠": 3,
            "焊工": 6, "电工": 6, "管道工": 3, "防水工": 2, "筑路工": 2, "挖掘铲运和桩工机械司机": 4,
            "起重装卸机械操作工": 2, "道路货运汽车驾驶员": 5, "客运车辆驾驶员": 2, "装卸搬运工": 4,
            "快递员": 5, "网约配送员": 4, "保安员": 4, "汽车生产线操作工": 3, "电子设备装接工": 3,
            "手工木工": 3, "机械设备安装工": 2, "电气设备安装工": 2, "冲压工": 2, "涂装工": 2,
            "中式烹调师": 3, "护林员": 2, "家畜饲养员": 3, "家禽饲养员": 1, "农艺工": 2, "中药材种植员": 1,
            "仓储管理员": 2, "包装工": 2, "电池制造工": 2, "塑料制品成型制作工": 2,
        }
    ),
    False: _table(
        {
            "家政服务员": 8, "保洁员": 7, "养老护理员": 5, "保育师": 3, "婴幼儿发展引导员": 2,
            "医疗护理员": 2, "餐厅服务员": 6, "中式面点师": 3, "客房服务员": 4, "缝纫工": 6, "制鞋工": 3,
            "电子设备装接工": 6, "计算机及外部设备装配调试员": 3, "包装工": 4, "收银员": 3, "营销员": 2,
            "电子商务师": 3, "互联网营销师": 2, "茶叶加工工": 3, "抽纱刺绣工": 3, "民间工艺品制作工": 2,
            "美容师": 2, "美发师": 2, "中药材种植员": 2, "食用菌生产工": 2, "园艺工": 1, "园林绿化工": 2,
            "生活垃圾清运工": 1, "水产品加工工": 1, "豆制品制作工": 1, "快递员": 2,
        }
    ),
}  # fmt: skip
_FREE_WISHES = ("就近务工", "进厂务工", "工地务工", "灵活就业", "公益性岗位", "自主创业")
_TRAINING = {
    True: _table(
        {
            "电工": 8, "焊工": 7, "电工、焊工": 3, "挖掘机驾驶": 5, "叉车": 3, "汽车驾驶": 5, "中式烹调": 3,
            "电商": 4, "水电安装": 4, "砌筑": 2, "养殖技术": 4, "种植技术": 4, "农机维修": 2,
            "育肥牛养殖": 1,
        }
    ),
    False: _table(
        {
            "家政服务": 8, "育婴员": 5, "养老护理": 5, "中式面点": 4, "电商": 6, "苗绣": 4, "美容美发": 3,
            "保育员": 2, "缝纫": 3, "电商、直播带货": 2, "茶叶加工": 2, "种植技术": 2,
            "家政服务、养老护理": 2,
        }
    ),
}  # fmt: skip
_SKILLS = {
    True: _table(
        {
            "驾驶（C1驾照）": 6, "电焊": 4, "泥瓦工": 5, "木工": 4, "厨师": 2, "水电安装": 3,
            "挖掘机操作": 3, "银饰加工": 1, "养殖黄牛": 2, "养蜂": 1, "种植猕猴桃": 2, "茶叶种植": 2,
            "腊肉加工": 1, "货车驾驶（B2驾照）": 2,
        }
    ),
    False: _table(
        {
            "苗绣": 5, "缝纫": 4, "厨艺": 3, "家政": 3, "种植猕猴桃": 2, "茶叶采摘": 3, "蜡染": 1,
            "养猪": 2, "手工编织": 2, "美甲": 1, "直播带货": 1,
        }
    ),
}  # fmt: skip


@cache
def _days_of_year(year: int) -> tuple[tuple[dt.date, str, int, int], ...]:
    """(date, ISO text, ordinal, month) of every day of ``year`` after January 1st."""
    first = dt.date(year, 1, 2)
    last = dt.date(year, 12, 31)
    days = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        day = dt.date.fromordinal(ordinal)
        days.append((day, day.isoformat(), ordinal, day.month))
    return tuple(days)


_MALE_RELATIONS = frozenset({"之子", "之孙子", "之外孙子", "之父", "之女婿", "之兄弟姐妹"})
_ABLE = frozenset(vocab.LABOR_ABLE)
_MIDDLE_SCHOOL = ("七年级", "八年级", "九年级")


def _cohort(age: int) -> int:
    born = _LAST_YEAR - age
    return 0 if born < 1960 else 1 if born < 1985 else 2 if born < 2005 else 3


# ---------------------------------------------------------------------------------------------------
# The generator
# ---------------------------------------------------------------------------------------------------


class _Generator:
    def __init__(self, seed: int, id_year_span: tuple[int, int]) -> None:
        first, last = id_year_span
        if not 1900 <= first <= last <= _LAST_YEAR:
            raise ValueError(
                f"id_year_span must be within 1900–{_LAST_YEAR}, first ≤ last; got {id_year_span}"
            )
        self.rnd = random.Random(seed).random
        self.min_age = _LAST_YEAR - last
        self.max_age = max(self.min_age, min(MAX_AGE, _LAST_YEAR - first))
        # Everything that depends on age only: (birth days, 文化程度 of school leavers by sex,
        # 健康状况, given-name pools by sex, share with a phone).
        self.by_age = [
            (
                _days_of_year(_LAST_YEAR - age),
                {
                    male: _EDUCATION[male, next((b for b in _EDUCATION_BANDS if age >= b), 15)]
                    for male in (True, False)
                },
                _HEALTH[max(b for b in _HEALTH if b <= age)],
                {male: _GIVEN_NAMES[male, _cohort(age)] for male in (True, False)},
                0.0 if age < 16 else 0.6 if age < 18 else 0.88 if age < 75 else 0.45,
            )
            for age in range(self.max_age + 1)
        ]
        self.used_ids: set[int] = set()
        self.county_index: dict[str, int] = {}
        self.serials: dict[str, int] = {}

    # -- small draws -------------------------------------------------------------------------------

    def uniform(self, low: int, high: int) -> int:
        return low + int(self.rnd() * (high - low + 1))

    def triangular(self, low: int, high: int) -> int:
        rnd = self.rnd
        return low + int((rnd() + rnd()) * 0.5 * (high - low + 1))

    def pick(self, table: Sequence):
        return table[int(self.rnd() * len(table))]

    def children(self, count: int, youngest: int) -> list[int]:
        """Ages of ``count`` siblings, youngest first, one to four (rarely six) years apart."""
        ages = [youngest]
        for _ in range(count - 1):
            gap = 1 + int(self.rnd() * 4) if self.rnd() < 0.9 else 5 + int(self.rnd() * 2)
            ages.append(ages[-1] + gap)
        return ages

    def kids(self, ages: list[int]) -> list[list]:
        return [["之子" if self.rnd() < 0.53 else "之女", None, age, True] for age in reversed(ages)]

    # -- household structure -------------------------------------------------------------------------

    def members(self, size: int) -> list[list]:
        """[relation, male (None: from relation), age, blood relative of the family name] per member."""
        rnd, uniform, triangular = self.rnd, self.uniform, self.triangular
        if size == 1:
            if rnd() < 0.75:  # elderly living alone
                return [["户主", rnd() < 0.45, triangular(60, 95), True]]
            return [["户主", rnd() < 0.85, triangular(32, 66), True]]  # mostly unmarried men
        if size == 2:
            r = rnd()
            if r < 0.52:  # elderly couple
                head = triangular(58, 92)
                return [["户主", True, head, True], ["配偶", False, head - uniform(0, 5), False]]
            if r < 0.67:  # middle-aged couple, children gone
                head = triangular(42, 64)
                return [["户主", True, head, True], ["配偶", False, head - uniform(-1, 5), False]]
            if r < 0.72:  # two unmarried brothers
                head = triangular(35, 70)
                return [["户主", True, head, True], ["之兄弟姐妹", True, head - uniform(1, 8), True]]
            parent_female = rnd() < 0.6  # widowed parent with an adult child
            child = triangular(16, 45)
            parent = child + (triangular(20, 32) if parent_female else triangular(22, 34))
            kid = ["之子" if rnd() < 0.65 else "之女", None, child, True]
            return [["户主", not parent_female, parent, not parent_female], kid]
        kind = self.pick(_STRUCTURES[size])
        if kind == "nuclear":
            return self.nuclear(size - 2)
        if kind == "single":
            return self.single_parent(size - 1)
        if kind == "parents":
            return self.with_parents(size)
        return self.three_generations(size)

    def couple(self, mother: int, head_male: bool, children: list[list]) -> list[list]:
        father = mother + self.uniform(-2, 6)
        if head_male:
            return [["户主", True, father, True], ["配偶", False, mother, False], *children]
        # A woman heads the household and her husband married in (上门女婿): the children take her name.
        return [["户主", False, mother, True], ["配偶", True, father, False], *children]

    def nuclear(self, count: int) -> list[list]:
        ages = self.children(count, self.pick(_YOUNGEST_CHILD))
        mother = ages[-1] + self.triangular(20, 32)
        return self.couple(mother, self.rnd() < 0.9, self.kids(ages))

    def single_parent(self, count: int) -> list[list]:
        ages = self.children(count, self.pick(_YOUNGEST_CHILD))
        female = self.rnd() < 0.55
        parent = ages[-1] + (self.triangular(20, 32) if female else self.triangular(21, 34))
        # A widow keeps her own surname; the children carry their late father's.
        members = [["户主", not female, parent, not female], *self.kids(ages)]
        if not female and count >= 3 and self.rnd() < 0.3:  # his widowed mother lives with them
            members.insert(1, ["之母", False, parent + self.triangular(20, 32), False])
            del members[-1]
        return members

    def with_parents(self, size: int) -> list[list]:
        parents = 1 if size == 3 else 2 if self.rnd() < 0.45 else 1
        count = size - 2 - parents
        head_male = self.rnd() < 0.9
        if count:
            ages = self.children(count, self.pick(_YOUNGEST_GRANDCHILD))
            mother = ages[-1] + self.triangular(20, 32)
            members = self.couple(mother, head_male, self.kids(ages))
        else:
            mother = self.triangular(24, 50)
            members = self.couple(mother, head_male, [])
        head = members[0][2]
        if parents == 2:
            father = head + self.triangular(22, 34)
            elders = [["之父", True, father, True], ["之母", False, father - self.uniform(0, 5), False]]
        elif self.rnd() < 0.7:
            elders = [["之母", False, head + self.triangular(20, 33), False]]
        else:
            elders = [["之父", True, head + self.triangular(22, 34), True]]
        return [*members[:2], *elders, *members[2:]]

    def three_generations(self, size: int) -> list[list]:
        rnd = self.rnd
        has_spouse = rnd() < 0.6
        has_in_law = rnd() < 0.85
        if 2 + has_spouse + has_in_law > size:
            has_in_law = False
        if 2 + has_spouse + has_in_law > size:
            has_spouse = False
        slots = size - 2 - has_spouse - has_in_law
        extra = 1 if slots >= 2 and rnd() < 0.2 else 0
        grandchildren = slots - extra
        via_daughter = rnd() < 0.12  # a daughter whose husband married in (之女婿, 之外孙子/之外孙女)
        if grandchildren:
            ages = self.children(grandchildren, self.pick(_YOUNGEST_GRANDCHILD))
            parent_of_grandchildren = ages[-1] + self.triangular(20, 33)
        else:
            ages = []
            parent_of_grandchildren = self.triangular(22, 42)
        if via_daughter:
            child = ["之女", False, parent_of_grandchildren, True]
            in_law = ["之女婿", True, parent_of_grandchildren + self.uniform(-2, 6), False]
            grand = ("之外孙子", "之外孙女")
        else:
            child = ["之子", True, parent_of_grandchildren + self.uniform(-2, 5), True]
            in_law = ["之儿媳", False, parent_of_grandchildren, False]
            grand = ("之孙子", "之孙女")
        head_male = rnd() < 0.92 if has_spouse else rnd() < 0.4
        if head_male:
            head = ["户主", True, child[2] + self.triangular(22, 34), True]
        else:  # the grandmother heads the household; she married into the family
            head = ["户主", False, child[2] + self.triangular(20, 32), False]
        members = [head]
        if has_spouse:
            if head_male:
                members.append(["配偶", False, head[2] - self.uniform(-1, 5), False])
            else:
                members.append(["配偶", True, head[2] + self.uniform(-1, 5), True])
        members.append(child)
        if has_in_law:
            members.append(in_law)
        if extra:
            members.append(
                ["之子" if rnd() < 0.6 else "之女", None, max(0, child[2] - self.uniform(2, 9)), True]
            )
        members.extend([grand[0] if rnd() < 0.53 else grand[1], None, age, True] for age in reversed(ages))
        return members

    # -- rows ----------------------------------------------------------------------------------------

    def household_attributes(self, members: list[list]) -> dict[str, str]:
        rnd, pick = self.rnd, self.pick
        kind = pick(_HOUSEHOLD_TYPES)
        monitoring = pick(_MONITORING_TYPES) if kind == "监测户" else ""
        exit_year = pick(_EXIT_YEARS) if kind == "脱贫户" or monitoring == "脱贫不稳定户" else ""
        low, high = _INCOME_RANGE[kind]
        income = round(low * (high / low) ** ((rnd() + rnd()) * 0.5), -1)
        alone_elderly = len(members) <= 2 and all(m[2] >= 60 for m in members)
        tekun = rnd() < (0.3 if alone_elderly and len(members) == 1 else 0.05 if alone_elderly else 0.003)
        dibao = not tekun and rnd() < _DIBAO[kind] * (1.5 if alone_elderly else 1)
        return {
            "户类型": kind,
            "监测对象类型": monitoring,
            "脱贫年度": exit_year,
            "人均纯收入": str(int(income)),
            "是否低保": "是" if dibao else "否",
            "是否特困": "是" if tekun else "否",
            "是否易地搬迁": "是" if rnd() < _RELOCATED[kind] else "否",
        }

    def person_id(self, county: int, area6: str, born: tuple, male: bool) -> str:
        base = (county * 800_000 + born[2]) * 1000
        used, rnd = self.used_ids, self.rnd
        while True:
            # Sequence: odd for men, even for women, never 000.
            seq = 2 * int(rnd() * 500) + 1 if male else 2 * int(rnd() * 499) + 2
            key = base + seq
            if key not in used:
                used.add(key)
                return make_id(area6, born[0], seq)

    def household(self, village: str) -> list[dict[str, str]]:
        rnd = self.rnd
        area6 = village[:6]
        county = self.county_index.setdefault(area6, len(self.county_index))
        serial = self.serials.get(village, 0) + 1
        self.serials[village] = serial
        number = f"{village}{serial:04d}"

        members = self.members(_SIZES[int(rnd() * len(_SIZES))])
        attributes = self.household_attributes(members)
        ethnicity = _ETHNICITIES[int(rnd() * len(_ETHNICITIES))]
        surnames = _SURNAMES.get(ethnicity, _OTHER_SURNAME_TABLE)
        family_name = surnames[int(rnd() * len(surnames))]
        min_age, max_age, by_age = self.min_age, self.max_age, self.by_age
        rows = []
        for relation, male, age, blood in members:
            if male is None:
                male = relation in _MALE_RELATIONS
            age = min_age if age < min_age else max_age if age > max_age else age
            days, educations, health_table, names, phone_share = by_age[age]
            born = days[int(rnd() * len(days))]

            # Name and ethnicity: blood relatives carry the family name; in-laws their own.
            if blood:
                person_ethnicity, surname = ethnicity, family_name
            elif rnd() < _DOT_NAME_SHARE:
                person_ethnicity, surname = self.pick(_DOT_ETHNICITIES), ""
            else:
                person_ethnicity = ethnicity if rnd() < 0.7 else self.pick(_ETHNICITIES)
                surname = self.pick(_SURNAMES.get(person_ethnicity, _OTHER_SURNAME_TABLE))
            if surname:
                firsts, seconds, singles, single_share = names[male]
                if rnd() < single_share:
                    name = surname + singles[int(rnd() * len(singles))]
                else:
                    name = surname + firsts[int(rnd() * len(firsts))] + seconds[int(rnd() * len(seconds))]
            else:
                name = self.pick(_DOT_GIVEN[male]) + "·" + self.pick(_DOT_FATHER)

            # School: the 2025/26 school year; grade 1 for children who turned six by August 31st.
            if age < 22:
                education, school = self.schooling(age - 5 - (born[3] >= 9), educations[male])
            else:
                table = educations[male]
                education, school = table[int(rnd() * len(table))], "非在校生"

            health = health_table[int(rnd() * len(health_table))]
            if age < 16 or age >= 75 or (school != "非在校生" and school != ""):
                skill = "无劳动力"
            elif age < 60:
                table = _SKILL_WORKING_AGE[health]
                skill = table[int(rnd() * len(table))]
            elif age < 65:
                skill = self.pick(_SKILL_NEAR_RETIREMENT if health == "健康" else _SKILL_WORKING_AGE[health])
            else:
                skill = "弱劳动力或半劳动力" if health == "健康" and rnd() < 0.4 else "无劳动力"

            if skill in _ABLE:
                employment, months, wish, region, wage, training, skills = self.laborer(age, male, skill)
            else:
                employment = months = wish = region = wage = training = skills = ""
            # 就业意愿 from what the row already says (no draw of its own, so every other value of a seed
            # stays as it was): a laborer in work or with a 就业意向 wants work; one idle without a wish
            # said no where a training wish of 无 shows they were asked, and was not asked otherwise.
            if skill not in _ABLE:
                willing = ""
            elif employment != "未务工" or wish:
                willing = "是"
            else:
                willing = "否" if training == "无" else ""

            if rnd() < phone_share:
                phone = _PHONE_PREFIXES[int(rnd() * len(_PHONE_PREFIXES))] + f"{int(rnd() * 100_000_000):08d}"
            else:
                phone = ""

            rows.append(
                {
                    "行政区划代码": village,
                    "户编号": number,
                    "姓名": name,
                    "证件号码": self.person_id(county, area6, born, male),
                    "与户主关系": relation,
                    "性别": "男" if male else "女",
                    "出生日期": born[1],
                    "民族": person_ethnicity,
                    "文化程度": education,
                    "在校生状况": school,
                    "健康状况": health,
                    "劳动技能": skill,
                    "务工状态": employment,
                    "务工时间(月)": months,
                    "联系电话": phone,
                    **attributes,
                    "就业意向": wish,
                    "意向务工地": region,
                    "期望月薪": wage,
                    "培训意愿": training,
                    "技能特长": skills,
                    "就业意愿": willing,
                }
            )
        return rows

    def laborer(self, age: int, male: bool, skill: str) -> tuple[str, str, str, str, str, str, str]:
        """务工状态, 务工时间(月), 就业意向, 意向务工地, 期望月薪, 培训意愿, 技能特长 of a laborer."""
        rnd, pick = self.rnd, self.pick
        if age >= 65:
            employment = pick(_EMPLOYMENT["elderly"])
        elif skill == "弱劳动力或半劳动力":
            employment = pick(_EMPLOYMENT["weak"])
        else:
            employment = pick(_EMPLOYMENT["older" if age >= 55 else "able"])
        months = "0" if employment == "未务工" else pick(_WORK_MONTHS)
        wish = region = wage = training = skills = ""
        if age < 60 and rnd() < 0.55:
            wish = pick(_OCCUPATIONS[male]) if rnd() < 0.9 else pick(_FREE_WISHES)
            region = pick(_DESIRED_REGION[employment])
            wage = pick(_WAGES[region])
        if age < 56:
            r = rnd()
            training = pick(_TRAINING[male]) if r < 0.35 else "无" if r < 0.7 else ""
        if rnd() < 0.15:
            skills = pick(_SKILLS[male])
        return employment, months, wish, region, wage, training, skills

    def schooling(self, grade: int, leavers: Sequence[str]) -> tuple[str, str]:
        """(文化程度, 在校生状况) of someone under 22 who would be in ``grade`` this school year;
        ``leavers`` is the 文化程度 distribution of those who left school."""
        if grade < -2:
            return "", ""  # under three
        if grade <= 0:
            return "", "学前教育" if self.rnd() < 0.85 else "非在校生"
        if grade <= 6:
            return "小学", "小学"
        if grade <= 9:
            return "初中", _MIDDLE_SCHOOL[grade - 7]
        r = self.rnd()
        if grade <= 12:
            if r < 0.6:
                return "高中", "高中"
            if r < 0.88:
                return "中专", "中职"
        elif grade <= 16:
            if r < 0.12:
                return "大专", "高职"
            if r < 0.22:
                return "大专", "大专"
            if r < 0.35:
                return "本科及以上", "本科及以上"
        return self.pick(leavers), "非在校生"


def generate_households(
    villages: Sequence[tuple[str, str]],
    people: int,
    *,
    seed: int = 2026,
    id_year_span: tuple[int, int] = (_LAST_YEAR - MAX_AGE, _LAST_YEAR),
) -> Iterator[list[dict[str, str]]]:
    """Households (lists of member rows keyed by `REGISTRY_COLUMNS`, every value a str) until about
    ``people`` people exist, spread evenly over ``villages`` ((12-digit code, name) pairs, in order).

    The same seed and inputs give the same rows. Birth years stay within ``id_year_span`` (ages are
    clamped into it) and ages count to `REFERENCE_DATE`; every ID number is unique within one call.
    """
    codes = [code for code, _name in villages]
    for code in codes:
        if len(code) != 12 or not code.isascii() or not code.isdigit():
            raise ValueError(f"village code must have 12 digits: {code!r}")
    if people > 0 and not codes:
        raise ValueError("no villages to spread the people over")
    generator = _Generator(seed, id_year_span)
    return _households(generator, codes, people)


def _households(generator: _Generator, codes: list[str], people: int) -> Iterator[list[dict[str, str]]]:
    produced = 0
    count = len(codes)
    for index, code in enumerate(codes):
        target = people * (index + 1) // count  # cumulative: an overshoot is taken from the next village
        while produced < target:
            household = generator.household(code)
            produced += len(household)
            yield household


# ---------------------------------------------------------------------------------------------------
# Self-check
# ---------------------------------------------------------------------------------------------------

_ENUMS = {
    "与户主关系": vocab.RELATIONS,
    "性别": vocab.SEXES,
    "民族": vocab.ETHNICITIES,
    "文化程度": vocab.EDUCATIONS,
    "在校生状况": vocab.STUDENT_STATUSES,
    "健康状况": vocab.HEALTH,
    "劳动技能": vocab.LABOR_SKILLS,
    "务工状态": vocab.EMPLOYMENT_STATUSES,
    "户类型": vocab.HOUSEHOLD_TYPES,
    "监测对象类型": vocab.MONITORING_TYPES,
    "是否低保": vocab.YES_NO,
    "是否特困": vocab.YES_NO,
    "是否易地搬迁": vocab.YES_NO,
    "意向务工地": vocab.DESIRED_REGIONS,
    "就业意愿": vocab.YES_NO,
}
_REQUIRED = ("行政区划代码", "户编号", "姓名", "证件号码", "与户主关系")
_NAME = re.compile(r"[\u3400-\u9fff]+|[\u3400-\u9fff]+(?:·[\u3400-\u9fff]+)+")
_PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}")
_INTEGERS = {"务工时间(月)": (0, 12), "脱贫年度": (2014, 2020), "期望月薪": (0, 200_000)}


def validate_row(row: Mapping[str, object]) -> list[str]:
    """Problems of one generated row against EXCHANGE.md §1; empty when the row is valid."""
    problems = [f"{c}: missing or not text" for c in REGISTRY_COLUMNS if not isinstance(row.get(c), str)]
    if problems:
        return problems
    problems += [f"{c}: empty" for c in _REQUIRED if not row[c]]
    code = row["行政区划代码"]
    if not (len(code) == 12 and code.isascii() and code.isdigit()):
        problems.append(f"行政区划代码: not a 12-digit code: {code!r}")
    if row["姓名"] and not _NAME.fullmatch(row["姓名"]):
        problems.append(f"姓名: {row['姓名']!r}")
    for column, allowed in _ENUMS.items():
        if row[column] and row[column] not in allowed:
            problems.append(f"{column}: {row[column]!r} not allowed")
    for column, (low, high) in _INTEGERS.items():
        text = row[column]
        if text and not (text.isascii() and text.isdigit() and low <= int(text) <= high):
            problems.append(f"{column}: {text!r} not an integer in {low}–{high}")
    try:
        if row["人均纯收入"] and not Decimal(row["人均纯收入"]) >= 0:
            problems.append(f"人均纯收入: {row['人均纯收入']!r} is negative")
    except InvalidOperation:
        problems.append(f"人均纯收入: {row['人均纯收入']!r} not a number")
    if row["联系电话"] and not _PHONE.fullmatch(row["联系电话"]):
        problems.append(f"联系电话: {row['联系电话']!r}")
    if row["监测对象类型"] and row["户类型"] != "监测户":
        problems.append("监测对象类型: only for 监测户")
    if row["脱贫年度"] and row["户类型"] == "一般农户":
        problems.append("脱贫年度: not for 一般农户")

    birth = None
    if row["出生日期"]:
        try:
            birth = dt.date.fromisoformat(row["出生日期"])
        except ValueError:
            problems.append(f"出生日期: {row['出生日期']!r} not a date")
    try:
        parsed = parse_id_number(row["证件号码"], today=REFERENCE_DATE)
    except IdNumberError as exc:
        problems.append(f"证件号码: {exc.message}")
    else:
        if len(row["证件号码"]) != 18:
            problems.append("证件号码: not 18 characters")
        if parsed.area_code != code[:6]:
            problems.append("证件号码: area code differs from the village's county")
        problems += [
            f"证件号码: {m}" for m in check_against(parsed, sex=row["性别"] or None, birth_date=birth)
        ]
    return problems
