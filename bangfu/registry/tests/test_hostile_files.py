"""Hostile files uploaded to 名册导入 or given to `bangfu import registry`: refused with the Chinese
reason before the reader allocates (the 1.6 KB workbook once killed the web server), the batch failed
(not left 处理中), nothing saved, the command exits 1 without a traceback."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.exchange.tests import hostile
from bangfu.registry import views
from bangfu.registry.models import ImportBatch, ImportStatus, Person

pytestmark = pytest.mark.django_db

FILES = {
    "far-cell": (lambda d: hostile.far_cell_xlsx(d / "名单.xlsx"), "内容范围是 A1:XFD1048576"),
    "zip-bomb": (lambda d: hostile.zip_bomb_xlsx(d / "名单.xlsx"), "超过了可接受的压缩比"),
    "xls": (lambda d: hostile.far_column_xls(d / "名单.xls"), "共 65,536 列"),
    "wide-csv": (lambda d: hostile.wide_row_csv(d / "名单.csv"), "第1行有 20,004 列"),
    "workbook-named-csv": (
        lambda d: hostile.far_cell_xlsx(d / "x.xlsx").rename(d / "名单.csv"),
        "内容范围是 A1:XFD1048576",
    ),
}


@pytest.mark.parametrize("kind", FILES)
def test_the_upload_page_fails_the_batch_with_the_reason(
    users, client_for, tmp_path, calamine_forbidden, kind
):
    build, expected = FILES[kind]
    path = build(tmp_path)
    client = client_for(users["county_a"])
    with open(path, "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and expected in batch.message, batch.message
    page = client.get(response.url).content.decode()
    assert batch.message in page and "处理中" not in page
    assert not Person.objects.exists()


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_a_large_upload_fails_in_the_worker_the_same(
    users, client_for, tmp_path, monkeypatch, calamine_forbidden
):
    monkeypatch.setattr(views, "INLINE_IMPORT_LIMIT", 0)
    path = hostile.far_cell_xlsx(tmp_path / "名单.xlsx")
    client = client_for(users["county_a"])
    with open(path, "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and "XFD1048576" in batch.message
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and batch.message in partial


@pytest.mark.parametrize("kind", FILES)
def test_the_command_exits_1_with_the_reason(users, tmp_path, calamine_forbidden, kind):
    build, expected = FILES[kind]
    with pytest.raises(CommandError) as info:
        call_command("import", "registry", str(build(tmp_path)), "--area", "433124", stdout=io.StringIO())
    assert info.value.returncode == 1 and expected in str(info.value)
    assert ImportBatch.objects.get().status == ImportStatus.FAILED and not Person.objects.exists()
