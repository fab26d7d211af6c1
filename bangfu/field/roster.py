"""What the phone keeps: the officer's laborers with the least that offline work needs, masked as the
registry's list shows them (证件号码 and 联系电话 masked), with the versions of the records an entry may
change (an employment record in force, a month's duty) so that the server can tell when they changed."""

from __future__ import annotations

import datetime as dt

from django.db.models import Max
from django.utils import timezone

from bangfu.employment.models import EmploymentRecord, EndReason, Place
from bangfu.field.actions import version
from bangfu.posts.models import Duty, Spell, held_in, month_bounds
from bangfu.registry.models import Person
from bangfu.tracking.models import Visit, VisitMethod, VisitResult

# A township's laborers fit a phone; above that (a county's tens of thousands) the list is cut, and says so.
MAX_PEOPLE = 5000
# Days the phone keeps the list without refreshing it; then it drops it (entries waiting stay).
KEEP_DAYS = 14


def months_shown(today: dt.date) -> list[str]:
    """The months whose duty the phone can fill: this month and the one before."""
    previous = today.replace(day=1) - dt.timedelta(days=1)
    return [f"{previous:%Y-%m}", f"{today:%Y-%m}"]


def roster(user, *, today: dt.date | None = None) -> dict:
    today = today or timezone.localdate()
    cap = MAX_PEOPLE
    people_qs = Person.objects.for_user(user).laborers(today)
    people = list(
        people_qs.select_related("area", "household").order_by("area_id", "household__number", "name", "pk")[
            : cap + 1
        ]
    )
    truncated = len(people) > cap
    people = people[:cap]
    ids = people_qs.values("pk")
    open_records: dict[int, list] = {}
    in_force = EmploymentRecord.objects.filter(person__in=ids, ended_on__isnull=True).order_by("started_on")
    for record in in_force:
        open_records.setdefault(record.person_id, []).append(
            {
                "id": record.pk,
                "employer": record.employer_name or "—",
                "started_on": f"{record.started_on}",
                "v": version(record.updated_at),
            }
        )
    months = months_shown(today)
    first, _ = month_bounds(months[0])
    _, last = month_bounds(months[-1])
    posts: dict[int, str] = {}
    for spell in Spell.objects.filter(person__in=ids).filter(held_in(first, last)).select_related("post"):
        posts.setdefault(spell.person_id, spell.post.title)
    duties: dict[int, dict] = {}
    for duty in Duty.objects.filter(person__in=ids, month__in=months):
        duties.setdefault(duty.person_id, {})[duty.month] = {
            "on": duty.days_on_duty, "due": duty.days_due, "v": version(duty.updated_at)
        }  # fmt: skip
    visits = Visit.objects.filter(person__in=ids).values("person").annotate(day=Max("visited_on"))
    last_visit = dict(visits.values_list("person", "day"))
    rows = []
    for p in people:
        row = {
            "id": p.pk,
            "name": p.name,
            "idm": p.masked_id,
            "sex": p.sex,
            "age": p.age_on(today),
            "village": p.area.name,
            "type": p.household.household_type or "",
            "status": p.employment_status or "",
            "phone": p.masked_phone,
        }
        if p.pk in open_records:
            row["jobs"] = open_records[p.pk]
        if p.pk in posts:
            row["post"] = posts[p.pk]
            row["duty"] = duties.get(p.pk, {})
        if p.pk in last_visit:
            row["visited"] = f"{last_visit[p.pk]}"
        rows.append(row)
    return {
        "user": {"id": user.pk, "name": user.display_name, "area": user.area.name},
        "today": f"{today}",
        "months": months,
        "truncated": truncated,
        "keep_days": KEEP_DAYS,
        "people": rows,
        "choices": {
            "method": VisitMethod.values,
            "result": VisitResult.values,
            "end_reason": EndReason.values,
            "place": Place.values,
        },
    }
