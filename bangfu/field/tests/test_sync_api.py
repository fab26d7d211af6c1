"""The sync API applies each offline entry once, through the actions of tracking, employment and posts,
and within the sender's area only; what cannot be applied comes back with its reason in Chinese."""

import datetime as dt
import json
import uuid

import pytest
from django.test import Client

from bangfu.audit.models import AuditEvent
from bangfu.conftest import area
from bangfu.employment.models import EmploymentRecord
from bangfu.field.models import Entry
from bangfu.field.tests.factories import entry, send, visit
from bangfu.posts.models import Duty
from bangfu.posts.tests.factories import hold, post
from bangfu.referrals.tests.factories import VILLAGE_A, make_person
from bangfu.registry.models import Person
from bangfu.tracking.models import Visit

DAY = dt.date(2026, 3, 2)
OTHER_VILLAGE = "433124102202"  # another village of 龙潭镇


@pytest.fixture
def officer(users, client_for):
    return client_for(users["village_a"])


def results(response):
    assert response.status_code == 200, response.content
    return {r["key"]: r for r in response.json()["results"]}


def test_an_entry_sent_twice_is_applied_once_and_answers_the_same(users, officer):
    person = make_person("龙大")
    item = visit(person, DAY, result="不愿就业")
    first = results(send(officer, [item]))[item["key"]]
    again = results(send(officer, [item]))[item["key"]]
    assert first["status"] == again["status"] == "applied"
    assert (first["duplicate"], again["duplicate"]) == (False, True)
    assert first["received_at"] == again["received_at"]
    assert Visit.objects.filter(person=person).count() == 1
    assert Entry.objects.filter(key=item["key"]).count() == 1
    saved = Entry.objects.get(key=item["key"])
    assert saved.target == f"tracking.visit:{Visit.objects.get(person=person).pk}"
    assert saved.recorded_at < saved.received_at
    trail = AuditEvent.objects.filter(object_type="field.entry", object_id=str(saved.pk)).get()
    assert "离线录入（跟踪回访）：龙大，手机录入于" in trail.message


def test_the_same_key_from_another_user_is_their_own_entry(users, officer, client_for):
    person = make_person("龙二")
    item = visit(person, DAY)
    results(send(officer, [item]))
    township = results(send(client_for(users["township_a"]), [item]))[item["key"]]
    assert township["duplicate"] is False and township["status"] == "applied"
    assert Entry.objects.filter(key=item["key"]).count() == 2


def test_an_outsiders_entry_is_refused_without_saying_whether_the_person_exists(users, client_for):
    person = make_person("龙三")
    outsider = client_for(users["county_b"])
    events = AuditEvent.objects.filter(object_type="tracking.visit").count()
    known = visit(person, DAY)
    unknown = {**visit(person, DAY), "person": 987654321}
    answers = results(send(outsider, [known, unknown]))
    assert answers[known["key"]]["status"] == answers[unknown["key"]]["status"] == "rejected"
    assert answers[known["key"]]["reason"] == answers[unknown["key"]]["reason"]
    assert "不在您的管辖区域内" in answers[known["key"]]["reason"]
    assert not Visit.objects.filter(person=person).exists()
    assert AuditEvent.objects.filter(object_type="tracking.visit").count() == events
    # The refused entry is kept under the outsider's own area, never the person's.
    assert Entry.objects.get(key=known["key"]).area_id == users["county_b"].area_id


def test_a_person_moved_out_of_the_village_comes_back_with_the_reason(users, officer):
    person = make_person("龙四")
    item = visit(person, DAY)
    Person.objects.filter(pk=person.pk).update(area=area("433123109225"))  # moved to county B
    answer = results(send(officer, [item]))[item["key"]]
    assert answer["status"] == "rejected"
    assert "可能已迁出" in answer["reason"]
    assert not Visit.objects.filter(person=person).exists()


def test_a_township_officer_keeps_a_person_moved_within_the_township(users, client_for):
    person = make_person("龙五")
    item = visit(person, DAY)
    Person.objects.filter(pk=person.pk).update(area=area(OTHER_VILLAGE))
    answer = results(send(client_for(users["township_a"]), [item]))[item["key"]]
    assert answer["status"] == "applied"


def test_employment_start_and_end_go_through_the_records(users, officer):
    person = make_person("龙六")
    start = entry("employment_start", person, employer_name="花垣县某公司", started_on=DAY, place="县内")
    assert results(send(officer, [start]))[start["key"]]["status"] == "applied"
    record = EmploymentRecord.objects.get(person=person)
    assert record.source_ref == f"offline:{uuid.UUID(start['key']).hex}"
    person.refresh_from_db()
    assert person.employment_status != "未务工"

    stale = entry("employment_end", person, record=record.pk, ended_on=DAY, seen="2020-01-01T00:00:00+00:00")
    answer = results(send(officer, [stale]))[stale["key"]]
    assert answer["status"] == "rejected" and "已被他人修改" in answer["reason"]

    seen = json.loads(officer.get("/field/people.json").content)
    job = next(p for p in seen["people"] if p["id"] == person.pk)["jobs"][0]
    end = entry("employment_end", person, record=job["id"], ended_on=DAY, reason="返乡", seen=job["v"])
    assert results(send(officer, [end]))[end["key"]]["status"] == "applied"
    record.refresh_from_db()
    assert (record.ended_on, record.end_reason) == (DAY, "返乡")
    again = entry("employment_end", person, record=job["id"], ended_on=DAY, seen=job["v"])
    assert "已结束" in results(send(officer, [again]))[again["key"]]["reason"]


