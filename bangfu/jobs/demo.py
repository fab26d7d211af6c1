"""Demo employers and jobs (两头对接): 扶贫车间 in villages of 花垣县 and 凤凰县, enterprises in 吉首市, and
enterprises in Guangdong, the receiving end of the 粤湘 labor cooperation (广州市黄埔区、番禺区，东莞，佛山),
with cooperation relations from 湘西州 and about 2,000 jobs coded with the occupational classification.

Deterministic (a fixed seed; deadlines count from the day the demo is built) and fast: jobs are inserted
with bulk_create. Called by `demo.build.build_demo`; skipped when the demo employers are already there.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import Kind, User
from bangfu.areas.actions import load_areas
from bangfu.areas.models import Area, Level
from bangfu.employers.creditcode import make_credit_code
from bangfu.employers.models import Cooperation, Employer, EmployerKind
from bangfu.jobs.actions import RuleBook, apply_rule
from bangfu.jobs.models import Job
from bangfu.jobs.occupations import default_index
from bangfu.jobs.reference import load_reference_data

SEED = 20250301
GUANGDONG = "44"
ENTERPRISE_USERNAME = "qiye_demo"  # not demo…: those are the staff demo users

# (name, area code, kind, industry)
GD_EMPLOYERS = [
    ("广州黄埔智联电子科技有限公司", "440112", "电子"),
    ("广州开发区精密电子制造有限公司", "440112", "电子"),
    ("广州黄埔汽车零部件有限公司", "440112", "汽车零部件"),
    ("广州科学城物业管理有限公司", "440112", "物业"),
    ("广州黄埔港物流有限公司", "440112", "物流"),
    ("广州番禺丽华服装有限公司", "440113", "服装"),
    ("广州番禺珠宝首饰加工厂", "440113", "首饰加工"),
    ("广州长隆酒店管理有限公司", "440113", "餐饮住宿"),
    ("广州番禺家政服务有限公司", "440113", "家政"),
    ("广州番禺建筑工程有限公司", "440113", "建筑"),
    ("东莞长安五金制品有限公司", "4419", "五金"),
    ("东莞虎门服装有限公司", "4419", "服装"),
    ("东莞松山湖电子有限公司", "4419", "电子"),
    ("东莞厚街鞋业有限公司", "4419", "制鞋"),
    ("东莞塘厦玩具制品有限公司", "4419", "玩具"),
    ("东莞快捷速递有限公司", "4419", "快递"),
    ("佛山南海家具制造有限公司", "440605", "家具"),
    ("佛山南海铝型材有限公司", "440605", "金属制品"),
    ("佛山顺德家电制造有限公司", "440606", "家电"),
    ("佛山顺德餐饮管理有限公司", "440606", "餐饮"),
    ("佛山顺德保安服务有限公司", "440606", "保安"),
    ("佛山顺德环境卫生服务有限公司", "440606", "环卫"),
]
JISHOU_EMPLOYERS = [
    ("湘西吉首猕猴桃食品有限公司", "食品"),
    ("吉首市酒鬼酒包装有限公司", "包装"),
    ("湘西州华兴保安服务有限公司", "保安"),
    ("吉首市乾州物业服务有限公司", "物业"),
    ("湘西吉首湘菜餐饮有限公司", "餐饮"),
    ("吉首市建筑劳务有限公司", "建筑"),
]
WORKSHOPS = ["苗绣", "腊肉加工", "竹编", "茶叶加工", "服装加工", "电子元件组装", "手工编织", "猕猴桃分拣"]

# title, occupation code (None: inferred from the title), industries, sex, ages, education, skills
JOB_TEMPLATES = [
    (
        "普工",
        "6-99-00",
        {"电子", "汽车零部件", "五金", "玩具", "家电", "金属制品", "制鞋", "家具", "首饰加工"},
        "",
        (18, 45),
        "",
        "",
    ),
    ("电子装配工", "6-25-04-07", {"电子", "家电"}, "", (18, 40), "初中", "视力良好，可培训"),
    ("电子厂普工", None, {"电子"}, "", (18, 42), "", "无经验可，带薪培训"),
    (
        "质检员",
        "6-31-03-05",
        {"电子", "汽车零部件", "家电", "食品"},
        "",
        (20, 40),
        "高中",
        "熟悉品质检验流程",
    ),
    ("包装工", "6-31-05-00", {"食品", "包装", "五金", "玩具", "家电"}, "", (18, 55), "", ""),
    ("缝纫工", "6-05-01-03", {"服装"}, "", (18, 50), "", "会平车优先"),
    ("服装车位", None, {"服装"}, "女", (18, 45), "", "熟练工优先，学徒可培训"),
    ("裁剪工", "6-05-01-02", {"服装"}, "", (20, 50), "", ""),
    ("鞋厂普工", None, {"制鞋"}, "", (18, 48), "", ""),
    ("叉车司机", "6-30-05-01", {"物流", "五金", "家电", "金属制品"}, "男", (22, 50), "", "持叉车证"),
    ("仓库理货员", "4-02-06-02", {"物流", "快递"}, "", (18, 45), "初中", ""),
    ("快递员", "4-02-07-08", {"快递", "物流"}, "", (20, 45), "", "会骑电动车"),
    ("快件分拣员", "4-02-07-09", {"快递", "物流"}, "", (18, 50), "", ""),
    ("装卸搬运工", "4-02-05-01", {"物流", "建筑"}, "男", (20, 50), "", ""),
    ("保洁员", "4-09-08-01", {"物业", "环卫", "餐饮住宿"}, "", (25, 60), "", ""),
    ("环卫工", None, {"环卫"}, "", (25, 60), "", ""),
    ("保安员", "4-07-05-01", {"保安", "物业"}, "男", (20, 55), "初中", "身体健康，退伍军人优先"),
    ("中餐厨师", "4-03-02-01", {"餐饮", "餐饮住宿"}, "", (22, 50), "", "有三年以上湘菜经验"),
    ("帮厨", None, {"餐饮", "餐饮住宿"}, "", (18, 55), "", ""),
    ("餐厅服务员", "4-03-02-05", {"餐饮", "餐饮住宿"}, "", (18, 40), "", ""),
    ("客房服务员", "4-03-01-02", {"餐饮住宿"}, "女", (20, 48), "", ""),
    ("家政服务员", "4-10-01-06", {"家政"}, "女", (25, 55), "", "有健康证"),
    ("月嫂", None, {"家政"}, "女", (28, 50), "初中", "持母婴护理证"),
    ("养老护理员", "4-10-01-05", {"家政", "物业"}, "", (25, 55), "", "可培训"),
    ("砌筑工", "6-29-01-01", {"建筑"}, "男", (20, 55), "", ""),
    ("钢筋工", "6-29-01-04", {"建筑"}, "男", (20, 55), "", ""),
    ("建筑小工", None, {"建筑"}, "男", (18, 58), "", ""),
    ("电工", "6-31-01-03", {"建筑", "物业", "家电"}, "男", (22, 50), "", "持低压电工证"),
    ("焊工", "6-18-02-04", {"金属制品", "汽车零部件", "五金", "建筑"}, "男", (20, 50), "", "持焊工证"),
    ("家具打磨工", None, {"家具"}, "", (18, 50), "", ""),
    ("首饰加工学徒", None, {"首饰加工"}, "", (18, 35), "初中", "可培训"),
    ("食品加工工", None, {"食品"}, "", (18, 55), "", "有健康证"),
    (
        "设备维修技术员",
        "6-31-01-10",
        {"电子", "家电", "汽车零部件"},
        "男",
        (22, 45),
        "中专",
        "熟悉设备维护，有经验",
    ),
]
WORKSHOP_JOBS = {
    "苗绣": ("苗绣绣娘", "6-09-03-11"),
    "腊肉加工": ("腊肉加工工", None),
    "竹编": ("竹编工", "5-05-06-05"),
    "茶叶加工": ("茶叶加工工", "6-02-06-10"),
    "服装加工": ("缝纫工", "6-05-01-03"),
    "电子元件组装": ("电子元件组装工", "6-25-04-07"),
    "手工编织": ("手工编织工", "6-05-01-06"),
    "猕猴桃分拣": ("水果分拣包装工", "6-31-05-00"),
}
# Monthly wages (yuan) by where the work is: Guangdong pays more than 湘西.
WAGES = {"44": (4200, 7500), "433101": (2600, 4500), "village": (1800, 3200)}
COOPERATIONS = [
    ("4331", "4401", "东西部协作：湘西州—广州市"),
    ("433124", "440112", "花垣县—黄埔区劳务协作"),
    ("433123", "440113", "凤凰县—番禺区劳务协作"),
    ("4331", "4419", "湘西州—东莞市劳务协作基地"),
    ("4331", "4406", "湘西州—佛山市劳务协作"),
]


def _area(code: str) -> Area:
    return Area.objects.get(code=code.ljust(12, "0"))


def ensure_guangdong() -> None:
    if not Area.objects.filter(code="440112000000").exists():
        load_areas(province=GUANGDONG)


def _townships(area: Area, rng: random.Random, count: int) -> list[Area]:
    """Some townships (镇/街道) of a county or a city without counties, for varied work places."""
    level = Level.TOWNSHIP
    found = list(Area.objects.for_area(area).current().filter(level=level).order_by("code")[:40])
    return rng.sample(found, min(count, len(found))) if found else [area]


@transaction.atomic
def build_jobs_demo(counties=("433124", "433123")) -> list:
    """Employers, cooperation, jobs and the demo enterprise account. Returns the enterprise DemoLogin."""
    from bangfu.demo.build import DEMO_PASSWORD, DemoLogin

    load_reference_data()
    ensure_guangdong()
    first_code = make_credit_code("440112", 1)
    if not Employer.objects.filter(credit_code=first_code).exists():
        _build(counties)
    account = _ensure_account()
    return [DemoLogin(account.username, DEMO_PASSWORD, account.area, "用人单位")]


def _build(counties) -> None:
    rng = random.Random(SEED)
    today = timezone.localdate()
    employers: list[tuple[Employer, set[str], list[Area]]] = []
    serial = 0

    def add(name, area, kind, industry):
        nonlocal serial
        serial += 1
        employer = Employer(
            credit_code=make_credit_code(area.code[:6], serial),
            name=name,
            kind=kind,
            area=area,
            industry=industry,
            contact_name=rng.choice(["张", "李", "王", "陈", "刘", "黄", "龙", "石", "吴"])
            + rng.choice(["经理", "主任", "女士", "先生"]),
            contact_phone=f"1{rng.choice('3589')}{rng.randrange(10**9):09d}",
        )
        return employer

    pending = []
    for name, code, industry in GD_EMPLOYERS:
        area = _area(code)
        kind = (
            EmployerKind.COOPERATION_BASE
            if "物流" in industry and code == "440112"
            else EmployerKind.ENTERPRISE
        )
        pending.append((add(name, area, kind, industry), {industry}, _townships(area, rng, 4), "44"))
    jishou = _area("433101")
    for name, industry in JISHOU_EMPLOYERS:
        pending.append((add(name, jishou, EmployerKind.ENTERPRISE, industry), {industry}, [jishou], "433101"))
    for code in counties:
        county = _area(code)
        villages = list(
            Area.objects.for_area(county)
            .current()
            .filter(level=Level.VILLAGE, name__endswith="村")
            .order_by("code")
        )
        for index, village in enumerate(rng.sample(villages, min(10, len(villages)))):
            craft = WORKSHOPS[index % len(WORKSHOPS)]
            kind = EmployerKind.POVERTY_WORKSHOP if index % 3 else EmployerKind.ASSISTANCE_WORKSHOP
            name = f"{county.name}{village.name}{craft}{kind}"
            pending.append((add(name, village, kind, craft), {craft}, [village], "village"))
        base = Employer(
            credit_code=make_credit_code(code, 900 + len(pending)),
            name=f"{county.name}就业帮扶基地",
            kind=EmployerKind.ASSISTANCE_BASE,
            area=county,
            industry="综合",
        )
        pending.append((base, {"食品", "包装"}, _townships(county, rng, 3), "village"))
    Employer.objects.bulk_create([e for e, *_ in pending])
    saved = Employer.objects.in_bulk([e.credit_code for e, *_ in pending], field_name="credit_code")
    employers = [
        (saved[e.credit_code], industries, places, wage_key) for e, industries, places, wage_key in pending
    ]

    for sending, receiving, note in COOPERATIONS:
        Cooperation.objects.get_or_create(
            sending_area=_area(sending),
            receiving_area=_area(receiving),
            defaults={"started_on": dt.date(2021, 5, 1), "note": note},
        )

    index = default_index()
    book = RuleBook()
    jobs = []
    weights = [12 if wage == "44" else 4 if wage == "433101" else 2 for *_, wage in employers]
    target = 2000
    numbers: dict[int, int] = {}
    while len(jobs) < target:
        employer, industries, places, wage_key = rng.choices(employers, weights=weights)[0]
        if wage_key == "village" and employer.kind != EmployerKind.ASSISTANCE_BASE:
            title, code = WORKSHOP_JOBS.get(employer.industry, ("手工工人", None))
            sex, ages, education, skills = (
                "",
                (18, 60),
                "",
                rng.choice(["", "可带孩子在车间附近务工", "计件工资，可培训"]),
            )
        else:
            options = [t for t in JOB_TEMPLATES if t[2] & industries] or JOB_TEMPLATES
            title, code, _, sex, ages, education, skills = rng.choice(options)
        low, high = WAGES[wage_key]
        wage_min = rng.randrange(low, high - 800, 100)
        wage_max = wage_min + rng.randrange(500, 2500, 100)
        numbers[employer.pk] = numbers.get(employer.pk, 0) + 1
        openings = (
            rng.choice([1, 2, 3, 5, 5, 8, 10, 20, 30, 50])
            if wage_key == "44"
            else rng.choice([1, 2, 3, 5, 8, 10])
        )
        inferred = code is None
        confidence = None
        if inferred:
            guess = index.infer(title)
            code, confidence = (guess.code, guess.confidence) if guess else (None, None)
        roll = rng.random()
        status = Job.Status.CLOSED if roll < 0.08 else Job.Status.OPEN
        deadline = today + dt.timedelta(days=rng.randrange(-40, 150)) if rng.random() < 0.8 else None
        job = Job(
            employer=employer,
            number=f"{employer.area.code[:6]}-{numbers[employer.pk]:04d}",
            title=title,
            occupation_id=code,
            occupation_inferred=inferred and code is not None,
            occupation_confidence=confidence,
            openings=openings,
            openings_left=openings if status == Job.Status.OPEN else rng.randrange(0, openings + 1),
            area=rng.choice(places),
            wage_min=wage_min,
            wage_max=wage_max,
            age_min=ages[0] if rng.random() < 0.7 else None,
            age_max=ages[1] if rng.random() < 0.8 else None,
            sex_required=sex if rng.random() < 0.8 else "",
            education_min=education,
            board_and_lodging=(wage_key == "44" and rng.random() < 0.75)
            or (wage_key != "44" and rng.random() < 0.2),
            skills_required=skills,
            deadline=deadline,
            status=status,
        )
        apply_rule(job, book, today)
        jobs.append(job)
    Job.objects.bulk_create(jobs, batch_size=1000)


def _ensure_account() -> User:
    """`qiye_demo`: the enterprise account of 广州黄埔智联电子科技有限公司 (demo mode only)."""
    from bangfu.demo.build import DEMO_PASSWORD

    employer = Employer.objects.get(credit_code=make_credit_code("440112", 1))
    user = User.objects.filter(username=ENTERPRISE_USERNAME).first()
    if user is None:
        user = User(
            username=ENTERPRISE_USERNAME,
            name="智联电子人事部",
            kind=Kind.ENTERPRISE,
            area=employer.area,
            is_demo=True,
            must_change_password=False,
        )
        user.set_password(DEMO_PASSWORD)
        user.save()
    employer.accounts.add(user)
    return user
