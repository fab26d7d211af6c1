"""Accepting a finding changes the registry through the same writes as a manual edit (history 比对, audit);
rejecting changes nothing; a run's settings may apply some kinds automatically; re-running a file and
accepting twice change nothing twice."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from bangfu.audit.models import Action, AuditEvent
from bangfu.compare import actions
from bangfu.compare.models import ChangeKind, Finding, Kind, Status
from bangfu.compare.tests.conftest import LONG, MA, compare, fresh, write_source
from bangfu.employment.models import EmploymentRecord, Source
from bangfu.registry.models import Change, Household
from bangfu.registry.signals import person_deceased

pytestmark = pytest.mark.django_db


@pytest.fixture
def death_file(tmp_path):
    return write_source(
        tmp_path / "死亡.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )


@pytest.fixture
def employment_file(tmp_path):
    return write_source(
        tmp_path / "用工.xlsx",
        [
            {
                "姓名": "麻老三",
                "证件号码": MA,
                "单位名称": "广州电子厂",
                "统一社会信用代码": "91440105MA5XXXXX0Q",
                "工作地区划代码": "440105",
                "入职日期": "2025-01-05",
                "月工资": "5200",
            }
        ],
    )


def test_accepting_a_death_marks_deceased_with_history_audit_and_signal(
    users, people, death_file, django_capture_on_commit_callbacks
):
    received = []
    person_deceased.connect(
        lambda sender, person, actor, **kw: received.append((person.pk, actor)), weak=False
    )
    run = compare(users["county_a"], "death", death_file)
    finding = Finding.objects.get(run=run, change=ChangeKind.DEATH)
    with django_capture_on_commit_callbacks(execute=True):
        actions.accept(users["county_a"], finding)
    long = fresh(people["long"])
    assert long.is_deceased and long.died_on == dt.date(2025, 3, 1)
    history = {c.field: (c.before, c.after, c.source, c.actor) for c in Change.objects.filter(person=long)}
    assert history["已故"] == ("否", "是", "比对", users["county_a"])
    assert history["死亡日期"] == ("", "2025-03-01", "比对", users["county_a"])
    event = AuditEvent.objects.get(
        action=Action.UPDATE, object_type="registry.person", object_id=str(long.pk)
    )
    assert event.before == {"is_deceased": "否", "died_on": ""} and event.actor == users["county_a"]
    assert received == [(long.pk, users["county_a"])]
    finding.refresh_from_db()
    assert (
        finding.status == Status.ACCEPTED
        and finding.decided_by == users["county_a"]
        and not finding.automatic
    )


def test_accepting_employment_creates_record_and_sets_status(users, people, employment_file):
    run = compare(users["county_a"], "employment", employment_file)
    finding = Finding.objects.get(run=run, change=ChangeKind.EMPLOYMENT)
    actions.accept(users["county_a"], finding)
    record = EmploymentRecord.objects.get(person=people["ma"])
    assert record.source == Source.COMPARE and record.employer_name == "广州电子厂"
    assert record.place == "省外" and record.work_area_id == "440105000000" and record.monthly_wage == 5200
    assert record.source_ref == f"compare:{finding.pk}" and record.area_id == people["ma"].area_id
    assert fresh(people["ma"]).employment_status == "省外务工"
    assert (
        AuditEvent.objects.filter(action=Action.CREATE, object_type="employment.employmentrecord").count()
        == 1
    )


def test_rejecting_changes_nothing(users, people, death_file):
    run = compare(users["county_a"], "death", death_file)
    finding = actions.reject(
        users["county_a"], Finding.objects.get(run=run, change=ChangeKind.DEATH), "查无此事"
    )
    assert finding.status == Status.REJECTED and "查无此事" in finding.outcome
    assert not fresh(people["long"]).is_deceased and not Change.objects.filter(person=people["long"]).exists()
    # a decided finding stays decided
    assert actions.accept(users["county_a"], finding).status == Status.REJECTED
    assert not fresh(people["long"]).is_deceased


def test_accepting_twice_and_rerunning_the_file_change_nothing_twice(users, people, employment_file):
    first = compare(users["county_a"], "employment", employment_file)
    finding = Finding.objects.get(run=first, change=ChangeKind.EMPLOYMENT)
    actions.accept(users["county_a"], finding)
    actions.accept(users["county_a"], finding)
    changes = Change.objects.count()
    compared = EmploymentRecord.objects.filter(source=Source.COMPARE)  # the others: the registry's (名册导入)
    assert compared.count() == 1
    second = compare(users["county_a"], "employment", employment_file)
    assert second.pk != first.pk
    assert not Finding.objects.filter(run=second, kind=Kind.CONFLICT).exists()  # the registry already agrees
    assert not Finding.objects.filter(run=second).exists() and second.matched_exact == 1
    assert compared.count() == 1 and Change.objects.count() == changes


def test_two_runs_proposing_the_same_change_apply_once(users, people, death_file):
    a = compare(users["county_a"], "death", death_file)
    b = compare(users["county_a"], "death", death_file)
    actions.accept(users["county_a"], Finding.objects.get(run=a, change=ChangeKind.DEATH))
    later = actions.accept(users["county_a"], Finding.objects.get(run=b, change=ChangeKind.DEATH))
    assert later.status == Status.ACCEPTED and later.outcome == "名册已是建议的值，未修改"
    assert Change.objects.filter(person=people["long"], field="已故").count() == 1


def test_auto_apply_only_the_kinds_allowed(users, people, tmp_path):
    path = write_source(
        tmp_path / "残联.xlsx",
        [{"姓名": "龙春生", "证件号码": LONG, "残疾类别": "视力残疾", "残疾等级": "二级"}],
    )
    run = compare(users["county_a"], "disability", path, auto_apply=["death"])
    assert Finding.objects.get(run=run, change=ChangeKind.DISABILITY).status == Status.OPEN
    assert fresh(people["long"]).health == "健康"
    run = compare(users["county_a"], "disability", path, auto_apply=["disability"])
    finding = Finding.objects.get(run=run, change=ChangeKind.DISABILITY)
    assert finding.status == Status.ACCEPTED and finding.automatic and finding.decided_by == users["county_a"]
    long = fresh(people["long"])
    assert (long.health, long.disability_category, long.disability_grade) == ("残疾", "视力残疾", "二级")
    assert run.counts["accepted"] == 1 and "已自动应用 1" in run.message


def test_household_change_through_the_registry(users, people, tmp_path):
    path = write_source(tmp_path / "低保.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "救助类型": "低保"}])
    run = compare(users["county_a"], "civil-affairs", path)
    actions.accept(users["county_a"], Finding.objects.get(run=run, change=ChangeKind.ASSISTANCE))
    household = Household.objects.get(pk=people["long"].household_id)
    assert household.is_dibao is True
    change = Change.objects.get(household=household)
    assert (change.field, change.before, change.after, change.source) == ("是否低保", "否", "是", "比对")


def test_outsider_cannot_decide(users, people, death_file):
    run = compare(users["county_a"], "death", death_file)
    finding = Finding.objects.get(run=run, change=ChangeKind.DEATH)
    with pytest.raises(PermissionDenied):
        actions.accept(users["county_b"], finding)
    with pytest.raises(PermissionDenied):
        actions.reject(users["county_b"], finding)
    assert Finding.objects.get(pk=finding.pk).status == Status.OPEN


def test_decide_many(users, people, tmp_path):
    path = write_source(
        tmp_path / "医保.xlsx",
        [{"姓名": "龙春生", "证件号码": LONG, "参保年度": "2025", "参保状态": "参保"}],
    )
    run = compare(users["county_a"], "medical-insurance", path)
    scoped = Finding.objects.for_user(users["county_a"]).filter(run=run)
    assert actions.decide_many(users["county_a"], scoped.filter(kind=Kind.MISSING), accepting=False) == 3
    assert actions.decide_many(users["county_a"], scoped, accepting=True) == 1
    assert fresh(people["long"]).medical_status == "参保"
    assert fresh(people["ma"]).medical_status == ""
    assert actions.decide_many(users["county_a"], scoped, accepting=True) == 0
