"""The demo's 补贴发放: rules, rights, last year's 一次性交通补助 list of 花垣县 with a line failing each
check (the dead, paid on a village's list, too few months, moved to 凤凰县), accounts for most who pass."""

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.demo.build import COUNTIES, ensure_users
from bangfu.payouts.models import PayeeAccount, PayoutList, Result, Status
from bangfu.subsidies.demo import build_payouts_demo
from bangfu.subsidies.tests.factories import VILLAGE_A, VILLAGE_A2, VILLAGE_B, laborer, record

pytestmark = pytest.mark.django_db
YEAR = timezone.localdate().year - 1


def test_the_demo_list_fails_each_check_and_pays_the_rest(areas):
    ensure_users()
    for n in range(8):
        person = laborer(f"外出{n}", VILLAGE_A if n % 2 else VILLAGE_A2)
        record(person, f"{YEAR}-01-01", f"{YEAR}-12-31")
    record(laborer("短期", VILLAGE_A2), f"{YEAR}-11-01", f"{YEAR}-12-31")
    laborer("凤凰人", VILLAGE_B)
    build_payouts_demo(COUNTIES)
    county_list = PayoutList.objects.get(kind="transport", period=str(YEAR), area_id="433124000000")
    results = set(county_list.lines.values_list("result", flat=True))
    assert {Result.PASSED, Result.DECEASED, Result.DUPLICATE, Result.INELIGIBLE} <= results
    assert PayoutList.objects.filter(kind="transport", status=Status.PAID).count() == 1  # the village's
    assert PayeeAccount.objects.exists()
    assert county_list.lines.get(result=Result.DECEASED).person.died_on == dt.date(YEAR, 7, 15)
    counts = (PayoutList.objects.count(), PayeeAccount.objects.count())
    build_payouts_demo(COUNTIES)  # a rebuild adds nothing
    assert (PayoutList.objects.count(), PayeeAccount.objects.count()) == counts
