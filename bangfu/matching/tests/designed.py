"""A world whose best matches are known by construction, generated on the fly (nothing stored).

Each laborer gets one designed job that fits them on every count: the occupation they wish for and
did before (the wish written as its name, its code, the code of its 小类, or its code after another
occupation's in one cell — EXCHANGE.md §1 allows each; `WISH_FORMS`), a wage at or above what they
expect, board and lodging, the skill they have, the place they prefer, low-skill friendly when they are
low-skill, no limit they fail. Around it, for the
same laborer, decoy jobs that are even better paid but break exactly one hard limit each (age, sex,
health/ability, education, region, deadline, openings, closed), and background jobs of other
occupations. Plain Python: the command test saves it to a database, the benchmark encodes it directly.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bangfu.jobs.occupations import leaf_codes, read_rows

EDUCATIONS = ("文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上")
SKILLS = ("电焊", "驾驶", "烹饪", "缝纫", "电工", "木工", "砌筑", "种植", "养殖", "家政", "育婴", "护理")
HOME_COUNTIES = ("433124", "433123")  # 花垣县, 凤凰县 (湘西州)
VILLAGES = {"433124": "433124102201", "433123": "433123109225"}
WORK_AREAS = {
    "same_county": None,  # the laborer's own village
    "same_province": "430182000000",  # 宁乡市, 湖南省 (another county of the province)
    "outside": "440105000000",  # 广州市海珠区, 广东省
}
WISH_FORMS = ("名称", "代码", "小类代码", "两个代码")
LIMITS = ("年龄", "性别", "劳动能力与健康", "学历", "意向务工地", "截止日期", "无剩余名额", "已结束")


@dataclass
class DesignedLaborer:
    key: int
    village: str
    birth: dt.date
    sex: str
    labor_skill: str
    health: str
    education: str
    desired_region: str
    job_wish: str
    wish_code: str  # the occupation of the designed job, whatever the wish says
    expected_wage: int
    skills: str
    past_code: str


@dataclass
class DesignedJob:
    key: int
    number: str
    title: str
    occupation: str
    openings_left: int
    area: str
    wage_min: int
    wage_max: int
    age_min: int | None = None
    age_max: int | None = None
    sex_required: str = ""
    education_min: str = ""
    board_and_lodging: bool | None = True
    skills_required: str = ""
    deadline: dt.date | None = None
    suits_low_skill: bool = False
    status: str = "open"
    designed_for: int | None = None
    breaks: str = ""
    extra: dict = field(default_factory=dict)


def occupations(count: int, rng: random.Random) -> list[tuple[str, str]]:
    """`count` leaf occupations with distinct, not too generic names."""
    rows = read_rows()
    by_code = {row.code: row for row in rows}
    names = {}
    for code in sorted(leaf_codes(rows)):
        name = by_code[code].name
        if code[0] in "4567" and not name.startswith("其他") and len(name) >= 4 and name not in names:
            names[name] = code
    picked = rng.sample(sorted(names.items()), count)
    return [(code, name) for name, code in picked]


def synthetic_homes(count: int) -> dict[str, str]:
    """`count` made-up counties of Hunan with one village each, for worlds that never meet a database."""
    counties = [f"43{k // 90 + 10:02d}{k % 90 + 10:02d}" for k in range(count)]
    return {county: f"{county}101201" for county in counties}


def build(
    n_laborers: int = 200,
    on: dt.date | None = None,
    seed: int = 5,
    background: int = 300,
    homes: dict[str, str] | None = None,
):
    """(laborers, jobs) with `designed_for` set on each laborer's designed job and `breaks` on decoys.

    By default the laborers live in two real villages (the test database's). With `homes` (county →
    village, e.g. `synthetic_homes(199)`), laborers are spread over those counties, the wished occupation
    repeats every ~900 laborers, and the other places are derived from the home county, so that no two
    laborers share a designed occupation in the same place."""
    on = on or dt.date.today()
    rng = random.Random(seed)
    if homes is None:
        homes = VILLAGES
        codes = occupations(max(n_laborers, 40) + 40, rng)
    else:
        codes = occupations(940, rng)
    laborers: list[DesignedLaborer] = []
    jobs: list[DesignedJob] = []
    for i in range(n_laborers):
        code, name = codes[i % (len(codes) - 40)]
        county = list(homes)[i % len(homes)]
        restricted = i % 5 == 0
        age = rng.randint(22, 55)
        birth = on.replace(year=on.year - age) - dt.timedelta(days=rng.randint(1, 300))
        age = on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
        education = rng.choice(EDUCATIONS[1:6])
        region = ("县内", "省内", "省外", "不限")[i % 4]
        sex = rng.choice(("男", "女"))
        wage = rng.randrange(3000, 6000, 100)
        skill = rng.choice(SKILLS)
        laborer = DesignedLaborer(
            key=i,
            village=homes[county],
            birth=birth,
            sex=sex,
            labor_skill="弱劳动力或半劳动力" if i % 10 == 0 else "普通劳动力",
            health="残疾" if restricted and i % 10 else "健康",
            education=education,
            desired_region=region,
            job_wish=_wish(i, code, name, codes),
            wish_code=code,
            expected_wage=wage,
            skills=skill,
            past_code=code,
        )
        laborers.append(laborer)
        place = _outside(laborer) if region == "省外" else laborer.village
        best = DesignedJob(
            key=len(jobs),
            number=f"D{i:05d}",
            title=name,
            occupation=code,
            openings_left=5,
            area=place,
            wage_min=wage,
            wage_max=wage + 800,
            age_min=18,
            age_max=min(age + 10, 64),
            sex_required=sex if i % 3 == 0 else "",
            education_min=EDUCATIONS[EDUCATIONS.index(education) - 1] if i % 2 else "",
            skills_required=skill,
            deadline=on + dt.timedelta(days=30),
            suits_low_skill=True,
            designed_for=i,
        )
        jobs.append(best)
        for limit in LIMITS:
            decoy = _decoy(best, laborer, limit, age, on, len(jobs))
            if decoy is not None:
                jobs.append(decoy)
    for k in range(background):
        code, name = codes[len(codes) - 40 + k % 40]
        jobs.append(
            DesignedJob(
                key=len(jobs),
                number=f"B{k:05d}",
                title=name,
                occupation=code,
                openings_left=rng.randint(1, 20),
                area=rng.choice([*homes.values(), WORK_AREAS["same_province"], WORK_AREAS["outside"]]),
                wage_min=rng.randrange(2500, 7000, 100),
                wage_max=rng.randrange(7000, 9000, 100),
                board_and_lodging=rng.choice((True, False, None)),
                suits_low_skill=rng.random() < 0.5,
            )
        )
    return laborers, jobs


def wish_form(laborer: DesignedLaborer) -> str:
    return WISH_FORMS[(laborer.key // 2) % len(WISH_FORMS)]


def _wish(i: int, code: str, name: str, codes: list[tuple[str, str]]) -> str:
    """The 就业意向 cell of laborer `i`, in one of the `WISH_FORMS`."""
    form = WISH_FORMS[(i // 2) % len(WISH_FORMS)]
    if form == "代码":
        return code
    if form == "小类代码":
        return code.rsplit("-", 1)[0]
    if form == "两个代码":  # first a background job's occupation, then their own
        return f"{codes[-1 - i % 40][0]}、{code}"
    return name


def _decoy(best: DesignedJob, laborer: DesignedLaborer, limit: str, age: int, on: dt.date, key: int):
    """The designed job, better paid, breaking exactly `limit` for this laborer (None if it cannot)."""
    job = DesignedJob(**{**best.__dict__, "extra": {}})
    job.key, job.designed_for, job.breaks = key, None, limit
    job.number = f"X{best.designed_for:05d}{LIMITS.index(limit)}"
    job.wage_min, job.wage_max = best.wage_min + 2000, best.wage_max + 3000
    if limit == "年龄":
        job.age_min, job.age_max = 16, age - 1
    elif limit == "性别":
        job.sex_required = "女" if laborer.sex == "男" else "男"
    elif limit == "劳动能力与健康":
        if laborer.health == "健康" and laborer.labor_skill == "普通劳动力":
            return None
        job.suits_low_skill = False
    elif limit == "学历":
        rank = EDUCATIONS.index(laborer.education)
        job.education_min = EDUCATIONS[rank + 1]
    elif limit == "意向务工地":
        if laborer.desired_region == "县内":
            job.area = _elsewhere_in_province(laborer)
        elif laborer.desired_region == "省内":
            job.area = _outside(laborer)
        else:
            return None
    elif limit == "截止日期":
        job.deadline = on - dt.timedelta(days=1)
    elif limit == "无剩余名额":
        job.openings_left = 0
    elif limit == "已结束":
        job.status = "closed"
    return job


def _outside(laborer: DesignedLaborer) -> str:
    """A place in another province: 广州市海珠区 for the real villages, else one per home county."""
    if laborer.village in VILLAGES.values():
        return WORK_AREAS["outside"]
    return "44" + laborer.village[2:6] + "000000"


def _elsewhere_in_province(laborer: DesignedLaborer) -> str:
    if laborer.village in VILLAGES.values():
        return WORK_AREAS["same_province"]
    return laborer.village[:2] + "9999000000"


def violates(laborer: DesignedLaborer, job: DesignedJob, on: dt.date) -> list[str]:
    """The hard limits a (laborer, job) pair breaks, from the designed values (the test's own checker)."""
    broken = []
    age = on.year - laborer.birth.year - ((on.month, on.day) < (laborer.birth.month, laborer.birth.day))
    if (job.age_min is not None and age < job.age_min) or (job.age_max is not None and age > job.age_max):
        broken.append("年龄")
    if job.sex_required and job.sex_required != laborer.sex:
        broken.append("性别")
    restricted = laborer.health in ("患有大病", "残疾") or laborer.labor_skill == "弱劳动力或半劳动力"
    if laborer.labor_skill in ("丧失劳动力", "无劳动力") or (restricted and not job.suits_low_skill):
        broken.append("劳动能力与健康")
    if job.education_min and (
        not laborer.education or EDUCATIONS.index(laborer.education) < EDUCATIONS.index(job.education_min)
    ):
        broken.append("学历")
    if (laborer.desired_region == "县内" and job.area[:6] != laborer.village[:6]) or (
        laborer.desired_region == "省内" and job.area[:2] != laborer.village[:2]
    ):
        broken.append("意向务工地")
    if job.deadline is not None and job.deadline < on:
        broken.append("截止日期")
    if job.openings_left <= 0:
        broken.append("无剩余名额")
    if job.status != "open":
        broken.append("已结束")
    return broken


def encode(laborers: list[DesignedLaborer], jobs: list[DesignedJob]):
    """The engine's arrays for a designed world (what the service builds from the database)."""
    import numpy as np

    from bangfu.jobs.occupations import read_rows
    from bangfu.matching import engine
    from bangfu.matching.text import encode_texts

    names = {row.code: row.name for row in read_rows()}
    wish_occ, wish_text, wish_texts = engine.encode_wishes([lab.job_wish for lab in laborers])
    skill_text, skill_texts = encode_texts([lab.skills for lab in laborers])
    title_text, title_texts = encode_texts([f"{j.title} {names.get(j.occupation, '')}" for j in jobs])
    req_text, req_texts = encode_texts([f"{j.skills_required} {j.title}" for j in jobs])
    L = engine.Laborers(
        ids=np.arange(len(laborers), dtype=np.int64),
        birth=np.array([engine.date_int(lab.birth) for lab in laborers], dtype=np.int32),
        sex=np.array([engine.sex_code(lab.sex) for lab in laborers], dtype=np.int8),
        ability=np.array([engine.ability_of(lab.labor_skill, lab.health) for lab in laborers], dtype=np.int8),
        low_skill=np.array([lab.labor_skill not in engine.SKILLED for lab in laborers], dtype=bool),
        education=np.array([engine.education_rank(lab.education) for lab in laborers], dtype=np.int8),
        region=np.array([engine.region_code(lab.desired_region) for lab in laborers], dtype=np.int8),
        county=np.array([engine.county_of(lab.village) for lab in laborers], dtype=np.int32),
        wish_occ=wish_occ,
        wish_text=wish_text,
        skill_text=skill_text,
        past_occ=engine.stack(
            [engine.occupation_key(lab.past_code)] if lab.past_code else [] for lab in laborers
        ),
        expected_wage=np.array([lab.expected_wage or 0 for lab in laborers], dtype=np.int32),
        wish_texts=wish_texts,
        skill_texts=skill_texts,
    )
    board = {True: 1, False: 0, None: -1}
    J = engine.Jobs(
        ids=np.arange(len(jobs), dtype=np.int64),
        occ=np.array([engine.occupation_key(j.occupation) for j in jobs], dtype=np.int32),
        title_text=title_text,
        req_text=req_text,
        has_req=np.array([bool(j.skills_required) for j in jobs], dtype=bool),
        openings_left=np.array([j.openings_left for j in jobs], dtype=np.int32),
        county=np.array([engine.county_of(j.area) for j in jobs], dtype=np.int32),
        age_min=np.array([j.age_min or 0 for j in jobs], dtype=np.int16),
        age_max=np.array(
            [engine.NO_AGE_MAX if j.age_max is None else j.age_max for j in jobs], dtype=np.int16
        ),
        sex=np.array([engine.sex_code(j.sex_required) for j in jobs], dtype=np.int8),
        education_min=np.array([engine.education_rank(j.education_min) for j in jobs], dtype=np.int8),
        board=np.array([board[j.board_and_lodging] for j in jobs], dtype=np.int8),
        low_skill=np.array([j.suits_low_skill for j in jobs], dtype=bool),
        wage_min=np.array([j.wage_min or 0 for j in jobs], dtype=np.int32),
        wage_max=np.array([j.wage_max or 0 for j in jobs], dtype=np.int32),
        deadline=np.array([engine.date_int(j.deadline) for j in jobs], dtype=np.int32),
        is_open=np.array([j.status == "open" for j in jobs], dtype=bool),
        title_texts=title_texts,
        req_texts=req_texts,
    )
    return L, J
