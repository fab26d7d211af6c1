"""The demo's training and entrepreneurship: courses, trainees and certificates, 两后生 with follow-up, and
this year's subsidy lists with the planted failures; ventures, loans, a park with residents."""

import datetime as dt

import pytest
from django.utils import timezone

from bangfu.demo.build import COUNTIES, ensure_users
from bangfu.payouts.models import Line
from bangfu.referrals.tests.factories import make_person
from bangfu.training import demo
from bangfu.training.models import Course, Enrolment, Need, YouthFollowUp
from bangfu.ventures.demo import build_ventures_demo
from bangfu.ventures.models import Loan, Residency, Venture

pytestmark = pytest.mark.django_db


def test_the_demo_trains_and_starts_businesses_with_each_planted_failure(areas):
    from bangfu.areas.models import Area, Level

    ensure_users()
    today = timezone.localdate()
    for code in COUNTIES:
        village = Area.objects.filter(code__startswith=code, level=Level.VILLAGE).order_by("code").first()
        for n in range(40):
            make_person(f"村民{n}", village.code, birth=f"{1970 + n % 20}-03-0{1 + n % 9}")
        for n in range(3):
            make_person(f"青年{n}", village.code, birth=f"{today.year - 18}-01-0{1 + n}")
    demo.build_training_demo(COUNTIES)
    build_ventures_demo(COUNTIES)
    for code in COUNTIES:
        assert Course.objects.filter(county_code=code).count() == 4
        assert Need.objects.filter(area__code__startswith=code).count() == 43  # every laborer out of work
        assert Enrolment.objects.filter(area__code__startswith=code, status="结业").count() >= 6
        assert YouthFollowUp.objects.filter(area__code__startswith=code).count() == 3
        assert Venture.objects.filter(area__code__startswith=code).count() >= 8
        assert Loan.objects.filter(area__code__startswith=code).count() == 4
        assert Residency.objects.filter(area__code__startswith=code).count() == 3
    year = str(today.year)
    training = set(Line.objects.filter(kind="training-subsidy", period=year).values_list("result", flat=True))
    assert {"通过", "不符合条件"} <= training
    notes = " ".join(
        Line.objects.filter(kind="training-subsidy", result="不符合条件").values_list("note", flat=True)
    )
    assert "低于最低出勤率" in notes and "未取得证书" in notes
    loans = set(Line.objects.filter(kind="loan-interest", period=year).values_list("result", flat=True))
    assert {"通过", "不符合条件"} <= loans
    assert Line.objects.filter(kind="startup-subsidy", period=year, result="不符合条件").exists()
    assert dt.date.today().year == today.year
