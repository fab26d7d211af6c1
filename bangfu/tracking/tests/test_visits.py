"""record_visit (tracking/actions.py): one visit per (person, day, method), audited; its result updates the
records as EXCHANGE §6 says and keeps the 联系不上 list."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import make_person
from bangfu.registry.models import Person
from bangfu.tracking import signals
from bangfu.tracking.actions import clear_unreachable, flag_unreachable, record_visit
from bangfu.tracking.models import Unreachable, Visit
from bangfu.tracking.tests.factories import working

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=10)


def visit(user, person, result, day=DAY, method="电话", note=""):
    return record_visit(user, person, visited_on=day, method=method, result=result, note=note)


def events(obj):
    return list(
        AuditEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    )


def test_a_visit_is_kept_once_per_person_day_and_method(users, areas):
    person = make_person("回访一")
    first = visit(users["village_a"], person, "不愿就业", note="想在家照顾老人")
    assert first.created and first.changed and first.visit.by == users["village_a"]
    assert first.visit.area_id == person.area_id and first.visit.source == "手工"
    again = visit(users["county_a"], person, "不愿就业", note="想在家照顾老人")
    assert not again.changed and again.visit == first.visit
    changed = visit(users["county_a"], person, "在岗", note="在县城打零工")
    assert changed.changed and not changed.created and changed.visit.pk == first.visit.pk
    assert Visit.objects.get().result == "在岗" and Visit.objects.get().by == users["county_a"]
    assert events(first.visit) == [Action.CREATE, Action.UPDATE]
    other_way = visit(users["county_a"], person, "在岗", method="上门")
    assert other_way.created and Visit.objects.count() == 2
    # 不愿就业 and 在岗 change nothing in the records.
    assert not EmploymentRecord.objects.exists()


def test_left_and_returned_end_the_records_in_force_that_day(users, areas):
    person = make_person("回访二", employment_status="省外务工")
    in_force = working(person, DAY - dt.timedelta(days=200))
    later = working(person, DAY + dt.timedelta(days=2), employer_name="后来的厂")
    ended_before = working(
        person, DAY - dt.timedelta(days=400), DAY - dt.timedelta(days=300), end_reason="合同到期"
    )
    outcome = visit(users["village_a"], person, "已离职")
    assert [r.pk for r in outcome.ended] == [in_force.pk]
    in_force.refresh_from_db()
    assert (in_force.ended_on, in_force.end_reason) == (DAY, "其他")
    later.refresh_from_db()
    ended_before.refresh_from_db()
    assert later.ended_on is None and ended_before.end_reason == "合同到期"
    assert AuditEvent.objects.filter(
        object_type="employment.employmentrecord", object_id=str(in_force.pk)
    ).exists()
    # The record started after the visit is still in force today: the status follows the records.
    assert Person.objects.get(pk=person.pk).employment_status == "省外务工"

    home = make_person("回访三", employment_status="县内务工")
    record = working(home, DAY - dt.timedelta(days=30), place="县内")
    visit(users["village_a"], home, "返乡")
    record.refresh_from_db()
    assert (record.ended_on, record.end_reason) == (DAY, "返乡")
    assert Person.objects.get(pk=home.pk).employment_status == "未务工"


def test_at_work_with_no_record_says_so_and_invents_none(users, areas):
    person = make_person("回访四")
    outcome = visit(users["village_a"], person, "在岗")
    assert outcome.unrecorded_work and not EmploymentRecord.objects.exists()
    working(person, DAY - dt.timedelta(days=5))
    assert not visit(users["village_a"], person, "在岗", method="微信").unrecorded_work


def test_unreachable_joins_the_list_and_a_later_visit_that_reaches_them_clears_it(users, areas):
    person = make_person("回访五")
    outcome = visit(users["village_a"], person, "联系不上", day=DAY, note="电话停机")
    flag = outcome.flagged
    assert flag.active and flag.flagged_on == DAY and flag.visit == outcome.visit and flag.note == "电话停机"
    assert visit(users["village_a"], person, "联系不上", day=DAY + dt.timedelta(days=1)).flagged is None
    assert Unreachable.objects.filter(person=person).count() == 1
    # A visit older than the flag reached them before they were lost: the flag stays.
    assert visit(users["village_a"], person, "在岗", day=DAY - dt.timedelta(days=5)).cleared is None
    reached = visit(users["village_a"], person, "返乡", day=DAY + dt.timedelta(days=3), method="上门")
    assert reached.cleared == flag
    flag.refresh_from_db()
    assert (
        not flag.active and flag.cleared_by_visit == reached.visit and flag.cleared_by == users["village_a"]
    )
    assert events(flag) == [Action.CREATE, Action.UPDATE]
    # An old 联系不上 imported after they were reached again puts nobody back on the list.
    assert visit(users["village_a"], person, "联系不上", day=DAY + dt.timedelta(days=2)).flagged is None
    assert not Unreachable.objects.filter(person=person, cleared_at__isnull=True).exists()


def test_correcting_a_visit_to_reached_takes_them_off_the_list(users, areas):
    person = make_person("回访六")
    flag = visit(users["village_a"], person, "联系不上").flagged
    assert visit(users["village_a"], person, "在岗").cleared == flag  # the same visit, corrected


def test_rights_and_dates(users, areas):
    person = make_person("回访七")
    with pytest.raises(PermissionDenied):
        visit(users["county_b"], person, "在岗")
    with pytest.raises(ValidationError, match="不能晚于今天"):
        visit(users["village_a"], person, "在岗", day=TODAY + dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="回访结果"):
        visit(users["village_a"], person, "很好")
    Person.objects.filter(pk=person.pk).update(is_deceased=True, died_on=DAY - dt.timedelta(days=1))
    person.refresh_from_db()
    with pytest.raises(ValidationError, match="去世"):
        visit(users["village_a"], person, "在岗")
    assert not Visit.objects.exists() and not AuditEvent.objects.filter(object_type="tracking.visit").exists()


def test_the_warnings_hear_of_visits_on_commit(users, areas, django_capture_on_commit_callbacks):
    person = make_person("回访八")
    heard = []

    def receiver(sender, person_ids, **kwargs):
        heard.append(person_ids)

    signals.visits_recorded.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            visit(users["village_a"], person, "在岗")
        with django_capture_on_commit_callbacks(execute=True):
            visit(users["village_a"], person, "在岗")  # nothing changed: nothing to tell
    finally:
        signals.visits_recorded.disconnect(receiver)
    assert heard == [[person.pk]]


def test_the_list_by_hand(users, areas):
    person = make_person("回访九")
    flag = flag_unreachable(users["county_a"], person, "多次走访未见")
    assert flag_unreachable(users["county_a"], person) == flag  # flagged once
    with pytest.raises(PermissionDenied):
        flag_unreachable(users["county_b"], person)
    with pytest.raises(PermissionDenied):
        clear_unreachable(users["county_b"], flag)
    cleared = clear_unreachable(users["county_a"], flag, "已联系上")
    assert cleared.cleared_by == users["county_a"] and not cleared.active and cleared.clear_note == "已联系上"
    assert events(flag) == [Action.CREATE, Action.UPDATE]
