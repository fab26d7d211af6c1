"""A laborer sees their own data and nothing of anyone else's: another laborer's referral, employment
record or job they were referred to is a 404, every list shows only their own rows. The laborer's pages
are closed to staff and enterprise accounts, and the staff pages and the API to laborers."""

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import AuditEvent
from bangfu.core.tests.test_area_scope_everywhere import all_url_names
from bangfu.employment.actions import create_record
from bangfu.employment.models import EmploymentRecord
from bangfu.jobs.models import Job
from bangfu.payouts.models import Line, PayoutList, Result, Status
from bangfu.referrals.actions import create_referral
from bangfu.selfservice.tests.helpers import sign_in

pytestmark = pytest.mark.django_db

# Every laborer page and how to build its path arguments from one laborer's own objects.
OWN_PAGES = {
    "selfservice:home": lambda o: {},
    "selfservice:jobs": lambda o: {},
    "selfservice:job": lambda o: {"pk": o["closed_job"].pk},
    "selfservice:referrals": lambda o: {},
    "selfservice:referral": lambda o: {"pk": o["referral"].pk},
    "selfservice:wishes": lambda o: {},
    "selfservice:records": lambda o: {},
    "selfservice:record": lambda o: {"pk": o["record"].pk},
    "selfservice:policies": lambda o: {},
}
# The sign-in pages, open to anyone.
SIGN_IN_PAGES = {"selfservice:login", "selfservice:code", "selfservice:who", "selfservice:logout"}


def test_every_laborer_url_is_in_these_tests():
    names = {n for n in all_url_names() if n.startswith("selfservice:")}
    assert names == set(OWN_PAGES) | SIGN_IN_PAGES


def _paid(person, amount, village):
    payout = PayoutList.objects.create(
        kind="transport", item="一次性交通补助", period="2025", area=village, status=Status.PAID,
        paid_at=timezone.now(),
    )  # fmt: skip
    return Line.objects.create(
        payout_list=payout, kind="transport", period="2025", person=person, id_number=person.id_number,
        name=person.name, area_code=person.area_id, amount=Decimal(amount), result=Result.PASSED,
    )  # fmt: skip


def _objects_of(person, world, users, job, wage):
    staff = users["county_a"] if person.area_id.startswith("433124") else users["county_b"]
    referral = create_referral(staff, person, job, score=80, reasons=["意向工种相符"])
    record = create_record(
        staff, person,
        EmploymentRecord(employer=world["workshop"], work_area=world["workshop"].area,
                         started_on=dt.date(2025, 3, 1), monthly_wage=wage),
    )  # fmt: skip
    _paid(person, f"{wage // 10}", person.area)
    job.status = Job.Status.CLOSED  # a closed job stays visible to the one referred to it
    job.save(update_fields=["status"])
    return {"referral": referral, "record": record, "closed_job": job}


@pytest.fixture
def two(world, users, sms_file, captured):
    """龙春生 (A) and 石秀英 (B) of 土地村, each with a referral, a record, a paid subsidy; signed in."""
    a = _objects_of(world["long"], world, users, world["job"], 3111)
    b = _objects_of(world["shi"], world, users, world["job2"], 4777)
    return {
        "a": a,
        "b": b,
        "client_a": sign_in(Client(), "13900001111", sms_file, captured),
        "client_b": sign_in(Client(), "13900002222", sms_file, captured),
    }


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_own_pages_open_and_the_other_laborers_ids_are_404(name, two):
    own = reverse(name, kwargs=OWN_PAGES[name](two["a"]))
    theirs = reverse(name, kwargs=OWN_PAGES[name](two["b"]))
    assert two["client_a"].get(own).status_code == 200
    if own != theirs:
        events = AuditEvent.objects.count()
        for method in ("get", "post"):
            response = getattr(two["client_a"], method)(theirs, {"answer": "不考虑", "reason": "其他"})
            assert response.status_code == 404, (name, method)
        assert AuditEvent.objects.count() == events


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_lists_show_nothing_of_the_other_laborer(name, two):
    text = two["client_a"].get(reverse(name, kwargs=OWN_PAGES[name](two["a"]))).content.decode()
    assert "石秀英" not in text and "4777" not in text and "477.00" not in text
    assert "仓库管理员" not in text  # B's referral's job


def test_the_own_lists_show_the_own_rows(two):
    client = two["client_a"]
    assert "电子装配工" in client.get(reverse("selfservice:referrals")).content.decode()
    assert "花垣苗绣扶贫车间" in client.get(reverse("selfservice:records")).content.decode()
    assert "311.00 元" in client.get(reverse("selfservice:policies")).content.decode()
    home = client.get(reverse("selfservice:home")).content.decode()
    assert "有 1 个推荐岗位等您回复" in home


@pytest.mark.parametrize("name", sorted(OWN_PAGES))
def test_laborer_pages_are_closed_to_staff_and_enterprise_accounts(name, two, users, world, client_for):
    url = reverse(name, kwargs=OWN_PAGES[name](two["a"]))
    for user in (users["county_a"], users["province"], world["boss"]):
        assert client_for(user).get(url).status_code == 403, (name, user.username)
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and anonymous.url == reverse("selfservice:login")


STAFF_PAGES = [
    reverse_name
    for reverse_name in (
        "dashboard:home",
        "registry:person_list",
        "referrals:list",
        "employment:list",
        "audit:list",
        "notices:outbox",
        "employers:portal",
        "referrals:portal",
    )
]


@pytest.mark.parametrize("name", STAFF_PAGES)
def test_staff_and_enterprise_pages_are_closed_to_laborers(name, two):
    assert two["client_a"].get(reverse(name)).status_code == 403


def test_the_api_is_closed_to_laborers(two):
    client = two["client_a"]
    for url in (
        "/api/v1/people/",
        "/api/v1/referrals/",
        "/api/v1/me/",
        f"/api/v1/people/{two['a']['referral'].person_id}/",
    ):
        assert client.get(url).status_code in (401, 403), url


def test_the_staff_login_refuses_a_laborer_account(two):
    from bangfu.accounts.models import Kind, User

    laborer = User.objects.filter(kind=Kind.LABORER).first()
    response = Client().post(reverse("accounts:login"), {"username": laborer.username, "password": "x" * 12})
    assert response.status_code == 200 and "_auth_user_id" not in Client().session


def test_a_record_without_employer_or_work_area_opens(two, world, users):
    bare = create_record(
        users["county_a"], world["long"],
        EmploymentRecord(employer_name="自主外出务工", started_on=dt.date(2024, 5, 1)),
    )  # fmt: skip
    page = two["client_a"].get(reverse("selfservice:record", args=[bare.pk])).content.decode()
    assert "自主外出务工" in page and "未登记" in page
    assert "自主外出务工" in two["client_a"].get(reverse("selfservice:records")).content.decode()
