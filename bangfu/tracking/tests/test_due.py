"""The due list's definition (tracking/due.py): the clock starts at the latest visit or registration, runs
at the 跟踪回访 rule's interval for in work or not, only laborers count, most overdue first."""

import datetime as dt

import pytest

from bangfu.conftest import COUNTY_A
from bangfu.referrals.tests.factories import make_person
from bangfu.registry.models import Person
from bangfu.tracking import due
from bangfu.tracking.models import FollowUpRule
from bangfu.tracking.tests.factories import registered, visit, working

D = dt.date(2026, 6, 30)


def names(queryset):
    return [p.name for p in queryset]


@pytest.mark.django_db
def test_the_clock_starts_at_the_latest_visit_or_registration(areas):
    # National rule: 30 days out of work, 90 in work. Due on the day, overdue the day after.
    registered(make_person("刚到期"), D - dt.timedelta(days=30))
    not_yet = registered(make_person("未到期"), D - dt.timedelta(days=29))
    visited = registered(make_person("已回访"), D - dt.timedelta(days=200))
    visit(visited, D - dt.timedelta(days=10), result="联系不上")
    old_visit = registered(make_person("回访已久"), D - dt.timedelta(days=400))
    visit(old_visit, D - dt.timedelta(days=45), result="不愿就业")
    visit(old_visit, D + dt.timedelta(days=1))  # after D: not counted on D
    assert names(due.due(on=D)) == ["回访已久", "刚到期"]
    assert names(due.overdue(on=D)) == ["回访已久"]
    first = due.due(on=D).first()
    assert first.last_visit_on == D - dt.timedelta(days=45)
    assert due.last_results([first.pk, old_visit.pk], D) == {old_visit.pk: "不愿就业"}
    assert due.due(on=D).get(name="刚到期").due_on == D
    assert not_yet.pk not in due.due(on=D).values_list("pk", flat=True)


@pytest.mark.django_db
def test_in_work_runs_at_the_longer_interval(areas):
    at_work = registered(make_person("在岗"), D - dt.timedelta(days=60))
    working(at_work, D - dt.timedelta(days=100))
    left = registered(make_person("已离职"), D - dt.timedelta(days=60))
    working(left, D - dt.timedelta(days=100), until=D - dt.timedelta(days=1))
    ends_today = registered(make_person("今天离职"), D - dt.timedelta(days=60))
    working(ends_today, D - dt.timedelta(days=100), until=D)  # the end day is still in work
    assert names(due.due(on=D)) == ["已离职"]
    assert names(due.due(on=D + dt.timedelta(days=30))) == ["已离职", "今天离职", "在岗"]
    long_ago = due.due(on=D + dt.timedelta(days=30)).get(name="在岗")
    assert long_ago.in_work and long_ago.due_on == D + dt.timedelta(days=30)


@pytest.mark.django_db
def test_only_laborers_are_due(areas):
    for name, fields in {
        "已故": {"is_deceased": True},
        "无劳动力": {"labor_skill": "无劳动力"},
        "在校生": {"labor_skill": "", "student_status": "在校生"},
    }.items():
        registered(make_person(name, **fields), D - dt.timedelta(days=300))
    registered(make_person("老人", birth="1950-01-01"), D - dt.timedelta(days=300))
    registered(make_person("少年", birth="2012-01-01"), D - dt.timedelta(days=300))
    registered(make_person("劳动力"), D - dt.timedelta(days=300))
    assert names(due.due(on=D)) == ["劳动力"]


@pytest.mark.django_db
def test_the_rule_is_data_by_region_and_date(areas):
    person = registered(make_person("甲"), D - dt.timedelta(days=20))
    assert not due.due(on=D).exists()
    FollowUpRule.objects.create(
        region_prefix=COUNTY_A, effective_from=D - dt.timedelta(days=1), unemployed_interval_days=14,
        employed_interval_days=60,
    )  # fmt: skip
    found = due.due(on=D).get()
    assert found == person and found.due_on == D - dt.timedelta(days=6)
    assert not due.due(on=D - dt.timedelta(days=2)).exists()  # the county's rule not yet in effect
    other = make_person("乙", "433123109225")
    registered(other, D - dt.timedelta(days=20))
    assert names(due.due(on=D)) == ["甲"]  # county B keeps the national 30 days


