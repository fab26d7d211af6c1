"""The receiving area (输入地): staff where a laborer from elsewhere works see that laborer — and only
while the record is in force, only the narrow fields, audited — confirm the work or its end, and the
home county sees who confirmed what. Every other user sees nothing of it."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import VILLAGE_A, area, make_user
from bangfu.employment.actions import end_record
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import make_person
from bangfu.tracking import actions
from bangfu.tracking.models import Confirmation

NINGXIANG = "430182001001"  # a village of 宁乡市: the home of the laborers from elsewhere
TODAY = timezone.localdate()


def _record(person, work_area, started=dt.date(2026, 1, 5), ended=None, **fields):
    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, work_area=area(work_area) if work_area else None,
        employer_name=fields.pop("employer_name", "花垣外来电子厂"), place=fields.pop("place", "省内县外"),
        started_on=started, ended_on=ended, **fields,
    )  # fmt: skip


@pytest.fixture
def world(users):
    incomer = make_person("外来甲", NINGXIANG, phone="13955556666", ethnicity="苗族")
    local = make_person("本地乙", VILLAGE_A)
    elsewhere = make_person("广州丙", NINGXIANG)
    left = make_person("已离丁", NINGXIANG)
    future = make_person("将入戊", NINGXIANG)
    last_day = make_person("今离己", NINGXIANG)
    records = {
        "incomer": _record(incomer, VILLAGE_A),
        "local": _record(local, VILLAGE_A, place="县内"),
        "elsewhere": _record(elsewhere, "440105"),
        "left": _record(left, VILLAGE_A, ended=TODAY - dt.timedelta(days=1)),
        "future": _record(future, VILLAGE_A, started=TODAY + dt.timedelta(days=1)),
        "last_day": _record(last_day, "433124102"),  # ends today: still in force today
    }
    records["last_day"].ended_on = TODAY
    records["last_day"].save()
    return {
        "records": records,
        "ningxiang": make_user("u_ningxiang", area("430182")),
        "third": make_user("u_third", area("433101")),
    }


def _names(user):
    return {r.person.name for r in EmploymentRecord.objects.for_receiving_user(user).select_related("person")}


def test_who_sees_whom(world, users):
    assert _names(users["county_a"]) == {"外来甲", "今离己"}
    assert _names(users["township_a"]) == {"外来甲", "今离己"}
    assert _names(users["village_a"]) == {"外来甲"}
    # Outsiders: another county, a third one, the home county itself (its own people are read through
    # for_user), and the province above both (the same).
    for outsider in (users["county_b"], world["third"], world["ningxiang"], users["province"]):
        assert _names(outsider) == set(), outsider
    users["county_a"].is_active = False
    assert _names(users["county_a"]) == set()


def test_an_ended_record_vanishes(world, users):
    record = world["records"]["incomer"]
    assert "外来甲" in _names(users["county_a"])
    end_record(users["county_a"], record, TODAY - dt.timedelta(days=2), reason="合同到期")
    assert "外来甲" not in _names(users["county_a"])
    with pytest.raises(PermissionDenied):  # and once gone, it cannot be touched again from here
        actions.confirm_employment(users["county_a"], record, on=TODAY, outcome="在岗")


def test_the_list_shows_narrow_fields_and_is_audited(world, users, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("tracking:receiving"))
    text = page.content.decode()
    incomer = world["records"]["incomer"].person
    assert "外来甲" in text and incomer.masked_id in text and "宁乡市" in text and "花垣外来电子厂" in text
    assert "2026-01-05" in text
    for secret in (incomer.id_number, incomer.phone, incomer.household.number, "苗族", "文中社区"):
        assert secret not in text, secret
    for hidden in ("本地乙", "广州丙", "已离丁", "将入戊"):
        assert hidden not in text
    event = AuditEvent.objects.get(action=Action.VIEW, actor=users["county_a"])
    assert event.area_code == users["county_a"].area_id
    assert set(event.after["records"]) == {world["records"]["incomer"].pk, world["records"]["last_day"].pk}
    # The receiving area gets no further: the person page, the home county's records list stay closed.
    assert client.get(reverse("registry:person_detail", args=[incomer.pk])).status_code == 404
    assert "外来甲" not in client.get(reverse("employment:list")).content.decode()
    # A name search narrows; an empty page writes no event.
    assert "外来甲" not in client.get(reverse("tracking:receiving"), {"q": "今离"}).content.decode()
    before = AuditEvent.objects.filter(action=Action.VIEW).count()
    client.get(reverse("tracking:receiving"), {"q": "没有这个人"})
    assert AuditEvent.objects.filter(action=Action.VIEW).count() == before


def test_outsiders_get_nothing_from_the_pages(world, users, client_for):
    record = world["records"]["incomer"]
    for outsider in (users["county_b"], world["third"], world["ningxiang"]):
        client = client_for(outsider)
        assert "外来甲" not in client.get(reverse("tracking:receiving")).content.decode()
        assert client.get(reverse("tracking:receiving_detail", args=[record.pk])).status_code == 404
        response = client.post(reverse("tracking:receiving_confirm", args=[record.pk]), {"outcome": "在岗"})
        assert response.status_code == 404
    assert not Confirmation.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.VIEW).exists()
    # A record outside the receiving scope is not reachable by its number either.
    client = client_for(users["county_a"])
    for key in ("local", "elsewhere", "left", "future"):
        assert (
            client.get(reverse("tracking:receiving_detail", args=[world["records"][key].pk])).status_code
            == 404
        )


def test_confirm_in_work_and_the_home_county_sees_it(world, users, client_for):
    record = world["records"]["incomer"]
    client = client_for(users["village_a"])
    detail = client.get(reverse("tracking:receiving_detail", args=[record.pk]))
    assert detail.status_code == 200 and "宁乡市" in detail.content.decode()
    viewed = AuditEvent.objects.get(action=Action.VIEW, actor=users["village_a"])
    assert viewed.area_code == NINGXIANG  # the home county's log shows who looked at its person
    response = client.post(
        reverse("tracking:receiving_confirm", args=[record.pk]),
        {"outcome": "在岗", "on": TODAY.isoformat(), "note": "到厂核实"},
    )
    assert response.status_code == 302
    confirmation = Confirmation.objects.get()
    assert confirmation.confirmer_area_id == VILLAGE_A and confirmation.area_id == NINGXIANG
    assert confirmation.by == users["village_a"] and confirmation.outcome == "在岗"
    record.refresh_from_db()
    assert record.ended_on is None
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="tracking.confirmation")
    assert created.area_code == NINGXIANG
    home = client_for(world["ningxiang"])
    page = home.get(reverse("registry:person_detail", args=[record.person_id])).content.decode()
    assert "输入地确认在岗：花垣外来电子厂" in page  # the timeline
    assert f"输入地确认在岗：{TODAY:%Y-%m-%d}，土地村" in page  # the record
    assert "到厂核实" in page


def test_confirm_end_ends_the_record(world, users, client_for):
    record = world["records"]["incomer"]
    client = client_for(users["county_a"])
    bad = client.post(
        reverse("tracking:receiving_confirm", args=[record.pk]), {"outcome": "已离职", "on": TODAY}
    )
    assert "确认离职须填写离职日期" in bad.content.decode()
    ended_on = TODAY - dt.timedelta(days=3)
    response = client.post(
        reverse("tracking:receiving_confirm", args=[record.pk]),
        {"outcome": "已离职", "on": TODAY.isoformat(), "ended_on": ended_on.isoformat(), "reason": "返乡"},
    )
    assert response.status_code == 302 and response.url == reverse("tracking:receiving")
    record.refresh_from_db()
    assert record.ended_on == ended_on and record.end_reason == "返乡"
    record.person.refresh_from_db()
    assert record.person.employment_status == "未务工"
    assert Confirmation.objects.get().ended_on == ended_on
    assert [r.person.name for r, _ in client.get(reverse("tracking:receiving")).context["rows"]] == ["今离己"]
    timeline = client_for(world["ningxiang"]).get(reverse("registry:person_detail", args=[record.person_id]))
    assert "输入地确认离职：花垣外来电子厂" in timeline.content.decode()


def test_end_record_allows_the_receiving_area_and_nobody_else(world, users):
    with pytest.raises(PermissionDenied):
        end_record(users["county_b"], world["records"]["incomer"], TODAY)
    with pytest.raises(PermissionDenied):
        end_record(users["county_a"], world["records"]["elsewhere"], TODAY)
    end_record(users["county_a"], world["records"]["incomer"], TODAY)
    with pytest.raises(PermissionDenied):
        actions.confirm_employment(users["county_b"], world["records"]["last_day"], on=TODAY, outcome="在岗")


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("tracking:receiving")).status_code == 200
    return len(ctx.captured_queries)


def test_list_queries_do_not_grow(world, users, client_for):
    client = client_for(users["county_a"])
    before = _queries(client)
    for i in range(20):
        _record(make_person(f"外来{i}", NINGXIANG), VILLAGE_A)
    assert _queries(client) == before


def test_the_receiving_area_records_visits(world, users, client_for):
    from bangfu.tracking.models import Visit

    record = world["records"]["incomer"]
    person = record.person
    client = client_for(users["county_a"])
    url = reverse("tracking:receiving_visit", args=[record.pk])
    response = client.post(
        url, {"visited_on": TODAY.isoformat(), "method": "上门", "result": "在岗", "note": "厂里见到"}
    )
    assert response.status_code == 302
    visit = Visit.objects.get(person=person)
    assert visit.source == "输入地" and visit.by == users["county_a"] and visit.area_id == NINGXIANG
    detail = client.get(reverse("tracking:receiving_detail", args=[record.pk])).content.decode()
    assert "厂里见到" in detail
    home = (
        client_for(world["ningxiang"])
        .get(reverse("registry:person_detail", args=[person.pk]))
        .content.decode()
    )
    assert "上门回访：在岗（输入地）" in home
    # 返乡 ends the record the day of the visit, through end_record: gone from the receiving list.
    yesterday = TODAY - dt.timedelta(days=1)
    response = client.post(url, {"visited_on": yesterday.isoformat(), "method": "电话", "result": "返乡"})
    assert response.status_code == 302 and response.url == reverse("tracking:receiving")
    record.refresh_from_db()
    assert record.ended_on == yesterday and record.end_reason == "返乡"
    # The rights: the receiving path only for a record in force there; the ordinary path stays the home's.
    with pytest.raises(PermissionDenied):
        actions.record_visit(users["county_a"], person, visited_on=TODAY, method="微信", result="在岗",
                             source="输入地")  # fmt: skip
    other = world["records"]["last_day"].person
    with pytest.raises(PermissionDenied):
        actions.record_visit(users["county_a"], other, visited_on=TODAY, method="微信", result="在岗")
    with pytest.raises(PermissionDenied):
        actions.record_visit(users["county_b"], other, visited_on=TODAY, method="微信", result="在岗",
                             source="输入地")  # fmt: skip
    assert (
        client_for(users["county_b"])
        .post(
            reverse("tracking:receiving_visit", args=[world["records"]["last_day"].pk]),
            {"visited_on": TODAY.isoformat(), "method": "电话", "result": "在岗"},
        )
        .status_code
        == 404
    )
