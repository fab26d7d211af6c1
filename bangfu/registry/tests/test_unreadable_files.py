"""Files that say nothing to import: a header alone is told it has no rows, a Big5 file that its encoding
is not supported (not a garbled header), on the upload page and from `bangfu import registry` (exit 1)."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from bangfu.registry.models import ImportBatch, ImportStatus, Person
from bangfu.registry.tests.conftest import HEADER

pytestmark = pytest.mark.django_db

HEADER_LINE = ",".join(h.replace("\n", "") for h in HEADER) + "\n"
TRADITIONAL = "戶編號,姓名,證件號碼,與戶主關係,行政區劃代碼\nH1,張三豐,433124199001011234,戶主,433124102201\n"
FILES = {
    "header-only": (lambda d: _write(d / "名单.csv", HEADER_LINE.encode("gbk")), "文件中表头以下没有数据行"),
    "header-and-blank-rows": (
        lambda d: _write(d / "名单.csv", (HEADER_LINE + "," * 24 + "\n\n").encode("utf-8")),
        "文件中表头以下没有数据行",
    ),
    "big5": (lambda d: _write(d / "名单.csv", TRADITIONAL.encode("big5")), "看起来是繁体中文 Big5 编码"),
}


def _write(path, data: bytes):
    path.write_bytes(data)
    return path


@pytest.mark.parametrize("kind", FILES)
def test_the_upload_page_says_why(users, client_for, tmp_path, kind):
    build, expected = FILES[kind]
    client = client_for(users["county_a"])
    with open(build(tmp_path), "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED and expected in batch.message, batch.message
    assert batch.message in client.get(response.url).content.decode()
    assert not Person.objects.exists()


@pytest.mark.parametrize("kind", FILES)
def test_the_command_exits_1_saying_why(users, tmp_path, kind):
    build, expected = FILES[kind]
    with pytest.raises(CommandError) as info:
        call_command("import", "registry", str(build(tmp_path)), "--area", "433124", stdout=io.StringIO())
    assert info.value.returncode == 1 and expected in str(info.value)
