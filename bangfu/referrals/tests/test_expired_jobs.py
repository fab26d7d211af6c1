"""A job still open past its 截止日期 shows as 已过期 — in the job lists, on its page, in the enterprise
portal and on its referrals — and the status filter (pages and API) tells 招聘中 from 已过期."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from bangfu.referrals.actions import create_referral
from bangfu.referrals.tests.factories import VILLAGE_A, make_job


@pytest.fixture
def expired(world):
    """Yesterday's deadline: the county's workshop job (staff pages) and the factory's (its portal)."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {
        "local": make_job(world["workshop"], "HY-OLD", "过期绣工", VILLAGE_A, deadline=yesterday),
        "factory": make_job(world["factory"], "GZ-OLD", "过期装配工", "440105", deadline=yesterday),
    }


def states(response) -> list[str]:
    return re.findall(r'data-testid="job-state">([^<]+)<', response.content.decode())


def test_expired_jobs_show_as_such_everywhere(expired, world, users, client_for):
    staff = client_for(users["county_a"])
    # 过期绣工, and 苗绣工 whose deadline is to come
    assert sorted(states(staff.get(reverse("jobs:list"), {"q": "绣工"}))) == ["已过期", "招聘中"]
    detail = staff.get(reverse("jobs:detail", args=[expired["local"].pk]))
    assert states(detail) == ["已过期"] and "推荐人选" not in detail.content.decode()
    referral = create_referral(users["county_a"], world["long"], world["local_job"])
    type(world["local_job"]).objects.filter(pk=world["local_job"].pk).update(
        deadline=expired["local"].deadline
    )
    assert "（已过期）" in staff.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    boss = client_for(world["boss"])
    assert sorted(states(boss.get(reverse("employers:portal")))) == ["已过期", "招聘中", "招聘中"]
    assert states(boss.get(reverse("employers:portal_job_edit", args=[expired["factory"].pk]))) == ["已过期"]


def test_the_status_filter_tells_open_from_expired(expired, world, users, client_for):
    staff = client_for(users["county_a"])
    only_expired = staff.get(reverse("job-list"), {"status": "expired"}).json()["results"]
    assert [(j["number"], j["expired"]) for j in only_expired] == [("HY-OLD", True)]
    still_open = {j["number"] for j in staff.get(reverse("job-list"), {"status": "open"}).json()["results"]}
    assert "HY-OLD" not in still_open and "HY-001" in still_open
    page = staff.get(reverse("jobs:list"), {"status": "expired"}).content.decode()
    assert "过期绣工" in page and "苗绣工" not in page
