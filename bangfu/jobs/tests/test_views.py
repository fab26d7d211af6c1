"""Job pages: own-subtree list and filters, open postings from everywhere, create/edit/close within one's
subtree only, the import page."""

import datetime as dt
import json

from django.urls import reverse

from bangfu.employers.tests.conftest import employer_of
from bangfu.jobs import actions
from bangfu.jobs.models import Job
from bangfu.jobs.tests.conftest import job_row, write_jobs_xlsx


def _job(actor, employer, number, title, area, **values):
    return actions.save_job(
        actor, Job(employer=employer, number=number, title=title, openings=3, area=area, **values), infer=True
    )


def test_list_filters(users, areas, client_for):
    actor = users["county_a"]
    employer = employer_of(actor)
    _job(actor, employer, "A1", "缝纫工", areas["village_a"], wage_min=3000, wage_max=4000)
    _job(
        actor,
        employer,
        "A2",
        "维修电工",
        areas["village_a"],
        wage_min=5000,
        wage_max=6000,
        skills_required="持电工证",
    )
    client = client_for(actor)

    def titles(query):
        return [
            t
            for t in ("缝纫工", "维修电工")
            if t in client.get(reverse("jobs:list") + query).content.decode()
        ]

    assert titles("") == ["缝纫工", "维修电工"]
    assert titles("?occupation=6-05") == ["缝纫工"]
    assert titles("?wage=5500") == ["维修电工"]
    assert titles("?suits_low_skill=true") == ["缝纫工"]
    assert titles("?q=电工") == ["维修电工"]


def test_postings_show_open_jobs_of_other_areas_read_only(users, areas, client_for):
    actor = users["county_a"]
    employer = employer_of(actor)
    open_job = _job(actor, employer, "P1", "苗绣工", areas["village_a"], deadline=dt.date(2099, 1, 1))
    past = _job(actor, employer, "P2", "过期岗位", areas["village_a"], deadline=dt.date(2020, 1, 1))
    closed = _job(actor, employer, "P3", "已结束岗位", areas["village_a"])
    actions.set_job_status(actor, closed, Job.Status.CLOSED)
    b = client_for(users["county_b"])
    text = b.get(reverse("jobs:postings")).content.decode()
    assert "苗绣工" in text and "过期岗位" not in text and "已结束岗位" not in text
    assert "苗绣工" not in b.get(reverse("jobs:list")).content.decode()
    detail = b.get(reverse("jobs:detail", args=[open_job.pk])).content.decode()
    assert "苗绣工" in detail and reverse("jobs:edit", args=[open_job.pk]) not in detail
    assert b.get(reverse("jobs:detail", args=[closed.pk])).status_code == 404
    assert b.get(reverse("jobs:edit", args=[open_job.pk])).status_code == 404
    assert b.post(reverse("jobs:status", args=[open_job.pk])).status_code == 404
    assert past.pk


def test_create_infers_the_occupation_and_refuses_other_areas(users, areas, client_for):
    actor = users["county_a"]
    employer = employer_of(actor)
    client = client_for(actor)
    data = {"employer": employer.pk, "number": "N1", "title": "叉车司机", "openings": "2",
            "area_code": "433124",
            "suitability": "auto", "board": ""}  # fmt: skip
    response = client.post(reverse("jobs:create"), data)
    job = Job.objects.get(number="N1")
    assert response.status_code == 302 and job.occupation_id == "6-30-05-01" and job.occupation_inferred
    data.update({"number": "N2", "area_code": "433123"})
    refused = client.post(reverse("jobs:create"), data)
    assert "管辖区域" in refused.content.decode() and not Job.objects.filter(number="N2").exists()
    data.update({"number": "N3", "area_code": "433124", "wage_min": "5000", "wage_max": "3000"})
    assert "不能低于下限" in client.post(reverse("jobs:create"), data).content.decode()


