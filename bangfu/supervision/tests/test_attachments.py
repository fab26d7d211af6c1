"""Attachments: only the kinds and sizes allowed, kept with their names, downloaded (never shown inline) by
those who see their task, reply or rectification, each download audited."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import VILLAGE_A
from bangfu.supervision import actions
from bangfu.supervision.files import MAX_FILES
from bangfu.supervision.models import Attachment, Task
from bangfu.supervision.tests.factories import send, upload

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("name", ["脚本.html", "图.svg", "程序.exe", "无扩展名"])
def test_kinds_not_allowed_are_refused_and_nothing_is_kept(users, name):
    with pytest.raises(ValidationError) as refused:
        send(users["county_a"], VILLAGE_A, files=[upload(name, b"<script>")])
    assert name in refused.value.messages[0]
    assert not Task.objects.exists() and not Attachment.objects.exists()


def test_size_and_count_limits(users, settings):
    settings.BANGFU_ATTACHMENT_MB = 1
    with pytest.raises(ValidationError, match="超过 1 MB"):
        send(users["county_a"], VILLAGE_A, files=[upload("大.pdf", b"x" * (1024 * 1024 + 1))])
    with pytest.raises(ValidationError, match="空文件"):
        send(users["county_a"], VILLAGE_A, files=[upload("空.pdf", b"")])
    with pytest.raises(ValidationError, match=f"最多上传 {MAX_FILES}"):
        send(users["county_a"], VILLAGE_A, files=[upload(f"{i}.pdf") for i in range(MAX_FILES + 1)])
    task = send(users["county_a"], VILLAGE_A, files=[upload("正好.pdf", b"x" * (1024 * 1024))])
    assert task.files.get().size == 1024 * 1024


def test_the_page_refuses_a_wrong_file_with_a_message(users, client_for):
    task = send(users["county_a"], VILLAGE_A)
    assignment = task.assignments.get()
    page = client_for(users["village_a"])
    response = page.post(
        reverse("supervision:assignment_reply", args=[assignment.pk]),
        {"content": "情况", "progress": "进行中", "files": [upload("病毒.exe")]},
        follow=True,
    )
    assert "病毒.exe" in response.content.decode() and not assignment.replies.exists()


def test_downloads_are_audited_and_never_inline(users, client_for):
    task = send(users["county_a"], VILLAGE_A, files=[upload("通知 （2026）.pdf", b"%PDF-1.4 body")])
    attachment = task.files.get()
    response = client_for(users["village_a"]).get(reverse("supervision:attachment", args=[attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"%PDF-1.4 body"
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert event.actor == users["village_a"] and "通知 （2026）.pdf" in event.message
    assert event.area_code == users["county_a"].area_id
    # County B never sees it, nor a neighbouring village.
    assert (
        client_for(users["county_b"]).get(reverse("supervision:attachment", args=[attachment.pk])).status_code
        == 404
    )


def test_a_replys_file_is_seen_by_the_sender_and_not_by_a_neighbour(users, client_for):
    from bangfu.conftest import area, make_user

    task = send(users["county_a"], VILLAGE_A, "433124102202")
    reply = actions.submit_reply(
        users["village_a"], task.assignments.get(area_id=VILLAGE_A), content="情况", progress="进行中",
        files=[upload("照片.png", b"\x89PNG")],
    )  # fmt: skip
    url = reverse("supervision:attachment", args=[reply.files.get().pk])
    assert client_for(users["county_a"]).get(url).status_code == 200
    neighbour = make_user("u_neighbour", area("433124102202"), can_manage_users=False)
    assert client_for(neighbour).get(url).status_code == 404
