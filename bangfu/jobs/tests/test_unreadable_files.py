"""A jobs file with a header alone is told it has no rows, on the upload page and from `bangfu import
jobs` (exit 1), instead of a finished import of nothing."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.jobs.models import ImportStatus, JobImport

pytestmark = pytest.mark.django_db

HEADER_LINE = "岗位编号,单位名称,统一社会信用代码,岗位名称,招聘人数,工作地点区划代码\n"


def test_the_upload_page_says_the_file_has_no_rows(users, client_for, tmp_path):
    path = tmp_path / "岗位.csv"
    path.write_text(HEADER_LINE + ",,,,,\n", encoding="utf-8")
    client = client_for(users["county_a"])
    with open(path, "rb") as fh:
        response = client.post(reverse("jobs:import_new"), {"file": fh})
    batch = JobImport.objects.get()
    assert batch.status == ImportStatus.FAILED and "文件中表头以下没有数据行" in batch.message, batch.message
    assert batch.message in client.get(response.url).content.decode()


def test_the_command_exits_1_saying_the_file_has_no_rows(users, tmp_path):
    path = tmp_path / "岗位.csv"
    path.write_text(HEADER_LINE, encoding="gbk")
    with pytest.raises(CommandError) as info:
        call_command("import", "jobs", str(path), "--area", "433124", stdout=io.StringIO())
    assert info.value.returncode == 1 and "文件中表头以下没有数据行" in str(info.value)
