"""Matching over the database: loads laborers and open jobs into the engine's arrays (values_list, no
model objects per row) and returns `Match` rows. The functions other apps call:

- `match_for_person(person, top=10, on=None)` — the best open jobs for one laborer (anywhere);
- `match_for_job(job, top=50, within=area, on=None)` — the best laborers of `within`'s subtree for a job;
- `match_area(area, top=10, on=None)` — every laborer of the area who wants work, capacity-aware.

Who wants work (`seekers`): laborers (of working age by the `LaborAgeRule` in force, with labor ability,
alive) who are not in work now (务工状态 未务工 or not filled in), or who are in work but wrote down a job
wish (就业意向).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
from django.db.models import Q
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.employment.models import EmploymentRecord
from bangfu.jobs.models import Job, Occupation
from bangfu.matching import engine
from bangfu.matching.models import MatchingRule
from bangfu.matching.text import encode_texts
from bangfu.registry import vocab
from bangfu.registry.models import Person

REASON_SEPARATOR = "；"


@dataclass(frozen=True)
class Match:
    person_id: int
    job_id: int
    rank: int
    score: float
    reasons: list[str] = field(default_factory=list)


def seekers(people, on: date | None = None):
    """Laborers of `people` who want work (see the module docstring)."""
    return people.laborers(on).filter(~Q(employment_status__in=vocab.EMPLOYED) | ~Q(job_wish=""))


def settings_for(area_code: str, on: date, top: int | None = None) -> engine.Settings:
    """The engine settings in force for an area on a day: a MatchingRule, else the engine's defaults."""
    rule = MatchingRule.objects.in_force(area_code, on)
    if rule is None:
        defaults = engine.Settings()
        return engine.Settings(top=top or defaults.top)
    weights = engine.Weights(
        occupation=rule.occupation,
        wage=rule.wage,
        distance=rule.distance,
        board=rule.board,
        skills=rule.skills,
        past=rule.past,
        low_skill=rule.low_skill,
    )
    return engine.Settings(
        weights=weights, top=top or rule.top, cap_multiple=rule.cap_multiple, cap_min=rule.cap_min
    )


# --- loading ---------------------------------------------------------------------------------------------


def occupation_names() -> dict[int, str]:
    """Occupation key → name for every node of the classification (for reasons)."""
    return {
        engine.occupation_key(code): name for code, name in Occupation.objects.values_list("code", "name")
    }


LABORER_FIELDS = (
    "id",
    "id_number",
    "birth_date",
    "sex",
    "labor_skill",
    "health",
    "education",
    "desired_region",
    "area_id",
    "job_wish",
    "expected_wage",
    "skills",
)


def load_laborers(people) -> tuple[engine.Laborers, list[str]]:
    """Engine arrays for a queryset of people, and their ID numbers in the same order."""
    rows = list(people.order_by("id").values_list(*LABORER_FIELDS))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(LABORER_FIELDS)
    data = dict(zip(LABORER_FIELDS, columns, strict=True))
    ids = np.asarray(data["id"], dtype=np.int64)
    wish_occ, wish_text, wish_texts = engine.encode_wishes(data["job_wish"])
    skill_text, skill_texts = encode_texts(data["skills"])
    past = _past_occupations(people, ids)
    laborers = engine.Laborers(
        ids=ids,
        birth=np.asarray([engine.date_int(d) for d in data["birth_date"]], dtype=np.int32),
        sex=np.asarray([engine.sex_code(v) for v in data["sex"]], dtype=np.int8),
        ability=np.asarray(
            [engine.ability_of(s, h) for s, h in zip(data["labor_skill"], data["health"], strict=True)],
            dtype=np.int8,
        ),
        low_skill=np.asarray([v not in engine.SKILLED for v in data["labor_skill"]], dtype=bool),
        education=np.asarray([engine.education_rank(v) for v in data["education"]], dtype=np.int8),
        region=np.asarray([engine.region_code(v) for v in data["desired_region"]], dtype=np.int8),
        county=np.asarray([engine.county_of(v) for v in data["area_id"]], dtype=np.int32),
        wish_occ=wish_occ,
        wish_text=wish_text,
        skill_text=skill_text,
        past_occ=engine.stack(past.get(int(i), ()) for i in ids),
        expected_wage=np.asarray([v or 0 for v in data["expected_wage"]], dtype=np.int32),
        wish_texts=wish_texts,
        skill_texts=skill_texts,
    )
    return laborers, list(data["id_number"])