def test_duty_changed_meanwhile_is_refused_and_the_version_seen_is_applied(users, officer, client_for):
    person = make_person("龙七")
    hold(person, post(VILLAGE_A, title="保洁员"), started=dt.date(2026, 1, 1))
    first = entry("duty", person, month="2026-02", days_on_duty=20, days_due=22, seen="")
    assert results(send(officer, [first]))[first["key"]]["status"] == "applied"
    # Someone else's entry made before it saw no duty either: refused, the month's figure named.
    late = entry("duty", person, month="2026-02", days_on_duty=12, days_due=22, seen="")
    answer = results(send(client_for(users["township_a"]), [late]))[late["key"]]
    assert answer["status"] == "rejected" and "在岗 20/22 天" in answer["reason"]
    assert Duty.objects.get(person=person, month="2026-02").days_on_duty == 20


def test_wrong_values_come_back_with_the_actions_reason(users, officer):
    person = make_person("龙八")
    future = visit(person, dt.date.today() + dt.timedelta(days=3))
    no_post = entry("duty", person, month="2026-02", days_on_duty=20, days_due=22, seen="")
    answers = results(send(officer, [future, no_post]))
    assert "回访日期不能晚于今天" in answers[future["key"]]["reason"]
    assert "没有本区域公益性岗位的在岗记录" in answers[no_post["key"]]["reason"]
    assert Entry.objects.filter(status="rejected").count() == 2


def test_entries_of_another_login_are_not_applied(users, officer):
    person = make_person("龙九")
    response = send(officer, [visit(person, DAY)], user=users["township_a"])
    assert response.status_code == 409
    assert not Visit.objects.filter(person=person).exists()


def test_sync_needs_the_csrf_token_and_a_session(users):
    person = make_person("龙十")
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(users["village_a"])
    body = json.dumps({"entries": [visit(person, DAY)]})
    assert browser.post("/field/sync/", body, content_type="application/json").status_code == 403
    token = browser.get("/field/sync/").json()["csrf"]
    ok = browser.post("/field/sync/", body, content_type="application/json", HTTP_X_CSRFTOKEN=token)
    assert ok.status_code == 200 and ok.json()["results"][0]["status"] == "applied"
    assert Client().get("/field/people.json").status_code == 401


def test_the_list_is_the_officers_laborers_masked(users, officer, client_for):
    mine = make_person("龙甲", phone="13912345678")
    theirs = make_person("凤乙", village="433123109225")
    seen = officer.get("/field/people.json")
    assert seen["Cache-Control"].startswith("max-age=0") or "no-store" in seen["Cache-Control"]
    data = seen.json()
    names = {p["name"] for p in data["people"]}
    assert "龙甲" in names and "凤乙" not in names
    row = next(p for p in data["people"] if p["id"] == mine.pk)
    assert row["idm"] == mine.masked_id and mine.id_number not in seen.content.decode()
    assert "13912345678" not in seen.content.decode() and row["phone"] == mine.masked_phone
    assert "龙甲" not in client_for(users["county_b"]).get("/field/people.json").content.decode()
    assert theirs.pk not in {p["id"] for p in data["people"]}


def test_the_shell_holds_no_personal_data_and_logout_clears_the_site(users, officer):
    make_person("龙丙")
    shell = officer.get("/field/")
    assert shell.status_code == 200 and "龙丙" not in shell.content.decode()
    assert "u_village_a" not in shell.content.decode()
    worker = officer.get("/field/sw.js")
    assert worker["Content-Type"].startswith("application/javascript")
    assert "/field/people.json" not in json.dumps(worker.content.decode().split("ASSETS = ")[1].split(";")[0])
    manifest = officer.get("/field/manifest.webmanifest").json()
    assert manifest["start_url"] == "/field/" and manifest["display"] == "standalone"
    logout = officer.post("/logout/")
    assert logout["Clear-Site-Data"] == '"cache", "storage"'


def test_the_visited_peoples_warnings_are_rescanned_once_per_sync(users, officer):
    from bangfu.tracking.signals import visits_recorded

    people = [make_person(f"龙{n}号") for n in range(3)]
    calls = []

    def heard(sender, person_ids=(), **kwargs):
        calls.append(sorted(person_ids))

    visits_recorded.connect(heard, dispatch_uid="field-test")
    try:
        items = [visit(p, DAY) for p in people]
        results(send(officer, items))
        results(send(officer, items))  # sent again: nothing new, nothing rescanned
    finally:
        visits_recorded.disconnect(dispatch_uid="field-test")
    assert calls == [sorted(p.pk for p in people)]


def test_employment_changes_are_announced_once_per_sync(users, officer):
    from bangfu.employment.signals import records_changed

    people = [make_person(f"石{n}号") for n in range(3)]
    calls = []

    def heard(sender, person_ids=(), **kwargs):
        calls.append(sorted(person_ids))

    records_changed.connect(heard, dispatch_uid="field-test")
    try:
        starts = [entry("employment_start", p, employer_name="吉首某厂", started_on=DAY) for p in people]
        results(send(officer, starts))
    finally:
        records_changed.disconnect(dispatch_uid="field-test")
    assert calls == [sorted(p.pk for p in people)]
    assert EmploymentRecord.objects.filter(person__in=people).count() == 3
