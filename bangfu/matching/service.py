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

import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pyarrow as pa
import pyarrow.compute
from django.db.models import Q
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.core.extract import arrow_table
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


# (field, DuckDB type): what is read of each laborer, in one scan (`core.extract`).
LABORER_COLUMNS = (
    ("id", "BIGINT"),
    ("id_number", "VARCHAR"),
    ("birth_date", "DATE"),
    ("sex", "VARCHAR"),
    ("labor_skill", "VARCHAR"),
    ("health", "VARCHAR"),
    ("education", "VARCHAR"),
    ("desired_region", "VARCHAR"),
    ("area_id", "VARCHAR"),
    ("job_wish", "VARCHAR"),
    ("expected_wage", "INTEGER"),
    ("skills", "VARCHAR"),
)


def _read(queryset, columns) -> dict[str, pa.Array]:
    """The queryset's rows as one Arrow array per column (`core.extract`: no Python object per value)."""
    fields = [name for name, _ in columns]
    table = arrow_table(queryset.values_list(*fields), _typed(columns))
    return {name: table.column(k).combine_chunks() for k, name in enumerate(fields)}


def _typed(columns):
    """DuckDB column names for (ORM path, type) pairs: an ORM path such as employer__credit_code is
    not a column name."""
    return [(f"c{k}", kind) for k, (_, kind) in enumerate(columns)]


def _each(array: pa.Array, encode, dtype) -> np.ndarray:
    """`encode` applied to each distinct value of an Arrow column only (villages, dates, vocabulary
    words: thousands of values among a million rows), spread back to the rows."""
    coded = array.dictionary_encode()
    distinct = coded.dictionary.to_pylist()
    values = np.asarray([encode(v) for v in distinct], dtype=dtype)
    if coded.indices.null_count:  # nulls have no dictionary entry: one of their own
        values = np.append(values, np.asarray([encode(None)], dtype=dtype))
    indices = coded.indices.fill_null(len(distinct)).to_numpy(zero_copy_only=False)
    return values[indices.astype(np.int64)]


def _texts(array: pa.Array, encode):
    """A text column through an encoder of distinct texts (`encode_texts`, `engine.encode_wishes`), each
    distinct text once; returns the encoder's per-row outputs and its distinct texts."""
    coded = array.fill_null("").dictionary_encode()
    *per_text, distinct = encode(coded.dictionary.to_pylist())
    indices = coded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return [np.asarray(values)[indices] for values in per_text], distinct


def load_laborers(people) -> tuple[engine.Laborers, pa.Array]:
    """Engine arrays for a queryset of people, and their ID numbers (an Arrow array) in the same order."""
    data = _read(people.order_by("id"), LABORER_COLUMNS)
    ids = data["id"].to_numpy(zero_copy_only=False).astype(np.int64)
    (wish_occ, wish_text), wish_texts = _texts(data["job_wish"], engine.encode_wishes)
    (skill_text,), skill_texts = _texts(data["skills"], encode_texts)
    skill, health = data["labor_skill"].fill_null(""), data["health"].fill_null("")
    pairs = pa.compute.binary_join_element_wise(skill, health, "\t")
    laborers = engine.Laborers(
        ids=ids,
        birth=_each(data["birth_date"], engine.date_int, np.int32),
        sex=_each(data["sex"], engine.sex_code, np.int8),
        ability=_each(pairs, lambda v: engine.ability_of(*v.split("\t")), np.int8),
        low_skill=_each(skill, lambda v: v not in engine.SKILLED, bool),
        education=_each(data["education"], engine.education_rank, np.int8),
        region=_each(data["desired_region"], engine.region_code, np.int8),
        county=_each(data["area_id"], lambda v: engine.county_of(v) if v else 0, np.int32),
        wish_occ=wish_occ.astype(np.int32).reshape(len(ids), -1),
        wish_text=wish_text.astype(np.int32),
        skill_text=skill_text.astype(np.int32),
        past_occ=_past_occupations(people, ids),
        expected_wage=data["expected_wage"].fill_null(0).to_numpy(zero_copy_only=False).astype(np.int32),
        wish_texts=wish_texts,
        skill_texts=skill_texts,
    )
    return laborers, data["id_number"]


