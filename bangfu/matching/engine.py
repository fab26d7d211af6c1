"""The person–job matching engine (人岗匹配): hard limits, a 0–100 score with reasons, capacity-aware top N.

Plain Python and numpy, no Django: laborers and jobs come in as arrays (`Laborers`, `Jobs`, built with the
`encode_*` helpers below), results go out as arrays (`Result`). docs/matching.md explains the rules, the
weights and how an area run scales to a million laborers.

Hard limits (never broken, checked on every pair that is returned):
- age on the run date within the job's 年龄下限–上限;
- the job's 性别要求;
- labor ability and health: 丧失劳动力/无劳动力 get no job; 患有大病, 残疾 and 弱劳动力或半劳动力 only jobs
  flagged 适合低技能脱贫劳动力 (the low-threshold jobs);
- 学历要求 is a minimum (文盲或半文盲 < 小学 < … < 本科及以上); an unknown education meets none;
- the region the laborer accepts (意向务工地): 县内 = the job is in the laborer's county, 省内 = in the same
  province, 省外 / 不限 / blank = anywhere;
- the job is open, has openings left, and its 截止日期 has not passed.
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields, replace
from datetime import date

import numpy as np

from bangfu.matching import text as textsim

SEXES = ("男", "女")
EDUCATIONS = ("文盲或半文盲", "小学", "初中", "高中", "中专", "大专", "本科及以上")
REGIONS = ("县内", "省内", "省外", "不限")
REGION_ANY = 3
ABILITY_NORMAL, ABILITY_RESTRICTED, ABILITY_NONE = 0, 1, 2
NO_LABOR = ("丧失劳动力", "无劳动力")
RESTRICTED_SKILL = ("弱劳动力或半劳动力",)
RESTRICTED_HEALTH = ("患有大病", "残疾")
SKILLED = ("技能劳动力",)
NO_AGE_MAX = 200
# Same county, same province, another province.
SAME_COUNTY, SAME_PROVINCE, OTHER_PROVINCE = 0, 1, 2

# --- encoding -------------------------------------------------------------------------------------------


def occupation_key(code: str | None) -> int:
    """An int for a code of the classification (1, 6-18, 6-18-02, 6-18-02-04), -1 for none.

    Base-128 digits (大类, 中类, 小类+1, 细类+1), so `key >> 14` is the 中类, `key >> 7` the 小类 (when
    `key >> 7 & 127` is not 0) and `key & 127` is not 0 for a 细类; 00 segments stay distinct from absent.
    """
    if not code:
        return -1
    parts = [int(p) for p in str(code).split("-")]
    if not 1 <= len(parts) <= 4:
        return -1
    parts += [None] * (4 - len(parts))
    major, middle, minor, detail = parts
    return ((major * 128 + (middle or 0)) * 128 + (0 if minor is None else minor + 1)) * 128 + (
        0 if detail is None else detail + 1
    )


def encode_wishes(texts: Sequence[str | None]) -> tuple[np.ndarray, np.ndarray, list[str]]:
    """Job wishes (就业意向 cells) as the engine reads them: the wished occupations' keys, an (n, WISHES)
    array (codes of any level and names, `OccupationIndex.read_wish`), and the text besides the codes as
    text indexes with their distinct texts (`text.encode_texts`). Each distinct cell is read once."""
    from bangfu.jobs.occupations import WISHES, default_index

    index = default_index()
    read: dict[str, tuple[tuple[int, ...], str]] = {}
    keys = np.full((len(texts), WISHES), -1, dtype=np.int32)
    words = []
    for row, text in enumerate(texts):
        text = text or ""
        if text not in read:
            wish = index.read_wish(text)
            read[text] = (tuple(occupation_key(code) for code in wish.codes), wish.text)
        found, rest = read[text]
        keys[row, : len(found)] = found
        words.append(rest)
    codes, distinct = textsim.encode_texts(words)
    return keys, codes, distinct


def date_int(day: date | None) -> int:
    return 0 if day is None else day.year * 10000 + day.month * 100 + day.day


def county_of(area_code: str) -> int:
    return int(str(area_code)[:6])


def ability_of(labor_skill: str, health: str) -> int:
    if labor_skill in NO_LABOR or not labor_skill:
        return ABILITY_NONE
    if labor_skill in RESTRICTED_SKILL or health in RESTRICTED_HEALTH:
        return ABILITY_RESTRICTED
    return ABILITY_NORMAL


def education_rank(value: str | None) -> int:
    """0–6 for a 文化程度 value; -1 for unknown (for a laborer) or 不限 (for a job's minimum)."""
    return EDUCATIONS.index(value) if value in EDUCATIONS else -1


def region_code(value: str | None) -> int:
    return REGIONS.index(value) if value in REGIONS else REGION_ANY


def sex_code(value: str | None) -> int:
    return SEXES.index(value) if value in SEXES else -1


# --- inputs and settings ---------------------------------------------------------------------------------


@dataclass
class Laborers:
    """One row per laborer. Texts are indexes into the `*_texts` lists (-1: none)."""

    ids: np.ndarray  # int64, the caller's ids (Person pk)
    birth: np.ndarray  # int32 yyyymmdd
    sex: np.ndarray  # int8, index into SEXES
    ability: np.ndarray  # int8, ABILITY_*
    low_skill: np.ndarray  # bool: not a 技能劳动力
    education: np.ndarray  # int8, education_rank, -1 unknown
    region: np.ndarray  # int8, index into REGIONS (blank = 不限)
    county: np.ndarray  # int32, the first six digits of the village code
    # int32 (n, WISHES), occupation_key of each wished occupation (a leaf, or a group: 小类, 中类, 大类), -1
    # padded; a 1-D array is read as one wish each
    wish_occ: np.ndarray
    wish_text: np.ndarray  # int32 into wish_texts
    skill_text: np.ndarray  # int32 into skill_texts
    past_occ: np.ndarray  # int32 (n, 2), occupation_key of the two latest past jobs, -1 none
    expected_wage: np.ndarray  # int32 yuan a month, 0 unknown
    wish_texts: list[str] = field(default_factory=list)
    skill_texts: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass
class Jobs:
    ids: np.ndarray  # int64 (Job pk)
    occ: np.ndarray  # int32 occupation_key, -1 none
    title_text: np.ndarray  # int32 into title_texts (title and occupation name)
    req_text: np.ndarray  # int32 into req_texts (skills required and title)
    has_req: np.ndarray  # bool: 技能要求 filled in
    openings_left: np.ndarray  # int32
    county: np.ndarray  # int32, first six digits of the work area
    age_min: np.ndarray  # int16, 0 none
    age_max: np.ndarray  # int16, NO_AGE_MAX none
    sex: np.ndarray  # int8, -1 any
    education_min: np.ndarray  # int8, -1 不限
    board: np.ndarray  # int8: 1 包吃住, 0 不包, -1 unknown
    low_skill: np.ndarray  # bool 适合低技能脱贫劳动力
    wage_min: np.ndarray  # int32, 0 unknown
    wage_max: np.ndarray  # int32, 0 unknown
    deadline: np.ndarray  # int32 yyyymmdd, 0 none
    is_open: np.ndarray  # bool
    title_texts: list[str] = field(default_factory=list)
    req_texts: list[str] = field(default_factory=list)

    def __len__(self) -> int:
        return len(self.ids)


@dataclass(frozen=True)
class Weights:
    """Points of each component (the defaults add up to 100). Stored as data: matching.models.MatchingRule."""

    occupation: float = 40.0
    wage: float = 15.0
    distance: float = 15.0
    board: float = 5.0
    skills: float = 10.0
    past: float = 10.0
    low_skill: float = 5.0

    @property
    def total(self) -> float:
        return sum(getattr(self, f.name) for f in fields(self))


@dataclass(frozen=True)
class Settings:
    weights: Weights = Weights()
    top: int = 10
    # A job appears in at most ceil(cap_multiple × openings_left) laborers' lists (at least cap_min).
    cap_multiple: float = 10.0
    cap_min: int = 5
    capacity: bool = True
    # Area runs: per group of alike laborers, the best `pool` jobs of each list (county, province,
    # outside) are scored exactly; groups short of feasible jobs are retried with `pool * 10`.
    # 0: by the run's size (`auto_pool`): long lists where there are few laborers, 50 at a province.
    pool: int = 0
    # Candidates kept per laborer for the capacity pass, as a multiple of top.
    candidates: int = 2
    max_rounds: int = 60
    # Laborers left with no job by the capacity pass are matched again against the jobs with room left.
    refill: bool = True
    chunk: int = 8192
    threads: int = 2


# Distance component by (desired region, relation of the job to the laborer's home).
DISTANCE = np.array(
    [
        [1.0, 0.0, 0.0],  # 县内 (other relations are not allowed)
        [1.0, 0.8, 0.0],  # 省内
        [0.6, 0.7, 1.0],  # 省外: wants to go out
        [1.0, 0.7, 0.5],  # 不限: nearer is better
    ],
    dtype=np.float32,
)
PAST_TIERS = (1.0, 0.7, 0.4)  # worked before in the same 细类, 小类, 中类
BOARD = np.array([0.3, 0.0, 1.0], dtype=np.float32)  # by board + 1: unknown, 不包, 包吃住


@dataclass
class Result:
    """Matched pairs sorted by laborer then rank: indexes into the Laborers and Jobs given."""

    laborer: np.ndarray  # int32
    job: np.ndarray  # int32
    rank: np.ndarray  # int16, 1-based
    score: np.ndarray  # float32, 0–100
    stats: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.laborer)