def test_edit_keeps_openings_left_in_step_and_close_reopen(users, areas, client_for):
    actor = users["county_a"]
    job = _job(actor, employer_of(actor), "E1", "保洁员", areas["village_a"])
    Job.objects.filter(pk=job.pk).update(openings_left=1)
    client = client_for(actor)
    data = {"title": "保洁员", "openings": "5", "area_code": job.area_id, "occupation_code": "4-09-08-01",
            "suitability": "no", "board": "yes"}  # fmt: skip
    assert client.post(reverse("jobs:edit", args=[job.pk]), data).status_code == 302
    job.refresh_from_db()
    assert (job.openings, job.openings_left, job.suits_low_skill, job.suits_low_skill_by_rule) == (
        5,
        3,
        False,
        False,
    )
    client.post(reverse("jobs:status", args=[job.pk]), {"status": "closed"})
    job.refresh_from_db()
    assert job.status == Job.Status.CLOSED
    client.post(reverse("jobs:status", args=[job.pk]), {"status": "open"})
    job.refresh_from_db()
    assert job.status == Job.Status.OPEN


def test_import_page_and_report(users, client_for, tmp_path):
    client = client_for(users["county_a"])
    path = write_jobs_xlsx(tmp_path / "岗位.xlsx", [job_row("I1"), job_row("I2", 招聘人数="0")])
    with open(path, "rb") as fh:
        response = client.post(reverse("jobs:import_new"), {"file": fh})
    assert response.status_code == 302
    page = client.get(response.url).content.decode()
    assert "新增岗位 1" in page and "下载错误报告" in page
    assert "I1" in client.get(reverse("jobs:list")).content.decode()


def test_occupation_search_and_rules_pages(users, client_for):
    client = client_for(users["county_a"])
    text = client.get(reverse("jobs:occupations") + "?q=电子厂普工").content.decode()
    assert "6-25-04-07" in text
    rules = client.get(reverse("rules:index")).content.decode()  # the suitability rules live with all rules
    assert 'id="kind-suitability"' in rules and "初中" in rules


def test_api_lists_own_jobs_postings_everywhere_and_writes_in_scope(users, areas, client_for):
    actor = users["county_a"]
    employer = employer_of(actor)
    job = _job(actor, employer, "API1", "缝纫工", areas["village_a"])
    a, b = client_for(actor), client_for(users["county_b"])
    assert [j["number"] for j in a.get(reverse("job-list")).json()["results"]] == ["API1"]
    assert b.get(reverse("job-list")).json()["results"] == []
    assert [j["number"] for j in b.get(reverse("job-postings")).json()["results"]] == ["API1"]
    assert b.get(reverse("job-detail", args=[job.pk])).status_code == 200  # an open posting
    patch = json.dumps({"openings": 9})
    assert (
        b.patch(reverse("job-detail", args=[job.pk]), patch, content_type="application/json").status_code
        == 404
    )
    response = a.patch(reverse("job-detail", args=[job.pk]), patch, content_type="application/json")
    assert response.status_code == 200 and response.json()["openings"] == 9
    created = a.post(
        reverse("job-list"),
        json.dumps(
            {"employer": employer.pk, "number": "API2", "title": "保安", "openings": 2, "area": "433124"}
        ),
        content_type="application/json",
    )
    assert created.status_code == 201 and created.json()["occupation"] == "4-07-05-01"
    outside = a.post(
        reverse("job-list"),
        json.dumps(
            {"employer": employer.pk, "number": "API3", "title": "保安", "openings": 2, "area": "433123"}
        ),
        content_type="application/json",
    )
    assert outside.status_code == 403


def test_employer_api(users, client_for):
    from bangfu.employers.creditcode import make_credit_code

    a = client_for(users["county_a"])
    body = {"credit_code": make_credit_code("433124", 77), "name": "接口单位", "kind": "企业",
            "area": "433124",
            "contact_phone": "13912345678"}  # fmt: skip
    created = a.post(reverse("employer-list"), json.dumps(body), content_type="application/json")
    assert created.status_code == 201 and created.json()["contact_phone"] == "139****5678"
    body["credit_code"] = body["credit_code"][:17] + ("0" if body["credit_code"][17] != "0" else "1")
    bad = a.post(reverse("employer-list"), json.dumps(body), content_type="application/json")
    assert bad.status_code == 400 and "校验位" in json.dumps(bad.json(), ensure_ascii=False)
    assert [e["name"] for e in a.get(reverse("employer-list")).json()["results"]] == ["接口单位"]
    assert client_for(users["county_b"]).get(reverse("employer-list")).json()["results"] == []
