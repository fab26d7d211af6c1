"""The synthetic registry generator: deterministic, valid against EXCHANGE.md §1, and plausibly rural 湘西."""

import csv
import datetime as dt
import random
from collections import Counter
from pathlib import Path
from statistics import mean

import pytest

from bangfu.areas.dataset import iter_divisions
from bangfu.core.idnumber import check_char, parse_id_number
from bangfu.demo.people import REFERENCE_DATE, REGISTRY_COLUMNS, generate_households, validate_row
from bangfu.registry.rows import AreaLookup, clean_row

# EXCHANGE.md §1, copied here on purpose (not taken from the generator or from registry.vocab).
EXCHANGE_COLUMNS = {
    "行政区划代码", "户编号", "姓名", "证件号码", "与户主关系", "性别", "出生日期", "民族", "文化程度",
    "在校生状况", "健康状况", "劳动技能", "务工状态", "务工时间(月)", "联系电话", "户类型", "监测对象类型",
    "脱贫年度", "人均纯收入", "是否低保", "是否特困", "是否易地搬迁", "就业意向", "意向务工地", "期望月薪",
    "培训意愿", "技能特长", "就业意愿",
}  # fmt: skip
RELATIONS = {
    "户主", "配偶", "之子", "之女", "之儿媳", "之女婿", "之孙子", "之孙女", "之外孙子", "之外孙女",
    "之父", "之母", "之岳父", "之岳母", "之公公", "之婆婆", "之祖父", "之祖母", "之兄弟姐妹", "其他",
}  # fmt: skip
# The 56 ethnic groups and 其他.
ETHNICITIES = {
    "汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族",
    "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族",
    "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族",
    "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族",
    "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族",
    "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族", "其他",
}  # fmt: skip
STUDENT_STATUSES = {
    "学前教育", "小学", "七年级", "八年级", "九年级", "高中", "中职", "高职", "大专", "本科及以上",
    "非在校生",
}  # fmt: skip
ENUMS = {
    "与户主关系": RELATIONS,
    "性别": {"男", "女"},
    "民族": ETHNICITIES,
    "文化程度": {"文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上"},
    "在校生状况": STUDENT_STATUSES,
    "健康状况": {"健康", "长期慢性病", "患有大病", "残疾"},
    "劳动技能": {"技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力"},
    "务工状态": {"县内务工", "省内县外务工", "省外务工", "未务工"},
    "户类型": {"脱贫户", "监测户", "一般农户"},
    "监测对象类型": {"脱贫不稳定户", "边缘易致贫户", "突发严重困难户"},
    "是否低保": {"是", "否"},
    "是否特困": {"是", "否"},
    "是否易地搬迁": {"是", "否"},
    "意向务工地": {"县内", "省内", "省外", "不限"},
}
ABLE = {"技能劳动力", "普通劳动力", "弱劳动力或半劳动力"}
HOUSEHOLD_COLUMNS = (
    "户类型",
    "监测对象类型",
    "脱贫年度",
    "人均纯收入",
    "是否低保",
    "是否特困",
    "是否易地搬迁",
)
MIAO_TUJIA_SURNAMES = set("龙石麻吴杨田彭向覃梁滕施隆廖符舒欧秧")
OCCUPATIONS_CSV = Path("/work/shared/data/occupations_2022_draft.csv")
PEOPLE = 20_000


@pytest.fixture(scope="module")
def villages():
    """The demo counties 花垣县 and 凤凰县."""
    return [
        (d.code, d.name) for d in iter_divisions("43") if d.level == 5 and d.code[:6] in ("433124", "433123")
    ]


@pytest.fixture(scope="module")
def households(villages):
    return list(generate_households(villages, PEOPLE, seed=7))


@pytest.fixture(scope="module")
def rows(households):
    return [row for household in households for row in household]


def age_of(row) -> int:
    born = dt.date.fromisoformat(row["出生日期"])
    return (
        REFERENCE_DATE.year
        - born.year
        - ((REFERENCE_DATE.month, REFERENCE_DATE.day) < (born.month, born.day))
    )


def test_columns_are_the_exchange_columns():
    assert len(REGISTRY_COLUMNS) == len(set(REGISTRY_COLUMNS))
    assert set(REGISTRY_COLUMNS) == EXCHANGE_COLUMNS


