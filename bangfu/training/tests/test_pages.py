"""The training pages answer and their forms write through the actions: a need recorded, needs read from
the registry's 培训意愿, a provider and a course made, a person enrolled, completed and counted."""

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.referrals.tests.factories import make_person
from bangfu.training.models import Course, Enrolment, Need, Provider
from bangfu.training.tests.factories import course, need, youth_rule


@pytest.fixture
def county(users, client_for):
    return client_for(users["county_a"])


def test_every_list_page_answers(county, areas):
    for name in (
        "index",
        "needs",
        "untrained",
        "providers",
        "courses",
        "youth",
        "import_list",
        "need_new",
        "course_new",
        "import_new",
    ):
        assert county.get(reverse(f"training:{name}")).status_code == 200, name


def test_a_need_is_recorded_from_the_form(county, areas):
    person = make_person("王需求")
    answer = county.post(
        reverse("training:need_new"),
        {
            "id_number": person.id_number,
            "kind": "就业技能培训",
            "occupation": "6-18-02-04",
            "source": "调查",
            "recorded_on": "2026-02-01",
        },
    )
    assert answer.status_code == 302
    found = Need.objects.get(person=person)
    assert (found.occupation_id, found.source) == ("6-18-02-04", "调查")
    bad = county.post(
        reverse("training:need_new"),
        {
            "id_number": person.id_number,
            "kind": "就业技能培训",
            "occupation": "9-99",
            "source": "调查",
            "recorded_on": "2026-02-01",
        },
    )
    assert "职业分类大典中没有代码" in bad.content.decode()


def test_needs_are_read_from_the_registry_once(county, areas):
    make_person("想学焊工", training_wish="焊工")
    make_person("想创业", training_wish="电商创业")
    make_person("不想学", training_wish="无")
    county.post(reverse("training:needs_registry"))
    county.post(reverse("training:needs_registry"))
    found = {n.person.name: n for n in Need.objects.select_related("person")}
    assert set(found) == {"想学焊工", "想创业"}
    assert found["想学焊工"].occupation_id == "6-18-02-04"
    assert found["想创业"].kind == "创业培训"


def test_provider_course_enrol_and_complete_from_the_pages(county, areas):
    county.post(reverse("training:providers"), {"name": "县职业技术学校", "kind": "技工院校"})
    provider = Provider.objects.get()
    answer = county.post(
        reverse("training:course_new"),
        {
            "provider": provider.pk,
            "area": "433124",
            "number": "PX-9",
            "title": "电工班",
            "kind": "就业技能培训",
            "occupation": "6-31-01-03",
            "starts_on": "2026-04-01",
            "ends_on": "2026-04-15",
            "capacity": 2,
            "days": 10,
        },
    )
    made = Course.objects.get(number="PX-9")
    assert answer.url == reverse("training:course_detail", args=[made.pk])
    person = make_person("李学员")
    county.post(reverse("training:course_enrol", args=[made.pk]), {"id_number": person.id_number})
    enrolment = Enrolment.objects.get(course=made, person=person)
    county.post(
        reverse("training:enrolment_complete", args=[enrolment.pk]),
        {"completed_on": "2026-04-15", "days_attended": 9, "certificate_kind": "", "certificate_number": ""},
    )
    enrolment.refresh_from_db()
    assert (enrolment.status, enrolment.days_attended) == ("结业", 9)
    page = county.get(reverse("training:course_detail", args=[made.pk])).content.decode()
    assert "李学员" in page and "9/10 天" in page


def test_matching_offers_people_whose_need_fits_the_course(county, areas):
    today = dt.date.today()
    weld = course(occupation="6-18-02-04", starts=today, ends=today + dt.timedelta(days=20))
    need(make_person("焊工需求"), occupation="6-18-02-01", on=today.replace(day=1))  # same 小类 6-18-02
    need(make_person("厨师需求"), occupation="4-03-02-01", kind="岗位技能培训", on=today.replace(day=1))
    page = county.get(reverse("training:course_detail", args=[weld.pk])).content.decode()
    matches = page.split('id="matches"')[1]
    assert "焊工需求" in matches and "厨师需求" not in matches


def test_the_youth_list_and_its_follow_up(county, areas):
    youth_rule(15, 22)
    today = dt.date.today()
    young = make_person(
        "初中毕业", birth=f"{today.year - 17}-01-01", education="初中", student_status="非在校生"
    )
    make_person("在读", birth=f"{today.year - 17}-01-01", education="初中", student_status="高中")
    make_person("太大", birth=f"{today.year - 30}-01-01", education="初中", student_status="非在校生")
    page = county.get(reverse("training:youth")).content.decode()
    assert "初中毕业" in page and "在读" not in page and "太大" not in page
    county.post(
        reverse("training:youth_follow", args=[young.pk]),
        {"status": "已入读技工院校", "contacted_on": today.isoformat(), "school": "州技师学院"},
    )
    assert "州技师学院" in county.get(reverse("training:youth")).content.decode()
