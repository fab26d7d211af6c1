"""Warnings as work: who is responsible, the list and its export, acting on a warning from its page and
the API, notices to the assignee and to the level above, and the scan reacting at once to records."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import make_user
from bangfu.employment import actions as employment
from bangfu.notices.models import Notification
from bangfu.referrals.models import ServiceRecord
from bangfu.tracking import actions
from bangfu.tracking.models import Responsibility, Warning, WarningHelp, WarningStatus
from bangfu.tracking.notify import escalate_overdue
from bangfu.tracking.tests.warning_factories import (
    VILLAGE_A,
    VILLAGE_B,
    household,
    laborer,
    member,
    record,
    visit,
)
from bangfu.tracking.warnings import scan

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()


def ago(days):
    return (TODAY - dt.timedelta(days=days)).isoformat()


def lost_job(name="张三", village=VILLAGE_A, **fields):
    """A laborer of a household with a worker whose job ended five days ago: one 就业转失业 on scan."""
    home = household(village)
    worker = member(home, f"{name}之父", "1975-01-01")
    record(worker, "2020-01-01")
    visit(worker, ago(1))
    person = member(home, name, "1990-01-01", relation="之子", **fields)
    record(person, "2022-01-01", ago(5), "合同到期")
    visit(person, ago(4), "已离职")
    return person


def test_the_scan_assigns_the_responsible_person_and_tells_them(users, captured):
    person = lost_job()
    helper = users["village_a"]
    Responsibility.objects.create(household=person.household, area_id=VILLAGE_A, user=helper, since=TODAY)
    lone = lost_job("李四")  # nobody answers for him: the village's staff are told
    with captured():
        result = scan()
    assert result.raised == 2
    assert Warning.objects.get(person=person).assignee == helper
    assert Warning.objects.get(person=lone).assignee is None
    titles = sorted(Notification.objects.filter(recipient=helper).values_list("title", flat=True))
    assert titles == ["您负责的人员有 1 条新预警", "本村有 1 条新预警尚未指定帮扶责任人"]
    # A person's own responsible person comes before the household's.
    own = make_user("u_helper_own", users["village_a"].area, can_manage_users=False)
    actions.set_responsible(users["county_a"], user=own, person=person)
    assert Warning.objects.get(person=person).assignee == own


def test_setting_a_household_responsible_moves_its_open_warnings(users, captured):
    person = lost_job()
    scan()
    warning = Warning.objects.get(person=person)
    with captured():
        actions.set_responsible(users["township_a"], user=users["village_a"], household=person.household)
    warning.refresh_from_db()
    assert warning.assignee == users["village_a"]
    assert Notification.objects.filter(recipient=users["village_a"], title__contains="帮扶责任人").exists()
    event = AuditEvent.objects.filter(message__startswith="指定帮扶责任人").get()
    assert "1 条未处理预警随之转交" in event.message
    # A new assignment ends the previous one, so the history stays.
    actions.set_responsible(users["township_a"], user=users["township_a"], household=person.household)
    assert list(
        Responsibility.objects.filter(household=person.household).values_list("until", flat=True)
    ) == [
        None,
        TODAY,
    ]
    # County B cannot name anyone for county A's household.
    with pytest.raises(Exception, match="不在您的管辖区域内"):
        actions.set_responsible(users["county_b"], user=users["county_b"], household=person.household)


def test_a_warning_taken_in_hand_helped_and_closed_from_its_page(users, client_for, captured):
    person = lost_job()
    scan()
    warning = Warning.objects.get(person=person)
    client = client_for(users["village_a"])
    page = client.get(reverse("tracking:warning_detail", args=[warning.pk]))
    assert page.status_code == 200 and "开始处理" in page.content.decode()
    client.post(reverse("tracking:warning_start", args=[warning.pk]))
    warning.refresh_from_db()
    assert warning.status == WarningStatus.IN_HAND and warning.assignee == users["village_a"]
    # Guidance given: a 311 service record is made and linked.
    response = client.post(
        reverse("tracking:warning_help", args=[warning.pk]),
        {"kind": "职业指导", "on": TODAY.isoformat(), "note": "电话指导求职"},
    )
    assert response.status_code == 302
    help_given = WarningHelp.objects.get(warning=warning)
    assert help_given.service == ServiceRecord.objects.get(person=person, kind="职业指导")
    # The village's clerk may give it only to staff they see; the county may give it to the township.
    assign = reverse("tracking:warning_assign", args=[warning.pk])
    client.post(assign, {"assignee": users["township_a"].pk})
    warning.refresh_from_db()
    assert warning.assignee == users["village_a"]
    with captured():
        client_for(users["county_a"]).post(assign, {"assignee": users["township_a"].pk})
    warning.refresh_from_db()
    assert warning.assignee == users["township_a"]
    assert Notification.objects.filter(
        recipient=users["township_a"], link__endswith=f"/{warning.pk}/"
    ).exists()
    # Closing needs a reason.
    client.post(reverse("tracking:warning_close", args=[warning.pk]), {"reason": ""})
    warning.refresh_from_db()
    assert warning.is_open
    client.post(reverse("tracking:warning_close", args=[warning.pk]), {"reason": "已在县内扶贫车间务工"})
    warning.refresh_from_db()
    assert (warning.status, warning.end_reason, warning.ended_by) == (
        WarningStatus.CLOSED,
        "已在县内扶贫车间务工",
        users["village_a"],
    )
    assert AuditEvent.objects.filter(message__startswith="关闭预警").exists()
    # Closed for this episode: the scan does not raise it again.
    assert scan().raised == 0


def test_the_list_filters_and_costs_the_same_queries_for_more_rows(users, client_for):
    for i in range(3):
        lost_job(f"甲{i}")
    scan()
    client = client_for(users["county_a"])
    url = reverse("tracking:warning_list")

    def queries():
        with CaptureQueriesContext(connection) as seen:
            assert client.get(url).status_code == 200
        return len(seen)

    few = queries()
    for i in range(5):
        lost_job(f"乙{i}")
    scan()
    assert queries() == few
    text = client.get(url + "?kind=就业转失业").content.decode()
    assert text.count("就业转失业</a>") == 8
    assert "甲0" not in client.get(url + "?kind=零就业家庭").content.decode()
    assert "甲0" not in client.get(url + "?status=已解除").content.decode()
    assert "甲0" not in client.get(url + "?assignee=me").content.decode()
    assert "甲0" in client.get(url + "?assignee=none").content.decode()


def test_overdue_warnings_show_and_are_told_to_the_level_above(users, client_for, captured):
    person = lost_job()
    scan()
    warning = Warning.objects.get(person=person)
    assert warning.due_on == TODAY + dt.timedelta(days=7)  # 就业预警.处理期限天数
    Warning.objects.filter(pk=warning.pk).update(due_on=TODAY - dt.timedelta(days=1))  # time passes
    page = client_for(users["county_a"]).get(reverse("tracking:warning_list")).content.decode()
    assert "下级有 <strong>1</strong> 条预警已过处理期限" in page
    listed = (
        client_for(users["county_a"]).get(reverse("tracking:warning_list") + "?overdue=1").content.decode()
    )
    assert "张三" in listed and "逾期</span>" in listed
    with captured():
        assert escalate_overdue() == 1
    assert Notification.objects.filter(
        recipient=users["township_a"], title="辖区有 1 条预警逾期未处理"
    ).exists()
    assert escalate_overdue() == 0  # once


def test_export_masks_ids_for_users_who_may_not_see_them(users, client_for, areas):
    person = lost_job()
    scan()
    clerk = make_user("u_clerk", areas["county_a"], can_view_sensitive=False)
    response = client_for(clerk).get(reverse("tracking:warning_export"))
    content = io.BytesIO(b"".join(response.streaming_content))
    rows = CalamineWorkbook.from_filelike(content).get_sheet_by_index(0).to_python()
    assert rows[0][:5] == ["证件号码", "户编号", "预警类型", "预警日期", "说明"]
    ids = {r[0] for r in rows[1:]}
    assert person.masked_id in ids and person.id_number not in ids
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__contains="证件号码脱敏").exists()
    full = client_for(users["county_a"]).get(reverse("tracking:warning_export") + "?format=csv")
    assert person.id_number in b"".join(full.streaming_content).decode("utf-8-sig")


def test_the_api_lists_and_acts(users, client_for):
    person = lost_job()
    outsider = lost_job("外县", VILLAGE_B)
    scan()
    client = client_for(users["county_a"])
    listed = client.get("/api/v1/warnings/?kind=就业转失业").json()
    assert [r["person"] for r in listed["results"]] == [person.pk]
    assert listed["results"][0]["person_id_number"] == person.masked_id
    warning = Warning.objects.get(person=person)
    base = f"/api/v1/warnings/{warning.pk}/"
    assert client.get(base + "status/").json() == {"status": "待处理", "next_statuses": ["处理中", "已关闭"]}
    assert client.post(base + "status/", {"status": "处理中"}).json()["status"] == "处理中"
    users_offered = {u["id"] for u in client.get(base + "assign/").json()["users"]}
    assert users["village_a"].pk in users_offered and users["county_b"].pk not in users_offered
    assert client.post(base + "assign/", {"assignee": users["county_b"].pk}).status_code == 400
    body = client.post(base + "assign/", {"assignee": users["village_a"].pk}).json()
    assert body["assignee_name"] == users["village_a"].display_name
    body = client.post(base + "help/", {"kind": "政策宣传", "note": "讲解稳岗补贴"}).json()
    assert body["helps"][0]["kind"] == "政策宣传"
    assert client.post(base + "status/", {"status": "已关闭"}).status_code == 400  # no reason
    assert (
        client.post(base + "status/", {"status": "已关闭", "reason": "已自主就业"}).json()["status"]
        == "已关闭"
    )
    other = Warning.objects.get(person=outsider)
    assert client.get(f"/api/v1/warnings/{other.pk}/").status_code == 404


def test_ending_a_record_raises_the_warning_at_once(users, captured):
    person = laborer("王五")
    job = record(person, "2023-01-01")
    visit(person, ago(1))
    with captured():
        employment.end_record(users["village_a"], job, TODAY - dt.timedelta(days=1), reason="解除劳动关系")
    assert set(Warning.objects.filter(person=person).values_list("kind", flat=True)) == {"就业转失业"}
    assert Warning.objects.filter(household=person.household, kind="零就业家庭").exists()
    with captured():
        employment.create_record(users["village_a"], person, type(job)(started_on=TODAY, place="县内"))
    assert not Warning.objects.filter(status__in=("待处理", "处理中")).exists()


def test_a_visit_that_finds_nobody_raises_the_warning_at_once(users, captured):
    from bangfu.tracking.actions import record_visit

    person = lost_job()
    scan()
    with captured():
        record_visit(users["village_a"], person, visited_on=TODAY, method="电话", result="联系不上")
    assert Warning.objects.filter(person=person, kind="联系不上", status="待处理").exists()
    with captured():
        record_visit(users["village_a"], person, visited_on=TODAY, method="上门", result="不愿就业")
    assert Warning.objects.get(person=person, kind="联系不上").status == WarningStatus.CLEARED