def _past_occupations(people, ids: np.ndarray) -> dict[int, list[int]]:
    """The occupations of each person's two latest jobs with a known occupation."""
    if not len(ids):
        return {}
    records = (
        EmploymentRecord.objects.filter(person__in=people.values("id"), job__occupation__isnull=False)
        .order_by("person_id", "-started_on", "-id")
        .values_list("person_id", "job__occupation_id")
    )
    past: dict[int, list[int]] = {}
    for person_id, code in records.iterator(chunk_size=5000):
        mine = past.setdefault(person_id, [])
        if len(mine) < 2:
            mine.append(engine.occupation_key(code))
    return past


JOB_FIELDS = (
    "id",
    "number",
    "employer__credit_code",
    "title",
    "occupation_id",
    "occupation__name",
    "skills_required",
    "openings_left",
    "area_id",
    "age_min",
    "age_max",
    "sex_required",
    "education_min",
    "board_and_lodging",
    "suits_low_skill",
    "wage_min",
    "wage_max",
    "deadline",
    "status",
)


def load_jobs(jobs) -> tuple[engine.Jobs, list[tuple[str, str]]]:
    """Engine arrays for a queryset of jobs, and each job's (岗位编号, 统一社会信用代码)."""
    rows = list(jobs.order_by("id").values_list(*JOB_FIELDS))
    columns = list(zip(*rows, strict=True)) if rows else [()] * len(JOB_FIELDS)
    d = dict(zip(JOB_FIELDS, columns, strict=True))
    titles = [f"{t} {o or ''}" for t, o in zip(d["title"], d["occupation__name"], strict=True)]
    title_text, title_texts = encode_texts(titles)
    requirements = [f"{r} {t}" for r, t in zip(d["skills_required"], d["title"], strict=True)]
    req_text, req_texts = encode_texts(requirements)
    board = {True: 1, False: 0, None: -1}
    arrays = engine.Jobs(
        ids=np.asarray(d["id"], dtype=np.int64),
        occ=np.asarray([engine.occupation_key(c) for c in d["occupation_id"]], dtype=np.int32),
        title_text=title_text,
        req_text=req_text,
        has_req=np.asarray([bool(r.strip()) for r in d["skills_required"]], dtype=bool),
        openings_left=np.asarray(d["openings_left"], dtype=np.int32),
        county=np.asarray([engine.county_of(a) for a in d["area_id"]], dtype=np.int32),
        age_min=np.asarray([v or 0 for v in d["age_min"]], dtype=np.int16),
        age_max=np.asarray([engine.NO_AGE_MAX if v is None else v for v in d["age_max"]], dtype=np.int16),
        sex=np.asarray([engine.sex_code(v) for v in d["sex_required"]], dtype=np.int8),
        education_min=np.asarray([engine.education_rank(v) for v in d["education_min"]], dtype=np.int8),
        board=np.asarray([board[v] for v in d["board_and_lodging"]], dtype=np.int8),
        low_skill=np.asarray(d["suits_low_skill"], dtype=bool),
        wage_min=np.asarray([v or 0 for v in d["wage_min"]], dtype=np.int32),
        wage_max=np.asarray([v or 0 for v in d["wage_max"]], dtype=np.int32),
        deadline=np.asarray([engine.date_int(v) for v in d["deadline"]], dtype=np.int32),
        is_open=np.asarray([s == Job.Status.OPEN for s in d["status"]], dtype=bool),
        title_texts=title_texts,
        req_texts=req_texts,
    )
    return arrays, list(zip(d["number"], d["employer__credit_code"], strict=True))


def _today(on: date | None) -> date:
    return on or timezone.localdate()


