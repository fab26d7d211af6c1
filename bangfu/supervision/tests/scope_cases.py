"""督办's rows in the area-scope tests (core/tests/test_area_scope_everywhere.py): a task county A sent to
龙潭镇 and 土地村 with a file, 土地村's reply with a file, and a rectification of 土地村 with evidence."""

import datetime as dt

OBJECT_VIEWS = {
    "supervision:task_detail": (lambda o: {"pk": o["sv_task"].pk}, ["get"]),
    "supervision:assignment_detail": (lambda o: {"pk": o["sv_assignment"].pk}, ["get"]),
    "supervision:assignment_reply": (lambda o: {"pk": o["sv_assignment"].pk}, ["post"]),
    "supervision:reply_review": (lambda o: {"pk": o["sv_reply"].pk}, ["post"]),
    "supervision:attachment": (lambda o: {"pk": o["sv_file"].pk}, ["get"]),
    "supervision:rect_detail": (lambda o: {"pk": o["sv_rect"].pk}, ["get"]),
    "supervision:rect_update": (lambda o: {"pk": o["sv_rect"].pk}, ["post"]),
    "supervision:rect_close": (lambda o: {"pk": o["sv_rect"].pk}, ["post"]),
    "supervision-task-detail": (lambda o: {"pk": o["sv_task"].pk}, ["get"]),
    "supervision-reply-detail": (lambda o: {"pk": o["sv_reply"].pk}, ["get"]),
    "supervision-reply-review": (lambda o: {"pk": o["sv_reply"].pk}, ["get", "post"]),
    "rectification-detail": (lambda o: {"pk": o["sv_rect"].pk}, ["get"]),
    "rectification-progress": (lambda o: {"pk": o["sv_rect"].pk}, ["get", "post"]),
    "rectification-close": (lambda o: {"pk": o["sv_rect"].pk}, ["get", "post"]),
}
LIST_VIEWS = {
    "supervision:assignment_list": "",
    "supervision:task_list": "",
    "supervision:rect_list": "",
    "supervision:rect_export": "?format=csv",
    "supervision-task-list": "",
    "supervision-reply-list": "",
    "rectification-list": "",
}
# Forms that send from, or enter for, the user's own area.
OWN_OR_PUBLIC = {"supervision:task_new", "supervision:rect_new"}
A_MARKERS = {"marker-supervision-A", "marker-rect-A"}


def objects(users, base):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bangfu.conftest import TOWNSHIP_A, VILLAGE_A, area
    from bangfu.supervision import actions

    county, village = users["county_a"], users["village_a"]
    task = actions.create_task(
        county, title="marker-supervision-A 春风行动落实情况", content="请报送本地春风行动落实情况。",
        due_on=dt.date.today() + dt.timedelta(days=10), leader="县人社局局长", unit="县就业服务中心",
        areas=[area(TOWNSHIP_A), area(VILLAGE_A)],
        files=[SimpleUploadedFile("通知.pdf", b"%PDF-1.4 marker")],
    )  # fmt: skip
    assignment = task.assignments.get(area_id=VILLAGE_A)
    reply = actions.submit_reply(
        village, assignment, content="marker-supervision-A 已入户宣传 36 户", progress="进行中",
        files=[SimpleUploadedFile("照片.jpg", b"\xff\xd8\xff marker")],
    )  # fmt: skip
    rect = actions.create_rectification(
        county, area=area(VILLAGE_A), unit="土地村村委会", problem="marker-rect-A 台账信息不全",
        source="督查", deadline=dt.date.today() + dt.timedelta(days=20), task=task,
        files=[SimpleUploadedFile("整改方案.docx", b"PK marker")],
    )  # fmt: skip
    return {
        "sv_task": task,
        "sv_assignment": assignment,
        "sv_reply": reply,
        "sv_file": task.files.get(),
        "sv_rect": rect,
    }
