"""A 跟踪回访 rule that names a designation (core/rules.py) governs the due list, the one-condition
partition and the warnings scan alike: "every 脱贫村 of Hunan: visit the out-of-work every 14 days" reaches
the laborers of 脱贫村 from the day their village exited, and no one else."""

import datetime as dt

import pytest

from bangfu.areas.actions import Listing, add_designation
from bangfu.conftest import area
from bangfu.referrals.tests.factories import make_person
from bangfu.registry.models import Person
from bangfu.tracking import due
from bangfu.tracking.models import FollowUpRule
from bangfu.tracking.tests.factories import registered, visit

D = dt.date(2026, 6, 30)
EXITED, OTHER, ELSEWHERE = "433124102201", "433124102202", "433123109225"


@pytest.mark.django_db
def test_a_designation_rule_reaches_only_the_designated_villages_from_their_day(users):
    add_designation(users["county_a"], Listing(area(EXITED), "exited_village", D - dt.timedelta(days=5)))
    FollowUpRule.objects.create(
        region_prefix="43", designation="exited_village", effective_from=D - dt.timedelta(days=400),
        unemployed_interval_days=14, employed_interval_days=60,
    )  # fmt: skip
    for village in (EXITED, OTHER, ELSEWHERE):
        for days in (13, 14, 15, 29, 30, 31):
            person = registered(make_person(f"{village[-3:]}界{days}", village), D - dt.timedelta(days=400))
            visit(person, D - dt.timedelta(days=days), result="不愿就业")
    overdue = set(due.overdue(Person.objects.all(), D).values_list("name", flat=True))
    assert overdue == {"201界15", "201界29", "201界30", "201界31", "202界31", "225界31"}
    # Six days earlier, before the village exited, the national 30 days held there too: no visit was more
    # than 25 days old (under the 14 days 201界29 … would be overdue).
    before = due.overdue(Person.objects.all(), D - dt.timedelta(days=6))
    assert not before.exists()
    from bangfu.tracking.models import Warning
    from bangfu.tracking.warnings import scan

    scan(on=D, notify=False)
    raised = Warning.objects.filter(kind="跟踪逾期", status__in=["待处理", "处理中"])
    assert set(raised.values_list("person__name", flat=True)) == overdue
