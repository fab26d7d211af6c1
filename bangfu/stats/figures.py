"""The figures of EXCHANGE §8 (统计), each defined once: the 工作台, the statistics pages, `bangfu stats`,
the API, the 三线 table, targets and dispatch all read them from here, so no two places count differently.

As of a day D (people are living registry members; laborers as the registry defines them, §7):

- 人数: people alive on D.
- 劳动力人数: laborers on D — labor ability 技能劳动力, 普通劳动力 or 弱劳动力或半劳动力, within the
  劳动年龄段 rule in force for their village (`registry.models.working_age`), alive.
- 务工人数 and 县内 / 省内县外 / 省外务工人数: laborers with a record in force on D (started on or before D,
  not ended before it: `employment/status.py`), by 务工状态 — the 务工地域 of the latest started record in
  force that knows its place. 务工人数 also counts those whose records in force all lack a place.
- 年内务工人数: laborers with a record in force on any day from 1 January of D's year to D.
- 有组织输出人数: laborers with a record in force on D through channel 有组织输出.
- 公益性岗位在岗人数: people holding a public-welfare post on D (`welfare_post_holders`: a spell on a
  post of bangfu/posts in force on D).
- 未务工劳动力人数: laborers with no record in force on D; 有就业意愿未务工人数: of those, 就业意愿 是.
- 零就业户数: households with a laborer and no living member with a record in force on D (§7, as the
  warning engine's 零就业家庭).

**A past day answers as it was then.** Records carry their own dates. What the registry says of a person
has no date of its own, so for a day before today the labor ability, 就业意愿 and death are read as they
stood at the end of that day: the current value, unless the field history (`registry.Change`) shows a
change after it, in which case the value before the first such change (and a 死亡日期 after D keeps a
person alive on D). What history cannot give back — a person deleted, a record back-dated after the fact —
is kept by the nightly capture of every village's figures (`stats.models.DailyFigures`): a day that was
captured answers from it. See docs/architecture.md, "Figures".

Counting is set-based: one statement per subtree groups the people by household (for 零就业户) and then
by village, with their records aggregated per person in the same statement; villages are summed into any
area by code prefix in Python (a province has some 30,000 villages).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Case, Count, Exists, IntegerField, OuterRef, Q, Sum, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear
from django.utils import timezone

from bangfu.areas.models import Area, normalize_code
from bangfu.areas.scope import LEVEL_DIGITS
from bangfu.employment.models import Channel, EmploymentRecord
from bangfu.employment.status import STATUS_OF_PLACE, derived_ctes
from bangfu.registry import vocab
from bangfu.registry.models import Change, Household, LaborAgeRule, Person, working_age
from bangfu.tracking.due import in_force_on


@dataclass(frozen=True)
class Figure:
    key: str
    name: str
    unit: str  # 人, 户 or % (a rate)
    # A rate: (numerator key, denominator key), both counted figures; the rate is numerator ÷ denominator in
    # percent with one decimal, 0.0 where the denominator is 0. Rates are never kept or summed, only derived.
    ratio: tuple[str, str] | None = None


FIGURES: tuple[Figure, ...] = (
    Figure("people", "人数", "人"),
    Figure("laborers", "劳动力人数", "人"),
    Figure("working", "务工人数", "人"),
    Figure("working_county", "县内务工人数", "人"),
    Figure("working_province", "省内县外务工人数", "人"),
    Figure("working_outside", "省外务工人数", "人"),
    Figure("working_in_year", "年内务工人数", "人"),
    Figure("organised", "有组织输出人数", "人"),
    Figure("welfare_post", "公益性岗位在岗人数", "人"),
    Figure("not_working", "未务工劳动力人数", "人"),
    Figure("willing_not_working", "有就业意愿未务工人数", "人"),
    Figure("zero_employment_households", "零就业户数", "户"),
    # Skills training (bangfu/training) in the year up to D; see `trained` and the functions after it.
    Figure("trained", "培训人数", "人"),
    Figure("training_need", "有培训需求人数", "人"),
    Figure("training_need_met", "应训已训人数", "人"),
    Figure("training_rate", "应训尽训率", "%", ratio=("training_need_met", "training_need")),
    Figure("trained_employed", "培训后就业人数", "人"),
    Figure("trained_employed_rate", "培训后就业率", "%", ratio=("trained_employed", "trained")),
    # Entrepreneurship (bangfu/ventures) in the year up to D: `entrepreneurs`, `jobs_created`.
    Figure("entrepreneurs", "创业人数", "人"),
    Figure("jobs_created", "带动就业人数", "人"),
)
KEYS = tuple(f.key for f in FIGURES)
# The figures counted per village (kept by stats.store, summed into any area); rates are derived from them.
COUNTED = tuple(f.key for f in FIGURES if f.ratio is None)
RATES = tuple(f for f in FIGURES if f.ratio is not None)
# The figures the registry statement of `compute` counts; the program figures are counted after it.
REGISTRY_KEYS = COUNTED[: COUNTED.index("zero_employment_households") + 1]
_BY_KEY = {f.key: f for f in FIGURES} | {f.name: f for f in FIGURES}

# 务工地域 of a record (EmploymentRecord.place) → the figure of laborers in work there.
PLACE_FIGURES = {"县内": "working_county", "省内县外": "working_province", "省外": "working_outside"}


def figure(key_or_name: str) -> Figure:
    """The figure with this key (`working_outside`) or §8 name (省外务工人数); KeyError otherwise."""
    return _BY_KEY[key_or_name]


def zeros() -> dict[str, int]:
    return dict.fromkeys(COUNTED, 0)


def with_rates(values: dict[str, int]) -> dict:
    """`values` (counted figures) with every rate derived from them."""
    for f in RATES:
        numerator, denominator = f.ratio
        below = values[denominator]
        values[f.key] = round(values[numerator] * 100 / below, 1) if below else 0.0
    return values


# --- who counts --------------------------------------------------------------------------------------------


def welfare_post_holders(on: dt.date):
    """Person ids holding a public-welfare post on `on` (公益性岗位在岗人数): a holder's spell on a post
    (bangfu/posts) started on or before `on` and not ended before it. The one definition; the posts pages
    and figures read it from here."""
    from bangfu.posts.models import Spell, held_in

    return Spell.objects.filter(held_in(on, on)).values("person_id").order_by()


def end_of(on: dt.date) -> dt.datetime:
    """The first instant after day `on`, local time: history written from then on came later."""
    return timezone.make_aware(dt.datetime.combine(on + dt.timedelta(days=1), dt.time.min))


# Registry fields a past day reads from the field history, by the label `Change.field` holds.
HISTORY_FIELDS = {
    str(Person._meta.get_field(name).verbose_name): name
    for name in ("labor_skill", "wants_work", "is_deceased")
}
_YES_NO = {"是": True, "否": False, "": None}


@dataclass(frozen=True)
class Then:
    """People whose labor ability, 就业意愿 or death changed after day D, and what they were on D: ids of
    those who were alive, laborers and willing then. Empty for today."""

    changed: frozenset[int] = frozenset()
    alive: frozenset[int] = frozenset()
    laborers: frozenset[int] = frozenset()
    willing: frozenset[int] = frozenset()

    def correct(self, now: Q, then: frozenset[int], prefix: str = "") -> Q:
        """Condition `now` for people unchanged since D, membership of `then` for the changed ones."""
        if not self.changed:
            return now
        return (now & ~Q(**{f"{prefix}pk__in": sorted(self.changed)})) | Q(
            **{f"{prefix}pk__in": sorted(then)}
        )


def then(people, on: dt.date) -> Then:
    """What the people of queryset `people` were on `on`, for those whose history changed after it."""
    if on >= timezone.localdate():
        return Then()
    rows = (
        Change.objects.filter(
            at__gte=end_of(on), field__in=list(HISTORY_FIELDS), person__in=people.values("pk")
        )
        .order_by("person_id", "field", "at", "id")
        .values_list("person_id", "field", "before")
    )
    first: dict[int, dict[str, str]] = {}
    for person_id, label, before in rows:
        first.setdefault(person_id, {}).setdefault(HISTORY_FIELDS[label], before)
    if not first:
        return Then()
    alive, laborers, willing = set(), set(), set()
    book = LaborAgeRule.objects.book(on)
    for person in Person.objects.filter(pk__in=list(first)).only(
        "id", "area_id", "birth_date", "labor_skill", "wants_work", "is_deceased", "died_on"
    ):
        for name, before in first[person.pk].items():
            setattr(person, name, _YES_NO.get(before, before) if name != "labor_skill" else before)
        if not _dead_on(person, on):
            alive.add(person.pk)
            rule = book.for_code(person.area_id)
            if (
                person.labor_skill in vocab.LABOR_ABLE
                and rule
                and rule.min_age <= person.age_on(on) <= rule.max_age
            ):
                laborers.add(person.pk)
                if person.wants_work:
                    willing.add(person.pk)
    return Then(frozenset(first), frozenset(alive), frozenset(laborers), frozenset(willing))


def _dead_on(person: Person, on: dt.date) -> bool:
    return person.is_deceased and (person.died_on is None or person.died_on <= on)


def alive_q(on: dt.date, prefix: str = "") -> Q:
    """Alive on `on` as the registry stands: not marked deceased, or dead only after `on`."""
    return Q(**{f"{prefix}is_deceased": False}) | Q(**{f"{prefix}died_on__gt": on})


def laborer_q(on: dt.date) -> Q:
    return Q(labor_skill__in=vocab.LABOR_ABLE) & alive_q(on) & working_age(on)


def _flag(condition: Q):
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def people_on(people, on: dt.date, history: Then | None = None):
    """`people` annotated with `_alive`, `_laborer` and `_willing` (a laborer with 就业意愿 是), 1 or 0, as
    they were on `on`."""
    history = then(people, on) if history is None else history
    return people.annotate(
        _alive=_flag(history.correct(alive_q(on), history.alive)),
        _laborer=_flag(history.correct(laborer_q(on), history.laborers)),
        _willing=_flag(history.correct(laborer_q(on) & Q(wants_work=True), history.willing)),
    )


def laborers(area: Area, on: dt.date):
    """The laborers of `area` on `on` as a queryset of people (the list behind 劳动力人数)."""
    people = Person.objects.for_area(area)
    history = then(people, on)
    return people.filter(history.correct(laborer_q(on), history.laborers))


def zero_employment_households(area: Area, on: dt.date):
    """The 零就业户 of `area` on `on` as a queryset of households: a laborer, and no living member with a
    record in force (EXCHANGE §7, as the warning engine's 零就业家庭)."""
    people = Person.objects.for_area(area)
    history = then(people, on)
    members = Person.objects.filter(household=OuterRef("pk"))
    working = EmploymentRecord.objects.filter(
        in_force_on(on), history.correct(alive_q(on, "person__"), history.alive, "person__"),
        person__household=OuterRef("pk"),
    )  # fmt: skip
    return Household.objects.for_area(area).filter(
        Exists(members.filter(history.correct(laborer_q(on), history.laborers))), ~Exists(working)
    )


# --- skills training (bangfu/training) --------------------------------------------------------------------
# Each figure is the set of people it counts, in the year of D up to D: 1 January to D.


def year_start(on: dt.date) -> dt.date:
    return dt.date(on.year, 1, 1)


def trained(on: dt.date):
    """Person ids with a course completed (结业) from 1 January of `on`'s year to `on` (培训人数)."""
    from bangfu.training.models import Enrolment, completed_between

    return Enrolment.objects.filter(completed_between(year_start(on), on)).values("person_id").order_by()


def training_need(on: dt.date):
    """Person ids with a training need in force on `on` (有培训需求人数: recorded on or before it, not
    dropped by then), the denominator of 应训尽训率."""
    from bangfu.training.models import Need, need_in_force

    return Need.objects.filter(need_in_force(on)).values("person_id").order_by()


def training_need_met(on: dt.date):
    """Of `training_need`, those `trained` this year (应训已训人数); the rest are the 应训尽训 list
    (training/needs.py)."""
    from bangfu.training.models import Need, need_in_force

    return Need.objects.filter(need_in_force(on), person_id__in=trained(on)).values("person_id").order_by()


def trained_employed(on: dt.date):
    """Of `trained`, those with an employment record in force on some day from a completion this year to
    the 培训后就业认定 months after it (the rule in force on `on` for the trainee's village), not after `on`
    (培训后就业人数). Without a rule version nobody counts."""
    from bangfu.training.models import Enrolment, OutcomeRule, completed_between

    book = OutcomeRule.objects.book(on)
    completed = Enrolment.objects.filter(completed_between(year_start(on), on)).annotate(
        _month=ExtractYear("completed_on") * 12 + ExtractMonth("completed_on"),
        _day=ExtractDay("completed_on"),
    )

    def within(rule) -> Q:
        # started on or before the day `months` calendar months after completion (a month's last day when
        # that month is shorter): compared as (year × 12 + month, day), which needs no date arithmetic.
        records = (
            EmploymentRecord.objects.filter(person_id=OuterRef("person_id"), started_on__lte=on)
            .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=OuterRef("completed_on")))
            .annotate(
                _m=ExtractYear("started_on") * 12 + ExtractMonth("started_on"), _d=ExtractDay("started_on")
            )
            .filter(
                Q(_m__lt=OuterRef("_month") + rule.months)
                | Q(_m=OuterRef("_month") + rule.months, _d__lte=OuterRef("_day"))
            )
        )
        return Exists(records)

    return completed.filter(book.partition("area_id", within)).values("person_id").order_by()


