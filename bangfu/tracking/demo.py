"""The demo's trajectories (issue 16, item 9): two years of employment records, follow-up visits,
帮扶责任人 and, from them, warnings of every kind, for the laborers of the demo counties.

Deterministic (one seed; the same laborers get the same story) and relative to today, so a demo built on
any day has recent departures, overdue visits and the rest. Written column-wise (`bulk_create`), then
the registry's 务工状态 derived from the records once for the whole county
(`employment.actions.refresh_status`) and the warnings raised by the real scan
(`tracking.warnings.scan`): the demo shows what the platform computes, never a made-up figure.
"""

from __future__ import annotations

import datetime as dt
import logging
import random

from django.db import transaction
from django.utils import timezone

from bangfu.accounts.models import User
from bangfu.areas.models import Area
from bangfu.employers.models import Employer, EmployerKind
from bangfu.employment import status as derivation
from bangfu.employment.models import Channel, EmploymentRecord, EndReason, Source
from bangfu.registry.models import Person
from bangfu.tracking.models import IncomeLineRule, Responsibility, Visit, VisitMethod, VisitResult

logger = logging.getLogger(__name__)

SEED = 1616
YEARS_BACK = 2
VISITS_BACK_DAYS = 180
DEMO_INCOME_LINE = {"region_prefix": "4331", "yearly_income_per_capita": 6500}  # 湘西州, demo data
# A story per laborer, by share: what the last two years held (the rest keep only what the registry said).
STORIES = (
    ("steady", 0.30),  # one earlier spell, then the job of the registry (or a new one) still held
    ("lost", 0.04),  # a job ended within the warning window (就业转失业)
    ("returned", 0.03),  # came home within the window (返乡)
    ("past", 0.18),  # worked, ended long ago
    ("never", 0.45),
)
# (story, draw of the visits: < 0.08 misses the latest visit, 0.08–0.10 last found unreachable).
FIRST = (("lost", 0.5), ("returned", 0.5), ("never", 0.05), ("never", 0.09), ("past", 0.5))
ACCEPTED_METHODS = (VisitMethod.PHONE, VisitMethod.PHONE, VisitMethod.WECHAT, VisitMethod.HOME)


def build_tracking_demo(counties) -> None:
    if Visit.objects.exists():
        return
    today = timezone.localdate()
    IncomeLineRule.objects.get_or_create(
        region_prefix=DEMO_INCOME_LINE["region_prefix"],
        effective_from=dt.date(today.year - YEARS_BACK, 1, 1),
        defaults={
            "yearly_income_per_capita": DEMO_INCOME_LINE["yearly_income_per_capita"],
            "note": "演示数据：湘西州防返贫监测收入线",
        },
    )
    for code in counties:
        county = Area.objects.get(code=code.ljust(12, "0"))
        actor = User.objects.filter(username=f"demo{code}").first()
        if actor is None:
            continue
        _county(county, actor, today)


