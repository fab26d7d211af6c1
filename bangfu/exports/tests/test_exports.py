"""Exports in the background: asked for on a page, written by the real worker code (the task run
synchronously), followed on its page, downloaded by its user only, audited, reaped when its process died,
and removed when expired. Small exports are still written in the request."""

import csv
import datetime as dt
import io
import os
import socket

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.compare.tests.conftest import LONG
from bangfu.conftest import COUNTY_A, area, make_user
from bangfu.core.background import _boot_id
from bangfu.exports import actions
from bangfu.exports.models import Export, Status
from bangfu.exports.tasks import clean_exports_task, pending_cleaning, run_export_task
from bangfu.exports.tests.helpers import run_worker


def _csv(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


@override_settings(BANGFU_EXPORT_INLINE_ROWS=2)
def test_registry_export_past_the_threshold_goes_to_the_worker_and_downloads(users, people, client_for):
    client = client_for(users["county_a"])
    response = client.get(reverse("registry:person_export"), {"format": "csv", "q": ""})
    job = Export.objects.get()
    assert response.status_code == 302 and response.url == reverse("exports:detail", args=[job.pk])
    assert (job.status, job.kind, job.total, job.area_id, job.sensitive) == (
        Status.PENDING, "registry", 4, users["county_a"].area_id, True,
    )  # fmt: skip
    page = client.get(response.url).content.decode()
    assert "排队中" in page and 'hx-trigger="every 2s"' in page
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()  # nothing has left yet

    assert run_export_task.call(job.pk) == Status.DONE  # the worker's part
    assert run_export_task.call(job.pk) == Status.DONE  # queued again: not written twice
    job.refresh_from_db()
    assert job.done == 4 and job.file and job.expires_at > timezone.now() + dt.timedelta(days=6)
    exported = AuditEvent.objects.get(action=Action.EXPORT)
    assert "导出名册 4 人" in exported.message and exported.area_code == job.area_id

    page = client.get(reverse("exports:detail", args=[job.pk])).content.decode()
    assert "已完成" in page and "every 2s" not in page and reverse("exports:download", args=[job.pk]) in page
    assert reverse("exports:download", args=[job.pk]) in client.get(reverse("exports:list")).content.decode()
    rows = _csv(_download(client.get(reverse("exports:download", args=[job.pk]))))
    assert len(rows) == 5 and LONG in {row[3] for row in rows}  # whole ID numbers: the §1 file
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__startswith="下载导出文件").count() == 1


def test_small_exports_are_still_written_in_the_request(users, people, client_for):
    response = client_for(users["county_a"]).get(reverse("registry:person_export"), {"format": "csv"})
    assert response.status_code == 200 and len(_csv(_download(response))) == 5
    assert not Export.objects.exists()
    assert "导出名册 4 人" in AuditEvent.objects.get(action=Action.EXPORT).message


@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_only_its_user_downloads_it(users, people, client_for):
    job = run_worker(users["county_a"], "registry", {}, "csv")
    colleague = make_user("u_county_a2", area(COUNTY_A))  # same area, same rights, another person
    for name in ("exports:detail", "exports:download"):
        assert client_for(colleague).get(reverse(name, args=[job.pk])).status_code == 404
        assert client_for(users["county_b"]).get(reverse(name, args=[job.pk])).status_code == 404
    listed = client_for(colleague).get(reverse("exports:list")).content.decode()
    assert reverse("exports:detail", args=[job.pk]) not in listed and "还没有后台导出" in listed


@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_findings_export_masks_for_users_without_the_right(users, people, client_for, tmp_path):
    from bangfu.compare.tests.conftest import compare, write_source

    rows = [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    compare(users["county_a"], "death", write_source(tmp_path / "死亡.xlsx", rows))
    plain = make_user("u_plain", area(COUNTY_A), can_view_sensitive=False)
    response = client_for(plain).get(reverse("compare:finding_export"), {"format": "csv"})
    job = Export.objects.get()
    assert response.url == reverse("exports:detail", args=[job.pk]) and not job.sensitive
    run_export_task.call(job.pk)
    text = _download(client_for(plain).get(reverse("exports:download", args=[job.pk]))).decode("utf-8-sig")
    assert "龙春生" in text and LONG not in text and LONG[:6] in text


@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_a_job_whose_process_died_is_marked_interrupted(users, people, client_for, tmp_path):
    job = actions.ask(users["county_a"], "registry", {}, "csv", folder=tmp_path).job
    dead = f"{socket.gethostname()}:{_boot_id()}:999999999:1"
    Export.objects.filter(pk=job.pk).update(status=Status.RUNNING, runner=dead)
    page = client_for(users["county_a"]).get(reverse("exports:detail", args=[job.pk])).content.decode()
    job.refresh_from_db()
    assert job.status == Status.STOPPED and "导出中断" in page


@override_settings(BANGFU_EXPORT_INLINE_ROWS=0, BANGFU_EXPORT_KEEP_DAYS=3)
def test_expired_files_are_removed_by_the_cleaning_task(users, people, client_for):
    job = run_worker(users["county_a"], "registry", {}, "xlsx")
    path = job.file.path
    assert job.expires_at.date() == (timezone.now() + dt.timedelta(days=3)).date()
    assert actions.clean_expired() == 0  # not yet
    Export.objects.filter(pk=job.pk).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert client_for(users["county_a"]).get(reverse("exports:download", args=[job.pk])).status_code == 404
    assert "已删除 1 个" in clean_exports_task.call()
    job.refresh_from_db()
    assert job.status == Status.EXPIRED and not job.file and not os.path.exists(path)
    assert pending_cleaning().count() == 1  # the next day's cleaning is queued


@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_a_failure_leaves_no_file_and_says_so(users, people, monkeypatch, fmt):
    from bangfu.registry import export

    def broken(people):
        yield ["x"] * 27
        raise RuntimeError("disk full")

    monkeypatch.setattr(export, "export_rows", broken)
    with pytest.raises(RuntimeError):
        run_worker(users["county_a"], "registry", {}, fmt)
    job = Export.objects.get()
    assert job.status == Status.FAILED and "导出失败" in job.message and not job.file
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
