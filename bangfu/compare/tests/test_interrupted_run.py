"""A comparison run or bulk decision left 处理中 by a process that is gone is shown 中断 and can be submitted
again; a file's unknown columns are listed on the run's result."""

import pytest

from bangfu.compare.actions import create_run
from bangfu.compare.models import BulkDecision, ComparisonRun, RunStatus
from bangfu.compare.tests.conftest import LONG, compare, write_source
from bangfu.core.tests.test_background import gone_runner

pytestmark = pytest.mark.django_db


def death_file(tmp_path, **extra):
    return write_source(
        tmp_path / "死亡.csv", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-01-05", **extra}]
    )


def test_unknown_columns_are_listed_on_the_run(users, people, tmp_path):
    run = compare(users["county_a"], "death", death_file(tmp_path, 备注甲="随便写", 险种="失业保险"))
    assert run.status == RunStatus.DONE
    assert "备注甲" in run.message  # no column of any type
    assert "险种" in run.message  # another type's column, not this one's


def test_an_interrupted_run_is_shown_and_compared_again(users, people, tmp_path, client_for):
    run = create_run(
        area=users["county_a"].area, user=users["county_a"], source_type="death", path=death_file(tmp_path)
    )
    ComparisonRun.objects.filter(pk=run.pk).update(status=RunStatus.RUNNING, runner=gone_runner())
    client = client_for(users["county_a"])
    page = client.get(f"/compare/{run.pk}/").content.decode()
    run.refresh_from_db()
    assert run.status == RunStatus.STOPPED and "结果不完整" in run.message
    assert "中断" in page and 'id="run-again"' in page and "every 2s" not in page
    response = client.post(f"/compare/{run.pk}/again/")
    again = ComparisonRun.objects.latest("pk")
    assert again.pk != run.pk and response.url == f"/compare/{again.pk}/"
    assert again.status == RunStatus.DONE and again.original_name == run.original_name


def test_an_interrupted_bulk_decision_is_shown(users, client_for):
    bulk = BulkDecision.objects.create(
        area=users["county_a"].area,
        user=users["county_a"],
        accepting=True,
        last_id=0,
        total=10,
        done=4,
        status=RunStatus.RUNNING,
    )
    BulkDecision.objects.filter(pk=bulk.pk).update(runner=gone_runner())
    page = client_for(users["county_a"]).get(f"/compare/findings/decide/{bulk.pk}/").content.decode()
    bulk.refresh_from_db()
    assert bulk.status == RunStatus.STOPPED and "已处理 4 条" in bulk.message
    assert "中断" in page and "every 2s" not in page
