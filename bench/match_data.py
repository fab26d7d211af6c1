"""Generate laborers and jobs for the matching benchmark, as raw columns (the values a registry or a job
file holds: strings, dates, codes) and as the engine's arrays.

Sending side: laborers in 120 counties of Hunan, Guizhou and Yunnan. Receiving side: jobs, a third in
those counties and the rest in 60 counties of Guangdong, Zhejiang and Jiangsu. Occupations are 300 leaf
codes of the shipped classification with Zipf-like popularity; wishes are occupation names or common
short titles (普工, 保洁 …); distributions of age, sex, health, education and wishes are rough guesses
at a rural registry, not statistics.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

from bangfu.jobs.occupations import SYNONYMS, leaf_codes, read_rows
from bangfu.matching import engine

SKILLS = (
    "电焊",
    "驾驶",
    "烹饪",
    "缝纫",
    "电工",
    "木工",
    "砌筑",
    "种植",
    "养殖",
    "家政",
    "育婴",
    "护理",
    "电脑操作",
    "叉车",
    "水电安装",
    "美发",
    "装修",
    "挖掘机",
    "销售",
    "仓储",
)
SENDING = (43, 52, 53)
RECEIVING = (44, 33, 32)


def _counties(provinces, per, rng):
    out = []
    for province in provinces:
        for k in range(per):
            out.append(province * 10000 + (1 + k // 10) * 100 + 21 + k % 10)
    return np.array(out, dtype=np.int64)


def _zipf(rng, n, size, a=1.1):
    weights = 1.0 / np.arange(1, n + 1) ** a
    return rng.choice(n, size=size, p=weights / weights.sum())


def occupations(count=300, seed=1):
    rows = read_rows()
    by_code = {row.code: row for row in rows}
    leaves = sorted(c for c in leaf_codes(rows) if c[0] in "4567")
    rng = np.random.default_rng(seed)
    synonym_codes = [c for c in dict.fromkeys(SYNONYMS.values()) if c in by_code]
    rest = [c for c in leaves if c not in set(synonym_codes)]
    chosen = synonym_codes + list(rng.choice(rest, size=count - len(synonym_codes), replace=False))
    names = [by_code[c].name for c in chosen]
    synonyms: dict[str, list[str]] = {}
    for word, code in SYNONYMS.items():
        synonyms.setdefault(code, []).append(word)
    return chosen, names, synonyms


def generate(n_laborers: int, n_jobs: int, on: dt.date, seed: int = 7):
    rng = np.random.default_rng(seed)
    codes, names, synonyms = occupations()
    n_occ = len(codes)
    sending = _counties(SENDING, 40, rng)
    receiving = _counties(RECEIVING, 20, rng)

    # --- jobs
    local = rng.random(n_jobs) < 1 / 3
    job_county = np.where(
        local,
        sending[_zipf(rng, len(sending), n_jobs, 0.8)],
        receiving[_zipf(rng, len(receiving), n_jobs, 0.8)],
    )
    job_area = np.char.add(job_county.astype("U6"), rng.integers(100, 300, n_jobs).astype("U3"))
    job_area = np.char.add(job_area, "000")  # a township-level 12-digit code
    occ = _zipf(rng, n_occ, n_jobs)
    variant = rng.integers(0, 4, n_jobs)
    prefixes = np.array(["", "急招", "", "长期招"])
    suffixes = np.array(["", "（长白班）", "学徒", ""])
    base_title = np.array(names, dtype=object)[occ]
    for k, code in enumerate(codes):
        if code in synonyms:  # postings often use the short word
            pick = (occ == k) & (rng.random(n_jobs) < 0.6)
            base_title[pick] = synonyms[code][0]
    title = np.char.add(np.char.add(prefixes[variant], base_title.astype("U30")), suffixes[variant])
    openings = np.minimum(rng.geometric(0.08, n_jobs), 200)
    left = np.where(rng.random(n_jobs) < 0.7, openings, rng.integers(1, openings + 1))
    openings_left = np.where(rng.random(n_jobs) < 0.05, 0, left)
    status = np.where(rng.random(n_jobs) < 0.95, "open", "closed")
    deadline = np.array(
        [on + dt.timedelta(days=int(d)) for d in rng.integers(-30, 120, n_jobs)], dtype="M8[D]"
    )
    deadline = np.where(rng.random(n_jobs) < 0.2, np.datetime64("NaT"), deadline)
    age_min = np.where(rng.random(n_jobs) < 0.7, rng.choice([16, 18, 20], n_jobs), -1)
    age_max = np.where(rng.random(n_jobs) < 0.8, rng.choice([35, 40, 45, 50, 55, 60], n_jobs), -1)
    sex_required = rng.choice(np.array(["", "男", "女"]), n_jobs, p=[0.75, 0.15, 0.10])
    education_min = rng.choice(
        np.array(["", "小学", "初中", "高中", "大专"]), n_jobs, p=[0.55, 0.1, 0.25, 0.08, 0.02]
    )
    board = rng.choice(np.array(["", "是", "否"]), n_jobs, p=[0.2, 0.5, 0.3])
    skills_required = np.where(rng.random(n_jobs) < 0.4, rng.choice(np.array(SKILLS), n_jobs), "")
    suits_low_skill = rng.random(n_jobs) < 0.3
    wage_min = np.where(rng.random(n_jobs) < 0.9, rng.integers(25, 61, n_jobs) * 100, 0)
    wage_max = np.where(wage_min > 0, wage_min + rng.integers(5, 21, n_jobs) * 100, 0)
    jobs = {
        "id": np.arange(1, n_jobs + 1),
        "occupation": np.array(codes)[occ],
        "title": title,
        "occupation_name": np.array(names)[occ],
        "openings_left": openings_left,
        "area": job_area,
        "age_min": age_min,
        "age_max": age_max,
        "sex_required": sex_required,
        "education_min": education_min,
        "board": board,
        "skills_required": skills_required,
        "suits_low_skill": suits_low_skill,
        "wage_min": wage_min,
        "wage_max": wage_max,
        "deadline": deadline,
        "status": status,
    }

    # --- laborers
    n = n_laborers
    county = sending[_zipf(rng, len(sending), n, 0.5)]
    area = np.char.add(np.char.add(county.astype("U6"), rng.integers(100, 130, n).astype("U3")), "201")
    age_days = rng.integers(16 * 366, 64 * 365, n)
    birth = np.datetime64(on) - age_days.astype("m8[D]")
    sex = rng.choice(np.array(["男", "女"]), n)
    labor_skill = rng.choice(
        np.array(["技能劳动力", "普通劳动力", "弱劳动力或半劳动力"]), n, p=[0.15, 0.75, 0.10]
    )
    health = rng.choice(np.array(["健康", "长期慢性病", "患有大病", "残疾"]), n, p=[0.85, 0.08, 0.04, 0.03])
    education = rng.choice(
        np.array(["", "文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上"]),
        n,
        p=[0.03, 0.05, 0.25, 0.42, 0.12, 0.07, 0.04, 0.02],
    )
    region = rng.choice(np.array(["县内", "省内", "省外", "不限", ""]), n, p=[0.25, 0.22, 0.3, 0.18, 0.05])
    wish_occ = _zipf(rng, n_occ, n)
    has_wish = rng.random(n) < 0.85
    wish_kind = rng.random(n)
    wish_name = np.array(names, dtype=object)[wish_occ]
    for k, code in enumerate(codes):
        if code in synonyms:
            pick = (wish_occ == k) & (wish_kind < 0.5)
            wish_name[pick] = synonyms[code][-1]
    wish_text = np.where(has_wish, wish_name.astype("U30"), "")
    # The wish's code as the service infers it: known for most wishes, not for the short words' rest.
    wish_code = np.where(has_wish & (wish_kind < 0.9), np.array(codes)[wish_occ], "")
    expected_wage = np.where(rng.random(n) < 0.7, rng.integers(25, 71, n) * 100, 0)
    skills = np.where(rng.random(n) < 0.4, rng.choice(np.array(SKILLS), n), "")
    past = rng.random(n)
    past1 = np.where(past < 0.3, np.array(codes)[_zipf(rng, n_occ, n)], "")
    past2 = np.where(past < 0.1, np.array(codes)[_zipf(rng, n_occ, n)], "")
    laborers = {
        "id": np.arange(1, n + 1),
        "birth": birth,
        "sex": sex,
        "labor_skill": labor_skill,
        "health": health,
        "education": education,
        "desired_region": region,
        "area": area,
        "job_wish": wish_text,
        "wish_code": wish_code,
        "expected_wage": expected_wage,
        "skills": skills,
        "past1": past1,
        "past2": past2,
    }
    return laborers, jobs


def _lookup(values: np.ndarray, fn, dtype):
    """Apply `fn` to each distinct value only."""
    distinct, inverse = np.unique(values, return_inverse=True)
    return np.array([fn(v) for v in distinct.tolist()], dtype=dtype)[inverse.ravel()]


def _texts(values: np.ndarray):
    """Engine text indexes (distinct normalized texts) for a column."""
    distinct, inverse = np.unique(values, return_inverse=True)
    codes, texts = engine_text_codes(distinct.tolist())
    return codes[inverse.ravel()], texts


def engine_text_codes(values):
    from bangfu.matching.text import encode_texts

    return encode_texts(values)


def encode(laborers: dict, jobs: dict) -> tuple[engine.Laborers, engine.Jobs]:
    wish_text, wish_texts = _texts(laborers["job_wish"])
    skill_text, skill_texts = _texts(laborers["skills"])
    birth = laborers["birth"].astype(object)
    birth_int = _lookup(laborers["birth"], lambda d: engine.date_int(d), np.int32) if len(birth) else birth
    lab = engine.Laborers(
        ids=laborers["id"].astype(np.int64),
        birth=birth_int.astype(np.int32),
        sex=_lookup(laborers["sex"], engine.sex_code, np.int8),
        ability=np.array(
            [[engine.ability_of(s, h) for h in engine_health()] for s in engine_skills()], dtype=np.int8
        )[_index(laborers["labor_skill"], engine_skills()), _index(laborers["health"], engine_health())],
        low_skill=laborers["labor_skill"] != "技能劳动力",
        education=_lookup(laborers["education"], engine.education_rank, np.int8),
        region=_lookup(laborers["desired_region"], engine.region_code, np.int8),
        county=_lookup(laborers["area"], lambda a: int(a[:6]), np.int32),
        wish_occ=_lookup(laborers["wish_code"], engine.occupation_key, np.int32),
        wish_text=wish_text,
        skill_text=skill_text,
        past_occ=np.stack(
            [
                _lookup(laborers["past1"], engine.occupation_key, np.int32),
                _lookup(laborers["past2"], engine.occupation_key, np.int32),
            ],
            axis=1,
        ),
        expected_wage=laborers["expected_wage"].astype(np.int32),
        wish_texts=wish_texts,
        skill_texts=skill_texts,
    )
    title_text, title_texts = _texts(np.char.add(np.char.add(jobs["title"], " "), jobs["occupation_name"]))
    req_text, req_texts = _texts(np.char.add(np.char.add(jobs["skills_required"], " "), jobs["title"]))
    deadline = jobs["deadline"]
    job = engine.Jobs(
        ids=jobs["id"].astype(np.int64),
        occ=_lookup(jobs["occupation"], engine.occupation_key, np.int32),
        title_text=title_text,
        req_text=req_text,
        has_req=jobs["skills_required"] != "",
        openings_left=jobs["openings_left"].astype(np.int32),
        county=_lookup(jobs["area"], lambda a: int(a[:6]), np.int32),
        age_min=np.where(jobs["age_min"] >= 0, jobs["age_min"], 0).astype(np.int16),
        age_max=np.where(jobs["age_max"] >= 0, jobs["age_max"], engine.NO_AGE_MAX).astype(np.int16),
        sex=_lookup(jobs["sex_required"], engine.sex_code, np.int8),
        education_min=_lookup(jobs["education_min"], engine.education_rank, np.int8),
        board=_lookup(jobs["board"], lambda b: {"是": 1, "否": 0}.get(b, -1), np.int8),
        low_skill=jobs["suits_low_skill"].astype(bool),
        wage_min=jobs["wage_min"].astype(np.int32),
        wage_max=jobs["wage_max"].astype(np.int32),
        deadline=np.where(
            np.isnat(deadline),
            0,
            _lookup(
                np.where(np.isnat(deadline), np.datetime64("2000-01-01"), deadline), engine.date_int, np.int32
            ),
        ).astype(np.int32),
        is_open=jobs["status"] == "open",
        title_texts=title_texts,
        req_texts=req_texts,
    )
    return lab, job


def engine_skills():
    return ("技能劳动力", "普通劳动力", "弱劳动力或半劳动力", "丧失劳动力", "无劳动力", "")


def engine_health():
    return ("健康", "长期慢性病", "患有大病", "残疾", "")


def _index(values: np.ndarray, vocabulary) -> np.ndarray:
    return _lookup(values, lambda v: vocabulary.index(v), np.int64)