def _matches(matcher: engine.Matcher, result: engine.Result, names) -> list[Match]:
    reasons = matcher.reasons(result.laborer, result.job, names)
    return [
        Match(
            person_id=int(matcher.L.ids[i]),
            job_id=int(matcher.J.ids[j]),
            rank=int(r),
            score=round(float(s), 1),
            reasons=why,
        )
        for i, j, r, s, why in zip(
            result.laborer, result.job, result.rank, result.score, reasons, strict=True
        )
    ]


# --- the three entry points ------------------------------------------------------------------------------


def match_for_person(person: Person, top: int = 10, on: date | None = None) -> list[Match]:
    """The best open jobs anywhere for one person (exact; no capacity cap). Empty when the person is not a
    laborer who can work (丧失劳动力, outside the working-age band, deceased)."""
    on = _today(on)
    people = Person.objects.filter(pk=person.pk).laborers(on)
    laborers, _ = load_laborers(people)
    if not len(laborers):
        return []
    jobs, _ = load_jobs(Job.objects.open_on(on))
    matcher = engine.Matcher(laborers, jobs, on, settings_for(person.area_id, on, top))
    return _matches(matcher, matcher.for_laborer(0, top=top), occupation_names())


def match_for_job(job: Job, top: int = 50, within: Area | None = None, on: date | None = None) -> list[Match]:
    """The best laborers who want work in `within`'s subtree (the job's own county when None) for a job
    (exact; no capacity cap). Empty when the job is closed, full or past its deadline."""
    on = _today(on)
    if within is None:
        within = Area.objects.get(code=job.area_id[:6].ljust(12, "0"))
    jobs, _ = load_jobs(Job.objects.filter(pk=job.pk))
    laborers, _ = load_laborers(seekers(Person.objects.for_area(within), on))
    if not len(laborers):
        return []
    matcher = engine.Matcher(laborers, jobs, on, settings_for(within.code, on, top))
    return _matches(matcher, matcher.for_job(0, top=top), occupation_names())


@dataclass
class AreaRun:
    """An area run's result with what a file needs: ID numbers, job numbers and credit codes."""

    matcher: engine.Matcher
    result: engine.Result
    id_numbers: list[str]
    job_keys: list[tuple[str, str]]
    names: dict[int, str]

    def matches(self, batch: int = 5000) -> Iterator[Match]:
        for start in range(0, len(self.result), batch):
            part = engine.Result(
                *(getattr(self.result, k)[start : start + batch] for k in ("laborer", "job", "rank", "score"))
            )
            yield from _matches(self.matcher, part, self.names)

    def rows(self, batch: int = 5000) -> Iterator[tuple]:
        """EXCHANGE.md §4 rows: 证件号码, 岗位编号, 统一社会信用代码, 排名, 得分, 理由."""
        r = self.result
        for start in range(0, len(r), batch):
            lab, job = r.laborer[start : start + batch], r.job[start : start + batch]
            reasons = self.matcher.reasons(lab, job, self.names)
            for i, j, rank, score, why in zip(
                lab, job, r.rank[start : start + batch], r.score[start : start + batch], reasons, strict=True
            ):
                number, credit_code = self.job_keys[j]
                yield (
                    self.id_numbers[i],
                    number,
                    credit_code,
                    int(rank),
                    round(float(score), 1),
                    REASON_SEPARATOR.join(why),
                )


def run_area(area: Area, top: int = 10, on: date | None = None) -> AreaRun:
    on = _today(on)
    laborers, id_numbers = load_laborers(seekers(Person.objects.for_area(area), on))
    jobs, job_keys = load_jobs(Job.objects.open_on(on))
    matcher = engine.Matcher(laborers, jobs, on, settings_for(area.code, on, top))
    result = matcher.run() if len(laborers) and len(jobs) else engine.Result(*(np.zeros(0, np.int32),) * 4)
    return AreaRun(matcher, result, id_numbers, job_keys, occupation_names())


def match_area(area: Area, top: int = 10, on: date | None = None) -> Iterator[Match]:
    """Every laborer of the area who wants work, top `top` each, capacity-aware (docs/matching.md)."""
    yield from run_area(area, top, on).matches()
