"""Overdue lists roll up: a task past its due day and not done shows to every level above its receiver —
the township, the county, the city, the province — whoever sent it, and never to another county; the
county's list counts them per sub-area. The daily run reminds receivers N days ahead (N a dated regional
rule) and reports overdue items to the level above, each once."""

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.conftest import COUNTY_A, TOWNSHIP_A, VILLAGE_A, area
from bangfu.notices.models import Notification
from bangfu.supervision import actions
from bangfu.supervision.models import Assignment, ReminderRule
from bangfu.supervision.tasks import run_daily
from bangfu.supervision.tests.factories import TODAY, make_overdue, send

pytestmark = pytest.mark.django_db

OTHER_VILLAGE = "433124102202"


def _overdue_areas(user):
    return sorted(Assignment.objects.for_user(user).overdue(TODAY).values_list("area_id", flat=True))


def test_overdue_items_show_to_every_level_above_the_receiver(users, client_for):
    by_county = make_overdue(send(users["county_a"], VILLAGE_A, title="县督办甲"))
    by_township = make_overdue(send(users["township_a"], OTHER_VILLAGE, title="镇督办乙"))
    send(users["county_a"], TOWNSHIP_A, title="未到期丙")  # not overdue
    done = make_overdue(send(users["county_a"], OTHER_VILLAGE, title="已办结丁"), days=3)
    Assignment.objects.filter(task=done).update(done_on=TODAY - dt.timedelta(days=5))

    village_a, other_village = VILLAGE_A, OTHER_VILLAGE.ljust(12, "0")
    assert _overdue_areas(users["village_a"]) == [village_a]
    for above in ("township_a", "county_a", "city", "province"):
        assert _overdue_areas(users[above]) == [village_a, other_village], above
    assert _overdue_areas(users["county_b"]) == []

    # The county's page: both, counted under 龙潭镇; the filter by status lists them.
    page = client_for(users["county_a"]).get(reverse("supervision:assignment_list"), {"status": "逾期"})
    text = page.content.decode()
    assert "县督办甲" in text and "镇督办乙" in text and "未到期丙" not in text and "已办结丁" not in text
    assert page.context["overdue_count"] == 2
    assert [(a.code, n) for a, n in page.context["overdue_children"]] == [(area(TOWNSHIP_A).code, 2)]
    # The province's: counted under 湘西州.
    page = client_for(users["province"]).get(reverse("supervision:assignment_list"))
    assert [(a.code, n) for a, n in page.context["overdue_children"]] == [(area("4331").code, 2)]
    assert by_county.pk != by_township.pk
    # County B: nothing.
    page = client_for(users["county_b"]).get(reverse("supervision:assignment_list"), {"status": "逾期"})
    assert page.context["overdue_count"] == 0 and "县督办甲" not in page.content.decode()


def test_done_late_is_done(users):
    task = make_overdue(send(users["county_a"], VILLAGE_A), days=2)
    assignment = task.assignments.get()
    reply = actions.submit_reply(users["village_a"], assignment, content="完成", progress="办结")
    assert _overdue_areas(users["county_a"]) == [VILLAGE_A]  # overdue until the sender accepts
    actions.review_reply(users["county_a"], reply, accept=True)
    assignment.refresh_from_db()
    assert assignment.status_on(TODAY) == "已办结" and assignment.done_late
    assert _overdue_areas(users["county_a"]) == []


def test_the_daily_run_reports_overdue_items_to_the_level_above_once(
    users, django_capture_on_commit_callbacks
):
    make_overdue(send(users["county_a"], VILLAGE_A, title="逾期甲"))
    make_overdue(send(users["county_a"], TOWNSHIP_A, title="逾期乙"))
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY) == "督办：到期提醒 0 项，逾期上报 2 项。"
    # 土地村's overdue item to 龙潭镇; 龙潭镇's to 花垣县.
    told = {(n.recipient.username, n.title) for n in Notification.objects.select_related("recipient")}
    assert told == {
        ("u_township_a", "下级有 1 项督办任务逾期未办结"),
        ("u_county_a", "下级有 1 项督办任务逾期未办结"),
    }
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY) == "督办：到期提醒 0 项，逾期上报 0 项。"
    assert Notification.objects.count() == 2


def test_reminders_follow_the_regional_rule(users, django_capture_on_commit_callbacks):
    assert ReminderRule.objects.in_force(VILLAGE_A, TODAY).remind_days == 3  # the shipped default
    soon = send(users["county_a"], VILLAGE_A, days=3, title="三天后到期")
    later = send(users["county_a"], VILLAGE_A, days=4, title="四天后到期")
    today_due = send(users["county_a"], TOWNSHIP_A, days=0, title="今天到期")
    Notification.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY).startswith("督办：到期提醒 2 项")
    titles = sorted(Notification.objects.values_list("title", flat=True))
    assert titles == ["督办任务即将到期：三天后到期", "督办任务即将到期：今天到期"]
    assert Assignment.objects.get(task=soon).reminded_on == TODAY
    assert Assignment.objects.get(task=later).reminded_on is None
    assert Assignment.objects.get(task=today_due).reminded_on == TODAY

    # 花垣县 sets 5 days from today: the four-day task is now within reach; the others are not told twice.
    ReminderRule.objects.create(region_prefix=COUNTY_A, effective_from=TODAY, remind_days=5)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY).startswith("督办：到期提醒 1 项")
    assert Notification.objects.filter(title="督办任务即将到期：四天后到期").count() == 1
    assert Notification.objects.count() == 3


def test_a_rule_of_one_day_holds_back_a_reminder(users, django_capture_on_commit_callbacks):
    ReminderRule.objects.create(region_prefix=TOWNSHIP_A, effective_from=TODAY, remind_days=1)
    send(users["county_a"], VILLAGE_A, days=2)
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY).startswith("督办：到期提醒 0 项")
    with django_capture_on_commit_callbacks(execute=True):
        assert run_daily(TODAY + dt.timedelta(days=1)).startswith("督办：到期提醒 1 项")


def test_the_daily_task_keeps_exactly_one_run_waiting(db):
    from bangfu.supervision.tasks import daily_supervision, ensure_daily, pending_daily

    first = ensure_daily()
    assert ensure_daily() == first and pending_daily().count() == 1
    daily_supervision.using(run_after=first).enqueue()  # a second one by mistake
    ensure_daily()
    assert pending_daily().count() == 1
    assert first > dt.datetime.now(dt.UTC)
