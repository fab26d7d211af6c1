"""`bangfu warnings scan` writes the open warnings as EXCHANGE §7 says, and the nightly scan is always
queued exactly once."""

import csv
import datetime as dt

import pytest
from django.core.management import CommandError, call_command
from django_tasks_db.models import DBTaskResult

from bangfu.tracking import tasks
from bangfu.tracking.tests.warning_factories import VILLAGE_B, day, laborer, record, visit
from bangfu.tracking.warnings import scan

pytestmark = pytest.mark.django_db


def test_scan_writes_one_row_per_open_warning(areas, tmp_path, capsys):
    person = laborer("李四")
    record(person, "2024-01-01", "2025-06-10", reason="解除劳动关系", employer_name="湘西某厂")
    visit(person, "2025-06-12", "已离职")
    laborer("外县人", VILLAGE_B)  # county B: outside --area
    out = tmp_path / "预警.csv"
    call_command("warnings", "scan", "--area", "433124", "--on", "2025-06-30", "--out", str(out))
    assert "新增 2 条" in capsys.readouterr().out
    with open(out, encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["证件号码", "户编号", "预警类型", "预警日期", "说明"]
    body = sorted(rows[1:], key=lambda r: r[2])
    assert [r[2] for r in body] == ["就业转失业", "零就业家庭"]
    assert body[0][0] == person.id_number and body[0][1] == person.household.number
    assert body[1][0] == "" and body[1][3] == "2025-06-30"
    assert "2025-06-10 从湘西某厂离职（解除劳动关系）" in body[0][4]


def test_scan_refuses_bad_arguments(areas, tmp_path):
    with pytest.raises(CommandError, match="不存在"):
        call_command("warnings", "scan", "--area", "999999")
    with pytest.raises(CommandError, match="日期格式"):
        call_command("warnings", "scan", "--on", "30/06/2025")
    with pytest.raises(CommandError, match=r"\.csv 或 \.xlsx"):
        call_command("warnings", "scan", "--out", str(tmp_path / "a.txt"))


def pending():
    return DBTaskResult.objects.filter(task_path=tasks.nightly_scan.module_path, status="READY")


def test_exactly_one_nightly_scan_is_pending(areas, settings):
    settings.BANGFU_WARNING_SCAN_AT = "02:30"
    when = tasks.ensure_nightly()
    assert tasks.ensure_nightly() == when
    call_command("warnings", "schedule")
    assert pending().count() == 1
    local = when.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert (local.hour, local.minute) == (2, 30)
    # A second one queued by mistake is dropped.
    tasks.nightly_scan.using(run_after=when).enqueue()
    tasks.ensure_nightly()
    assert pending().count() == 1


def test_the_nightly_scan_queues_the_next_night(areas, settings):
    person = laborer("王五")
    record(person, "2024-01-01", dt.date.today().isoformat(), reason="合同到期")
    tasks.ensure_nightly()
    job = pending().get()
    job.delete()  # the worker has taken it: run the task's function as the worker would
    message = tasks.nightly_scan.call()
    assert "新增" in message
    assert pending().count() == 1


def test_a_scan_of_some_people_leaves_the_others_alone(areas):
    first, second = laborer("甲"), laborer("乙")
    for person in (first, second):
        record(person, "2024-01-01", "2025-06-20", reason="合同到期")
        visit(person, "2025-06-21", "已离职")
    result = scan(on=day("2025-06-30"), person_ids=[first.pk])
    assert result.raised_by_kind == {"就业转失业": 1, "零就业家庭": 1}
    assert {w.person_id for w in first.warnings.all()} == {first.pk}
    assert not second.warnings.exists()


def test_many_people_changed_at_once_are_scanned_by_the_worker(areas, monkeypatch):
    from bangfu.tracking import receivers

    person = laborer("丙")
    monkeypatch.setattr(receivers, "INLINE_PEOPLE", 0)
    receivers.rescan([person.pk])
    queued = DBTaskResult.objects.get(task_path=tasks.scan_people_task.module_path)
    assert queued.args_kwargs["args"] == [[[person.pk, person.pk]]]  # runs of ids
    assert not person.warnings.exists()
    assert "新增" in tasks.scan_people_task.call(*queued.args_kwargs["args"])
    assert person.warnings.exists()


def test_queued_ids_go_as_runs_and_come_back_whole():
    ids = [3, 4, 5, 9, 11, 12]
    assert tasks.id_runs(ids) == [[3, 5], [9, 9], [11, 12]]
    assert tasks.ids_of(tasks.id_runs(ids)) == ids
    assert tasks.ids_of([7, 8]) == [7, 8]  # queued by an earlier version: plain ids


def test_the_nightly_scan_first_derives_every_status_as_of_today(areas):
    """A record whose 离职日期 was entered ahead of time ends with no write to any record: the night's
    refresh turns the person 未务工 (and the scan then sees the job lost); people of other counties too."""
    from bangfu.registry.models import Person

    today = dt.date.today()
    here, there = laborer("到期"), laborer("外县到期", VILLAGE_B)
    for person in (here, there):
        record(person, "2024-01-01", (today - dt.timedelta(days=1)).isoformat(), reason="合同到期")
    Person.objects.filter(pk__in=[here.pk, there.pk]).update(employment_status="县内", work_months=1)
    tasks.ensure_nightly()
    pending().get().delete()
    tasks.nightly_scan.call()
    people = Person.objects.filter(pk__in=[here.pk, there.pk])
    assert set(people.values_list("employment_status", flat=True)) == {"未务工"}
    assert here.warnings.filter(kind="就业转失业").exists()
