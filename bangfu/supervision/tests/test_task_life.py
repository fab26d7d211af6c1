"""A task's life: county A sends it to a village with a file; the village replies 办结 with a file; the
county returns it with a reason; the village replies again; the county accepts, and the village's part is
done — each step audited, each notice sent once the step commits, the status computed at every step."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import TOWNSHIP_A, VILLAGE_A, area, make_user
from bangfu.notices.models import Notification
from bangfu.supervision import actions
from bangfu.supervision.models import Assignment, Reply, Review, Status, Task
from bangfu.supervision.tests.factories import TODAY, send, upload

pytestmark = pytest.mark.django_db


def test_create_reply_return_reply_accept(users, client_for, django_capture_on_commit_callbacks):
    county, village = users["county_a"], users["village_a"]
    with django_capture_on_commit_callbacks(execute=True):
        task = send(county, VILLAGE_A, files=[upload("通知.pdf")])
    assignment = task.assignments.get()
    assert assignment.status_on(TODAY) == Status.NEW
    assert Notification.objects.filter(recipient=village, title__contains=task.title).count() == 1
    assert AuditEvent.objects.filter(action=Action.CREATE, object_type="supervision.task").count() == 1

    # The village replies 办结 with a photo, from its page.
    page = client_for(village)
    with django_capture_on_commit_callbacks(execute=True):
        response = page.post(
            reverse("supervision:assignment_reply", args=[assignment.pk]),
            {
                "content": "已全部入户宣传",
                "progress": "办结",
                "files": [upload("入户照片.jpg", b"\xff\xd8\xffjpeg")],
            },
        )
    assert response.status_code == 302
    first = Reply.objects.get()
    assert first.review == Review.PENDING and first.files.get().name == "入户照片.jpg"
    assignment.refresh_from_db()
    assert assignment.status_on(TODAY) == Status.IN_HAND and assignment.awaiting_review
    assert Notification.objects.filter(recipient=county, title__contains="报送了办理情况").count() == 1
    # Nothing more until the county reviews.
    with pytest.raises(ValidationError):
        actions.submit_reply(village, assignment, content="补充", progress="进行中")

    # The county returns it, with a reason; the village is told.
    sender = client_for(county)
    with django_capture_on_commit_callbacks(execute=True):
        sender.post(
            reverse("supervision:reply_review", args=[first.pk]), {"decision": "return", "reason": ""}
        )
    first.refresh_from_db()
    assert first.review == Review.PENDING  # a return without a reason is refused
    with django_capture_on_commit_callbacks(execute=True):
        sender.post(
            reverse("supervision:reply_review", args=[first.pk]),
            {"decision": "return", "reason": "缺少花名册"},
        )
    first.refresh_from_db()
    assert first.review == Review.RETURNED and first.return_reason == "缺少花名册"
    returned = Notification.objects.get(recipient=village, title__startswith="办理情况被退回")
    assert "缺少花名册" in returned.body
    assignment.refresh_from_db()
    assert assignment.status_on(TODAY) == Status.IN_HAND and not assignment.awaiting_review

    # The village replies again; the county accepts: done as of the day it was sent.
    with django_capture_on_commit_callbacks(execute=True):
        second = actions.submit_reply(
            village, assignment, content="已补充花名册", progress="办结", files=[upload("花名册.xlsx", b"PK")]
        )
        actions.review_reply(county, second, accept=True)
    assignment.refresh_from_db()
    assert assignment.done_on == TODAY and assignment.status_on(TODAY) == Status.DONE
    assert Notification.objects.filter(recipient=village, title__startswith="督办事项已办结").count() == 1
    with pytest.raises(ValidationError):
        actions.submit_reply(village, assignment, content="再报", progress="进行中")
    with pytest.raises(ValidationError):
        actions.review_reply(county, second, accept=False, reason="改主意")
    events = AuditEvent.objects.filter(object_type="supervision.reply").order_by("id")
    assert [e.action for e in events] == [Action.CREATE, Action.UPDATE, Action.CREATE, Action.UPDATE]
    assert all(e.area_code == VILLAGE_A for e in events)

    # The pages show it: the village's page with both replies, the county's task page with the status.
    text = page.get(reverse("supervision:assignment_detail", args=[assignment.pk])).content.decode()
    assert "缺少花名册" in text and "已补充花名册" in text and "reply-form" not in text
    text = sender.get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert "已办结" in text


def test_an_ongoing_reply_accepted_keeps_the_task_in_hand(users):
    task = send(users["county_a"], VILLAGE_A)
    reply = actions.submit_reply(
        users["village_a"], task.assignments.get(), content="推进中", progress="进行中"
    )
    actions.review_reply(users["county_a"], reply, accept=True)
    assignment = task.assignments.get()
    assert assignment.done_on is None and assignment.status_on(TODAY) == Status.IN_HAND
    actions.submit_reply(
        users["village_a"], assignment, content="已完成", progress="办结"
    )  # may report again


def test_who_may_reply_and_review(users):
    county, township, village = users["county_a"], users["township_a"], users["village_a"]
    task = send(county, VILLAGE_A, TOWNSHIP_A)
    village_part = task.assignments.get(area_id=VILLAGE_A)
    township_part = task.assignments.get(area_id=TOWNSHIP_A.ljust(12, "0"))
    with pytest.raises(PermissionDenied):  # the sender reviews, never reports
        actions.submit_reply(county, village_part, content="代报", progress="进行中")
    with pytest.raises(PermissionDenied):  # a village does not report for its township
        actions.submit_reply(village, township_part, content="代报", progress="进行中")
    with pytest.raises(PermissionDenied):  # another county does not see it at all
        actions.submit_reply(users["county_b"], village_part, content="代报", progress="进行中")
    # The township may report for a village below it (one without a clerk, say).
    reply = actions.submit_reply(township, village_part, content="乡镇代报", progress="进行中")
    for outsider in (village, township, users["city"], users["province"]):
        with pytest.raises(PermissionDenied):
            actions.review_reply(outsider, reply, accept=True)
    actions.review_reply(county, reply, accept=True)


def test_receivers_are_areas_below_the_sender(users):
    with pytest.raises(ValidationError):
        send(users["township_a"], "433124")  # its own county is above it
    with pytest.raises(ValidationError):
        send(users["county_a"], "433124")  # not to itself
    with pytest.raises(ValidationError):
        actions.receiving_areas(users["county_a"], codes=["433123"])  # county B is not below
    children = actions.receiving_areas(users["township_a"], all_children=True)
    assert children and all(a.parent_id == users["township_a"].area_id for a in children)
    task = send(users["township_a"], *[a.code for a in children])
    assert task.assignments.count() == len(children)


def test_a_village_sees_its_own_part_and_not_its_neighbours(users, client_for):
    neighbour = area("433124102202")
    task = send(users["county_a"], VILLAGE_A, neighbour.code)
    village = users["village_a"]
    assert Task.objects.for_user(village).filter(pk=task.pk).exists()
    assert list(Assignment.objects.for_user(village).values_list("area_id", flat=True)) == [VILLAGE_A]
    text = client_for(village).get(reverse("supervision:task_detail", args=[task.pk])).content.decode()
    assert neighbour.name not in text
    other = task.assignments.get(area_id=neighbour.code)
    assert (
        client_for(village).get(reverse("supervision:assignment_detail", args=[other.pk])).status_code == 404
    )
    assert not Task.objects.for_user(users["county_b"]).exists()


def test_status_in_python_and_in_the_database_agree(users):
    import datetime as dt

    task = send(users["county_a"], VILLAGE_A, TOWNSHIP_A, "433124102202")
    parts = list(task.assignments.order_by("area_id"))
    Assignment.objects.filter(pk=parts[0].pk).update(replied_at=task.created_at)
    Assignment.objects.filter(pk=parts[1].pk).update(done_on=TODAY)
    for day in (TODAY, TODAY + dt.timedelta(days=10), TODAY + dt.timedelta(days=11)):
        rows = Assignment.objects.filter(task=task).with_status(day)
        assert {a.pk: a.computed_status for a in rows} == {a.pk: a.status_on(day) for a in rows}
    statuses = {a.status_on(TODAY + dt.timedelta(days=11)) for a in Assignment.objects.filter(task=task)}
    assert statuses == {Status.DONE, Status.OVERDUE}


def test_a_village_without_a_clerk_is_told_through_its_township(users, django_capture_on_commit_callbacks):
    other_village = "433124102202"
    with django_capture_on_commit_callbacks(execute=True):
        send(users["county_a"], other_village)
    assert Notification.objects.filter(recipient=users["township_a"]).count() == 1
    assert not Notification.objects.filter(recipient=users["county_a"]).exists()


def test_a_clerk_of_a_second_village_account_is_told_too(users, django_capture_on_commit_callbacks):
    second = make_user("u_village_a2", area(VILLAGE_A), can_manage_users=False)
    with django_capture_on_commit_callbacks(execute=True):
        send(users["county_a"], VILLAGE_A)
    assert {n.recipient_id for n in Notification.objects.all()} == {users["village_a"].pk, second.pk}


def test_a_rolled_back_task_tells_nobody(users, django_capture_on_commit_callbacks):
    from django.db import transaction

    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        send(users["county_a"], VILLAGE_A)
        raise RuntimeError
    assert not Notification.objects.exists() and not Task.objects.exists()