# --- entrepreneurship (bangfu/ventures) -------------------------------------------------------------------


def ventures_started(on: dt.date):
    """Ventures started from 1 January of `on`'s year to `on`."""
    from bangfu.ventures.models import Venture

    return Venture.objects.filter(started_on__gte=year_start(on), started_on__lte=on)


def entrepreneurs(on: dt.date):
    """Person ids who started a venture this year up to `on` (创业人数)."""
    return ventures_started(on).values("person_id").order_by()


def jobs_created(people, on: dt.date):
    """带动就业人数: the jobs (as last reported) of the ventures started this year up to `on` by the people
    of queryset `people`, as (founder's village, sum) rows."""
    return (
        ventures_started(on)
        .filter(person__in=people)
        .values("person__area_id")
        .annotate(n=Sum("jobs"))
        .values_list("person__area_id", "n")
        .order_by()
    )


# Program figures: key → the person ids it counts on a day, each counted once in the person's village.
PROGRAM_PEOPLE: dict[str, Callable[[dt.date], object]] = {
    "trained": trained,
    "training_need": training_need,
    "training_need_met": training_need_met,
    "trained_employed": trained_employed,
    "entrepreneurs": entrepreneurs,
}
# Program figures that sum a quantity: key → (people, day) → (village, sum) rows.
PROGRAM_SUMS = {"jobs_created": jobs_created}