def test_same_seed_same_rows_and_other_seed_other_rows(villages):
    random.seed(1)
    first = list(generate_households(villages[:40], 1500, seed=11))
    random.seed(2)  # the global generator must not matter
    again = list(generate_households(villages[:40], 1500, seed=11))
    other = list(generate_households(villages[:40], 1500, seed=12))
    assert first == again
    assert first != other
    ids = {row["证件号码"] for household in first for row in household}
    other_ids = {row["证件号码"] for household in other for row in household}
    assert len(ids & other_ids) < len(ids) // 10


def test_about_the_requested_number_spread_over_every_village(villages, households, rows):
    assert PEOPLE <= len(rows) < PEOPLE + 7
    per_village = Counter(row["行政区划代码"] for row in rows)
    assert set(per_village) == {code for code, _name in villages}
    expected = PEOPLE / len(villages)
    assert all(expected / 3 < count < expected * 3 for count in per_village.values())
    assert list(generate_households(villages, 0)) == []


def test_every_value_is_text_and_every_row_valid(rows):
    for row in rows:
        assert list(row) == list(REGISTRY_COLUMNS)
        assert all(isinstance(value, str) for value in row.values())
        assert validate_row(row) == [], row


def test_every_row_passes_the_platforms_row_check(rows):
    areas = AreaLookup(
        "433100000000",
        2,
        [(d.code, d.name, d.level, d.parent_code) for d in iter_divisions("43") if d.code.startswith("4331")],
    )
    for number, row in enumerate(rows[:5000], start=2):
        record, errors = clean_row(row, areas, row_number=number, today=REFERENCE_DATE)
        assert errors == [], (row, [e.describe() for e in errors])
        assert record.id_number == row["证件号码"]


def test_enumerated_values_within_the_exchange_sets(rows):
    for column, allowed in ENUMS.items():
        used = {row[column] for row in rows} - {""}
        assert used <= allowed, (column, used - allowed)
    for column in ("与户主关系", "性别", "民族", "健康状况", "劳动技能", "户类型", "是否低保"):
        assert all(row[column] for row in rows), column
    for row in rows:
        assert row["务工时间(月)"] == "" or 0 <= int(row["务工时间(月)"]) <= 12
        assert row["脱贫年度"] == "" or 2014 <= int(row["脱贫年度"]) <= 2020
        assert 0 <= int(row["人均纯收入"]) <= 60_000
        assert row["期望月薪"] == "" or 2000 <= int(row["期望月薪"]) <= 8000
        phone = row["联系电话"]
        assert phone == "" or (
            len(phone) == 11 and phone.isdigit() and phone[0] == "1" and phone[1] in "3456789"
        )


def test_ids_unique_valid_and_consistent(rows):
    ids = [row["证件号码"] for row in rows]
    assert len(set(ids)) == len(ids)
    for row in rows:
        number = row["证件号码"]
        assert len(number) == 18 and number[:17].isdigit()
        assert number[17] == check_char(number[:17])
        assert number[:6] == row["行政区划代码"][:6]
        assert number[6:14] == row["出生日期"].replace("-", "")
        assert int(number[16]) % 2 == (1 if row["性别"] == "男" else 0)
        parsed = parse_id_number(number, today=REFERENCE_DATE)
        assert parsed.sex == row["性别"]
        assert parsed.birth_date.isoformat() == row["出生日期"]


def test_ids_unique_when_packed_into_one_village():
    rows = [r for h in generate_households([("433124100201", "某村")], 30_000, seed=3) for r in h]
    ids = [row["证件号码"] for row in rows]
    assert len(set(ids)) == len(ids)