def _county(county: Area, actor, today: dt.date) -> None:
    from bangfu.employment.actions import refresh_status
    from bangfu.tracking.actions import record_visit
    from bangfu.tracking.warnings import scan

    rng = random.Random(f"{SEED}-{county.code}")
    start = today - dt.timedelta(days=365 * YEARS_BACK)
    # The demo registry is imported today; its people stand for households registered years ago, so that
    # the follow-up clock (from registration when never visited) and the trajectories have a past.
    Person.objects.for_area(county).update(
        created_at=timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
    )
    employers = list(Employer.objects.order_by("credit_code").select_related("area"))
    local = [e for e in employers if e.area_id.startswith(county.code[:6])]
    away = [e for e in employers if not e.area_id.startswith(county.code[:6])]
    laborers = list(
        Person.objects.for_area(county)
        .laborers(today)
        .order_by("id")
        .values_list("id", "area_id", "household_id", "created_at")
    )
    in_force = {
        r.person_id: r
        for r in EmploymentRecord.objects.for_area(county)
        .filter(ended_on__isnull=True)
        .order_by("started_on")
    }
    records: list[EmploymentRecord] = []
    visits: list[Visit] = []
    unreachable: list[tuple[int, dt.date, str]] = []

    def spell(person_id, village, begin, end, reason=""):
        employer = rng.choice(local if rng.random() < 0.35 and local else away or local)
        place = derivation.place_between(village, employer.area_id)
        records.append(
            EmploymentRecord(
                person_id=person_id,
                area_id=village,
                employer=employer,
                employer_name=employer.name,
                credit_code=employer.credit_code,
                work_area_id=employer.area_id,
                place=place,
                channel=_channel(employer, rng),
                started_on=begin,
                ended_on=end,
                end_reason=reason,
                monthly_wage=rng.randrange(2600, 6800, 100),
                source=rng.choice((Source.MANUAL, Source.MANUAL, Source.COMPARE, Source.EMPLOYER)),
                source_ref="演示",
                created_by=actor,
            )
        )

    def visit(person_id, village, on, result, note=""):
        if on > today:
            return
        if result == VisitResult.UNREACHABLE:  # through the real write: it puts them on the 联系不上 list
            unreachable.append((person_id, on, note))
            return
        visits.append(
            Visit(
                person_id=person_id,
                area_id=village,
                visited_on=on,
                method=rng.choice(ACCEPTED_METHODS),
                result=result,
                note=note,
                by=actor,
            )
        )

    forced = iter(FIRST)
    for person_id, village, _household, created_at in laborers:
        current = in_force.get(person_id)
        # The first laborers out of work tell each story for sure, so that even a small demo shows every
        # kind of warning; the rest draw theirs.
        story, draw = (current is None and next(forced, None)) or (_pick(rng), rng.random())
        registered = timezone.localdate(created_at)
        if current is not None:
            # The job the registry said they hold: an earlier spell before it, visits finding them at work.
            first = max(start, current.started_on - dt.timedelta(days=rng.randrange(200, 500)))
            if first + dt.timedelta(days=60) < current.started_on:
                left = current.started_on - dt.timedelta(days=rng.randrange(20, 60))
                spell(
                    person_id,
                    village,
                    first,
                    left,
                    rng.choice((EndReason.CONTRACT_ENDED, EndReason.CHANGED_JOB)),
                )
            _visits_at_rhythm(
                rng, draw, visit, person_id, village, registered, today, 90, VisitResult.AT_WORK
            )
            continue
        if story in ("lost", "returned"):
            ended = today - dt.timedelta(days=rng.randrange(1, 28))
            begun = ended - dt.timedelta(days=rng.randrange(90, 500))
            reason = EndReason.RETURNED if story == "returned" else rng.choice(
                (EndReason.CONTRACT_ENDED, EndReason.DISMISSED, EndReason.OTHER)
            )  # fmt: skip
            spell(person_id, village, max(begun, start), ended, reason)
            result = VisitResult.RETURNED if story == "returned" else VisitResult.LEFT
            visit(person_id, village, ended + dt.timedelta(days=1), result, "演示：回访得知离职")
        elif story == "steady":
            begun = start + dt.timedelta(days=rng.randrange(0, 300))
            ended = begun + dt.timedelta(days=rng.randrange(120, 300))
            spell(person_id, village, begun, ended, EndReason.CONTRACT_ENDED)
            spell(person_id, village, ended + dt.timedelta(days=rng.randrange(15, 90)), None)
            _visits_at_rhythm(
                rng, draw, visit, person_id, village, registered, today, 90, VisitResult.AT_WORK
            )
        elif story == "past":
            begun = start + dt.timedelta(days=rng.randrange(0, 200))
            ended = begun + dt.timedelta(days=rng.randrange(60, 300))
            spell(person_id, village, begun, ended, rng.choice(list(EndReason)))
            _visits_at_rhythm(
                rng, draw, visit, person_id, village, registered, today, 30, VisitResult.UNWILLING
            )
        else:
            _visits_at_rhythm(
                rng, draw, visit, person_id, village, registered, today, 30, VisitResult.UNWILLING
            )

    with transaction.atomic():
        EmploymentRecord.objects.bulk_create(records, batch_size=2000)
        # Visits on one person, day and way are one visit (§6): keep the first drawn.
        unique = {(v.person_id, v.visited_on, v.method): v for v in reversed(visits)}
        Visit.objects.bulk_create(list(unique.values()), batch_size=2000)
        _responsibilities(county, actor, today)
        refresh_status(actor, None, source="演示数据", within=county)
        people = Person.objects.in_bulk([person_id for person_id, _, _ in unreachable])
        for person_id, on, note in unreachable:
            record_visit(
                actor, people[person_id], visited_on=on, method=VisitMethod.PHONE,
                result=VisitResult.UNREACHABLE, note=note,
            )  # fmt: skip
    result = scan(within=county, on=today)
    logger.info(
        "演示跟踪数据（%s）：就业记录 %d 条，回访 %d 次；%s", county.name, len(records), len(unique), result
    )


def _visits_at_rhythm(rng, draw, visit, person_id, village, registered, today, interval, result) -> None:
    """Visits of the last half year at about the rule's rhythm. Some laborers miss their latest (跟踪逾期),
    a few were last found unreachable (联系不上)."""
    day = max(registered, today - dt.timedelta(days=VISITS_BACK_DAYS)) + dt.timedelta(
        days=rng.randrange(0, 10)
    )
    stop = today - dt.timedelta(days=interval + rng.randrange(5, 40)) if draw < 0.08 else today
    while day <= stop:
        visit(person_id, village, day, result)
        day += dt.timedelta(days=interval - rng.randrange(0, 10))
    if 0.08 <= draw < 0.10:
        visit(person_id, village, today - dt.timedelta(days=rng.randrange(1, 20)), VisitResult.UNREACHABLE,
              "演示：电话停机，家人联系不上")  # fmt: skip


def _channel(employer: Employer, rng) -> str:
    if employer.kind in (EmployerKind.POVERTY_WORKSHOP, EmployerKind.ASSISTANCE_WORKSHOP):
        return Channel.WORKSHOP
    return rng.choice((Channel.ORGANISED, Channel.SELF, Channel.SELF, Channel.REFERRAL, Channel.FLEXIBLE))


def _pick(rng) -> str:
    draw = rng.random()
    for story, share in STORIES:
        if draw < share:
            return story
        draw -= share
    return STORIES[-1][0]


def _responsibilities(county: Area, actor, today: dt.date) -> None:
    """Every demo village's households answer to the village's demo user; the rest of the demo township
    to the township's demo user; elsewhere warnings fall to the village's staff."""
    from bangfu.registry.models import Household

    demo_users = User.objects.filter(is_demo=True, area__code__startswith=county.code[:6]).exclude(
        area=county
    )
    for user in demo_users.order_by("-area__level"):  # the village's user before the township's
        households = Household.objects.for_area(user.area).exclude(
            pk__in=Responsibility.objects.filter(until__isnull=True, household__isnull=False).values(
                "household_id"
            )
        )
        Responsibility.objects.bulk_create(
            [
                Responsibility(household_id=pk, area_id=area, user=user, since=today, assigned_by=actor)
                for pk, area in households.values_list("pk", "area_id")
            ],
            batch_size=2000,
        )