def program_counts(people, on: dt.date) -> dict[str, dict[str, int]]:
    """{village: {program figure: count}} of the people of queryset `people` on `on`."""
    result: dict[str, dict[str, int]] = {}
    for key, ids in PROGRAM_PEOPLE.items():
        rows = people.filter(pk__in=ids(on)).values("area_id").annotate(n=Count("pk")).order_by()
        for code, n in rows.values_list("area_id", "n"):
            result.setdefault(code, {})[key] = n
    for key, sums in PROGRAM_SUMS.items():
        for code, n in sums(people, on):
            result.setdefault(code, {})[key] = int(n or 0)
    return result


# --- counting ---------------------------------------------------------------------------------------------


def organised(on: dt.date):
    """Person ids with a record in force on `on` through channel 有组织输出."""
    return (
        EmploymentRecord.objects.filter(in_force_on(on), channel=Channel.ORGANISED)
        .values("person_id")
        .order_by()
    )


def compute(
    on: dt.date, within: Area | None = None, villages: Iterable[str] | None = None
) -> dict[str, dict]:
    """{village code: {figure key: count}} as of `on` from the records and the registry (no kept figures),
    for the villages of `within` (everywhere when None) or just `villages`. Villages with nobody are absent.

    One statement: the people with their flags as of `on` (the ORM writes them: laborer, alive, willing),
    joined with the sets of post holders and of organised workers (each one grouped set, not a test per
    person: PostgreSQL tested `id IN (…)` by scanning a materialized list of 400,000 ids for every person
    when the list outgrew work_mem), their 务工状态 from `employment.status.derived_sql` and whether they
    worked a month this year (年内务工), grouped by household, then by village."""
    people = Person.objects.all()
    if within is not None and within.level > 0:
        people = people.for_area(within)
    if villages is not None:
        people = people.filter(area_id__in=sorted(villages))
    selected, params = (
        people_on(people, on)
        .values_list("id", "household_id", "area_id", "_alive", "_laborer", "_willing")
        .order_by()
        .query.sql_with_params()
    )
    welfare, welfare_params = welfare_post_holders(on).distinct().query.sql_with_params()
    organised_sql, organised_params = organised(on).distinct().query.sql_with_params()
    # A province reads every record once (PostgreSQL took 26 s to join four million chosen ids into the
    # records, reading them all 7; SQLite is a little faster too); a smaller area reads its people's
    # records by the person index. SQLite is told to keep the people first and read them in table order
    # (left in place it walked four million rows in household order, one random read each); PostgreSQL
    # plans the people inline best.
    province = villages is None and (within is None or within.level <= 1)
    ctes, derived_params, status_sql = derived_ctes(
        on, None if province else "SELECT id FROM p", count_months=False
    )
    kept = "MATERIALIZED " if connection.vendor == "sqlite" else ""
    first, first_params = f"p AS {kept}({selected}), {ctes}", [*params, *derived_params]
    places = {key: STATUS_OF_PLACE[place] for place, key in PLACE_FIGURES.items()}
    sql = f"""
        WITH {first},
        welfare AS ({welfare}),
        organised AS ({organised_sql}),
        x AS (
            SELECT p.household_id, p.area_id, p._alive AS alive, p._laborer AS lab, p._willing AS willing,
                CASE WHEN w.person_id IS NULL THEN 0 ELSE 1 END AS welfare,
                CASE WHEN o.person_id IS NULL THEN 0 ELSE 1 END AS organised,
                {status_sql} AS status,
                CASE WHEN cur.person_id IS NULL THEN 0 ELSE 1 END AS now,
                CASE WHEN worked.months > 0 THEN 1 ELSE 0 END AS in_year
            FROM p
            LEFT JOIN cur ON cur.person_id = p.id
            LEFT JOIN worked ON worked.person_id = p.id
            LEFT JOIN welfare w ON w.person_id = p.id
            LEFT JOIN organised o ON o.person_id = p.id
        ),
        h AS (
            SELECT MIN(area_id) AS area_id,
                SUM(alive) AS people,
                SUM(lab) AS laborers,
                SUM(lab * now) AS working,
                SUM(CASE WHEN lab = 1 AND status = %s THEN 1 ELSE 0 END) AS working_county,
                SUM(CASE WHEN lab = 1 AND status = %s THEN 1 ELSE 0 END) AS working_province,
                SUM(CASE WHEN lab = 1 AND status = %s THEN 1 ELSE 0 END) AS working_outside,
                SUM(lab * in_year) AS working_in_year,
                SUM(lab * now * organised) AS organised,
                SUM(alive * welfare) AS welfare_post,
                SUM(lab * (1 - now)) AS not_working,
                SUM(willing * (1 - now)) AS willing_not_working,
                CASE WHEN SUM(lab) > 0 AND SUM(alive * now) = 0 THEN 1 ELSE 0 END
                    AS zero_employment_households
            FROM x GROUP BY household_id
        )
        SELECT area_id, {", ".join(f"SUM({key})" for key in REGISTRY_KEYS)} FROM h GROUP BY area_id
    """
    args = [*first_params, *welfare_params, *organised_params, *places.values()]
    with connection.cursor() as cursor:
        cursor.execute(sql, args)
        counted = {
            row[0]: zeros() | dict(zip(REGISTRY_KEYS, map(int, row[1:]), strict=True))
            for row in cursor.fetchall()
        }
    for code, found in program_counts(people, on).items():
        counted.setdefault(code, zeros()).update(found)
    return counted


