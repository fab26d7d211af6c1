"""Hostile files uploaded to 数据比对 or given to `bangfu compare`: refused with the Chinese reason before
the reader allocates, the run failed (not left 处理中) with no findings, the command exits 1."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.compare.models import ComparisonRun, Finding, RunStatus
from bangfu.exchange.tests import hostile

pytestmark = pytest.mark.django_db

FILES = {
    "far-cell": (lambda d: hostile.far_cell_xlsx(d / "死亡.xlsx"), "内容范围是 A1:XFD1048576"),
    "zip-bomb": (lambda d: hostile.zip_bomb_xlsx(d / "死亡.xlsx"), "超过了可接受的压缩比"),
    "xls": (lambda d: hostile.far_column_xls(d / "死亡.xls"), "共 65,536 列"),
    "wide-csv": (lambda d: hostile.wide_row_csv(d / "死亡.csv"), "第1行有 20,004 列"),
}


@pytest.mark.parametrize("kind", FILES)
def test_the_upload_page_fails_the_run_with_the_reason(
    users, people, client_for, tmp_path, calamine_forbidden, kind
):
    build, expected = FILES[kind]
    path = build(tmp_path)
    client = client_for(users["county_a"])
    response = client.post(
        reverse("compare:run_new"),
        {
            "source_type": "death",
            "threshold": "0.9",
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
        },
    )
    run = ComparisonRun.objects.get()
    assert run.status == RunStatus.FAILED and expected in run.message, run.message
    page = client.get(response.url).content.decode()
    assert run.message in page and "处理中" not in page
    assert not Finding.objects.exists()


@pytest.mark.parametrize("kind", FILES)
def test_the_command_exits_1_with_the_reason(users, people, tmp_path, calamine_forbidden, kind):
    build, expected = FILES[kind]
    path = build(tmp_path)
    with pytest.raises(CommandError) as info:
        call_command(
            "compare",
            "death",
            str(path),
            "--area",
            "433124",
            "--out",
            str(tmp_path / "out"),
            stdout=io.StringIO(),
        )
    assert info.value.returncode == 1 and expected in str(info.value)
    assert not Finding.objects.exists()