def _past_occupations(people, ids: np.ndarray) -> np.ndarray:
    """The occupation keys of each person's two latest jobs with a known occupation, (n, 2), -1 padded."""
    past = np.full((len(ids), 2), -1, dtype=np.int32)
    if not len(ids):
        return past
    records = EmploymentRecord.objects.filter(
        person__in=people.values("id"), job__occupation__isnull=False
    ).order_by("person_id", "-started_on", "-id")
    data = _read(records, (("person_id", "BIGINT"), ("job__occupation_id", "VARCHAR")))
    person = data["person_id"].to_numpy(zero_copy_only=False).astype(np.int64)
    if not len(person):
        return past
    occupation = _each(data["job__occupation_id"], engine.occupation_key, np.int32)
    first = np.searchsorted(person, person, side="left")  # rows are sorted by person: latest first
    nth = np.arange(len(person)) - first
    row = np.searchsorted(ids, person)
    keep = (nth < 2) & (row < len(ids))
    keep[keep] &= ids[row[keep]] == person[keep]
    past[row[keep], nth[keep]] = occupation[keep]
    return past


JOB_COLUMNS = (
    ("id", "BIGINT"),
    ("number", "VARCHAR"),
    ("employer__credit_code", "VARCHAR"),
    ("title", "VARCHAR"),
    ("occupation_id", "VARCHAR"),
    ("occupation__name", "VARCHAR"),
    ("skills_required", "VARCHAR"),
    ("openings_left", "INTEGER"),
    ("area_id", "VARCHAR"),
    ("age_min", "INTEGER"),
    ("age_max", "INTEGER"),
    ("sex_required", "VARCHAR"),
    ("education_min", "VARCHAR"),
    ("board_and_lodging", "BOOLEAN"),
    ("suits_low_skill", "BOOLEAN"),
    ("wage_min", "INTEGER"),
    ("wage_max", "INTEGER"),
    ("deadline", "DATE"),
    ("status", "VARCHAR"),
)


