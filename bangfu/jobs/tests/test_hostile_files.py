"""Hostile files uploaded to 岗位导入 or given to `bangfu import jobs`: refused with the Chinese reason
before the reader allocates, the batch failed (not left 处理中), nothing saved, the command exits 1."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.exchange.tests import hostile
from bangfu.jobs.models import ImportStatus, Job, JobImport

pytestmark = pytest.mark.django_db

FILES = {
    "far-cell": (lambda d: hostile.far_cell_xlsx(d / "岗位.xlsx"), "内容范围是 A1:XFD1048576"),
    "lying-sizes": (lambda d: hostile.lying_sizes_xlsx(d / "岗位.xlsx"), "解压后比它声明的大小"),
    "unclosed-quote-csv": (lambda d: hostile.unclosed_quote_csv(d / "岗位.csv"), "超过 32,767 个字符"),
}


@pytest.mark.parametrize("kind", FILES)
def test_the_upload_page_fails_the_batch_with_the_reason(
    users, client_for, tmp_path, calamine_forbidden, kind
):
    build, expected = FILES[kind]
    client = client_for(users["county_a"])
    with open(build(tmp_path), "rb") as fh:
        response = client.post(reverse("jobs:import_new"), {"file": fh})
    batch = JobImport.objects.get()
    assert batch.status == ImportStatus.FAILED and expected in batch.message, batch.message
    page = client.get(response.url).content.decode()
    assert batch.message in page and "处理中" not in page
    assert not Job.objects.exists()


@pytest.mark.parametrize("kind", FILES)
def test_the_command_exits_1_with_the_reason(users, tmp_path, calamine_forbidden, kind):
    build, expected = FILES[kind]
    with pytest.raises(CommandError) as info:
        call_command("import", "jobs", str(build(tmp_path)), "--area", "433124", stdout=io.StringIO())
    assert info.value.returncode == 1 and expected in str(info.value)
    assert not Job.objects.exists()
