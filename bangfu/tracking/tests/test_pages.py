"""The visit pages: the due list per village (most overdue first, a fixed number of queries), the phone-first
visit form from the person page and the due list, the visits list, the 联系不上 list moved from compare
(its old addresses redirect), and the person page's follow-up card."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.conftest import TOWNSHIP_A, VILLAGE_A
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.tracking.models import Unreachable, Visit
from bangfu.tracking.tests.factories import due_laborer, visit, working

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
OTHER_VILLAGE_A = "433124102202"  # another village of 龙潭镇


@pytest.fixture
def villages(areas):
    """In 土地村: two laborers due (100 and 40 days since registration), one registered 80 days ago in work
    (due after 90 days) and one visited lately, not due; in the next village one more; in county B one."""
    overdue_70 = due_laborer("逾期七十天", days_ago=100)
    overdue_10 = due_laborer("逾期十天", days_ago=40)
    at_work = due_laborer("在岗未到期", days_ago=80)
    working(at_work, TODAY - dt.timedelta(days=60))  # in work: due after 90 days, 10 days from now
    seen = due_laborer("刚回访过", days_ago=300)
    visit(seen, TODAY - dt.timedelta(days=3))
    neighbour = due_laborer("邻村逾期", OTHER_VILLAGE_A, days_ago=35)
    due_laborer("凤凰县逾期", VILLAGE_B, days_ago=400)
    return {"overdue_70": overdue_70, "overdue_10": overdue_10, "neighbour": neighbour}


def names_on(page: str, *candidates) -> list[str]:
    return sorted((n for n in candidates if n in page), key=page.index)


def test_the_due_list_of_a_village_most_overdue_first(users, villages, client_for):
    everyone = ("逾期七十天", "逾期十天", "在岗未到期", "刚回访过", "邻村逾期", "凤凰县逾期")
    village = client_for(users["village_a"]).get(reverse("tracking:due")).content.decode()
    assert names_on(village, *everyone) == ["逾期七十天", "逾期十天"]
    assert "逾期 70 天" in village and "逾期 10 天" in village
    township = client_for(users["township_a"])
    choose = township.get(reverse("tracking:due")).content.decode()
    assert names_on(choose, *everyone) == [] and f"?area={VILLAGE_A}" in choose  # a village first
    one = township.get(reverse("tracking:due"), {"area": OTHER_VILLAGE_A}).content.decode()
    assert names_on(one, *everyone) == ["邻村逾期"]
    assert township.get(reverse("tracking:due"), {"area": "433123"}).status_code == 404  # not theirs
    county = client_for(users["county_a"])
    choose = county.get(reverse("tracking:due")).content.decode()
    assert names_on(choose, *everyone) == [] and f"?area={TOWNSHIP_A}" in choose  # a township, then a village
    in_township = county.get(reverse("tracking:due"), {"area": TOWNSHIP_A}).content.decode()
    assert names_on(in_township, *everyone) == [] and f"?area={VILLAGE_A}" in in_township
    in_village = county.get(reverse("tracking:due"), {"area": VILLAGE_A}).content.decode()
    assert names_on(in_village, *everyone) == ["逾期七十天", "逾期十天"]
    in_work = client_for(users["village_a"]).get(reverse("tracking:due"), {"work": "1"}).content.decode()
    assert "没有到期需要回访的劳动力" in in_work


def test_the_due_list_costs_the_same_for_many(users, villages, client_for):
    client = client_for(users["village_a"])
    client.get(reverse("tracking:due"))  # sessions, sites and the like read once
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("tracking:due"))
    for n in range(25):
        visit(due_laborer(f"多{n}", days_ago=500), TODAY - dt.timedelta(days=50 + n), result="返乡")
    with CaptureQueriesContext(connection) as many:
        page = client.get(reverse("tracking:due")).content.decode()
    assert "多24" in page and "返乡" in page
    assert len(many) == len(few) <= 11, [q["sql"][:150] for q in many.captured_queries]


def test_a_village_officer_records_a_visit_from_the_due_list(users, villages, client_for):
    client = client_for(users["village_a"])
    due_url = reverse("tracking:due")
    person = villages["overdue_70"]
    form_url = reverse("tracking:visit_new", args=[person.pk])
    form = client.get(form_url, {"next": due_url}).content.decode()
    assert f'value="{TODAY.isoformat()}"' in form and f'max="{TODAY.isoformat()}"' in form
    assert "列入联系不上名单" in form and "结束在岗的就业记录" in form
    tomorrow = (TODAY + dt.timedelta(days=1)).isoformat()
    refused = client.post(
        form_url, {"visited_on": tomorrow, "method": "电话", "result": "不愿就业", "next": due_url}
    )
    assert refused.status_code == 200 and "回访日期不能晚于今天" in refused.content.decode()
    saved = client.post(form_url, {"visited_on": TODAY.isoformat(), "method": "上门", "result": "不愿就业",
                                   "note": "在家带孩子", "next": due_url})  # fmt: skip
    assert saved.status_code == 302 and saved.url == due_url
    assert Visit.objects.get(person=person).note == "在家带孩子"
    listed = client.get(due_url).content.decode()
    assert reverse("tracking:visit_new", args=[person.pk]) not in listed
    # Somewhere else: the next parameter only leads back into the site.
    away = {
        "visited_on": TODAY.isoformat(),
        "method": "电话",
        "result": "不愿就业",
        "next": "https://example.com/",
    }
    elsewhere = client.post(form_url, away)
    assert elsewhere.url == reverse("registry:person_detail", args=[person.pk])


def test_at_work_with_no_record_leads_to_the_record_form(users, villages, client_for):
    client = client_for(users["village_a"])
    person = villages["overdue_10"]
    response = client.post(
        reverse("tracking:visit_new", args=[person.pk]),
        {"visited_on": TODAY.isoformat(), "method": "电话", "result": "在岗"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("employment:create", args=[person.pk])
    assert "没有在岗的就业记录" in response.content.decode()
    assert not EmploymentRecord.objects.filter(person=person).exists()


def test_left_on_the_form_ends_the_record(users, areas, client_for):
    person = make_person("离职的人", employment_status="省外务工")
    record = working(person, TODAY - dt.timedelta(days=100))
    response = client_for(users["village_a"]).post(
        reverse("tracking:visit_new", args=[person.pk]),
        {"visited_on": TODAY.isoformat(), "method": "电话", "result": "已离职"},
        follow=True,
    )
    record.refresh_from_db()
    assert record.ended_on == TODAY and "已结束就业记录" in response.content.decode()


def test_the_person_page_shows_the_follow_up(users, villages, client_for):
    person = villages["overdue_10"]
    client = client_for(users["village_a"])
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert (
        reverse("tracking:visit_new", args=[person.pk]) in page and "已逾期" in page and "还没有回访" in page
    )
    back = reverse("registry:person_detail", args=[person.pk])
    client.post(reverse("tracking:unreachable_flag", args=[person.pk]), {"note": "电话空号", "next": back})
    page = client.get(reverse("registry:person_detail", args=[person.pk])).content.decode()
    assert "列入联系不上名单（电话空号）" in page and "已联系上，取消标记" in page


def test_the_visits_list(users, villages, client_for):
    visit(villages["overdue_10"], TODAY - dt.timedelta(days=1), result="返乡", method="微信")
    client = client_for(users["county_a"])
    page = client.get(reverse("tracking:visit_list")).content.decode()
    assert "逾期十天" in page and "刚回访过" in page
    page = client.get(reverse("tracking:visit_list"), {"result": "返乡"}).content.decode()
    assert "逾期十天" in page and "刚回访过" not in page
    page = client.get(reverse("tracking:visit_list"), {"q": "yqst"}).content.decode()  # pinyin initials
    assert "逾期十天" in page
    assert (
        "逾期十天" not in client_for(users["county_b"]).get(reverse("tracking:visit_list")).content.decode()
    )


def test_the_unreachable_list_moved_with_its_export(users, villages, client_for):
    client = client_for(users["county_a"])
    person = villages["overdue_10"]
    response = client.post(
        reverse("tracking:unreachable_list"), {"id_number": person.id_number, "note": "停机"}
    )
    assert response.status_code == 302
    response = client.post(reverse("tracking:unreachable_list"), {"id_number": "433123198001010000"})
    assert "校验" in response.content.decode() or "不是有效" in response.content.decode()
    flag = Unreachable.objects.get()
    assert "逾期十天" in client.get(reverse("tracking:unreachable_list")).content.decode()
    export = client.get(reverse("tracking:unreachable_export"))
    rows = CalamineWorkbook.from_filelike(io.BytesIO(b"".join(export.streaming_content))).get_sheet_by_index(
        0
    )
    assert rows.to_python()[1][:2] == ["逾期十天", person.id_number]
    # The old addresses lead to the new ones, query kept.
    moved = client.get("/compare/unreachable/?cleared=1")
    assert moved.status_code == 301 and moved.url == reverse("tracking:unreachable_list") + "?cleared=1"
    assert client.get("/compare/unreachable/export/").url == reverse("tracking:unreachable_export")
    client.post(reverse("tracking:unreachable_clear", args=[flag.pk]))
    assert "逾期十天" not in client.get(reverse("tracking:unreachable_list")).content.decode()
    assert "逾期十天" in client.get(reverse("tracking:unreachable_list"), {"cleared": "1"}).content.decode()