def test_household_structure(households):
    keys = [household[0]["户编号"] for household in households]
    assert len(set(keys)) == len(keys)
    for household in households:
        relations = [row["与户主关系"] for row in household]
        assert relations[0] == "户主" and relations.count("户主") == 1
        assert relations.count("配偶") <= 1
        assert {row["户编号"] for row in household} == {household[0]["户编号"]}
        assert {row["行政区划代码"] for row in household} == {household[0]["行政区划代码"]}
        assert household[0]["户编号"].startswith(household[0]["行政区划代码"])
        for column in HOUSEHOLD_COLUMNS:
            assert len({row[column] for row in household}) == 1, column
        head = household[0]
        assert (head["监测对象类型"] != "") == (head["户类型"] == "监测户")
        if head["户类型"] == "脱贫户":
            assert head["脱贫年度"]
        if head["户类型"] == "一般农户":
            assert head["脱贫年度"] == ""
        if head["是否特困"] == "是":
            assert head["是否低保"] == "否"

        head_age = age_of(head)
        for row in household[1:]:
            relation, age = row["与户主关系"], age_of(row)
            if relation == "配偶":
                assert row["性别"] != head["性别"] and abs(age - head_age) <= 8
            elif relation in ("之子", "之女"):
                assert head_age - age >= 15
            elif relation in ("之父", "之母"):
                assert age - head_age >= 15
            elif relation in ("之孙子", "之孙女", "之外孙子", "之外孙女"):
                assert head_age - age >= 30
                parents = [age_of(r) for r in household if r["与户主关系"] in ("之儿媳", "之女婿")]
                assert all(parent - age >= 15 for parent in parents)
            if relation in ("之子", "之孙子", "之外孙子", "之父", "之女婿"):
                assert row["性别"] == "男"
            if relation in ("之女", "之孙女", "之外孙女", "之母", "之儿媳"):
                assert row["性别"] == "女"


def test_children_carry_the_family_name(households):
    checked = 0
    for household in households:
        head = household[0]
        if head["性别"] != "男" or "·" in head["姓名"]:
            continue
        surname = head["姓名"][:2] if head["姓名"].startswith("欧阳") else head["姓名"][0]
        for row in household:
            if row["与户主关系"] in ("之子", "之女", "之孙子", "之孙女"):
                assert row["姓名"].startswith(surname), (head["姓名"], row["姓名"])
                checked += 1
    assert checked > 1000


def test_household_sizes_and_ages(households, rows):
    sizes = [len(household) for household in households]
    assert set(sizes) == set(range(1, 8))
    assert 3.3 <= mean(sizes) <= 3.6
    single_elderly = sum(1 for h in households if len(h) == 1 and age_of(h[0]) >= 60)
    assert single_elderly / len(households) > 0.05
    three_generations = sum(1 for h in households if any(r["与户主关系"] in ("之孙子", "之孙女") for r in h))
    assert three_generations / len(households) > 0.08

    ages = [age_of(row) for row in rows]
    assert min(ages) == 0 and 90 <= max(ages) <= 95
    share = lambda low, high: sum(low <= a <= high for a in ages) / len(ages)  # noqa: E731
    assert share(60, 95) > 0.18
    assert share(20, 39) < 0.28  # migration: fewer young adults than in the general population
    assert share(0, 15) < 0.25


def test_schooling_consistent_with_age(rows):
    for row in rows:
        age, school, education = age_of(row), row["在校生状况"], row["文化程度"]
        if age <= 2:
            assert school == "" and education == ""
        elif age <= 5:  # kindergarten from the September after the third birthday
            assert school in ("学前教育", "非在校生") or (age == 3 and school == "")
            assert education == ""
        elif 7 <= age <= 11:
            assert school == "小学" and education == "小学"
        elif age == 13:
            assert school in ("七年级", "八年级") and education == "初中"
        elif age >= 22:
            assert school == "非在校生" and education
        if age < 18:
            assert education not in ("大专", "本科及以上")
        if school in ("七年级", "八年级", "九年级"):
            assert education == "初中"
    in_school_at_16 = [row for row in rows if age_of(row) == 16]
    assert any(row["在校生状况"] in ("高中", "中职") for row in in_school_at_16)


def test_labor_consistent_with_age_and_schooling(rows):
    for row in rows:
        age, skill, school = age_of(row), row["劳动技能"], row["在校生状况"]
        student = school not in ("", "非在校生")
        if age < 16 or age >= 75 or student:
            assert skill == "无劳动力"
        elif age < 60:
            assert skill != "无劳动力"
        laborer = age >= 16 and not student and skill in ABLE
        assert (row["务工状态"] != "") == laborer
        if row["务工状态"] == "":
            assert row["务工时间(月)"] == ""
        elif row["务工状态"] == "未务工":
            assert row["务工时间(月)"] == "0"
        else:
            assert 1 <= int(row["务工时间(月)"]) <= 12
        if not laborer:
            assert row["就业意向"] == row["意向务工地"] == row["期望月薪"] == row["培训意愿"] == ""
        assert (row["意向务工地"] == "") == (row["期望月薪"] == "")
        if age < 16:
            assert row["联系电话"] == ""
    working_age = [row for row in rows if 16 <= age_of(row) <= 64 and row["务工状态"]]
    statuses = Counter(row["务工状态"] for row in working_age)
    assert statuses["省外务工"] / len(working_age) > 0.2
    assert statuses["未务工"] / len(working_age) > 0.1
    skills = Counter(row["劳动技能"] for row in rows if 20 <= age_of(row) <= 50)
    assert skills["普通劳动力"] > skills["技能劳动力"] > skills["丧失劳动力"] > 0


