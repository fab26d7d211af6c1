"""The demo's 社保扶贫: enrolment in the demo counties, this year's 养老保险代缴 list of each county built
through the payout core with its shares, the 60+ ledger's needs all present, and 参保中断 warnings raised
for the people whose contributions stopped since."""

import pytest
from django.utils import timezone

from bangfu.conftest import area
from bangfu.demo.build import COUNTIES, ensure_users
from bangfu.payouts.models import PayoutList
from bangfu.payouts.shares import by_level
from bangfu.pension import ageing, demo
from bangfu.referrals.tests.factories import make_person
from bangfu.tracking.models import Warning, WarningKind

pytestmark = pytest.mark.django_db


def test_the_demo_has_a_year_of_premiums_a_ledger_and_stopped_contributions(areas):
    ensure_users()
    today = timezone.localdate()
    for code in COUNTIES:
        village = area(code).children.order_by("code").first().children.order_by("code").first()
        for n in range(300):
            person = make_person(f"村民{n}", village.code, birth=f"{1940 + n % 70}-03-0{1 + n % 9}")
            person.household.household_type = "脱贫户"
            person.household.save(update_fields=["household_type"])
    demo.build_pension_demo(COUNTIES)
    for code in COUNTIES:
        payout_list = PayoutList.objects.get(kind="pension-premium", period=str(today.year), area=area(code))
        assert payout_list.passed_count > 0 and payout_list.failed_count > 0
        levels = dict(by_level(payout_list)["levels"])
        assert levels["省级"] == payout_list.total * 8 / 10 and levels["县级"] == payout_list.total * 2 / 10
        counts = ageing.counts(ageing.ledger(area(code), today.year, today))
        assert all(counts.values()), counts
    assert Warning.objects.filter(kind=WarningKind.PENSION_BREAK).count() == 6 * len(COUNTIES)
    from bangfu.pension import settlements

    for code in COUNTIES:
        assert settlements.burdens(area(code), today.year), code  # someone above the line
    lists = PayoutList.objects.count()
    demo.build_pension_demo(COUNTIES)  # built once
    assert PayoutList.objects.count() == lists