def roll_up(counts: dict[str, dict], areas: Iterable[Area]) -> dict[str, dict[str, int]]:
    """{area code: totals} of the village counts lying in each area's subtree."""
    result = {}
    by_prefix: dict[int, dict[str, dict[str, int]]] = {}
    for area in areas:
        digits = LEVEL_DIGITS[area.level]
        if digits not in by_prefix:
            sums: dict[str, dict[str, int]] = {}
            for village, values in counts.items():
                total = sums.setdefault(village[:digits], zeros())
                for key, n in values.items():
                    total[key] += n
            by_prefix[digits] = sums
        result[area.code] = dict(by_prefix[digits].get(area.code[:digits], zeros()))
    return result


# --- the public API ---------------------------------------------------------------------------------------


def _as_areas(areas: Iterable[Area | str]) -> list[Area]:
    areas = [normalize_code(a) if isinstance(a, str) else a for a in areas]
    codes = [a for a in areas if isinstance(a, str)]
    found = Area.objects.in_bulk(codes) if codes else {}
    missing = [c for c in codes if c not in found]
    if missing:
        raise Area.DoesNotExist(f"区划代码不存在：{'、'.join(missing)}")
    return [found[a] if isinstance(a, str) else a for a in areas]


def _covering(areas: list[Area]) -> list[Area]:
    """The fewest of `areas` whose subtrees hold them all."""
    kept: list[Area] = []
    for area in sorted(areas, key=lambda a: (a.level, a.code)):
        if not any(k.contains(area) for k in kept):
            kept.append(area)
    return kept


