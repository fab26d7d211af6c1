"""The person page's timeline: every kind of event in one list, newest first, typed and linked, masked
where the field history is, at a fixed number of queries whatever the length of the history."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.models import Referral, ReferralStep
from bangfu.registry.models import Change
from bangfu.tracking.models import (
    Confirmation,
    Visit,
    Warning,
    WarningHelp,
)
from bangfu.tracking.timeline import timeline


def _record(person, started, ended=None, **fields):
    values = {"employer_name": "某单位", "place": "县内", "channel": "灵活就业"}
    values.update(fields)
    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, started_on=started, ended_on=ended, **values
    )


def _visit(person, on, result="在岗", method="电话", **fields):
    return Visit.objects.create(
        person=person, area_id=person.area_id, visited_on=on, method=method, result=result, **fields
    )


@pytest.fixture
def history(world, users, areas):
    """龙春生: a job in the county that ended (返乡), a referral with two steps, visits, a warning with
    help, a confirmation from Guangzhou and two field changes (one of them his phone)."""
    person, staff = world["long"], users["county_a"]
    first = _record(person, dt.date(2025, 3, 1), dt.date(2025, 10, 31), employer_name="花垣苗绣扶贫车间",
                    end_reason="返乡")  # fmt: skip
    referral = Referral.objects.create(
        person=person, job=world["job"], area_id=person.area_id, referred_by=staff
    )
    ReferralStep.objects.create(referral=referral, to_status="推荐", by=staff, on=dt.date(2025, 11, 10))
    ReferralStep.objects.create(
        referral=referral, from_status="推荐", to_status="有意向", by=staff, on=dt.date(2025, 11, 12)
    )
    second = _record(person, dt.date(2025, 12, 1), employer_name="广州海珠电子厂", place="省外",
                     work_area=areas["guangzhou_haizhu"], channel="推荐就业")  # fmt: skip
    _visit(person, dt.date(2025, 11, 5), "返乡", "上门", by=users["village_a"], note="回村照顾老人")
    _visit(person, dt.date(2026, 2, 1), "在岗")
    warning = Warning.objects.create(
        kind="返乡", person=person, household=person.household, area_id=person.area_id,
        basis=f"record:{first.pk}", raised_on=dt.date(2025, 11, 1), detail="2025-10-31 离职返乡",
        assignee=staff, status="已解除", ended_on=dt.date(2025, 12, 1), end_reason="已再次就业",
    )  # fmt: skip
    WarningHelp.objects.create(
        warning=warning, kind="推荐岗位", on=dt.date(2025, 11, 10), referral=referral, by=staff
    )
    Confirmation.objects.create(
        record=second, person=person, area_id=person.area_id, confirmer_area=areas["guangzhou_haizhu"],
        by=users["county_b"], on=dt.date(2026, 3, 1), outcome="在岗", note="电话核实",
    )  # fmt: skip
    Change.objects.create(person=person, actor=staff, source="手工", field="联系电话",
                          before="13900001111", after="13711112222")  # fmt: skip
    Change.objects.create(
        person=person, actor=staff, source="手工", field="文化程度", before="初中", after="高中"
    )
    return {"person": person, "first": first, "second": second, "referral": referral, "warning": warning}


def test_every_kind_is_there_newest_first(history, users):
    entries = timeline(history["person"], users["county_a"])
    kinds = {e.kind for e in entries}
    assert kinds == {"record", "record_end", "referral", "visit", "warning", "help", "confirmation", "change"}
    keys = [e.sort_key for e in entries]
    assert keys == sorted(keys, reverse=True)
    dated = [(e.on, e.kind, e.title) for e in entries if e.kind != "change"]  # changes are dated today
    assert dated[:4] == [
        (dt.date(2026, 3, 1), "confirmation", "输入地确认在岗：广州海珠电子厂"),
        (dt.date(2026, 2, 1), "visit", "电话回访：在岗"),
        (dt.date(2025, 12, 1), "warning", "预警已解除：返乡"),
        (dt.date(2025, 12, 1), "record", "入职 广州海珠电子厂"),
    ]
    by_title = {e.title: e for e in entries}
    assert by_title["离职 花垣苗绣扶贫车间"].detail == "离职原因：返乡"
    assert by_title["推荐进展：推荐 → 有意向（电子装配工）"].url == reverse(
        "referrals:detail", args=[history["referral"].pk]
    )
    assert by_title["上门回访：返乡"].detail == "回村照顾老人"
    confirmed = by_title["输入地确认在岗：广州海珠电子厂"]
    assert "海珠" in confirmed.detail and "电话核实" in confirmed.detail
    assert confirmed.by == users["county_b"].display_name
    assert all(e.url for e in entries)


def test_sensitive_changes_are_masked_unless_the_user_may_see_them(history, users):
    users["village_a"].can_view_sensitive = False
    masked = {e.title for e in timeline(history["person"], users["village_a"]) if e.kind == "change"}
    shown = {e.title for e in timeline(history["person"], users["county_a"]) if e.kind == "change"}
    assert "联系电话：13900001111 → 13711112222" in shown
    assert not any("13711112222" in t for t in masked)
    assert "文化程度：初中 → 高中" in masked


def test_the_person_page_shows_the_timeline(history, users, client_for):
    page = client_for(users["county_a"]).get(reverse("registry:person_detail", args=[history["person"].pk]))
    text = page.content.decode()
    assert 'id="person-timeline"' in text
    assert "输入地确认在岗：广州海珠电子厂" in text and "推荐进展：推荐 → 有意向" in text
    assert text.index("输入地确认在岗") < text.index("电话回访：在岗") < text.index("入职 花垣苗绣扶贫车间")


def _page_queries(client, person) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(reverse("registry:person_detail", args=[person.pk])).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_history(history, users, client_for, world, areas):
    """The whole person page costs the same number of queries with 50 more records and visits, steps,
    warnings and help (its time is measured by bench/tracking.py, never in a test)."""
    client = client_for(users["county_a"])
    person = history["person"]
    with CaptureQueriesContext(connection) as ctx:
        timeline(person, users["county_a"])
    assert len(ctx.captured_queries) == 8
    small = _page_queries(client, person)
    for i in range(50):
        start = dt.date(2020, 1, 1) + dt.timedelta(days=30 * i)
        _record(person, start, start + dt.timedelta(days=20), work_area=areas["guangzhou_haizhu"])
        _visit(person, start + dt.timedelta(days=3), method="微信")
    for i in range(5):
        referral = Referral.objects.create(person=person, job=world["job2"] if i % 2 else world["other_job"],
                                           area_id=person.area_id, status="未录用")  # fmt: skip
        ReferralStep.objects.create(referral=referral, from_status="推荐", to_status="未录用")
        w = Warning.objects.create(
            kind="跟踪逾期", person=person, household=person.household, area_id=person.area_id, basis=f"b{i}",
            raised_on=dt.date(2024, 1, 1 + i),
        )  # fmt: skip
        WarningHelp.objects.create(warning=w, kind="职业指导", on=dt.date(2024, 2, 1))
    assert len(timeline(person, users["county_a"])) > 120
    assert _page_queries(client, person) == small
