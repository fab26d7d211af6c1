"""The demo's posts: 2–3 posts in the first villages of each demo county with vacancies, holders with two
months of duty, and both months' payroll built through the payout core with the planted failures — a holder
who died last month (已故), one holding a second post (一人多岗), one on duty too few days (不符合条件)."""

import pytest
from django.utils import timezone

from bangfu.demo.build import COUNTIES, ensure_users
from bangfu.payouts.models import Line, PayoutList
from bangfu.posts import demo
from bangfu.posts.models import Duty, Post, Spell
from bangfu.referrals.tests.factories import make_person

pytestmark = pytest.mark.django_db


def test_the_demo_has_posts_holders_duty_and_two_months_of_payroll_with_each_failure(areas):
    ensure_users()
    today = timezone.localdate()
    for code in COUNTIES:
        from bangfu.conftest import area

        for village in demo._villages(area(code), today):
            for n in range(3):
                make_person(f"村民{n}", village.code)
    demo.build_posts_demo(COUNTIES)
    months = demo.last_months(today)
    for code in COUNTIES:
        posts = Post.objects.filter(county_code=code)
        assert posts.count() >= 16
        assert posts.filter(spells__isnull=True).exists()  # a vacancy
        assert Duty.objects.filter(area__code__startswith=code, month=months[1]).count() >= 10
        for month in months:
            assert PayoutList.objects.filter(
                kind="welfare-post", area_id=code.ljust(12, "0"), period=month
            ).exists()
    last = Line.objects.filter(kind="welfare-post", period=months[1])
    assert {"通过", "已故", "一人多岗", "不符合条件"} <= set(last.values_list("result", flat=True))
    assert not Line.objects.filter(kind="welfare-post", period=months[0], result="已故").exists()
    counts = (Post.objects.count(), Spell.objects.count(), Duty.objects.count(), PayoutList.objects.count())
    demo.build_posts_demo(COUNTIES)  # a rebuild adds nothing
    assert (
        Post.objects.count(),
        Spell.objects.count(),
        Duty.objects.count(),
        PayoutList.objects.count(),
    ) == counts