# Kept figures: stats.store registers a reader that answers {area code: totals} of the given areas (all
# inside `within`) on a day, or None when it keeps nothing for that day; computing is the fallback.
Reader = Callable[[dt.date, Area, list[Area]], dict[str, dict[str, int]] | None]
_readers: list[Reader] = []


def register_reader(reader: Reader) -> None:
    if reader not in _readers:
        _readers.append(reader)


def totals(on: dt.date, within: Area, areas: list[Area]) -> dict[str, dict[str, int]]:
    """{area code: totals} on `on` of `areas`, which lie inside `within`: from the kept figures when a
    reader has the day, else computed from the records for `within`'s subtree."""
    for reader in _readers:
        found = reader(on, within, areas)
        if found is not None:
            return {code: with_rates(values) for code, values in found.items()}
    counted = roll_up(compute(on, within if within.level > 0 else None), areas)
    return {code: with_rates(values) for code, values in counted.items()}


def values(areas: Iterable[Area | str], on: dt.date) -> dict[str, dict[str, int]]:
    """{area code: {figure key: count}}: each area's subtree totals of every figure as of `on`. Areas are
    `Area`s or codes (2 to 12 digits); the answer is keyed by the 12-digit code."""
    areas = _as_areas(areas)
    result: dict[str, dict[str, int]] = {}
    for cover in _covering(areas):
        result.update(totals(on, cover, [a for a in areas if cover.contains(a)]))
    return result


