"""A jobs file with a signature footer under the data (填表人, 审核人, 填报日期, 备注): the footer is not
data, not reported as rows in error, and the import says it left it out."""

import csv

import pytest

from bangfu.jobs.actions import create_job_import, run_job_import
from bangfu.jobs.models import ImportStatus, Job
from bangfu.jobs.tests.conftest import HEADER, job_row

pytestmark = pytest.mark.django_db


def test_the_footer_is_left_out(users, tmp_path):
    path = tmp_path / "岗位.csv"
    with open(path, "w", encoding="gbk", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerows([["花垣县2025年春季岗位信息"], HEADER])
        writer.writerows([str(row.get(h, "")) for h in HEADER] for row in (job_row("F1"), job_row("F2")))
        writer.writerows(
            [[], ["填表人：龙春生", "", "审核人：石秀英"], ["填报日期：2025年3月1日"], ["备注：岗位长期有效"]]
        )
    batch = run_job_import(create_job_import(area=users["county_a"].area, user=None, path=path))
    assert batch.status == ImportStatus.DONE and batch.error_rows == 0, batch.message
    assert Job.objects.count() == 2
    assert "表格末尾的第6–8行是填表人、审核人、备注等表尾，不作为数据读取" in batch.message
