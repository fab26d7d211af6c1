"""A jobs import left 处理中 by a process that is gone is shown 中断 and can be submitted again."""

import pytest

from bangfu.core.tests.test_background import gone_runner
from bangfu.exchange.report import write_table
from bangfu.formats.catalog import jobs_layout
from bangfu.formats.views import place_for
from bangfu.jobs.actions import create_job_import
from bangfu.jobs.models import ImportStatus, Job, JobImport

pytestmark = pytest.mark.django_db


def test_an_interrupted_jobs_import_is_marked_and_resubmitted(client_for, users, tmp_path):
    layout = jobs_layout(place_for(users["county_a"]))
    path = tmp_path / "岗位.csv"
    write_table(path, layout.header, [layout.example])
    batch = create_job_import(area=users["county_a"].area, user=users["county_a"], path=path)
    JobImport.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, runner=gone_runner())
    client = client_for(users["county_a"])
    assert "中断" in client.get("/jobs/imports/").content.decode()
    page = client.get(f"/jobs/imports/{batch.pk}/").content.decode()
    assert "未保存任何岗位" in page and 'id="import-resume"' in page and "every 2s" not in page
    batch.refresh_from_db()
    assert batch.status == ImportStatus.STOPPED and batch.finished_at is not None
    client.post(f"/jobs/imports/{batch.pk}/resume/")
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.created == 1 and Job.objects.count() == 1