@dataclass
class Row:
    area: Area
    values: dict[str, int]

    def __getitem__(self, key: str) -> int:
        return self.values[key]


def children_of(area: Area) -> list[Area]:
    return list(Area.objects.filter(parent=area).current().order_by("code"))


def table(area: Area, on: dt.date) -> tuple[list[Row], Row]:
    """A row per direct sub-area of `area` (none for a village) and the 合计 row of `area` itself."""
    children = children_of(area)
    found = totals(on, area, [*children, area])
    return [Row(child, found[child.code]) for child in children], Row(area, found[area.code])


def month_ends(year: int, upto: dt.date) -> list[dt.date]:
    """The last day of each month of `year` up to `upto` (which ends the list when inside the year)."""
    days = []
    for month in range(1, 13):
        last = dt.date(year, month, calendar.monthrange(year, month)[1])
        if last >= upto:
            if upto.year == year:
                days.append(upto)
            break
        days.append(last)
    return days


def months(
    area: Area, year: int, upto: dt.date, *, compute_missing: bool = True
) -> list[tuple[dt.date, dict[str, int] | None]]:
    """The area's figures at the end of each month of `year` up to `upto` (the trend). With
    `compute_missing=False` a day that is not kept (stats/store.py) is None instead of computed."""
    found = []
    for day in month_ends(year, upto):
        if compute_missing:
            found.append((day, totals(day, area, [area])[area.code]))
            continue
        kept = None
        for reader in _readers:
            kept = reader(day, area, [area])
            if kept is not None:
                break
        found.append((day, with_rates(kept[area.code]) if kept is not None else None))
    return found


# --- 社保扶贫 rates ---------------------------------------------------------------------------------------
# Three rates of the poor (people of 脱贫户 and 监测户 households) as of D, each defined once here: the
# pension pages, `bangfu pension rates` and the lists behind them read them. Each is a count over a base:
#
# - 养老参保率: of the living aged at least the 养老保险代缴 rule's 最小年龄 (16) on D who are not students,
#   those enrolled in any pension scheme (参保状态 参保缴费, 暂停缴费 or 领取待遇, as data comparison keeps
#   it);
# - 医保参保率: of the living, those whose 医保参保状态 is 参保 for D's year;
# - 养老待遇发放率: of the living aged at least the 养老待遇领取 rule's 领取年龄 (60) on D, those drawing a
#   pension (领取待遇).
#
# The enrolment fields have no history of their own: a past day reads them as they stand (ages and deaths
# are as of D). Counting is one GROUP BY per subtree, by village; villages are summed by code prefix.


