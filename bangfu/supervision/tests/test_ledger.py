"""The rectification ledger: entered for an area of one's subtree, linked to the task or warning it came
from; progress by the area itself, 销号 by the area above once rectified; one FilterSet for the page, the
API and the export (audited)."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import TOWNSHIP_A, VILLAGE_A, area
from bangfu.supervision import actions
from bangfu.supervision.models import Rectification, RectStatus
from bangfu.supervision.tests.factories import TODAY, send, upload

pytestmark = pytest.mark.django_db


def _item(actor, problem, *, source="督查", days=10, where=VILLAGE_A, **extra):
    return actions.create_rectification(
        actor, area=area(where), unit="村委会", problem=problem, source=source,
        deadline=TODAY + dt.timedelta(days=days), **extra,
    )  # fmt: skip


@pytest.fixture
def ledger(users):
    county = users["county_a"]
    return {
        "late": _item(county, "逾期问题：台账不全", source="审计", days=-3),
        "open": _item(county, "在办问题：公示不及时", source="督查"),
        "done": _item(county, "已整改问题：信息有误", source="自查", days=-1, where=TOWNSHIP_A),
        "b": _item(users["county_b"], "凤凰问题", where="433123"),
    }


def test_one_filter_for_page_api_and_export(users, client_for, ledger):
    actions.update_rectification(users["county_a"], ledger["done"], measures="已更正", status=RectStatus.DONE)
    client = client_for(users["county_a"])
    cases = [
        ({}, {"late", "open", "done"}),
        ({"overdue": "1"}, {"late"}),
        ({"overdue": "0"}, {"open", "done"}),
        ({"source": "督查"}, {"open"}),
        ({"status": "已整改"}, {"done"}),
        ({"status": "open"}, {"late", "open"}),
        ({"area": VILLAGE_A}, {"late", "open"}),
        ({"q": "公示"}, {"open"}),
        ({"area": "433123"}, set()),  # county B's area, outside the scope: nothing
    ]
    for params, expected in cases:
        want = {ledger[k].problem for k in expected}
        page = client.get(reverse("supervision:rect_list"), params)
        assert {r.problem for r in page.context["object_list"]} == want, params
        api = client.get(reverse("rectification-list"), params).json()
        assert {r["problem"] for r in api["results"]} == want, params
        export = client.get(reverse("supervision:rect_export"), params)
        book = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content)))
        rows = book.get_sheet_by_index(0).to_python()
        assert rows[0][4] == "问题"
        assert {row[4] for row in rows[1:]} == want, params
    exports = AuditEvent.objects.filter(action=Action.EXPORT)
    assert exports.count() == len(cases) and "overdue=1" in " ".join(e.message for e in exports)
    late_row = next(r for r in client.get(reverse("rectification-list"), {"overdue": "1"}).json()["results"])
    assert late_row["overdue"] is True and late_row["source"] == "审计"


def test_progress_and_closing(users, client_for, ledger):
    item = ledger["open"]
    village, township = users["village_a"], users["township_a"]
    page = client_for(village)
    page.post(
        reverse("supervision:rect_update", args=[item.pk]),
        {"status": "整改中", "measures": "逐户核对", "files": [upload("核对表.xlsx", b"PK")]},
    )
    item.refresh_from_db()
    assert item.status == RectStatus.IN_HAND and item.measures == "逐户核对" and item.files.count() == 1
    with pytest.raises(ValidationError):  # not yet rectified
        actions.close_rectification(township, item, on=TODAY, note="同意")
    actions.update_rectification(village, item, measures="逐户核对，已更正", status=RectStatus.DONE)
    item.refresh_from_db()
    assert item.done_on == TODAY
    with pytest.raises(PermissionDenied):  # the area itself cannot close its own problem
        actions.close_rectification(village, item, on=TODAY, note="自己销号")
    with pytest.raises(PermissionDenied):  # nor another county
        actions.close_rectification(users["county_b"], item, on=TODAY, note="越权")
    with pytest.raises(ValidationError):
        actions.close_rectification(township, item, on=TODAY + dt.timedelta(days=1), note="未来")
    client_for(township).post(
        reverse("supervision:rect_close", args=[item.pk]),
        {"on": TODAY.isoformat(), "note": "经核查已整改到位"},
    )
    item.refresh_from_db()
    assert item.status == RectStatus.CLOSED and item.closed_by == township and item.closed_on == TODAY
    with pytest.raises(ValidationError):
        actions.update_rectification(village, item, measures="再改", status=RectStatus.IN_HAND)
    events = AuditEvent.objects.filter(object_type="supervision.rectification", object_id=str(item.pk))
    assert events.count() == 4 and all(e.area_code == VILLAGE_A for e in events)


def test_links_must_be_in_scope(users, client_for):
    task_b = send(users["county_b"], first_child("433123"))
    with pytest.raises(PermissionDenied):
        _item(users["county_a"], "问题", task=task_b)
    with pytest.raises(PermissionDenied):  # an area outside the subtree
        _item(users["county_a"], "问题", where="433123")
    response = client_for(users["county_a"]).post(
        reverse("supervision:rect_new"),
        {"area": VILLAGE_A, "unit": "村委会", "problem": "来自督办", "source": "督查", "task": task_b.pk,
         "deadline": TODAY.isoformat()},
    )  # fmt: skip
    assert response.status_code == 200 and "没有这个督办任务" in response.content.decode()
    assert not Rectification.objects.exists()
    own = send(users["county_a"], VILLAGE_A)
    response = client_for(users["county_a"]).post(
        reverse("supervision:rect_new"),
        {"area": VILLAGE_A, "unit": "村委会", "problem": "来自督办", "source": "督查", "task": own.pk,
         "deadline": TODAY.isoformat(), "files": [upload("方案.docx", b"PK")]},
    )  # fmt: skip
    item = Rectification.objects.get()
    assert response.status_code == 302 and item.task == own and item.files.count() == 1


def first_child(code):
    from bangfu.areas.models import Area

    return Area.objects.filter(parent_id=code.ljust(12, "0")).order_by("code").first().code