def load_jobs(jobs) -> tuple[engine.Jobs, tuple[pa.Array, pa.Array]]:
    """Engine arrays for a queryset of jobs, and their 岗位编号 and 统一社会信用代码 (Arrow arrays)."""
    d = _read(jobs.order_by("id"), JOB_COLUMNS)
    title, skills = d["title"].fill_null(""), d["skills_required"].fill_null("")
    join = pa.compute.binary_join_element_wise
    (title_text,), title_texts = _texts(join(title, d["occupation__name"].fill_null(""), " "), encode_texts)
    (req_text,), req_texts = _texts(join(skills, title, " "), encode_texts)

    def numbers(name, none):
        return d[name].fill_null(none).to_numpy(zero_copy_only=False)

    arrays = engine.Jobs(
        ids=numbers("id", 0).astype(np.int64),
        occ=_each(d["occupation_id"], engine.occupation_key, np.int32),
        title_text=title_text.astype(np.int32),
        req_text=req_text.astype(np.int32),
        has_req=_each(skills, lambda v: bool(v.strip()), bool),
        openings_left=numbers("openings_left", 0).astype(np.int32),
        county=_each(d["area_id"], engine.county_of, np.int32),
        age_min=numbers("age_min", 0).astype(np.int16),
        age_max=numbers("age_max", engine.NO_AGE_MAX).astype(np.int16),
        sex=_each(d["sex_required"], engine.sex_code, np.int8),
        education_min=_each(d["education_min"], engine.education_rank, np.int8),
        board=_each(d["board_and_lodging"], {True: 1, False: 0, None: -1}.get, np.int8),
        low_skill=numbers("suits_low_skill", False).astype(bool),
        wage_min=numbers("wage_min", 0).astype(np.int32),
        wage_max=numbers("wage_max", 0).astype(np.int32),
        deadline=_each(d["deadline"], engine.date_int, np.int32),
        is_open=_each(d["status"], lambda v: v == Job.Status.OPEN, bool),
        title_texts=title_texts,
        req_texts=req_texts,
    )
    return arrays, (d["number"], d["employer__credit_code"])


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
    """An area run's result with what a file needs: ID numbers, job numbers and credit codes (Arrow
    arrays, in the engine's order), and how long each step took (`timings`, seconds)."""

    matcher: engine.Matcher
    result: engine.Result
    id_numbers: pa.Array
    job_keys: tuple[pa.Array, pa.Array]
    names: dict[int, str]
    timings: dict[str, float] = field(default_factory=dict)

    def matches(self, batch: int = 5000) -> Iterator[Match]:
        for start in range(0, len(self.result), batch):
            part = engine.Result(
                *(getattr(self.result, k)[start : start + batch] for k in ("laborer", "job", "rank", "score"))
            )
            yield from _matches(self.matcher, part, self.names)

    def frames(self, batch: int = 500_000):
        """EXCHANGE.md §4 columns, `batch` pairs a frame (polars): 证件号码, 岗位编号, 统一社会信用代码, 排名,
        得分, 理由 (reasons joined by ；). Columnar: the reasons come as indexes into their distinct texts
        (`Matcher.reason_codes`) and are joined by polars, so a province's pairs take seconds, not the
        minutes of a Python string per pair."""
        import polars as pl

        r = self.result
        number, credit_code = self.job_keys
        for start in range(0, max(len(r), 1), batch):
            lab, job = r.laborer[start : start + batch], r.job[start : start + batch]
            codes, texts = self.matcher.reason_codes(lab, job, self.names)
            table = pl.Series([*texts, None], dtype=pl.String)
            slots = pl.DataFrame(
                [table.gather(np.where(c < 0, len(texts), c)).alias(f"{k}") for k, c in enumerate(codes.T)]
            )
            reasons = slots.select(
                pl.concat_str(pl.all(), separator=REASON_SEPARATOR, ignore_nulls=True)
            ).to_series()
            yield pl.DataFrame(
                {
                    "证件号码": pl.from_arrow(self.id_numbers.take(lab)),
                    "岗位编号": pl.from_arrow(number.take(job)),
                    "统一社会信用代码": pl.from_arrow(credit_code.take(job)),
                    "排名": pl.Series(r.rank[start : start + batch], dtype=pl.Int64),
                    "得分": pl.Series(r.score[start : start + batch], dtype=pl.Float64).round(1),
                    "理由": reasons,
                }
            )

    def rows(self) -> Iterator[tuple]:
        """The same as tuples (a spreadsheet writer's rows)."""
        for frame in self.frames():
            yield from frame.iter_rows()


def run_area(area: Area, top: int = 10, on: date | None = None) -> AreaRun:
    on = _today(on)
    timings = {}
    started = time.perf_counter()
    laborers, id_numbers = load_laborers(seekers(Person.objects.for_area(area), on))
    timings["load_laborers"] = time.perf_counter() - started
    started = time.perf_counter()
    jobs, job_keys = load_jobs(Job.objects.open_on(on))
    timings["load_jobs"] = time.perf_counter() - started
    started = time.perf_counter()
    matcher = engine.Matcher(laborers, jobs, on, settings_for(area.code, on, top))
    result = matcher.run() if len(laborers) and len(jobs) else engine.Result(*(np.zeros(0, np.int32),) * 4)
    timings["match"] = time.perf_counter() - started
    return AreaRun(matcher, result, id_numbers, job_keys, occupation_names(), timings)


def match_area(area: Area, top: int = 10, on: date | None = None) -> Iterator[Match]:
    """Every laborer of the area who wants work, top `top` each, capacity-aware (docs/matching.md)."""
    yield from run_area(area, top, on).matches()