@dataclass(frozen=True)
class InsuranceRate:
    key: str
    name: str
    base_name: str  # who should be counted
    count_name: str  # who is
    missing_name: str  # the list behind the number: the base less the counted


INSURANCE_RATES: tuple[InsuranceRate, ...] = (
    InsuranceRate("pension_enrolment", "养老参保率", "应参保人数", "已参保人数", "未参加养老保险人员"),
    InsuranceRate("medical_enrolment", "医保参保率", "应参保人数", "已参保人数", "未参加医保人员"),
    InsuranceRate(
        "pension_payment", "养老待遇发放率", "应领取待遇人数", "已领取待遇人数", "到龄未领取待遇人员"
    ),
)
INSURANCE_RATE_KEYS = tuple(r.key for r in INSURANCE_RATES)
POOR_HOUSEHOLDS = ("脱贫户", "监测户")
ENROLLED_PENSION = ("参保缴费", "暂停缴费", "领取待遇")
DRAWING_PENSION = "领取待遇"


def insurance_rate(key: str) -> InsuranceRate:
    return next(r for r in INSURANCE_RATES if r.key == key)


def _insurance_conditions(on: dt.date, within: Area | None) -> dict[str, tuple[Q, Q]]:
    """{rate key: (base, counted)} as conditions on people; the age rules read once, by region."""
    from bangfu.pension.models import AgeingRule, PremiumRule

    premium = PremiumRule.objects.book(on, within=within)
    adult = premium.partition("area", lambda r: r.old_enough(on))
    ageing = AgeingRule.objects.book(on, within=within)
    aged = ageing.partition("area", lambda r: r.reached_by(on))
    living = alive_q(on)
    not_student = Q(student_status="") | Q(student_status="非在校生")
    return {
        "pension_enrolment": (living & adult & not_student, Q(pension_status__in=ENROLLED_PENSION)),
        "medical_enrolment": (living, Q(medical_status="参保", medical_insured_year=on.year)),
        "pension_payment": (living & aged, Q(pension_status=DRAWING_PENSION)),
    }


def insurance_people(area: Area, on: dt.date):
    """The people the rates are about: members of 脱贫户 and 监测户 households of `area`."""
    return Person.objects.for_area(area).filter(household__household_type__in=POOR_HOUSEHOLDS)


def insurance_base(key: str, area: Area, on: dt.date):
    """Who `key`'s base counts in `area` on `on` (queryset of people)."""
    base, _ = _insurance_conditions(on, area)[key]
    return insurance_people(area, on).filter(base)


def insurance_missing(key: str, area: Area, on: dt.date):
    """The list behind the number: the base less those counted (who is not enrolled, not paid)."""
    base, counted = _insurance_conditions(on, area)[key]
    return insurance_people(area, on).filter(base).exclude(counted)


def insurance_counts(area: Area, on: dt.date) -> dict[str, dict[str, int]]:
    """{village code: {"<key>_base": n, "<key>": n}} of every rate, one GROUP BY over the subtree."""
    from django.db.models import Count

    conditions = _insurance_conditions(on, area)
    sums = {}
    for key, (base, counted) in conditions.items():
        sums[f"{key}_base"] = Count("id", filter=base)
        sums[key] = Count("id", filter=base & counted)
    rows = insurance_people(area, on).values("area_id").annotate(**sums).order_by()
    return {row.pop("area_id"): row for row in rows}


def insurance_totals(area: Area, on: dt.date, areas: Iterable[Area]) -> dict[str, dict[str, int]]:
    """{area code: {"<key>_base": n, "<key>": n}} summed over each of `areas` (inside `area`)."""
    counts = insurance_counts(area, on)
    names = [f"{k}{suffix}" for k in INSURANCE_RATE_KEYS for suffix in ("_base", "")]
    by_digits: dict[int, dict[str, dict[str, int]]] = {}
    result = {}
    for each in areas:
        digits = LEVEL_DIGITS[each.level]
        if digits not in by_digits:
            sums: dict[str, dict[str, int]] = {}
            for village, values in counts.items():
                total = sums.setdefault(village[:digits], dict.fromkeys(names, 0))
                for name in names:
                    total[name] += values[name]
            by_digits[digits] = sums
        result[each.code] = dict(by_digits[digits].get(each.code[:digits], dict.fromkeys(names, 0)))
    return result