# --- the matcher -----------------------------------------------------------------------------------------


POOL_WORK = 5_000_000  # laborers × list length an area run affords (1,000,000 laborers: lists of 50)
POOL_MIN, POOL_MAX = 50, 400


def auto_pool(laborers: int) -> int:
    """List length for an area run of this many laborers. Longer lists let each laborer's own limits and
    preferences (age, education, wage) reach jobs that a group's shared ranking put lower, e.g. behind
    better-paid jobs that most of the group may not take; a county run can afford them, a province run
    keeps the shortest."""
    return int(min(max(POOL_WORK // max(laborers, 1), POOL_MIN), POOL_MAX))


class Matcher:
    """Scores laborer–job pairs. Build once per run (it precomputes text similarities), then call
    `for_laborer`, `for_job` or `run` (every laborer, capacity-aware)."""

    def __init__(self, laborers: Laborers, jobs: Jobs, on: date, settings: Settings | None = None):
        self.L, self.J, self.on = laborers, jobs, date_int(on)
        self.settings = settings or Settings()
        L, J = laborers, jobs
        if L.wish_occ.ndim == 1:
            L.wish_occ = L.wish_occ.reshape(-1, 1)
        # Laborers with the same wished occupations share a row of `_wish_sets` (a group key in area runs).
        self._wish_sets, self._wish_set_of = _distinct_rows(L.wish_occ)
        self.age = ((self.on - L.birth.astype(np.int64)) // 10000).astype(np.int16)
        self.job_ok = (
            J.is_open
            & (J.openings_left > 0)
            & ((J.deadline == 0) | (J.deadline >= self.on))
            & (J.occ >= -1)  # shape and dtype check
        )
        self.job_wage = np.where(J.wage_max > 0, J.wage_max, J.wage_min).astype(np.float32)
        self.job_board = BOARD[J.board.astype(np.int64) + 1]
        # Similarity tables with a zero last row and column, so that text index -1 reads 0.
        self.occ_sim = _padded(textsim.similarity(L.wish_texts, J.title_texts))
        self.skill_sim = _padded(textsim.similarity(L.skill_texts, J.req_texts))
        # For area runs: weights scaled to 100 points, the job's limits packed in one word, and the skills
        # component by (laborer skill text, job requirement text and whether one is required).
        scale = 100.0 / self.settings.weights.total
        self._w = {
            f.name: np.float32(getattr(self.settings.weights, f.name) * scale) for f in fields(Weights)
        }
        self._limits = (
            J.age_min.astype(np.uint32)
            | (np.minimum(J.age_max, 255).astype(np.uint32) << 8)
            | ((J.sex.astype(np.int32) + 1).astype(np.uint32) << 16)
            | ((J.education_min.astype(np.int32) + 1).astype(np.uint32) << 18)
            | (J.low_skill.astype(np.uint32) << 22)
            | (self.job_ok.astype(np.uint32) << 23)
        )
        self._board_points = (self._w["board"] * self.job_board).astype(np.float32)
        texts = self.skill_sim.shape[1]
        self._job_skill_col = (np.where(J.req_text >= 0, J.req_text, texts - 1) * 2 + J.has_req).astype(
            np.int32
        )
        table = np.empty((self.skill_sim.shape[0], texts * 2), dtype=np.float32)
        table[:, 0::2] = 0.5 + 0.5 * self.skill_sim
        table[:, 1::2] = self.skill_sim
        self._skill_table = table
        expected = L.expected_wage.astype(np.float32)
        self._inv_wage = np.where(expected > 0, 1.0 / np.maximum(expected, 1), 0).astype(np.float32)

    # -- one pair at a time, vectorised --

    def evaluate(self, li, ji, parts: bool = False):
        """Hard limits and score for laborers `li` × jobs `ji` (broadcastable index arrays; job -1 = none).

        Returns (ok, score) — or (ok, score, components) with each component 0–1 when `parts`.
        """
        L, J, w = self.L, self.J, self.settings.weights
        li = np.asarray(li)
        ji = np.asarray(ji)
        pad = ji < 0
        j = np.where(pad, 0, ji)
        age = self.age[li]
        ok = self.job_ok[j] & ~pad
        ok &= (J.age_min[j] <= age) & (age <= J.age_max[j])
        job_sex = J.sex[j]
        ok &= (job_sex < 0) | (job_sex == L.sex[li])
        ok &= J.education_min[j] <= L.education[li]
        ability = L.ability[li]
        ok &= (ability == ABILITY_NORMAL) | ((ability == ABILITY_RESTRICTED) & J.low_skill[j])
        job_county, home = J.county[j], L.county[li]
        relation = np.where(
            job_county == home,
            SAME_COUNTY,
            np.where(job_county // 10000 == home // 10000, SAME_PROVINCE, OTHER_PROVINCE),
        ).astype(np.int8)
        region = L.region[li]
        ok &= ~(((region == 0) & (relation > SAME_COUNTY)) | ((region == 1) & (relation > SAME_PROVINCE)))

        job_occ = J.occ[j]
        occupation = np.maximum(
            _wished(L.wish_occ[li], job_occ), 0.9 * self.occ_sim[L.wish_text[li], J.title_text[j]]
        )
        expected = L.expected_wage[li].astype(np.float32)
        offered = self.job_wage[j]
        known = (expected > 0) & (offered > 0)
        wage = np.where(known, np.clip((offered / np.where(known, expected, 1) - 0.7) / 0.3, 0, 1), 0.5)
        distance = DISTANCE[region, relation]
        board = self.job_board[j]
        sim = self.skill_sim[L.skill_text[li], J.req_text[j]]
        skills = np.where(J.has_req[j], sim, 0.5 + 0.5 * sim)
        past = np.maximum(
            _tier(L.past_occ[li, 0], job_occ, PAST_TIERS), _tier(L.past_occ[li, 1], job_occ, PAST_TIERS)
        )
        low = (L.low_skill[li] & J.low_skill[j]).astype(np.float32)
        score = (
            w.occupation * occupation
            + w.wage * wage
            + w.distance * distance
            + w.board * board
            + w.skills * skills
            + w.past * past
            + w.low_skill * low
        ) * np.float32(100.0 / w.total)
        score = score.astype(np.float32)
        if not parts:
            return ok, score
        components = {
            "occupation": occupation,
            "wage": wage,
            "distance": distance,
            "relation": relation,
            "board": board,
            "skills": skills,
            "past": past,
            "low_skill": low,
        }
        return ok, score, components

    # -- one laborer, one job --

    def for_laborer(self, index: int, top: int = 10) -> Result:
        """Best jobs of one laborer among all jobs (exact, no capacity cap)."""
        jobs = np.flatnonzero(self.job_ok).astype(np.int32)
        ok, score = self.evaluate(np.full(len(jobs), index), jobs)
        return _best(np.full(len(jobs), index, dtype=np.int32), jobs, ok, score, top, by_job=False)

    def for_job(self, index: int, top: int = 50, laborers: np.ndarray | None = None) -> Result:
        """Best laborers for one job (exact), among `laborers` (indexes) or all."""
        who = np.arange(len(self.L), dtype=np.int32) if laborers is None else np.asarray(laborers, np.int32)
        ok, score = self.evaluate(who, np.full(len(who), index))
        return _best(who, np.full(len(who), index, dtype=np.int32), ok, score, top, by_job=True)

    # -- everyone --

    def run(self) -> Result:
        """Top N for every laborer, capacity-aware (docs/matching.md, "An area run")."""
        if not self.settings.pool:
            self.settings = replace(self.settings, pool=auto_pool(len(self.L)))
        s = self.settings
        keep = s.top * (s.candidates if s.capacity else 1)
        n = len(self.L)
        self._stats = stats = {"laborers": n, "jobs": int(self.job_ok.sum()), "retried": 0, "pairs_scored": 0}
        stats["pool"] = s.pool
        stats.update(seconds_lists=0.0, seconds_scoring=0.0)
        able = np.flatnonzero(self.L.ability != ABILITY_NONE)
        if not len(able) or not self.job_ok.any():
            stats["short_of_top"] = n
            return _pairs_result(*(np.zeros(0, np.int32),) * 2, np.zeros(0, np.float32), stats)
        self._layout()
        cand_job, cand_score = self._candidates(able, keep)
        stats["short_of_top"] = int(((cand_job >= 0).sum(axis=1) < s.top).sum())
        if not s.capacity:
            lab, col = np.nonzero(cand_job >= 0)
            return _pairs_result(lab, cand_job[lab, col], cand_score[lab, col], stats)
        started = time.perf_counter()
        cap = np.maximum(np.ceil(self.J.openings_left * s.cap_multiple), s.cap_min).astype(np.int64)
        held, stats["capacity_rounds"] = self._capacity(cand_job, cand_score, cap, np.full(n, s.top))
        lab, col = np.nonzero(held)
        pairs = [(lab, cand_job[lab, col], cand_score[lab, col])]
        stats["seconds_capacity"] = time.perf_counter() - started
        if s.refill:
            pairs.append(self._refill(able, pairs[0], cap, keep))
        return _pairs_result(*(np.concatenate(parts) for parts in zip(*pairs, strict=True)), stats)

    def _refill(self, able, first, cap, keep):
        """Laborers left without any job by the capacity pass are matched once more, against the jobs that
        still have room (with lists half as long), and the same capacity pass hands out that room."""
        s, stats = self.settings, self._stats
        lab, job, _ = first
        count = np.bincount(lab, minlength=len(self.L))
        room = cap - np.bincount(job, minlength=len(self.J))
        short = able[count[able] == 0]
        stats["refill_laborers"] = len(short)
        if not len(short) or not (room > 0).any():
            return (np.zeros(0, np.int32),) * 2 + (np.zeros(0, np.float32),)
        started = time.perf_counter()
        full = self.job_ok
        self._set_job_ok(full & (room > 0))
        pool = s.pool
        try:
            self.settings = replace(s, pool=max(s.pool // 2, 1))  # shorter lists: only jobs with room
            cand_job, cand_score = self._candidates(short, keep)
        finally:
            self._set_job_ok(full)
            self.settings = replace(self.settings, pool=pool)
        cand_job, cand_score = cand_job[short], cand_score[short]
        # not the same job twice
        held_keys = lab.astype(np.int64) * len(self.J) + job
        keys = short.astype(np.int64)[:, None] * len(self.J) + np.maximum(cand_job, 0)
        again = np.isin(keys, held_keys) & (cand_job >= 0)
        cand_score[again], cand_job[again] = -np.inf, -1
        order = np.argsort(-cand_score, axis=1, kind="stable")
        cand_job = np.take_along_axis(cand_job, order, axis=1)
        cand_score = np.take_along_axis(cand_score, order, axis=1)
        held, rounds = self._capacity(cand_job, cand_score, np.maximum(room, 0), s.top - count[short])
        stats["refill_rounds"] = rounds
        rows, col = np.nonzero(held)
        stats["seconds_refill"] = time.perf_counter() - started
        return short[rows].astype(np.int32), cand_job[rows, col], cand_score[rows, col]

    def _set_job_ok(self, mask):
        """Change which jobs are matchable (the refill pass): the packed limits and penalties follow."""
        self.job_ok = mask
        self._limits = (self._limits & ~np.uint32(1 << 23)) | (mask.astype(np.uint32) << 23)
        self.__dict__.pop("_penalty", None)

    def _candidates(self, members, keep):
        """The best `keep` feasible jobs of each of `members` (an (n, keep) array, rows of others empty),
        from their group's candidate lists."""
        L = self.L
        n = len(L)
        self._cand_job = np.full((n, keep), -1, dtype=np.int32)
        self._cand_score = np.full((n, keep), -np.inf, dtype=np.float32)
        table = np.stack(
            [
                L.wish_text[members].astype(np.int64),
                self._wish_set_of[members].astype(np.int64),
                (L.ability[members] == ABILITY_RESTRICTED).astype(np.int64),
            ],
            axis=1,
        )
        # one int64 per laborer (text < 2^31, wish set + 1 < 2^26, restricted 1 bit), unique on that
        packed = (table[:, 0] << 27) | ((table[:, 1] + 1) << 1) | table[:, 2]
        distinct, group_of = np.unique(packed, return_inverse=True)
        group_of = group_of.ravel()
        groups = np.stack([distinct >> 27, ((distinct >> 1) & ((1 << 26) - 1)) - 1, distinct & 1], axis=1)
        self._stats["groups"] = self._stats.get("groups", 0) + len(groups)
        # What the members of a group typically are, for ranking the group's candidate lists: the median
        # expected wage (0: unknown), whether most are low-skill, whether most have skills written down.
        by_group = np.argsort(group_of, kind="stable")
        starts = np.searchsorted(group_of[by_group], np.arange(len(groups)))
        wages = L.expected_wage[members][by_group]
        profile = np.zeros((len(groups), 3), dtype=np.float64)
        for g, (lo, hi) in enumerate(zip(starts, np.append(starts[1:], len(by_group)), strict=True)):
            known = wages[lo:hi][wages[lo:hi] > 0]
            profile[g, 0] = np.median(known) if len(known) * 2 >= hi - lo else 0
        counts = np.bincount(group_of, minlength=len(groups))
        profile[:, 1] = (
            np.bincount(group_of, weights=L.low_skill[members], minlength=len(groups)) * 2 >= counts
        )
        profile[:, 2] = (
            np.bincount(group_of, weights=L.skill_text[members] >= 0, minlength=len(groups)) * 2 >= counts
        )
        groups = np.concatenate([groups, profile.astype(np.int64)], axis=1)
        # Batches of groups: their base scores are computed together, one (groups × jobs) matrix.
        batch = max(1, min(64, 4_000_000 // max(len(self.J), 1)))
        batches = []
        for first in range(0, len(groups), batch):
            chosen = np.flatnonzero((group_of >= first) & (group_of < first + batch))
            batches.append((groups[first : first + batch], members[chosen], group_of[chosen] - first))
        if self.settings.threads > 1 and len(batches) > 1:
            with ThreadPoolExecutor(self.settings.threads) as pool:
                list(pool.map(lambda task: self._run_batch(*task), batches))
        else:
            for task in batches:
                self._run_batch(*task)
        return self._cand_job, self._cand_score

    def _layout(self):
        """Jobs ordered by county (hence by province), with the segments of each county and province;
        the laborers' home counties, each with its index among the job counties and provinces (-1: none)."""
        J, L = self.J, self.L
        self._order = order = np.argsort(J.county, kind="stable").astype(np.int32)
        counties = J.county[order].astype(np.int64)
        county_ids, county_start = np.unique(counties, return_index=True)
        self._county_bounds = np.append(county_start, len(order))
        province_ids, province_start = np.unique(counties // 10000, return_index=True)
        self._province_bounds = np.append(province_start, len(order))
        self._job_province = J.county.astype(np.int64) // 10000
        self._home_ids, self._lab_home = np.unique(L.county.astype(np.int64), return_inverse=True)
        self._lab_home = self._lab_home.ravel()
        self._home_county = _position(county_ids, self._home_ids)
        self._home_province = _position(province_ids, self._home_ids // 10000)

    def _base_scores(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """The occupation points of each group (rows) for each kind of job (columns of `_kinds`), and the
        ranking of all jobs for the group's lists: occupation, board and lodging, and what the typical
        member gets from wage, low skill and skills; -inf where a hard limit the group shares fails.

        Computed over the distinct (occupation, title) and (wage, low-skill, skills required) kinds of
        job, then spread to the jobs: far fewer kinds than jobs."""
        J, w = self.J, self._w
        if not hasattr(self, "_kinds"):
            packed = (J.occ.astype(np.int64) + 1) << 32 | (J.title_text.astype(np.int64) + 1)
            distinct, kind_of = np.unique(packed, return_inverse=True)
            kinds = np.stack([(distinct >> 32) - 1, (distinct & 0xFFFFFFFF) - 1], axis=1)
            terms, term_of = np.unique(
                np.stack([self.job_wage, J.low_skill, J.has_req], axis=1), axis=0, return_inverse=True
            )
            self._kinds = (kinds, kind_of.ravel(), terms, term_of.ravel())
        kinds, kind_of, terms, term_of = self._kinds
        wish_text, restricted = keys[:, 0], keys[:, 2].astype(bool)
        wish_occ = self._wish_sets[keys[:, 1]]
        occupation = np.maximum(
            _wished(wish_occ[:, None, :], kinds[None, :, 0]), 0.9 * self.occ_sim[wish_text][:, kinds[:, 1]]
        )
        if not hasattr(self, "_penalty"):
            # 0 or -inf per job: for all laborers, and for those restricted to low-skill jobs
            self._penalty = np.where(
                np.stack([self.job_ok, self.job_ok & J.low_skill]), np.float32(0), np.float32(-np.inf)
            ).astype(np.float32)
        shared = (w["occupation"] * occupation).astype(np.float32)
        base = shared[:, kind_of]
        base += (w["board"] * self.job_board).astype(np.float32)[None, :]
        base += self._penalty[restricted.astype(np.intp)]
        # Ranking only (the lists): add what the typical member would get from the job's wage, its
        # low-skill flag and its skills requirement, so the lists are close to the members' own order.
        typical_wage, low, skilled = keys[:, 3:4].astype(np.float32), keys[:, 4:5] > 0, keys[:, 5:6] > 0
        offered, job_low, required = terms[None, :, 0], terms[None, :, 1] > 0, terms[None, :, 2] > 0
        wage = np.where(
            (typical_wage > 0) & (offered > 0),
            np.clip((offered / np.maximum(typical_wage, 1) - 0.7) / 0.3, 0, 1),
            0.5,
        )
        extra = w["wage"] * wage + w["low_skill"] * (low & job_low)
        extra += w["skills"] * np.where(skilled, 0.25, np.where(required, 0.0, 0.5))
        base += extra.astype(np.float32)[:, term_of]
        return shared, base

    def _lists(self, base: np.ndarray, size: int, homes: np.ndarray):
        """Candidate lists of a batch of groups (rows of `base`) for the home counties `homes`: the best
        `size` jobs in the county, the best `size` elsewhere in its province, and the best `size` outside
        the province. The distance component is constant within each list, so their union holds a
        group's best `size` for any desired region. Each list comes with whether valid jobs were left out.
        Shapes (groups, homes, size) and (groups, homes)."""
        order = self._order
        rows = base.shape[0]
        hc, hp = self._home_county[homes], self._home_province[homes]
        own = np.full((rows, len(homes), size), -1, dtype=np.int32)
        own_valid = np.zeros((rows, len(homes)), dtype=np.int64)
        for k, c in enumerate(hc):
            if c >= 0:
                idx = order[self._county_bounds[c] : self._county_bounds[c + 1]]
                own[:, k], own_valid[:, k] = _top_rows(base[:, idx], idx, size, ordered=False)
        near = np.full((rows, len(homes), size), -1, dtype=np.int32)
        near_valid = np.zeros((rows, len(homes)), dtype=np.int64)
        far = np.full((rows, len(homes), size), -1, dtype=np.int32)
        far_valid = np.zeros((rows, len(homes)), dtype=np.int64)
        everything = np.arange(len(self.J), dtype=np.int32)
        best, total = _top_rows(base, everything, 4 * size, ordered=True)
        best_province = np.where(best >= 0, self._job_province[np.maximum(best, 0)], -1)
        for p in np.unique(hp):
            at = np.flatnonzero(hp == p)
            province = self._home_ids[homes[at[0]]] // 10000  # `at` indexes this batch's homes
            if p >= 0:
                idx = order[self._province_bounds[p] : self._province_bounds[p + 1]]
                top, valid = _top_rows(base[:, idx], idx, 2 * size, ordered=True)
                top_county = np.where(top >= 0, self.J.county[np.maximum(top, 0)], -1)
                mask = (top >= 0)[:, None, :] & (
                    top_county[:, None, :] != self._home_ids[homes[at]][None, :, None]
                )
                near[:, at] = _first(top[:, None, :], mask, size)
                near_valid[:, at] = valid[:, None] - own_valid[:, at]
            else:
                valid = np.zeros(rows, dtype=np.int64)
            outside = _first(best, (best >= 0) & (best_province != province), size)
            far[:, at] = outside[:, None, :]
            far_valid[:, at] = (total - valid)[:, None]
        near_cut = near_valid > (near >= 0).sum(axis=2)
        far_cut = far_valid > (far >= 0).sum(axis=2)
        return (own, own_valid > size), (near, near_cut), (far, far_cut)

    def _run_batch(self, keys, members, group):
        """Score the laborers of a batch of groups against their candidate lists; retry, with lists ten
        times longer, the laborers left short of candidates whose lists were cut."""
        base, ranking = self._base_scores(keys)
        size = self.settings.pool
        for attempt in range(2):
            homes, home_at = np.unique(self._lab_home[members], return_inverse=True)
            home_at = home_at.ravel()
            started = time.perf_counter()
            lists = self._lists(ranking, size, homes)
            self._stats["seconds_lists"] += time.perf_counter() - started
            cut = np.zeros(len(members), dtype=bool)
            reach = np.minimum(self.L.region[members], 2)
            for lists_used in (1, 2, 3):  # 县内: the county list; 省内: and the province's; wider: all three
                part = np.flatnonzero(reach == lists_used - 1)
                if not len(part):
                    continue
                started = time.perf_counter()
                g, h = group[part], home_at[part]
                cand = np.concatenate([lists[k][0][g, h] for k in range(lists_used)], axis=1)
                cut[part] = np.any(np.stack([lists[k][1][g, h] for k in range(lists_used)]), axis=0)
                self._score(members[part], cand, g, base, size, merge=attempt > 0)
                self._stats["seconds_scoring"] += time.perf_counter() - started
                self._stats["pairs_scored"] += cand.size
            # Retry only laborers short of a full top N: the capacity pass can do with fewer spares.
            short = (self._cand_job[members] >= 0).sum(axis=1) < self.settings.top
            retry = short & cut
            if attempt or not retry.any():
                break
            rows, group = np.unique(group[retry], return_inverse=True)
            members, group, base, ranking = members[retry], group.ravel(), base[rows], ranking[rows]
            self._stats["retried"] += len(members)
            size *= 10

    def _score(self, who_all, cand_all, group_all, base, size, merge):
        """Exact scores of laborers against their candidates (columns: `size` in the home county, then
        `size` elsewhere in the province, then `size` outside it, as far as the laborer's region reaches);
        keep the best per laborer. The same formula as `evaluate`, rearranged: the group's occupation
        points come from `base` (groups × kinds of job), the distance from the column."""
        L, w = self.L, self._w
        keep = self._cand_job.shape[1]
        cand_job, cand_score = self._cand_job, self._cand_score
        relation = np.repeat(np.arange(cand_all.shape[1] // size), size)
        shared_flat, kinds, kind_of = base.ravel(), base.shape[1], self._kinds[1]
        skill_flat = self._skill_table.ravel()
        rows = max(64, 65536 // max(cand_all.shape[1], 1))
        for start in range(0, len(who_all), rows):
            who = who_all[start : start + rows]
            jobs = cand_all[start : start + rows]
            j = np.maximum(jobs, 0)
            offset = (group_all[start : start + rows] * kinds).astype(np.int64)[:, None]
            score = np.take(shared_flat, offset + np.take(kind_of, j))
            score += np.take(self._board_points, j)
            limits = np.take(self._limits, j)
            age = self.age[who][:, None].astype(np.uint32)
            ok = (jobs >= 0) & ((limits >> 23) & 1).astype(bool)
            restricted = (L.ability[who] == ABILITY_RESTRICTED)[:, None]
            ok &= ~restricted | ((limits >> 22) & 1).astype(bool)
            ok &= ((limits & 255) <= age) & (((limits >> 8) & 255) >= age)
            sex = (limits >> 16) & 3
            ok &= (sex == 0) | (sex == L.sex[who][:, None].astype(np.uint32) + 1)
            ok &= ((limits >> 18) & 15) <= (L.education[who][:, None].astype(np.int32) + 1).astype(np.uint32)
            score += (w["distance"] * DISTANCE[L.region[who]])[:, relation]
            offered = np.take(self.job_wage, j)
            inv = self._inv_wage[who][:, None]
            wage = np.clip(offered * inv / np.float32(0.3) - np.float32(0.7 / 0.3), 0, 1)
            wage[(offered == 0) | (inv == 0)] = 0.5
            score += w["wage"] * wage
            skill_row = (L.skill_text[who] % self._skill_table.shape[0]).astype(
                np.int64
            ) * self._skill_table.shape[1]
            score += w["skills"] * np.take(skill_flat, skill_row[:, None] + np.take(self._job_skill_col, j))
            score += w["low_skill"] * (((limits >> 22) & 1).astype(bool) & L.low_skill[who][:, None])
            had = np.flatnonzero(L.past_occ[who, 0] >= 0)
            if len(had):
                past_occ = L.past_occ[who[had]]
                job_occ = np.take(self.J.occ, j[had])
                past = np.maximum(
                    _tier(past_occ[:, :1], job_occ, PAST_TIERS), _tier(past_occ[:, 1:], job_occ, PAST_TIERS)
                )
                score[had] += w["past"] * past
            score = np.where(ok, score, np.float32(-np.inf))
            if merge:
                all_jobs = np.concatenate([cand_job[who], jobs], axis=1)
                all_scores = _drop_repeats(all_jobs, np.concatenate([cand_score[who], score], axis=1))
            else:
                all_jobs, all_scores = jobs, score
            k = min(keep, all_scores.shape[1])
            part = np.argpartition(-all_scores, k - 1, axis=1)[:, :k]
            top_scores = np.take_along_axis(all_scores, part, axis=1)
            top_jobs = np.take_along_axis(all_jobs, part, axis=1)
            order = np.lexsort((top_jobs, -top_scores), axis=1)
            top_scores = np.take_along_axis(top_scores, order, axis=1)
            top_jobs = np.take_along_axis(top_jobs, order, axis=1)
            cand_job[who, :k] = np.where(np.isfinite(top_scores), top_jobs, -1)
            cand_score[who, :k] = top_scores

    def _capacity(self, cand_job, cand_score, cap, top):
        """Deferred acceptance: laborers propose to their best remaining candidates, each job holds the
        best `cap` proposals by score and rejects the rest, until nobody is rejected. Scores are the same
        for both sides, so the outcome equals assigning pairs greedily from the highest score down.

        The candidate pairs are sorted by (job, score) once; each round then looks only at the jobs that
        received new proposals, and only laborers who lost a job propose again."""
        s = self.settings
        n, width = cand_job.shape
        top = np.asarray(top)[:, None]
        flat_job = cand_job.ravel()
        alive = flat_job >= 0
        valid = np.flatnonzero(alive)
        # Sort key: job, then score (descending, to 1e-4), then position (the laborer's registry order).
        quantized = np.round((100.0 - np.clip(cand_score.ravel()[valid], 0, 100)) * 10000).astype(np.int64)
        index_bits = max(int(n * width - 1).bit_length(), 1)
        if index_bits + 21 + len(self.J).bit_length() <= 63:
            key = (flat_job[valid].astype(np.int64) << (index_bits + 21)) | (quantized << index_bits) | valid
            key.sort()
            by_job = key & ((1 << index_bits) - 1)
            bounds = np.searchsorted(key >> (index_bits + 21), np.arange(len(self.J) + 1))
        else:
            order = np.lexsort((valid, quantized, flat_job[valid]))
            by_job = valid[order]
            bounds = np.searchsorted(flat_job[by_job], np.arange(len(self.J) + 1))
        del quantized
        proposed = (alive.reshape(n, width).cumsum(axis=1) <= top).ravel() & alive
        counts = np.bincount(flat_job[proposed], minlength=len(self.J))
        affected = np.flatnonzero(counts > cap)
        rounds = 0
        while len(affected):
            rounds += 1
            lengths = bounds[affected + 1] - bounds[affected]
            offsets = np.cumsum(lengths) - lengths
            seg = by_job[np.repeat(bounds[affected] - offsets, lengths) + np.arange(lengths.sum())]
            held = proposed[seg]
            total = np.cumsum(held)
            before = total[offsets] - held[offsets]
            place = total - np.repeat(before, lengths)
            reject = seg[held & (place > np.repeat(cap[affected], lengths))]
            if not len(reject):
                break
            alive[reject] = False
            proposed[reject] = False
            if rounds >= s.max_rounds:
                break  # no new proposals after this: every job is within its cap
            rows = _distinct(reject // width, n)
            grid = alive.reshape(n, width)[rows]
            now = grid & (grid.cumsum(axis=1) <= top[rows])
            before_rows = proposed.reshape(n, width)[rows]
            added = now & ~before_rows
            proposed.reshape(n, width)[rows] = now
            r, c = np.nonzero(added)
            affected = _distinct(flat_job[rows[r] * width + c], len(self.J))
        return proposed.reshape(n, width), rounds

    # -- reasons --

    def reasons(
        self, li: np.ndarray, ji: np.ndarray, names: Mapping[int, str] | None = None
    ) -> list[list[str]]:
        """Chinese reasons for each pair, most weighty first. `names` maps occupation keys (细类, 小类,
        中类) to names, for "同属…" texts."""
        codes, texts = self.reason_codes(li, ji, names)
        return [[texts[c] for c in row if c >= 0] for row in codes.tolist()]

    def reason_codes(
        self, li: np.ndarray, ji: np.ndarray, names: Mapping[int, str] | None = None
    ) -> tuple[np.ndarray, list[str]]:
        """The reasons of each pair as indexes into a list of distinct texts: an (n, 7) array, one column
        per reason, most weighty first (ties in the order of the components), -1 after the last. Built
        per distinct value (a job's occupation, a wage and an expectation), never per pair, so that a
        province's three million pairs get theirs in seconds."""
        names = names or {}
        li, ji = np.asarray(li, dtype=np.int64), np.asarray(ji, dtype=np.int64)
        n = len(li)
        w = self.settings.weights
        L, J = self.L, self.J
        texts: list[str] = []
        known: dict[str, int] = {}
        code = np.full((n, 7), -1, dtype=np.int32)
        weight = np.full((n, 7), -np.inf, dtype=np.float64)
        if not n:
            return code, texts

        def put(slot, mask, points, values, text_of):
            """Reasons of `slot` for the pairs of `mask`: the text of each distinct value (`text_of`)."""
            rows = np.flatnonzero(mask)
            if not len(rows):
                return
            distinct, inverse = np.unique(np.asarray(values)[rows], return_inverse=True, axis=0)
            ids = np.array(
                [known.setdefault(text, len(known)) for text in map(text_of, distinct.tolist())], np.int32
            )
            texts.extend(list(known)[len(texts) :])
            code[rows, slot] = ids[inverse.ravel()]
            weight[rows, slot] = np.broadcast_to(points, (n,))[rows]

        _, _, parts = self.evaluate(li, ji, parts=True)
        job_occ = J.occ[ji].astype(np.int64)
        wishes = L.wish_occ[li].astype(np.int64)
        levels = np.stack([_levels(wishes[:, c], job_occ) for c in range(wishes.shape[1])], axis=1)
        # the best level, then the largest key (a 细类 over the group holding it)
        best = np.argmax(levels * (1 << 27) + wishes + 1, axis=1)
        level = levels[np.arange(n), best]
        wish = wishes[np.arange(n), best]
        occ = parts["occupation"].astype(np.float64)
        points = w.occupation * occ
        same = (level == 4) & (wish == job_occ)
        put(0, same, points, job_occ, lambda k: f"岗位职业与就业意向一致（{names.get(k, '同一细类')}）")
        put(
            0, (level == 4) & ~same, points, wish, lambda k: f"岗位属于就业意向的职业类别“{names.get(k, '')}”"
        )
        put(0, level == 3, points, job_occ >> 7 << 7, lambda k: f"岗位与就业意向同属小类“{names.get(k, '')}”")
        put(
            0,
            level == 2,
            points,
            job_occ >> 14 << 14,
            lambda k: f"岗位与就业意向同属中类“{names.get(k, '')}”",
        )
        wish_text = L.wish_text[li]
        put(
            0,
            (level == 0) & (occ >= 0.3) & (wish_text >= 0),
            points,
            wish_text,
            lambda t: f"岗位名称与就业意向“{L.wish_texts[t]}”相近",
        )
        expected, offered = L.expected_wage[li].astype(np.int64), self.job_wage[ji].astype(np.int64)
        both = np.stack([offered, expected], axis=1)
        reached = (expected > 0) & (offered > 0) & (offered >= expected)
        put(
            1,
            reached,
            w.wage * parts["wage"].astype(np.float64),
            both,
            lambda v: f"月薪最高{v[0]}元，达到期望{v[1]}元",
        )
        short = (expected > 0) & (offered > 0) & (offered < expected)
        put(1, short, 0.0, both, lambda v: f"月薪最高{v[0]}元，低于期望{v[1]}元")
        put(1, (expected == 0) & (offered > 0), w.wage * 0.5, offered, lambda v: f"月薪最高{v}元")
        relation, region = parts["relation"].astype(np.int64), L.region[li]
        place = relation + 3 * ((relation == OTHER_PROVINCE) & (region == 2))
        put(2, np.ones(n, bool), w.distance * parts["distance"].astype(np.float64), place, PLACES.__getitem__)
        put(3, J.board[ji] == 1, w.board, np.zeros(n, np.int64), lambda _: "包吃住")
        has_req, skill_text = J.has_req[ji], L.skill_text[li]
        fits = has_req & (skill_text >= 0)
        fits[fits] &= self.skill_sim[skill_text[fits], J.req_text[ji][fits]] >= 0.3
        skill_points = w.skills * parts["skills"].astype(np.float64)
        put(4, fits, skill_points, np.zeros(n, np.int64), lambda _: "技能特长与岗位技能要求相符")
        put(4, ~has_req, w.skills * 0.5, np.zeros(n, np.int64), lambda _: "无特殊技能要求")
        past = parts["past"].astype(np.float64)
        put(5, past >= 1.0, w.past * past, np.zeros(n, np.int64), lambda _: "曾从事同类工作")
        put(5, (past > 0) & (past < 1.0), w.past * past, np.zeros(n, np.int64), lambda _: "曾从事相近工作")
        put(
            6,
            parts["low_skill"] > 0,
            w.low_skill,
            np.zeros(n, np.int64),
            lambda _: "适合低技能劳动力，入职门槛低",
        )
        order = np.argsort(-weight, axis=1, kind="stable")
        return np.take_along_axis(code, order, axis=1), texts


PLACES = ("县内就业，离家近", "省内县外就业", "省外就业", "", "", "省外就业，符合外出务工意愿")


# --- helpers ---------------------------------------------------------------------------------------------


def _padded(matrix: np.ndarray) -> np.ndarray:
    out = np.zeros((matrix.shape[0] + 1, matrix.shape[1] + 1), dtype=np.float32)
    out[: matrix.shape[0], : matrix.shape[1]] = matrix
    return out


def _depth_shift(a):
    """Bits below the node a key names: 0 for a 细类, 7 for a 小类, 14 for a 中类, 21 for a 大类 (whose
    key is also that of its 中类 "00", e.g. 8 and 8-00: the same people)."""
    return np.where(a & 127, 0, np.where((a >> 7) & 127, 7, np.where((a >> 14) & 127, 14, 21)))


def _tier(a, b, values=(1.0, 0.8, 0.6)):
    """Occupation fit of a job's key b to a key a (a wished occupation, or a past job's): values[0] when
    b is a itself or lies within it (a wished 小类 holds its 细类), values[1] in the same 小类, values[2] in
    the same 中类, else 0 (also when either is -1)."""
    a, b = np.asarray(a), np.asarray(b)
    both = (a >= 0) & (b >= 0)
    shift = _depth_shift(a)
    within = both & ((b >> shift) == (a >> shift))
    a7, b7 = a >> 7, b >> 7
    same3 = both & (a7 == b7) & ((b7 & 127) != 0)
    same2 = both & ((a >> 14) == (b >> 14))
    return np.where(within, values[0], np.where(same3, values[1], np.where(same2, values[2], 0.0))).astype(
        np.float32
    )


def _wished(wishes, b):
    """Occupation fit of job keys b to laborers' wished occupations (last axis of `wishes`): the best."""
    wishes = np.asarray(wishes)
    best = _tier(wishes[..., 0], b)
    for column in range(1, wishes.shape[-1]):
        best = np.maximum(best, _tier(wishes[..., column], b))
    return best


def _level(a: int, b: int) -> int:
    """4 when job key b is wished key a or lies within it, 3 same 小类, 2 same 中类, else 0."""
    if a < 0 or b < 0:
        return 0
    shift = int(_depth_shift(a))
    if b >> shift == a >> shift:
        return 4
    if a >> 7 == b >> 7 and (b >> 7) & 127:
        return 3
    if a >> 14 == b >> 14:
        return 2
    return 0


def _levels(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """`_level` over arrays."""
    both = (a >= 0) & (b >= 0)
    shift = _depth_shift(a)
    within = both & ((b >> shift) == (a >> shift))
    same3 = both & ((a >> 7) == (b >> 7)) & (((b >> 7) & 127) != 0)
    same2 = both & ((a >> 14) == (b >> 14))
    return np.where(within, 4, np.where(same3, 3, np.where(same2, 2, 0)))


def _distinct_rows(keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The distinct rows of an (n, k) array of keys below 2^25 (-1 allowed), and each row's index among
    them; by packing two columns at a time into one int64 (np.unique over rows is far slower)."""
    ids = keys[:, 0].astype(np.int64) + 1
    for column in range(1, keys.shape[1]):
        packed = (ids << 26) | (keys[:, column].astype(np.int64) + 1)
        _, ids = np.unique(packed, return_inverse=True)
        ids = ids.ravel().astype(np.int64)
    if keys.shape[1] == 1:
        _, ids = np.unique(ids, return_inverse=True)
        ids = ids.ravel()
    some = np.zeros(int(ids.max()) + 1 if len(ids) else 0, dtype=np.int64)
    some[ids] = np.arange(len(ids))  # any row of each: they are equal
    return keys[some], ids.astype(np.int32)


def _distinct(values: np.ndarray, size: int) -> np.ndarray:
    """np.unique for small non-negative ints below `size`, without sorting."""
    seen = np.zeros(size, dtype=bool)
    seen[values] = True
    return np.flatnonzero(seen)


def _pairs_result(lab, job, score, stats) -> Result:
    """Pairs sorted by laborer, then score (best first), then job; ranks from 1 within each laborer."""
    order = np.lexsort((job, -score, lab))
    lab, job, score = lab[order].astype(np.int32), job[order].astype(np.int32), score[order]
    first = np.searchsorted(lab, lab, side="left")
    stats["pairs"] = len(lab)
    rank = (np.arange(len(lab)) - first + 1).astype(np.int16)
    return Result(laborer=lab, job=job, rank=rank, score=score, stats=stats)


def _position(sorted_ids: np.ndarray, values: np.ndarray) -> np.ndarray:
    """Index of each value in `sorted_ids`, -1 where absent."""
    if not len(sorted_ids):
        return np.full(len(values), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(sorted_ids, values), len(sorted_ids) - 1)
    return np.where(sorted_ids[at] == values, at, -1)


def _top_rows(values: np.ndarray, idx: np.ndarray, size: int, ordered: bool):
    """Per row of `values` (rows × len(idx)), the `size` best entries as values of `idx` (-1 padded;
    best first when `ordered`), and the count of finite entries per row."""
    rows, width = values.shape
    valid = np.isfinite(values).sum(axis=1)
    if width > 32 * size and rows:
        fast = _top_rows_sampled(values, size)
        if fast is not None:
            part, picked = fast
            out = np.where(np.isfinite(picked), idx[part], -1).astype(np.int32)
            return out, valid
    if width > size:
        part = np.argpartition(-values, size - 1, axis=1)[:, :size]
    else:
        part = np.broadcast_to(np.arange(width), (rows, width))
    picked = np.take_along_axis(values, part, axis=1)
    if ordered:
        order = np.argsort(-picked, axis=1, kind="stable")
        part = np.take_along_axis(part, order, axis=1)
        picked = np.take_along_axis(picked, order, axis=1)
    out = np.full((rows, size), -1, dtype=np.int32)
    out[:, : part.shape[1]] = np.where(np.isfinite(picked), idx[part], -1)
    return out, valid


def _top_rows_sampled(values: np.ndarray, size: int):
    """The `size` best columns per row, best first, found without a full selection: a threshold from every
    8th column (its best size/4) keeps about twice `size` columns per row, which are then sorted. None
    when some row keeps fewer than `size` (or far too many): the caller selects the usual way."""
    rows = values.shape[0]
    sample = values[:, ::8]
    keep = max(size // 4, 1)
    threshold = -np.partition(-sample, keep - 1, axis=1)[:, keep - 1]
    mask = values >= threshold[:, None]
    counts = mask.sum(axis=1)
    if counts.min() < size or counts.max() > 64 * size or not np.isfinite(threshold).all():
        return None
    r, c = np.nonzero(mask)
    v = values[r, c]
    order = np.lexsort((c, -v, r))
    r, c, v = r[order], c[order], v[order]
    start = np.concatenate([[0], np.cumsum(counts)[:-1]])
    take = (start[:, None] + np.arange(size)[None, :]).ravel()
    return c[take].reshape(rows, size), v[take].reshape(rows, size)


def _first(rows: np.ndarray, mask: np.ndarray, size: int) -> np.ndarray:
    """Along the last axis, the first `size` entries of `rows` where `mask` holds, in order, -1 padded."""
    rows = np.broadcast_to(rows, mask.shape)
    out = np.full((*mask.shape[:-1], size), -1, dtype=np.int32)
    if not mask.size:
        return out
    position = np.cumsum(mask, axis=-1) - 1
    take = mask & (position < size)
    where = np.nonzero(take)
    out[(*where[:-1], position[where])] = rows[where]
    return out


def _drop_repeats(jobs: np.ndarray, scores: np.ndarray) -> np.ndarray:
    """Scores with repeated jobs in a row set to -inf (rows are merged from two passes)."""
    order = np.argsort(jobs, axis=1, kind="stable")
    sorted_jobs = np.take_along_axis(jobs, order, axis=1)
    repeat = np.zeros_like(sorted_jobs, dtype=bool)
    repeat[:, 1:] = (sorted_jobs[:, 1:] == sorted_jobs[:, :-1]) & (sorted_jobs[:, 1:] >= 0)
    out = scores.copy()
    np.put_along_axis(
        out, order, np.where(repeat, -np.inf, np.take_along_axis(scores, order, axis=1)), axis=1
    )
    return out


def _best(lab, job, ok, score, top, by_job) -> Result:
    keep = np.flatnonzero(ok)
    lab, job, score = lab[keep], job[keep], score[keep]
    order = np.lexsort((lab if by_job else job, -score))[:top]
    return Result(
        laborer=lab[order],
        job=job[order],
        rank=np.arange(1, len(order) + 1, dtype=np.int16),
        score=score[order],
    )


def cap_of(openings_left: int, settings: Settings) -> int:
    return max(math.ceil(openings_left * settings.cap_multiple), settings.cap_min)


def stack(rows: Iterable[Iterable[int]], width: int = 2) -> np.ndarray:
    """Past occupation keys per laborer as an (n, width) array padded with -1."""
    out = [(list(r) + [-1] * width)[:width] for r in rows]
    return np.asarray(out, dtype=np.int32).reshape(-1, width)
