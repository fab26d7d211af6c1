"""A comparison run's page lists its rejected rows (row, column, value, reason), and the error report is
named after the user's file."""

from urllib.parse import unquote

import pytest

from bangfu.compare.models import RunStatus
from bangfu.compare.tests.conftest import LONG, MA, compare, write_source

pytestmark = pytest.mark.django_db


def test_the_rejected_rows_are_listed_on_the_run_page(users, people, tmp_path, client_for):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-01-05"},
        {"姓名": "麻老三", "证件号码": MA, "死亡日期": "二〇二五年"},
    ]
    path = write_source(tmp_path / "死亡.csv", rows)
    compare(users["county_a"], "death", path)
    run = compare(users["county_a"], "death", path)  # the second is stored under a suffixed name
    assert run.status == RunStatus.DONE and run.error_rows == 1
    assert run.errors == [
        {"row": 4, "column": "死亡日期", "value": "二〇二五年", "message": run.errors[0]["message"]}
    ]
    client = client_for(users["county_a"])
    page = client.get(f"/compare/{run.pk}/").content.decode()
    assert 'id="import-errors"' in page and "第 4 行" in page and "二〇二五年" in page
    response = client.get(f"/compare/{run.pk}/report/")
    assert unquote(response["Content-Disposition"]).endswith("''死亡-错误报告.xlsx")
