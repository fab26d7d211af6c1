"""The 工作台's 督办 panel: overdue and soon-due items of the user's area and below, replies waiting for the
user's area to review, the most urgent first; a few queries whatever the number of tasks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.conftest import TOWNSHIP_A, VILLAGE_A
from bangfu.supervision import actions
from bangfu.supervision.panels import panel
from bangfu.supervision.tests.factories import TODAY, make_overdue, send

pytestmark = pytest.mark.django_db


def test_the_panel_counts_what_is_due_and_overdue(users, client_for):
    make_overdue(send(users["county_a"], VILLAGE_A, title="逾期任务"))
    soon = send(users["county_a"], TOWNSHIP_A, days=2, title="两天后到期")
    send(users["county_a"], VILLAGE_A, days=30, title="下月到期")
    actions.submit_reply(users["township_a"], soon.assignments.get(), content="在办", progress="进行中")

    county = panel(users["county_a"], TODAY)
    assert (county.open, county.overdue, county.due_soon, county.to_review) == (3, 1, 1, 1)
    assert [a.task.title for a in county.items] == ["逾期任务", "两天后到期", "下月到期"]
    village = panel(users["village_a"], TODAY)
    assert (village.open, village.overdue, village.due_soon, village.to_review) == (2, 1, 0, 0)
    assert panel(users["county_b"], TODAY).empty

    for _ in range(20):
        make_overdue(send(users["county_a"], VILLAGE_A, title="更多逾期"))
    with CaptureQueriesContext(connection) as queries:
        panel(users["county_a"], TODAY)
    assert len(queries) <= 6

    text = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    assert 'id="supervision-panel"' in text and "逾期 21" in text and "更多逾期" in text
