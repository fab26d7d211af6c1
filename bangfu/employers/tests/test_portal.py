"""The enterprise portal: an enterprise account lands there at login, sees and manages only its own
jobs, and never gets staff pages."""

import datetime as dt

from django.urls import reverse

from bangfu.conftest import PASSWORD
from bangfu.employers import actions
from bangfu.employers.tests.conftest import employer_of
from bangfu.jobs import actions as job_actions
from bangfu.jobs.models import Job


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


def test_staff_pages_and_api_are_closed_to_enterprise_accounts(users, areas, client_for):
    account, mine, _ = _setup(users, areas)
    client = client_for(account)
    for name in ("jobs:list", "jobs:postings", "employers:list", "dashboard:home"):
        assert client.get(reverse(name)).status_code == 403, name
    assert client.get(reverse("jobs:detail", args=[mine.pk])).status_code == 403
    assert client.get(reverse("job-list")).status_code == 403
    assert client_for(users["county_a"]).get(reverse("employers:portal")).status_code == 403
