"""Service norms (服务达标) by area: how many laborers who want work were offered jobs often enough this
year and got the whole 311 service. All counting is GROUP BY in the database, one query per measure and
child level, so a province of millions costs a few index scans, never a loop over people."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.db import connection
from django.db.models import Count, Exists, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.areas.stats import rollup
from bangfu.core.rules import RuleBook
from bangfu.referrals.actions import seekers
from bangfu.referrals.models import Referral, ServiceKind, ServiceNorm, ServiceRecord
from bangfu.registry.models import Person

FALLBACK = ServiceNorm(offers_per_year=3, referrals_per_year=3, guidance_per_year=1, training_per_year=1)


def norm_for(code: str, on: date, book: RuleBook | None = None) -> ServiceNorm:
    """The norm in force for an area on a day: the most specific region, then the latest rule."""
    rule = book.for_code(code) if book is not None else ServiceNorm.objects.in_force(code, on)
    return rule or FALLBACK


def year_span(year: int) -> tuple[datetime, datetime]:
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(date(year, 1, 1), time.min, tzinfo=tz),
        datetime.combine(date(year + 1, 1, 1), time.min, tzinfo=tz),
    )


def _referred_at_least(area: Area, year: int, n: int):
    start, end = year_span(year)
    rows = Referral.objects.for_area(area).filter(created_at__gte=start, created_at__lt=end)
    return rows.values("person_id").annotate(_n=Count("id")).filter(_n__gte=n).values("person_id")


def _complete_sql(area: Area, year: int, norm: ServiceNorm) -> RawSQL:
    """The people of `area` with the whole 311 service in `year`, as one GROUP BY over referral and
    service events together (UNION ALL). One semi-join keeps both databases on a hash join; three
    separate IN (… HAVING …) conditions led PostgreSQL into a nested loop (rows misestimated)."""
    q, ops = connection.ops.quote_name, connection.ops
    low, high = area.code_range
    start, end = year_span(year)
    sql = (
        f"SELECT {q('person_id')} FROM ("
        f"SELECT {q('person_id')}, 1 AS r, 0 AS g, 0 AS t FROM {q(Referral._meta.db_table)} "
        f"WHERE {q('area_id')} >= %s AND {q('area_id')} <= %s "
        f"AND {q('created_at')} >= %s AND {q('created_at')} < %s "
        f"UNION ALL SELECT {q('person_id')}, 0, CASE WHEN {q('kind')} = %s THEN 1 ELSE 0 END, "
        f"CASE WHEN {q('kind')} = %s THEN 1 ELSE 0 END FROM {q(ServiceRecord._meta.db_table)} "
        f"WHERE {q('area_id')} >= %s AND {q('area_id')} <= %s AND {q('date')} >= %s AND {q('date')} <= %s"
        f") events GROUP BY {q('person_id')} HAVING SUM(r) >= %s AND SUM(g) >= %s AND SUM(t) >= %s"
    )
    params = [
        low, high, ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end),
        ServiceKind.GUIDANCE, ServiceKind.TRAINING,
        low, high, ops.adapt_datefield_value(date(year, 1, 1)), ops.adapt_datefield_value(date(year, 12, 31)),
        norm.referrals_per_year, norm.guidance_per_year, norm.training_per_year,
    ]  # fmt: skip
    return RawSQL(sql, params)


def _conditions(area: Area, year: int, norm: ServiceNorm) -> tuple[Q, Q]:
    """(offered enough jobs, had the whole 311 service) as conditions on people."""
    offered = Q(pk__in=_referred_at_least(area, year, norm.offers_per_year))
    return offered, Q(pk__in=_complete_sql(area, year, norm))


def qualified(people, area: Area, year: int, norm: ServiceNorm, measure: str):
    """`people` narrowed to those who meet `measure` ("offered" or "complete") in `year`."""
    offered, complete = _conditions(area, year, norm)
    return people.filter(offered if measure == "offered" else complete)


NO_LABORERS = "—（无劳动力）"  # an area with nobody who wants work has no rate: not 100 %, not 0 %


@dataclass
class NormRow:
    area: Area
    seekers: int
    offered: int
    complete: int

    @property
    def behind(self) -> int:
        return self.seekers - self.complete

    @property
    def rate(self) -> float | None:
        """The share with the whole 311 service, or None where there is nobody to serve (0 of 0)."""
        return self.complete / self.seekers if self.seekers else None

    @property
    def percent(self) -> int | None:
        return None if self.rate is None else round(100 * self.rate)


# How the table can be ordered (?sort=): areas without laborers always come last, never first.
SORTS = {"code": "按区划", "rate": "达标率从低到高", "behind": "未达标人数从多到少"}


def sort_rows(rows: list[NormRow], sort: str) -> list[NormRow]:
    if sort == "rate":
        return sorted(rows, key=lambda r: (r.rate is None, r.rate or 0, r.area.code))
    if sort == "behind":
        return sorted(rows, key=lambda r: (r.seekers == 0, -r.behind, r.area.code))
    return sorted(rows, key=lambda r: r.area.code)


def _any_of(areas: list[Area]) -> Q:
    condition = Q(pk__in=[])
    for a in areas:
        low, high = a.code_range
        condition |= Q(area_id__gte=low, area_id__lte=high)
    return condition


def norm_table(area: Area, year: int) -> tuple[list[NormRow], NormRow, ServiceNorm]:
    """A row per direct sub-area (or the area itself when it has none), and the total."""
    on = min(date(year, 12, 31), timezone.localdate())
    children = list(Area.objects.filter(parent=area).current().order_by("code")) or [area]
    base = seekers(Person.objects.for_area(area))
    # Children under different rules (a county that set its own) are counted with their own numbers.
    rules = ServiceNorm.objects.book(on, within=area)
    by_norm: dict[int | None, list[Area]] = {}
    norms = {}
    for child in children:
        norm = norm_for(child.code, on, rules)
        by_norm.setdefault(norm.pk, []).append(child)
        norms[norm.pk] = norm
    # Three GROUP BY queries per rule: the seekers, and those of them in the (small) sets of people with
    # enough referrals and services, which the database reaches by primary key instead of by a scan.
    counts = {"seekers": rollup(children, base, "area_id"), "offered": {}, "complete": {}}
    for key, group in by_norm.items():
        people = base if len(by_norm) == 1 else base.filter(_any_of(group))
        for measure in ("offered", "complete"):
            counts[measure].update(
                rollup(group, qualified(people, area, year, norms[key], measure), "area_id")
            )
    rows = [
        NormRow(c, counts["seekers"][c.code], counts["offered"][c.code], counts["complete"][c.code])
        for c in children
    ]
    total = NormRow(
        area, sum(r.seekers for r in rows), sum(r.offered for r in rows), sum(r.complete for r in rows)
    )
    return rows, total, norm_for(area.code, on, rules)


def _count(model_rows):
    return Coalesce(
        Subquery(
            model_rows.values("person_id").annotate(_n=Count("id")).values("_n")[:1],
            output_field=IntegerField(),
        ),
        Value(0),
    )


def behind(area: Area, year: int):
    """The seekers of `area` who have not had the whole 311 service in `year`, with their counts."""
    on = min(date(year, 12, 31), timezone.localdate())
    norm = norm_for(area.code, on)
    people = seekers(Person.objects.for_area(area))
    done = qualified(people, area, year, norm, "complete").values("pk")
    start, end = year_span(year)
    refs = Referral.objects.filter(person=OuterRef("pk"), created_at__gte=start, created_at__lt=end)
    services = ServiceRecord.objects.filter(person=OuterRef("pk"), date__year=year)
    return (
        people.filter(~Exists(done.filter(pk=OuterRef("pk"))))
        .annotate(
            n_referrals=_count(refs),
            n_guidance=_count(services.filter(kind=ServiceKind.GUIDANCE)),
            n_training=_count(services.filter(kind=ServiceKind.TRAINING)),
        )
        .select_related("area")
        .order_by("area_id", "name", "id")
    ), norm
