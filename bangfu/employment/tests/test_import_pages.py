"""导入就业信息 on the pages: upload, the batch's result with its counts, the error report (audited, for
the importer and those who may see ID numbers), large files queued for the worker, an interrupted batch
marked 中断 and imported again, and county B kept out of county A's batches."""

import datetime as dt
import socket

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from bangfu.audit.models import AuditEvent
from bangfu.conftest import make_user
from bangfu.employment import views
from bangfu.employment.models import EmploymentImport, EmploymentRecord
from bangfu.employment.tasks import run_employment_import_task
from bangfu.exchange.report import write_table
from bangfu.referrals.tests.factories import make_person
from bangfu.registry.models import ImportStatus

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
HEADER = ["证件号码", "姓名", "单位名称", "工作地区划代码", "入职日期", "离职日期"]


@pytest.fixture
def upload(areas, tmp_path):
    wu, shi = make_person("吴页面"), make_person("石页面")
    start = (TODAY - dt.timedelta(days=60)).isoformat()
    path = tmp_path / "村里的就业.xlsx"
    write_table(
        path,
        HEADER,
        [
            [wu.id_number, wu.name, "县城超市", "433124", start, ""],
            [shi.id_number, "石错名", "县城超市", "433124", start, ""],
        ],
    )
    return {"path": path, "wu": wu, "shi": shi}


def post_file(client, path):
    with open(path, "rb") as fh:
        return client.post(reverse("employment:import_new"), {"file": fh})


def test_upload_result_and_error_report(users, upload, client_for):
    uploader = client_for(users["village_a"])
    assert "导入就业信息" in uploader.get(reverse("employment:list")).content.decode()
    assert uploader.get(reverse("employment:import_new")).status_code == 200
    response = post_file(uploader, upload["path"])
    batch = EmploymentImport.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("employment:import_detail", args=[batch.pk])
    assert batch.status == ImportStatus.DONE and batch.area == users["village_a"].area
    assert (batch.created, batch.error_rows) == (1, 1)
    assert EmploymentRecord.objects.get().person == upload["wu"]
    page = uploader.get(response.url).content.decode()
    assert "新增" in page and "未变化" in page and "第 3 行" in page
    assert "与名册登记的姓名（石页面）不一致" in page
    report = uploader.get(reverse("employment:import_report", args=[batch.pk]))
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    assert AuditEvent.objects.filter(message__startswith="下载就业信息导入错误报告").count() == 1
    assert AuditEvent.objects.filter(message__startswith="就业信息导入完成").count() == 1
    # Another member of staff without the right to see ID numbers: the list and page, no report.
    plain = client_for(make_user("u_plain", users["county_a"].area, can_view_sensitive=False))
    assert "村里的就业.xlsx" in plain.get(reverse("employment:import_list")).content.decode()
    assert plain.get(reverse("employment:import_report", args=[batch.pk])).status_code == 403
    # County B: not found, anywhere.
    outsider = client_for(users["county_b"])
    for name in ("import_detail", "import_report"):
        assert outsider.get(reverse(f"employment:{name}", args=[batch.pk])).status_code == 404
    assert outsider.post(reverse("employment:import_resume", args=[batch.pk])).status_code == 404
    assert "村里的就业.xlsx" not in outsider.get(reverse("employment:import_list")).content.decode()
    wrong = upload["path"].with_suffix(".txt")
    wrong.write_text("x", encoding="utf-8")
    refused = post_file(uploader, wrong)
    assert refused.status_code == 200 and "只能上传" in refused.content.decode()


def test_a_large_file_goes_to_the_worker(users, upload, client_for, monkeypatch):
    monkeypatch.setattr(views, "INLINE_IMPORT_LIMIT", 0)
    response = post_file(client_for(users["county_a"]), upload["path"])
    batch = EmploymentImport.objects.get()
    assert batch.status == ImportStatus.PENDING and EmploymentRecord.objects.count() == 0
    assert DBTaskResult.objects.filter(task_path=run_employment_import_task.module_path).exists()
    assert "已排队" in client_for(users["county_a"]).get(response.url).content.decode()
    assert run_employment_import_task.call(batch.pk) == ImportStatus.DONE
    assert EmploymentRecord.objects.count() == 1
    assert run_employment_import_task.call(batch.pk) == ImportStatus.DONE  # taken already: left alone
    assert EmploymentRecord.objects.count() == 1


def test_an_interrupted_import_is_marked_and_imported_again(users, upload, client_for, monkeypatch):
    monkeypatch.setattr(views, "INLINE_IMPORT_LIMIT", 0)
    client = client_for(users["county_a"])
    post_file(client, upload["path"])
    batch = EmploymentImport.objects.get()
    # Its process died mid-way (a runner that is no process on this host): nothing was saved.
    gone = f"{socket.gethostname()}:before-a-restart:1:1"
    EmploymentImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=gone)
    page = client.get(reverse("employment:import_detail", args=[batch.pk])).content.decode()
    assert "中断" in page and "未保存任何记录" in page and 'id="import-resume"' in page
    monkeypatch.setattr(views, "INLINE_IMPORT_LIMIT", 10**9)
    response = client.post(reverse("employment:import_resume", args=[batch.pk]))
    assert response.status_code == 302
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created == 1
    assert AuditEvent.objects.filter(message__startswith="重新提交就业信息导入").count() == 1
    again = client.post(reverse("employment:import_resume", args=[batch.pk]), follow=True)
    assert "只有中断的导入可以重新提交" in again.content.decode()
