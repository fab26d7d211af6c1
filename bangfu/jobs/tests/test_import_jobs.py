"""`bangfu import jobs` and the jobs import: a messy file, a re-import, cooperation areas, exit codes."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.employers.models import Cooperation, Employer
from bangfu.jobs.actions import create_job_import, run_job_import
from bangfu.jobs.models import ImportStatus, Job
from bangfu.jobs.tests.conftest import CODE_A, CODE_GZ, job_row, write_jobs_csv, write_jobs_xlsx


def _import(path, user, area=None):
    return run_job_import(create_job_import(area=area or user.area, user=user, path=path))


def _report_rows(batch):
    sheet = CalamineWorkbook.from_path(batch.report.path).get_sheet_by_index(0).to_python()
    return {int(row[0]): row[-1] for row in sheet[1:]}


def test_it_keeps_valid_rows_and_reports_every_bad_one(messy_jobs_file, users):
    path, expected = messy_jobs_file
    batch = _import(path, users["county_a"])
    assert batch.status == ImportStatus.DONE
    good = sum(1 for e in expected if e is True)
    assert (batch.total_rows, batch.valid_rows, batch.created, batch.employers_created) == (13, good, good, 1)
    reasons = _report_rows(batch)
    # The header is on row 3 under two title rows; data starts on row 4.
    for offset, outcome in enumerate(expected):
        row = 4 + offset
        if outcome is True:
            assert row not in reasons
        else:
            assert outcome in reasons[row], (row, reasons.get(row))
    jobs = {job.number: job for job in Job.objects.all()}
    assert set(jobs) == {"J1", "J2", "1001"}
    assert jobs["J1"].occupation_id == "6-05-01-03" and not jobs["J1"].occupation_inferred
    assert jobs["J2"].occupation_inferred and jobs["J2"].openings == jobs["J2"].openings_left == 5
    assert jobs["1001"].sex_required == "男" and jobs["1001"].deadline == dt.date(2099, 6, 30)
    employer = Employer.objects.get(credit_code=CODE_A)
    assert employer.name == "花垣县苗绣扶贫车间" and employer.area_id == "433124102201"
    assert AuditEvent.objects.filter(action=Action.IMPORT, message__startswith="岗位导入完成").count() == 1


def test_importing_the_same_file_again_changes_nothing(messy_jobs_file, users):
    path, _ = messy_jobs_file
    _import(path, users["county_a"])
    before = list(Job.objects.order_by("pk").values())
    again = _import(path, users["county_a"])
    assert (again.created, again.updated, again.unchanged, again.employers_created) == (0, 0, 3, 0)
    assert list(Job.objects.order_by("pk").values()) == before


def test_a_changed_row_updates_the_job_and_its_openings_left(tmp_path, users):
    first = write_jobs_xlsx(tmp_path / "a.xlsx", [job_row("K1", 招聘人数="5")])
    _import(first, users["county_a"])
    job = Job.objects.get(number="K1")
    Job.objects.filter(pk=job.pk).update(openings_left=2)  # three already hired
    second = write_jobs_xlsx(tmp_path / "b.xlsx", [job_row("K1", 招聘人数="8", 月薪上限="4000")])
    batch = _import(second, users["county_a"])
    assert batch.updated == 1
    job.refresh_from_db()
    assert (job.openings, job.openings_left, job.wage_max) == (8, 5, 4000)


def test_csv_in_gbk_imports_too(tmp_path, users):
    path = write_jobs_csv(tmp_path / "岗位.csv", [job_row("C1", "保洁员")])
    batch = _import(path, users["county_a"])
    assert batch.created == 1 and Job.objects.get(number="C1").occupation_id == "4-09-08-01"


def test_cooperation_receiving_areas_are_accepted_only_while_in_force(tmp_path, users, areas):
    rows = [job_row("G1", "电子厂普工", code=CODE_GZ, name="广州某电子有限公司", area="440105")]
    path = write_jobs_xlsx(tmp_path / "gz.xlsx", rows)
    refused = _import(path, users["county_a"])
    assert refused.created == 0 and "不是劳务协作的输入地" in next(iter(_report_rows(refused).values()))
    cooperation = Cooperation.objects.create(
        sending_area=areas["city"], receiving_area=areas["guangzhou_haizhu"]
    )
    accepted = _import(path, users["county_a"])  # 花垣县 is inside 湘西州, the sending area
    assert accepted.created == 1 and Job.objects.get(number="G1").area_id == "440105000000"
    assert not Job.objects.for_user(users["county_a"]).filter(number="G1").exists()
    cooperation.ended_on = dt.date(2020, 1, 1)
    cooperation.save()
    assert _import(path, users["county_b"]).error_rows == 1


def test_a_job_registered_by_another_area_is_not_taken_over(tmp_path, users):
    _import(write_jobs_xlsx(tmp_path / "a.xlsx", [job_row("K1")]), users["county_a"])
    moved = job_row("K1", area="433123")  # 凤凰县 tries to claim 花垣县's job
    batch = _import(write_jobs_xlsx(tmp_path / "b.xlsx", [moved]), users["county_b"])
    assert batch.error_rows == 1 and "其他地区" in next(iter(_report_rows(batch).values()))
    assert Job.objects.get(number="K1").area_id.startswith("433124")


def test_a_file_without_the_required_columns_fails_and_changes_nothing(tmp_path, users):
    header = ["岗位编号", "单位名称", "岗位名称"]
    path = write_jobs_xlsx(tmp_path / "bad.xlsx", [job_row("Z1")], header=header)
    batch = _import(path, users["county_a"])
    assert batch.status == ImportStatus.FAILED and "统一社会信用代码" in batch.message
    assert not Job.objects.exists()


def test_command_exit_codes(tmp_path, users, messy_jobs_file):
    path, _ = messy_jobs_file
    report = tmp_path / "errors.xlsx"
    with pytest.raises(SystemExit) as info:
        call_command(
            "import",
            "jobs",
            str(path),
            "--area",
            "433124",
            "--report",
            str(report),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert info.value.code == 3 and report.exists()
    clean = write_jobs_xlsx(tmp_path / "clean.xlsx", [job_row("OK1")])
    out = io.StringIO()
    call_command("import", "jobs", str(clean), "--area", "433124", stdout=out)
    assert "新增岗位 1" in out.getvalue()
    from django.core.management.base import CommandError

    with pytest.raises(CommandError) as usage:
        call_command("import", "jobs", str(tmp_path / "missing.xlsx"), "--area", "433124")
    assert usage.value.returncode == 2
    with pytest.raises(CommandError) as bad_area:
        call_command("import", "jobs", str(clean), "--area", "12345")
    assert bad_area.value.returncode == 2
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError) as failed:
        call_command("import", "jobs", str(broken), "--area", "433124")
    assert failed.value.returncode == 1
