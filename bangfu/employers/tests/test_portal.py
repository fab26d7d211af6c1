"""The enterprise portal: an enterprise account lands there at login, sees and manages only its own
jobs, and never gets staff pages."""

import datetime as dt
import re

import pytest
from django.urls import resolve, reverse

from bangfu.audit.models import AuditEvent
from bangfu.conftest import PASSWORD
from bangfu.core.tests import test_area_scope_everywhere as scope
from bangfu.core.tests.test_area_scope_everywhere import county_a_objects  # noqa: F401 (a fixture)
from bangfu.employers import actions
from bangfu.employers.tests.conftest import employer_of
from bangfu.jobs import actions as job_actions
from bangfu.jobs.models import Job
from bangfu.referrals.actions import create_referral
from bangfu.referrals.tests.factories import make_person


def _setup(users, areas):
    actor = users["county_a"]
    mine = employer_of(actor, "我的车间")
    theirs = employer_of(actor, "别人的工厂")
    account = actions.create_enterprise_account(actor, mine, username="qiye_me", password="Qiye-pass-2026")
    account.must_change_password = False
    account.set_password(PASSWORD)
    account.save()

    def job(employer, number, title):
        return job_actions.save_job(
            actor,
            Job(employer=employer, number=number, title=title, openings=3, area=areas["village_a"],
                deadline=dt.date(2099, 1, 1)),
            infer=True,
        )  # fmt: skip

    return account, job(mine, "M1", "我的缝纫工"), job(theirs, "T1", "别人的焊工")


def test_login_sends_enterprise_accounts_to_the_portal(users, areas, client):
    _setup(users, areas)
    response = client.post(reverse("accounts:login"), {"username": "qiye_me", "password": PASSWORD})
    assert response.status_code == 302 and response.url == reverse("employers:portal")


