"""The pages: a task sent from the form (every child, picked children, deeper codes), lists whose queries
do not grow with their rows, and the sent tasks' counts."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.conftest import TOWNSHIP_A, VILLAGE_A, area
from bangfu.supervision import actions
from bangfu.supervision.models import Task
from bangfu.supervision.tests.factories import TODAY, make_overdue, send, upload

pytestmark = pytest.mark.django_db


def _form(**extra):
    return {
        "title": "表单督办", "content": "内容", "due_on": (TODAY + dt.timedelta(days=3)).isoformat(),
        "leader": "局长", "unit": "中心", **extra,
    }  # fmt: skip


def test_sending_from_the_form(users, client_for):
    county = client_for(users["county_a"])
    response = county.post(reverse("supervision:task_new"), _form())
    assert response.status_code == 200 and "请选择承办区域" in response.content.decode()
    response = county.post(reverse("supervision:task_new"), _form(codes="433123 ¹"))
    assert "不在本辖区的下级范围内：433123、¹" in response.content.decode() and not Task.objects.exists()
    response = county.post(
        reverse("supervision:task_new"),
        _form(areas=[area(TOWNSHIP_A).code], codes=f"{VILLAGE_A}，433124102202", files=[upload("方案.pdf")]),
    )
    task = Task.objects.get()
    assert response.status_code == 302 and task.files.count() == 1
    assert sorted(task.assignments.values_list("area_id", flat=True)) == sorted(
        [area(TOWNSHIP_A).code, VILLAGE_A, "433124102202"]
    )
    response = client_for(users["township_a"]).post(reverse("supervision:task_new"), _form(all_children="on"))
    children = area(TOWNSHIP_A).children.filter(is_current=True).count()
    assert Task.objects.get(area_id=area(TOWNSHIP_A).code).assignments.count() == children
    past = _form(due_on=(TODAY - dt.timedelta(days=1)).isoformat(), all_children="on")
    assert "不能早于今天" in county.post(reverse("supervision:task_new"), past).content.decode()


@pytest.mark.parametrize(
    "name", ["supervision:assignment_list", "supervision:task_list", "supervision:rect_list"]
)
def test_lists_cost_the_same_for_many_rows(name, users, client_for):
    client = client_for(users["county_a"])

    def add(n):
        for i in range(n):
            task = make_overdue(send(users["county_a"], VILLAGE_A, TOWNSHIP_A, title=f"任务{i}"))
            actions.create_rectification(
                users["county_a"], area=area(VILLAGE_A), unit="村委会", problem=f"问题{i}", source="自查",
                deadline=TODAY, task=task,
            )  # fmt: skip

    add(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse(name)).status_code == 200
    add(20)
    with CaptureQueriesContext(connection) as many:
        assert client.get(reverse(name)).status_code == 200
    assert len(many) == len(few), name


def test_the_sent_list_counts_each_tasks_receivers(users, client_for):
    task = make_overdue(send(users["county_a"], VILLAGE_A, TOWNSHIP_A, title="统计任务"))
    reply = actions.submit_reply(
        users["village_a"], task.assignments.get(area_id=VILLAGE_A), content="完", progress="办结"
    )
    actions.review_reply(users["county_a"], reply, accept=True)
    row = client_for(users["county_a"]).get(reverse("supervision:task_list")).context["object_list"][0]
    assert (row.receivers, row.done, row.late, row.to_review) == (2, 1, 1, 0)
    # The township sees the tasks it sent, not the county's it received.
    assert not client_for(users["township_a"]).get(reverse("supervision:task_list")).context["object_list"]
