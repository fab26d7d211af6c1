"""A registry file laid out as a county office sends it: title rows above the header, blank rows, and a
signature footer under the data (填表人, 审核人, 填表日期, 单位（盖章）, 备注). The footer is not data: not
counted, not reported as rows in error; the result says it was left out (数据比对: compare/tests)."""

import pytest
import xlsxwriter
from django.urls import reverse

from bangfu.registry.models import ImportBatch, ImportStatus, Person
from bangfu.registry.tests.conftest import HEADER, person, pid

pytestmark = pytest.mark.django_db


def office_workbook(path, rows):
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("花名册")
    sheet.merge_range(0, 0, 0, len(HEADER) - 1, "花垣县龙潭镇2025年脱贫劳动力花名册")
    sheet.write_string(1, 0, "填报单位：龙潭镇人民政府")
    sheet.write_string(1, 10, "填报时间：2025年3月")
    for column, name in enumerate(HEADER):
        sheet.write_string(2, column, name)
    for line, row in enumerate(rows, start=3):
        for column, name in enumerate(HEADER):
            sheet.write_string(line, column, str(row.get(name, "")))
    last = 3 + len(rows) + 2  # two blank rows
    sheet.merge_range(last, 0, last, 4, "填表人：龙春生")
    sheet.write_string(last, 8, "审核人：石秀英")
    sheet.write_string(last, 14, "联系电话：0743-7123456")
    sheet.write_string(last + 1, 0, "填表日期：2025年3月1日")
    sheet.write_string(last + 2, 10, "单位（盖章）：")
    sheet.merge_range(last + 3, 0, last + 3, 9, "备注：本表一式两份，村、镇各存一份。")
    book.close()
    return path


def test_the_upload_page_imports_the_data_and_leaves_the_footer_out(users, client_for, tmp_path):
    rows = [
        person("H1", "龙春生", pid("1975-03-04", 11), birth="1975-03-04"),
        person("H1", "石秀英", pid("1977-08-09", 12), "配偶", "女", "1977-08-09"),
        person("H2", "吴建国", pid("1969-01-02", 13), birth="1969-01-02"),
    ]
    client = client_for(users["county_a"])
    with open(office_workbook(tmp_path / "花名册.xlsx", rows), "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.DONE, batch.message
    assert batch.total_rows == 3 and batch.error_rows == 0 and Person.objects.count() == 3
    assert "表格末尾的第9–12行是填表人、审核人、备注等表尾，不作为数据读取" in batch.message
    assert "表尾" in client.get(response.url).content.decode()
