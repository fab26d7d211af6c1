"""The 督办 API does what the pages do, through the same actions and the same scope: send a task, report,
review, enter a rectification, record progress, close it; outsiders get 404."""

import datetime as dt

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bangfu.conftest import VILLAGE_A
from bangfu.supervision.models import Assignment, Rectification
from bangfu.supervision.tests.factories import TODAY

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_a_task_through_the_api(users):
    county, village = _api(users["county_a"]), _api(users["village_a"])
    due = (TODAY + dt.timedelta(days=5)).isoformat()
    refused = county.post(
        reverse("supervision-task-list"),
        {
            "title": "API督办",
            "content": "内容",
            "due_on": due,
            "leader": "局长",
            "unit": "中心",
            "areas": ["433123"],
        },
        format="json",
    )
    assert refused.status_code == 400 and "不在本辖区" in str(refused.json())
    created = county.post(
        reverse("supervision-task-list"),
        {
            "title": "API督办",
            "content": "内容",
            "due_on": due,
            "leader": "局长",
            "unit": "中心",
            "areas": [VILLAGE_A],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    task = created.json()
    assert [a["area_code"] for a in task["assignments"]] == [VILLAGE_A]
    assert task["assignments"][0]["status"] == "未办理"
    assignment = task["assignments"][0]["id"]

    reply = village.post(
        reverse("supervision-reply-list"),
        {"assignment": assignment, "content": "已办", "progress": "办结"},
        format="json",
    )
    assert reply.status_code == 201, reply.json()
    reply_id = reply.json()["id"]
    assert village.get(reverse("supervision-reply-review", args=[reply_id])).json() == {
        "review": "待审核",
        "can_review": False,
    }
    assert (
        village.post(reverse("supervision-reply-review", args=[reply_id]), {"decision": "accept"}).status_code
        == 403
    )
    accepted = county.post(
        reverse("supervision-reply-review", args=[reply_id]), {"decision": "accept"}, format="json"
    )
    assert accepted.status_code == 200 and accepted.json()["review"] == "已采纳"
    assert Assignment.objects.get(pk=assignment).done_on == TODAY
    detail = county.get(reverse("supervision-task-detail", args=[task["id"]])).json()
    assert detail["assignments"][0]["status"] == "已办结"
    # County B: 404 on all of it, and an empty list.
    outsider = _api(users["county_b"])
    assert outsider.get(reverse("supervision-task-detail", args=[task["id"]])).status_code == 404
    assert outsider.get(reverse("supervision-reply-detail", args=[reply_id])).status_code == 404
    assert outsider.get(reverse("supervision-task-list")).json()["count"] == 0
    assert (
        outsider.post(
            reverse("supervision-reply-list"),
            {"assignment": assignment, "content": "x", "progress": "办结"},
            format="json",
        ).status_code
        == 400
    )


def test_a_rectification_through_the_api(users):
    county, township = _api(users["county_a"]), _api(users["township_a"])
    created = county.post(
        reverse("rectification-list"),
        {
            "area": VILLAGE_A,
            "unit": "村委会",
            "problem": "API问题",
            "source": "巡视",
            "deadline": TODAY.isoformat(),
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert county.get(reverse("rectification-progress", args=[pk])).json()["next_statuses"] == [
        "整改中",
        "已整改",
    ]
    done = county.post(
        reverse("rectification-progress", args=[pk]), {"status": "已整改", "measures": "已改"}, format="json"
    )
    assert done.status_code == 200 and done.json()["status"] == "已整改"
    assert township.get(reverse("rectification-close", args=[pk])).json() == {"can_close": True}
    closed = township.post(reverse("rectification-close", args=[pk]), {"note": "核查通过"}, format="json")
    assert closed.status_code == 200 and closed.json()["status"] == "已销号"
    assert Rectification.objects.get(pk=pk).closed_on == TODAY
    assert _api(users["county_b"]).get(reverse("rectification-detail", args=[pk])).status_code == 404