@pytest.mark.django_db
def test_most_overdue_first_across_intervals(areas):
    # 在岗 registered 100 days ago (due 10 days ago) before 未务工 registered 35 days ago (due 5 days ago).
    a = registered(make_person("在岗逾期十天"), D - dt.timedelta(days=100))
    working(a, D - dt.timedelta(days=200))
    registered(make_person("未务工逾期五天"), D - dt.timedelta(days=35))
    registered(make_person("未务工逾期二十天"), D - dt.timedelta(days=50))
    assert names(due.due(on=D)) == ["未务工逾期二十天", "在岗逾期十天", "未务工逾期五天"]
    assert [p.due_on for p in due.due(on=D)] == [D - dt.timedelta(days=n) for n in (20, 10, 5)]


@pytest.mark.django_db
def test_clock_of_one_person_agrees_with_the_list(areas):
    person = registered(make_person("丙"), D - dt.timedelta(days=40))
    visit(person, D - dt.timedelta(days=31), result="返乡")
    clock = due.clock_of(person, D)
    assert clock.last_visit_on == D - dt.timedelta(days=31) and not clock.in_work
    assert clock.due_on == D - dt.timedelta(days=1) == due.due(on=D).get().due_on
    assert clock.overdue_days(D) == 1
    child = make_person("丁", birth="2015-01-01")
    assert due.clock_of(child, D).due_on is None


@pytest.mark.django_db
def test_the_due_list_reads_as_due_does(areas):
    a = registered(make_person("在岗逾期十天"), D - dt.timedelta(days=100))
    working(a, D - dt.timedelta(days=200))
    registered(make_person("未务工逾期五天"), D - dt.timedelta(days=35))
    b = registered(make_person("未务工逾期二十天"), D - dt.timedelta(days=500))
    visit(b, D - dt.timedelta(days=50))
    registered(make_person("未到期"), D - dt.timedelta(days=3))
    people = Person.objects.all()
    listed = due.due_list(people, D)
    assert [(e.person_id, e.due_on, e.in_work, e.last_visit_on) for e in listed] == [
        (p.pk, p.due_on, p.in_work, p.last_visit_on) for p in due.due(people, D)
    ]
    assert [e.due_on for e in listed] == [D - dt.timedelta(days=n) for n in (20, 10, 5)]
    assert [e.person_id for e in due.due_list(people, D, in_work=True)] == [a.pk]


@pytest.mark.django_db
def test_the_warnings_scan_finds_the_same_overdue_laborers(areas):
    """跟踪逾期 is read by the scan in its own SQL: on a world with every boundary of the clock (the day
    before, on and after each interval, in work or not, a county rule of its own, visits after D, people
    who are no laborers), the scan's open 跟踪逾期 warnings are exactly `due.overdue`."""
    from bangfu.tracking.models import Warning
    from bangfu.tracking.warnings import scan

    FollowUpRule.objects.create(
        region_prefix="433123", effective_from=D - dt.timedelta(days=400), unemployed_interval_days=14,
        employed_interval_days=60,
    )  # fmt: skip
    for village in ("433124102201", "433123109225"):
        for days in (13, 14, 15, 29, 30, 31, 59, 60, 61, 89, 90, 91):
            for working_too in (False, True):
                person = registered(
                    make_person(f"界{days}{'在' if working_too else '未'}", village),
                    D - dt.timedelta(days=400),
                )
                visit(person, D - dt.timedelta(days=days), result="不愿就业")
                visit(person, D + dt.timedelta(days=2))  # after D: not counted
                if working_too:
                    working(person, D - dt.timedelta(days=300))
        registered(make_person("从未回访", village), D - dt.timedelta(days=31))
        registered(make_person("已故", village, is_deceased=True), D - dt.timedelta(days=400))
        registered(make_person("老人", village, birth="1950-01-01"), D - dt.timedelta(days=400))
    expected = set(due.overdue(Person.objects.all(), D).values_list("pk", flat=True))
    assert 20 < len(expected) < Person.objects.count()
    scan(on=D, notify=False)
    raised = set(
        Warning.objects.filter(kind="跟踪逾期", status__in=["待处理", "处理中"]).values_list(
            "person_id", flat=True
        )
    )
    assert raised == expected
