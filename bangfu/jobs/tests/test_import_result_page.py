"""The jobs import's result page lists its errors (row, column, value, reason); the report keeps the
user's file name."""

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.exchange.report import write_table
from bangfu.formats.catalog import jobs_layout
from bangfu.formats.views import place_for
from bangfu.jobs.models import JobImport

pytestmark = pytest.mark.django_db


def test_the_errors_are_listed_and_the_report_named_after_the_upload(client_for, users, tmp_path):
    layout = jobs_layout(place_for(users["county_a"]))
    bad = dict(zip(layout.header, layout.example, strict=True)) | {"招聘人数": "0", "岗位编号": "GW0002"}
    path = tmp_path / "岗位.csv"
    write_table(path, layout.header, [layout.example, list(bad.values())])
    client = client_for(users["county_a"])
    for _ in range(2):  # the second upload is stored under a suffixed name
        client.post("/jobs/imports/new/", {"file": SimpleUploadedFile("岗位.csv", path.read_bytes())})
    batch = JobImport.objects.latest("pk")
    assert batch.error_rows == 1 and batch.errors[0]["row"] == 3 and batch.errors[0]["column"] == "招聘人数"
    page = client.get(f"/jobs/imports/{batch.pk}/").content.decode()
    assert 'id="import-errors"' in page and "第 3 行" in page and "招聘人数" in page
    response = client.get(f"/jobs/imports/{batch.pk}/report/")
    assert unquote(response["Content-Disposition"]).endswith("''岗位-错误报告.xlsx")
