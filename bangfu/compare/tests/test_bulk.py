"""Bulk decisions beyond what a request should do: queued, decided one by one in the background with their
progress on a page, findings of later runs and of other areas left alone, failures counted."""

import pytest
from django.core.management import call_command
from django.urls import reverse

from bangfu.areas.models import Area
from bangfu.audit.models import Action, AuditEvent
from bangfu.compare import actions
from bangfu.compare.models import BulkDecision, Finding, Kind, RunStatus, Status
from bangfu.compare.tasks import decide_bulk_task
from bangfu.compare.tests.conftest import LONG, MA, SHI, WU, compare, fresh, write_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def small_request(monkeypatch):
    """A request decides at most one finding's work: two or more go to the background."""
    monkeypatch.setattr(actions, "BULK_IN_REQUEST", 1)


@pytest.fixture
def death_run(users, people, tmp_path):
    path = write_source(
        tmp_path / "死亡.xlsx",
        [
            {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"},
            {"姓名": "石秀英", "证件号码": SHI, "死亡日期": "2025-04-01"},
            {"姓名": "麻老三", "证件号码": MA, "死亡日期": "2025-05-01"},
        ],
    )
    return compare(users["county_a"], "death", path)


def _deaths(run):
    return Finding.objects.filter(run=run, change="death").order_by("id")


def test_bulk_work_counts_the_people_of_fills(users, people, tmp_path):
    path = write_source(
        tmp_path / "社保.xlsx",
        [
            {"姓名": name, "证件号码": number, "险种": "城乡居民养老保险", "参保状态": "参保缴费"}
            for name, number in (("龙春生", LONG), ("石秀英", SHI), ("吴建国", WU))
        ],
    )
    run = compare(users["county_a"], "social-insurance", path)
    fills = Finding.objects.filter(run=run, kind=Kind.FILL)
    people_in_fills = sum(f.people.count() for f in fills)
    assert people_in_fills == 3
    findings = Finding.objects.filter(run=run)
    assert findings.filter(status=Status.OPEN).count() == fills.count() + 1  # and 麻老三's 未参保
    assert actions.bulk_work(findings) == fills.count() + 1 + people_in_fills


def test_accept_all_beyond_the_request_goes_to_the_background(
    users, people, death_run, client_for, small_request, django_capture_on_commit_callbacks
):
    client = client_for(users["county_a"])
    with django_capture_on_commit_callbacks() as queued:
        response = client.post(
            reverse("compare:finding_bulk"), {"do": "accept:all", "run": death_run.pk, "change": "death"}
        )
    bulk = BulkDecision.objects.get()
    assert response.status_code == 302 and response.url == reverse("compare:bulk_detail", args=[bulk.pk])
    assert len(queued) == 1  # the task, once the request's transaction has committed
    assert (bulk.total, bulk.status, bulk.accepting) == (3, RunStatus.PENDING, True)
    assert bulk.filters == {"run": str(death_run.pk), "change": "death"}
    assert not _deaths(death_run).exclude(status=Status.OPEN).exists()  # nothing decided in the request
    event = AuditEvent.objects.get(action=Action.CREATE, message__startswith="批量接受比对结果（后台处理）")
    assert "3 条" in event.message and f"比对批次 {death_run.pk}" in event.message

    page = client.get(response.url).content.decode()
    assert 'id="bulk-progress"' in page and "hx-get" in page and "排队中" in page
    listing = client.get(reverse("compare:finding_list")).content.decode()
    assert f'id="bulk-running-{bulk.pk}"' in listing

    assert decide_bulk_task.call(bulk.pk) == RunStatus.DONE
    bulk.refresh_from_db()
    assert (bulk.done, bulk.failed, bulk.message) == (3, 0, "已接受 3 条。")
    assert set(_deaths(death_run).values_list("status", flat=True)) == {Status.ACCEPTED}
    assert fresh(people["long"]).is_deceased and fresh(people["ma"]).is_deceased
    page = client.get(response.url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-get" not in page and "已接受 3 条。" in page and "100%" in page
    assert f"bulk-running-{bulk.pk}" not in client.get(reverse("compare:finding_list")).content.decode()
    assert decide_bulk_task.call(bulk.pk) == RunStatus.DONE  # queued again: nothing decided twice
    assert AuditEvent.objects.filter(message__startswith="接受比对结果").count() == 3


def test_a_small_bulk_is_decided_in_the_request(users, people, death_run, client_for):
    client = client_for(users["county_a"])
    response = client.post(
        reverse("compare:finding_bulk"),
        {"do": "reject:all", "run": death_run.pk, "change": "death", "note": "已核实健在"},
    )
    assert response.status_code == 302 and not BulkDecision.objects.exists()
    assert set(_deaths(death_run).values_list("outcome", flat=True)) == {"驳回：已核实健在"}


def test_findings_of_later_runs_and_other_areas_are_left_alone(
    users, people, death_run, tmp_path, small_request
):
    scoped = Finding.objects.for_user(users["county_a"]).filter(change="death")
    bulk = actions.queue_bulk_decision(
        users["county_a"], scoped, accepting=False, note="批量驳回", filters={"change": "death"}
    )
    later = compare(
        users["county_a"],
        "death",
        write_source(tmp_path / "死亡2.xlsx", [{"姓名": "吴建国", "证件号码": WU, "死亡日期": "2025-06-01"}]),
    )
    province = actions.queue_bulk_decision(
        users["province"], Finding.objects.for_user(users["province"]), accepting=True, filters={}
    )
    # The province's user is moved to another county before the worker gets to it: nothing in county A
    # is theirs to decide any more.
    users["province"].area = Area.objects.get(code=users["county_b"].area_id)
    users["province"].save(update_fields=["area"])

    assert decide_bulk_task.call(bulk.pk) == RunStatus.DONE
    assert set(_deaths(death_run).values_list("outcome", flat=True)) == {"驳回：批量驳回"}
    assert _deaths(later).get().status == Status.OPEN  # asked for before this run existed
    assert decide_bulk_task.call(province.pk) == RunStatus.DONE
    province.refresh_from_db()
    assert province.done == 0 and _deaths(later).get().status == Status.OPEN
    assert not fresh(people["wu"]).is_deceased


def test_a_finding_that_fails_is_counted_and_the_others_go_on(users, people, death_run, small_request):
    broken = _deaths(death_run)[1]
    Finding.objects.filter(pk=broken.pk).update(proposal={"person": {"died_on": "不详"}})
    bulk = actions.queue_bulk_decision(
        users["county_a"], Finding.objects.for_user(users["county_a"]), accepting=True, filters={}
    )
    assert decide_bulk_task.call(bulk.pk) == RunStatus.DONE
    bulk.refresh_from_db()
    assert (bulk.done, bulk.failed) == (2, 1)
    assert bulk.message == f"已接受 2 条，1 条未能处理（结果 {broken.pk}：系统错误，请联系管理员查看日志）。"
    assert Finding.objects.get(pk=broken.pk).status == Status.OPEN
    assert fresh(people["long"]).is_deceased and fresh(people["ma"]).is_deceased
    assert not fresh(people["shi"]).is_deceased


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_the_worker_decides_a_queued_bulk(users, people, tmp_path, small_request):
    path = write_source(
        tmp_path / "死亡.xlsx",
        [
            {"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"},
            {"姓名": "麻老三", "证件号码": MA, "死亡日期": "2025-05-01"},
        ],
    )
    run = compare(users["county_a"], "death", path)
    bulk = actions.queue_bulk_decision(
        users["county_a"], Finding.objects.filter(run=run), accepting=True, filters={"run": str(run.pk)}
    )
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    bulk.refresh_from_db()
    assert (bulk.status, bulk.done) == (RunStatus.DONE, 2)
    assert fresh(people["long"]).is_deceased and fresh(people["ma"]).is_deceased


def test_filters_that_no_longer_read_decide_nothing(users, people, death_run):
    bulk = actions.queue_bulk_decision(
        users["county_a"], Finding.objects.for_user(users["county_a"]), accepting=True, filters={}
    )
    BulkDecision.objects.filter(pk=bulk.pk).update(filters={"kind": "no-such-kind"})
    assert decide_bulk_task.call(bulk.pk) == RunStatus.DONE
    assert BulkDecision.objects.get(pk=bulk.pk).done == 0
    assert not _deaths(death_run).exclude(status=Status.OPEN).exists()
