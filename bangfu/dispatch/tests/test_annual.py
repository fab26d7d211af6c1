"""The annual report: figures against targets per child area, dated, with the deadline read from the
调度与年报 rule (15 December nationally, a region's own where it has one); the page, its downloads and
`bangfu report annual`."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.dispatch.models import DispatchRule


def test_the_command_writes_xlsx_and_pdf_with_the_deadline(users, world, tmp_path):
    xlsx, pdf = tmp_path / "年报.xlsx", tmp_path / "年报.pdf"
    call_command(
        "report", "annual", "--area", "433124", "--year", "2026", "--out", str(xlsx), stdout=io.StringIO()
    )
    call_command(
        "report", "annual", "--area", "433124", "--year", "2026", "--out", str(pdf), stdout=io.StringIO()
    )
    sheet = CalamineWorkbook.from_path(str(xlsx)).get_sheet_by_index(0).to_python()
    text = [str(c) for row in sheet for c in row]
    assert "花垣县2026年就业帮扶年度报告" in text and "报送截止：2026年12月15日。" in text
    row = next(r for r in sheet if r and r[0] == world["longtan"].name)
    assert row[1:4] == [3.0, 6.0, "50.0%"]  # 龙甲, 龙乙 and 龙丁 work at the year's date; target 6
    total = next(r for r in sheet if r and r[0] == "合计")
    assert total[1:4] == [4.0, 10.0, "40.0%"]
    assert pdf.read_bytes().startswith(b"%PDF") and b"STSong-Light" in pdf.read_bytes()


def test_the_deadline_is_a_rule_not_a_constant(users, world, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("dispatch:annual"), {"year": 2026}).content.decode()
    assert "报送截止：<strong>2026年12月15日</strong>" in page
    DispatchRule.objects.create(region_prefix="43", effective_from=dt.date(2020, 1, 1), annual_due_day=10)
    page = client.get(reverse("dispatch:annual"), {"year": 2026}).content.decode()
    assert "报送截止：<strong>2026年12月10日</strong>" in page and world["longtan"].name in page
    response = client.get(reverse("dispatch:annual_file"), {"year": 2026, "format": "pdf"})
    assert response.status_code == 200 and response.content.startswith(b"%PDF")


def test_usage_errors(users, tmp_path):
    with pytest.raises(CommandError) as bad:
        call_command(
            "report", "annual", "--area", "433124", "--year", "2026", "--out", str(tmp_path / "x.doc")
        )
    assert bad.value.returncode == 2
    with pytest.raises(CommandError) as unknown:
        call_command(
            "report", "annual", "--area", "999999", "--year", "2026", "--out", str(tmp_path / "x.pdf")
        )
    assert unknown.value.returncode == 2
