"""The import result page lists the errors (row, column, value, reason) a page at a time, suggests the
village a near miss meant, and names files as the user uploaded them."""

from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bangfu.conftest import make_user
from bangfu.registry.importer import area_lookup
from bangfu.registry.models import ImportBatch
from bangfu.registry.rows import clean_row
from bangfu.registry.tests.conftest import VILLAGE_B, person, pid, write_csv

pytestmark = pytest.mark.django_db


def upload(client, path, name=None):
    content = path.read_bytes()
    client.post("/registry/imports/new/", {"file": SimpleUploadedFile(name or path.name, content)})
    return ImportBatch.objects.latest("pk")


def bad_rows(count):
    return [person(f"H{n}", "王五", "43312419900101000X" if n % 2 else "12345") for n in range(count)]


def test_the_errors_are_listed_on_the_page_with_row_column_and_reason(client_for, users, tmp_path):
    client = client_for(users["county_a"])
    rows = [person("H1", "张三", pid("1980-01-01", 11)), person("H2", "李四", "12345"), bad_rows(1)[0]]
    rows[2]["文化程度"] = "大学"
    batch = upload(client, write_csv(tmp_path / "名单.csv", rows))
    assert batch.error_rows == 2
    page = client.get(f"/registry/imports/{batch.pk}/").content.decode()
    assert 'id="import-errors"' in page
    # The CSV has a title row above the header: the first data row is row 3.
    assert "第 4 行" in page and "第 5 行" in page and "第 3 行" not in page
    assert "证件号码" in page and "12345" in page  # the uploader sees the values as the report has them
    assert "文化程度" in page and "大学" in page and "只能填写" in page


def test_an_outsider_to_the_report_sees_masked_ids(client_for, users, areas, tmp_path):
    batch = upload(
        client_for(users["county_a"]),
        write_csv(tmp_path / "名单.csv", [person("H2", "李四", pid("1980-01-01", 11)[:17] + "0")]),
    )
    wrong = pid("1980-01-01", 11)[:17] + "0"
    other = make_user("u_county_a2", areas["county_a"], can_view_sensitive=False)
    page = client_for(other).get(f"/registry/imports/{batch.pk}/").content.decode()
    assert batch.error_rows == 1 and "证件号码" in page
    assert wrong not in page and wrong[:6] in page


def test_many_errors_are_paged_and_capped_with_the_count(client_for, users, tmp_path, monkeypatch):
    monkeypatch.setattr("bangfu.exchange.errors.ERROR_LIST_CAP", 60)
    client = client_for(users["county_a"])
    batch = upload(client, write_csv(tmp_path / "名单.csv", bad_rows(70)))
    assert batch.error_rows == 70 and len(batch.errors) == 60
    first = client.get(f"/registry/imports/{batch.pk}/").content.decode()
    assert "70 行有错误" in first and "前 60 条" in first and "第 1 / 2 页" in first
    second = client.get(f"/registry/imports/{batch.pk}/?errors=2").content.decode()
    assert "第 2 / 2 页" in second and "第 52 行" not in second and "第 62 行" in second


@pytest.mark.parametrize(
    ("village", "meant"),
    [
        ("土地", "土地村"),
        ("土弟村", "土地村"),
        ("土地村委会", "土地村"),
        ("张匹码村", "张匹马村"),
        ("龙潭", "龙潭社区居委会"),
    ],
)
def test_a_village_near_miss_names_the_village_meant(village, meant, users):
    row = person("H1", "张三", pid("1980-01-01", 11), code="", **{"乡(镇)": "龙潭镇", "行政村": village})
    record, errors = clean_row(row, area_lookup(users["county_a"].area))
    assert record is None
    assert errors[0].column == "行政村" and f"是否为“{meant}”？" in errors[0].message


def test_a_township_near_miss_is_suggested_and_nothing_outside_the_area_is_named(users):
    lookup = area_lookup(users["county_a"].area)
    row = person("H1", "张三", pid("1980-01-01", 11), code="", **{"乡(镇)": "龙谭镇", "行政村": "土地村"})
    _, errors = clean_row(row, lookup)
    assert "是否为“龙潭镇”？" in errors[0].message
    # 凤凰县's 龙潭村 (VILLAGE_B) is outside county A: a near miss of it is never suggested to county A.
    row = person("H1", "张三", pid("1980-01-01", 11), code="", **{"乡(镇)": "龙潭镇", "行政村": "龙谭村"})
    _, errors = clean_row(row, lookup)
    assert "龙潭村" not in errors[0].message
    assert VILLAGE_B.startswith("433123")


def test_file_names_are_the_users_own_never_the_stored_suffix(client_for, users, tmp_path):
    client = client_for(users["county_a"])
    path = write_csv(tmp_path / "名单.csv", bad_rows(1))
    first, second = upload(client, path), upload(client, path)
    assert first.file.name != second.file.name  # the storage gave the second one a random suffix
    assert second.original_name == "名单.csv"
    response = client.get(f"/registry/imports/{second.pk}/report/")
    assert unquote(response["Content-Disposition"]).endswith("''名单-错误报告.xlsx")