def test_it_sees_only_its_own_jobs(users, areas, client_for):
    account, mine, theirs = _setup(users, areas)
    client = client_for(account)
    text = client.get(reverse("employers:portal")).content.decode()
    assert "我的缝纫工" in text and "别人的焊工" not in text
    assert client.get(reverse("employers:portal_job_edit", args=[mine.pk])).status_code == 200
    assert client.get(reverse("employers:portal_job_edit", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("employers:portal_job_status", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.status == Job.Status.OPEN


def test_it_posts_edits_and_closes_its_own_jobs(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    client = client_for(account)
    data = {"employer": mine.employer_id, "number": "M2", "title": "包装工", "openings": "4",
            "area_code": "440105", "suitability": "auto", "board": "yes"}  # fmt: skip
    response = client.post(reverse("employers:portal_job_create"), data)
    assert response.status_code == 302
    posted = Job.objects.get(number="M2")
    assert posted.area_id == "440105000000" and posted.posted_by == account and posted.board_and_lodging
    data.update({"openings": "6", "employer": ""})
    client.post(reverse("employers:portal_job_edit", args=[posted.pk]), data)
    posted.refresh_from_db()
    assert posted.openings == 6 and posted.openings_left == 6
    client.post(reverse("employers:portal_job_status", args=[posted.pk]), {"status": "closed"})
    posted.refresh_from_db()
    assert posted.status == Job.Status.CLOSED
    # It cannot post for someone else's employer.
    other = employer_of(users["county_a"], "第三家")
    data.update({"employer": other.pk, "number": "X1"})
    response = client.post(reverse("employers:portal_job_create"), data)
    assert response.status_code == 200 and not Job.objects.filter(number="X1").exists()


def test_the_edit_forms_show_the_jobs_current_values(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    assert mine.occupation_id == "6-05-01-03"
    for client, name in (
        (client_for(account), "employers:portal_job_edit"),
        (client_for(users["county_a"]), "jobs:edit"),
    ):
        form = client.get(reverse(name, args=[mine.pk])).context["form"]
        assert form["occupation_code"].value() == "6-05-01-03" and form["area_code"].value() == mine.area_id
        assert form["title"].value() == "我的缝纫工" and form["suitability"].value() == "auto"


def test_staff_pages_and_api_are_closed_to_enterprise_accounts(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    client = client_for(account)
    for name in ("jobs:list", "jobs:postings", "employers:list", "dashboard:home"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("jobs:detail", args=[mine.pk])).status_code == 403
    assert client.get(reverse("job-list")).status_code == 403
    assert client_for(users["county_a"]).get(reverse("employers:portal")).status_code == 403


# --------------------------------------------------------------------------------------------------
# Every staff page and endpoint is closed to enterprise accounts (403, or 404 for objects they cannot see),
# with county A's real objects behind the URLs, and nothing changes.

# What an enterprise account may open: its own account pages, the inbox, the portal, its referrals, the
# public API schema pages, and the occupation suggestion of the job form.
ENTERPRISE_MAY_USE = {
    "accounts:login",
    "accounts:logout",
    "accounts:profile",
    "accounts:password_change",
    "api-schema",
    "api-docs",
    "api-redoc",
    "notices:inbox",
    "notices:badge",
    "notices:open",
    "notices:mark_all_read",
    "employers:portal",
    "employers:portal_job_create",
    "employers:portal_job_edit",
    "employers:portal_job_status",
    "referrals:portal",
    "referrals:portal_detail",
    "referrals:portal_step",
    "referrals:portal_phone",
    "jobs:occupation_suggest",
    # 用工报送 (workforce/): its own employers' reports only (workforce/tests)
    "workforce:portal_list",
    "workforce:portal_hire_new",
    "workforce:portal_import",
    "workforce:portal_template",
    "workforce:portal_hire",
    "workforce:portal_leave",
    "workforce:portal_wages",
}
# The API login: public, and it gives no token to an enterprise account (tested below). The laborers' sign-in
# by phone and code: public (the laborer's own pages refuse enterprise accounts: selfservice/tests). The
# offline app's manifest and service worker: public files with no data in them (field/tests).
PUBLIC = {
    "api-token", "selfservice:login", "selfservice:code", "selfservice:who", "selfservice:logout",
    "field:manifest", "field:service_worker",
}  # fmt: skip
STAFF_URLS = sorted(
    n for n in scope.all_url_names() if not n.endswith("-format") and n not in ENTERPRISE_MAY_USE | PUBLIC
)


def test_the_staff_url_list_is_complete():
    assert "employers:list" in STAFF_URLS and "audit:list" in STAFF_URLS and "fairs:job_search" in STAFF_URLS
    assert {"dashboard:home", "registry:window_check", "compare:run_list", "api-docs"} & set(STAFF_URLS) == {
        "dashboard:home",
        "registry:window_check",
        "compare:run_list",
    }


@pytest.mark.parametrize("name", STAFF_URLS)
def test_enterprise_accounts_get_403_or_404_on_every_staff_url(name, users, areas, request, client_for):
    if name in scope.OBJECT_VIEWS:
        objects = request.getfixturevalue("county_a_objects")
        kwargs_for, methods = scope.OBJECT_VIEWS[name]
        url = reverse(name, kwargs=kwargs_for(objects))
        # The account of 土地村苗绣扶贫车间, whose data is behind the URLs.
        account = objects["enterprise_user"]
        methods = {"get", "post", *methods}
    else:
        url = reverse(name, kwargs=scope.URL_KWARGS.get(name)) + scope.LIST_VIEWS.get(name, "")
        account = _setup(users, areas)[0]
        methods = {"get", "post"}
    account.must_change_password = False
    account.save()
    client = client_for(account)
    events = AuditEvent.objects.count()
    for method in sorted(methods):
        response = scope._request(client, method, url)
        assert response.status_code in (403, 404), (name, method, response.status_code)
    assert AuditEvent.objects.count() == events


def test_the_api_login_gives_enterprise_accounts_no_token(users, areas, client):
    _setup(users, areas)
    response = client.post(reverse("api-token"), {"username": "qiye_me", "password": PASSWORD})
    assert response.status_code == 400 and "token" not in response.json()
    staff = client.post(reverse("api-token"), {"username": "u_county_a", "password": PASSWORD})
    assert staff.status_code == 200 and staff.json()["token"]


def _menu_links(html: str) -> set[str]:
    """The view names the main menu links to."""
    nav = html[html.index('<nav class="navbar') : html.index("</nav>")]
    return {resolve(href.split("?")[0]).view_name for href in re.findall(r'href="(/[^"]*)"', nav)}


def test_the_menu_of_an_enterprise_account_offers_only_its_pages(users, areas, client_for):
    account, _, _ = _setup(users, areas)
    html = client_for(account).get(reverse("employers:portal")).content.decode()
    own = {
        "employers:portal",
        "referrals:portal",
        "workforce:portal_list",
        "notices:inbox",
        "accounts:profile",
        "accounts:password_change",
    }
    assert _menu_links(html) == own
    assert ">企业门户<" in html and ">推荐回复<" in html and ">用工报送<" in html
    assert "审计日志" not in html and "名册" not in html
    staff = _menu_links(client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode())
    assert {"registry:person_list", "tracking:unreachable_list", "employers:list", "jobs:list", "fairs:list",
            "employment:list", "referrals:norms", "audit:list", "accounts:user_list"} <= staff  # fmt: skip
    assert "workforce:list" in staff
    assert "employers:portal" not in staff
    village = _menu_links(client_for(users["village_a"]).get(reverse("dashboard:home")).content.decode())
    assert "accounts:user_list" not in village  # no user management right


# --------------------------------------------------------------------------------------------------
# Two enterprises: each sees and answers only its own jobs and referrals.


def _two_enterprises(users, areas):
    account, mine, theirs = _setup(users, areas)
    second = actions.create_enterprise_account(
        users["county_a"], theirs.employer, username="qiye_other", password="Qiye-pass-2026"
    )
    second.must_change_password = False
    second.save()
    seeker = make_person("龙求职")
    referral = create_referral(users["county_a"], seeker, mine, score=80, reasons=["同一职业"])
    return account, second, mine, theirs, referral


def test_a_second_enterprise_gets_404_on_the_first_ones_job_and_referral(users, areas, client_for):
    account, second, mine, _, referral = _two_enterprises(users, areas)
    first_client, second_client = client_for(account), client_for(second)
    assert first_client.get(reverse("referrals:portal_detail", args=[referral.pk])).status_code == 200
    for name in ("employers:portal_job_edit", "employers:portal_job_status"):
        assert second_client.get(reverse(name, args=[mine.pk])).status_code in (404, 405)
        assert second_client.post(reverse(name, args=[mine.pk]), {"status": "closed"}).status_code == 404
    for name in ("referrals:portal_detail", "referrals:portal_step", "referrals:portal_phone"):
        assert second_client.post(reverse(name, args=[referral.pk]), {"status": "有意向"}).status_code == 404
    assert second_client.get(reverse("referrals:portal_detail", args=[referral.pk])).status_code == 404
    mine.refresh_from_db()
    referral.refresh_from_db()
    assert mine.status == Job.Status.OPEN and referral.status == "推荐"
    portal = second_client.get(reverse("employers:portal")).content.decode()
    assert "别人的焊工" in portal and "我的缝纫工" not in portal
    answers = second_client.get(reverse("referrals:portal")).content.decode()
    assert "龙求职" not in answers
    assert "龙求职" in first_client.get(reverse("referrals:portal")).content.decode()


def test_the_portal_counts_referrals_and_the_job_page_lists_them(users, areas, client_for):
    account, _, mine, _, referral = _two_enterprises(users, areas)
    client = client_for(account)
    text = client.get(reverse("employers:portal")).content.decode()
    assert "有 1 位被推荐的求职者等待您答复" in text and "待答复 1" in text
    page = client.get(reverse("employers:portal_job_edit", args=[mine.pk])).content.decode()
    assert reverse("referrals:portal_detail", args=[referral.pk]) in page and "龙求职" in page
    client.post(reverse("referrals:portal_step", args=[referral.pk]), {"status": "有意向", "note": ""})
    text = client.get(reverse("employers:portal")).content.decode()
    assert "等待您答复" not in text and "待答复" not in text


def test_closing_from_the_job_page_returns_there(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    client = client_for(account)
    here = reverse("employers:portal_job_edit", args=[mine.pk])
    response = client.post(
        reverse("employers:portal_job_status", args=[mine.pk]), {"status": "closed", "next": here}
    )
    assert response.status_code == 302 and response.url == here
    response = client.post(
        reverse("employers:portal_job_status", args=[mine.pk]),
        {"status": "open", "next": "https://evil.example/"},
    )
    assert response.url == reverse("employers:portal")
    mine.refresh_from_db()
    assert mine.status == Job.Status.OPEN


def test_posting_without_a_number_numbers_the_job_and_infers_the_occupation(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    client = client_for(account)
    data = {"employer": mine.employer_id, "number": "", "title": "电焊工", "openings": "2",
            "area_code": "433124", "suitability": "auto"}  # fmt: skip
    response = client.post(reverse("employers:portal_job_create"), data)
    assert response.status_code == 302
    first = Job.objects.get(employer=mine.employer, title="电焊工")
    assert first.occupation_id == "6-18-02-04" and first.occupation_inferred
    client.post(reverse("employers:portal_job_create"), data | {"occupation_code": "6-05-01-03"})
    second = Job.objects.filter(employer=mine.employer, title="电焊工").exclude(pk=first.pk).get()
    assert second.occupation_id == "6-05-01-03" and not second.occupation_inferred
    assert first.number != second.number and first.number.endswith("-1") and second.number.endswith("-2")


def test_the_occupation_suggestion_serves_the_job_form_of_staff_and_enterprises(users, areas, client_for):
    account, _, _ = _setup(users, areas)
    url = reverse("jobs:occupation_suggest")
    for client in (client_for(account), client_for(users["county_a"])):
        text = client.get(url, {"title": "电焊工"}).content.decode()
        assert "6-18-02-04" in text and "填入" in text
        assert "未能" in client.get(url, {"title": "zzz"}).content.decode()
        assert client.get(url).content.decode().strip() == ""
    form = client_for(account).get(reverse("employers:portal_job_create")).content.decode()
    link = f'href="{reverse("jobs:occupations")}"'  # the classification page is for staff
    assert f'hx-get="{url}"' in form and link not in form
    assert link in client_for(users["county_a"]).get(reverse("jobs:create")).content.decode()