def test_miao_and_tujia_profile(rows):
    ethnicities = Counter(row["民族"] for row in rows)
    assert 0.5 < ethnicities["苗族"] / len(rows) < 0.75
    assert 0.1 < ethnicities["土家族"] / len(rows) < 0.3
    assert 0.1 < ethnicities["汉族"] / len(rows) < 0.3
    local = sum(1 for row in rows if row["姓名"][0] in MIAO_TUJIA_SURNAMES)
    assert 0.5 < local / len(rows) < 0.9
    surnames = Counter(row["姓名"][0] for row in rows)
    assert surnames["龙"] > surnames["李"] and surnames["石"] > surnames["王"]
    assert any(surnames[c] for c in "单仇解") and surnames["曾"] > 0


def test_minority_names_with_a_dot(rows):
    dotted = [row for row in rows if "·" in row["姓名"]]
    assert 0 < len(dotted) < len(rows) / 100
    for row in dotted:
        assert row["民族"] in ("维吾尔族", "哈萨克族")
        given, _, father = row["姓名"].partition("·")
        assert given and father


def test_names_look_chinese_and_vary(rows):
    names = [row["姓名"] for row in rows]
    assert all(2 <= len(name) <= 9 for name in names)
    assert len(set(names)) > len(names) / 4


def test_job_wishes_are_occupation_names_or_short_text(rows):
    wishes = Counter(row["就业意向"] for row in rows if row["就业意向"])
    laborers = sum(1 for row in rows if row["务工状态"])
    assert 0.3 < sum(wishes.values()) / laborers < 0.7
    if not OCCUPATIONS_CSV.exists():
        pytest.skip("occupation list not available")
    with OCCUPATIONS_CSV.open(encoding="utf-8") as fh:
        names = {line["name"] for line in csv.DictReader(fh) if line["level"] == "4"}
    listed = sum(count for wish, count in wishes.items() if wish in names)
    assert listed / sum(wishes.values()) > 0.85
    assert all(len(wish) <= 20 for wish in wishes)


def test_id_year_span_bounds_birth_years(villages):
    rows = [r for h in generate_households(villages[:20], 2000, seed=5, id_year_span=(1960, 2000)) for r in h]
    years = {int(row["出生日期"][:4]) for row in rows}
    assert min(years) == 1960 and max(years) == 2000
    assert all(validate_row(row) == [] for row in rows)


def test_bad_input_is_rejected():
    with pytest.raises(ValueError):
        generate_households([("4331241002", "短码村")], 10)
    with pytest.raises(ValueError):
        generate_households([], 10)
    with pytest.raises(ValueError):
        generate_households([("433124100201", "某村")], 10, id_year_span=(2000, 1990))


def test_validate_row_finds_problems(rows):
    row = dict(rows[0])
    assert validate_row(row) == []

    def problems(**changes):
        return validate_row({**row, **changes})

    assert problems(性别="女" if row["性别"] == "男" else "男")
    assert problems(出生日期="1901-01-01")
    assert problems(证件号码=row["证件号码"][:17] + ("0" if row["证件号码"][17] != "0" else "1"))
    assert problems(证件号码="433124" + row["证件号码"][6:17])
    assert problems(行政区划代码="430102001001")
    assert problems(与户主关系="儿子")
    assert problems(民族="苗")
    assert problems(在校生状况="初中")
    assert problems(户类型="贫困户")
    assert problems(户类型="脱贫户", 监测对象类型="边缘易致贫户")
    assert problems(户类型="一般农户", 监测对象类型="", 脱贫年度="2016")
    assert problems(脱贫年度="2021")
    assert problems(**{"务工时间(月)": "13"})
    assert problems(联系电话="1234")
    assert problems(姓名="")
    assert problems(人均纯收入="-5")
    assert problems(是否低保="Y")
    missing = dict(row)
    del missing["技能特长"]
    assert validate_row(missing)
