"""The payout core with a tiny kind: every check planted once, in the EXCHANGE §11 order; the rest paid to
the yuan; approval and export as separate, audited rights; a later death stopping an open line."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from bangfu.audit.models import AuditEvent
from bangfu.conftest import area
from bangfu.payouts import actions, kinds
from bangfu.payouts.models import Line, PayoutList, Result, Right, Status
from bangfu.payouts.tests.factories import Planted, proposal, register_test_kind
from bangfu.referrals.tests.factories import VILLAGE_A, VILLAGE_B, make_person
from bangfu.registry.actions import update_person_fields

COUNTY_A = "433124"


@pytest.fixture
def kind():
    key = register_test_kind()
    yield key
    kinds.unregister(key)
    Planted.proposals = []


@pytest.fixture
def world(users, kind):
    people = {
        name: make_person(name) for name in ("张一", "李二", "王三", "赵四", "钱五", "孙六", "周七", "吴八")
    }
    people["moved"] = make_person("郑九", VILLAGE_B)
    people["李二"].is_deceased, people["李二"].died_on = True, dt.date(2026, 3, 20)  # within March
    people["李二"].save()
    people["王三"].is_deceased, people["王三"].died_on = True, dt.date(2026, 4, 2)  # after March: paid
    people["王三"].save()
    return people


def _plant(world):
    Planted.proposals = [
        proposal(world["张一"], "600"),
        proposal(world["李二"], "600"),  # 已故
        proposal(world["王三"], "600"),  # died after the period: paid
        proposal(world["赵四"], "600"),  # paid on another list: 重复发放
        proposal(world["钱五"], None, failed="一人多岗", note="同月在两个岗位"),
        proposal(world["孙六"], None, note="在岗 18/22 天，低于最低在岗天数 20"),
        proposal(None, "600", id_number="433124198505060013", name="不在册"),
        proposal(world["moved"], "600"),  # outside county A
        proposal(world["周七"], "450.50", failed="不符合条件", note="项目自定"),
        proposal(world["吴八"], "550.25"),
    ]


def test_every_check_flags_exactly_its_line_and_the_rest_is_paid(world, users, kind):
    Planted.proposals = [proposal(world["赵四"], "600")]
    earlier = actions.build(users["county_a"], kind, area(VILLAGE_A), "2026-03")
    assert earlier.passed_count == 1
    _plant(world)
    payout_list = actions.build(users["county_a"], kind, area(COUNTY_A), "2026-03")
    got = {line.name: (line.result, line.amount) for line in payout_list.lines.all()}
    assert got == {
        "张一": (Result.PASSED, Decimal("600.00")),
        "李二": (Result.DECEASED, None),
        "王三": (Result.PASSED, Decimal("600.00")),
        "赵四": (Result.DUPLICATE, None),
        "钱五": ("一人多岗", None),
        "孙六": (Result.INELIGIBLE, None),
        "不在册": (Result.INELIGIBLE, None),
        "郑九": (Result.INELIGIBLE, None),
        "周七": (Result.INELIGIBLE, None),
        "吴八": (Result.PASSED, Decimal("550.25")),
    }
    assert payout_list.status == Status.CHECKED
    assert (payout_list.passed_count, payout_list.failed_count) == (3, 7)
    assert payout_list.total == Decimal("1750.25")
    notes = dict(payout_list.lines.values_list("name", "note"))
    assert notes["孙六"] == "在岗 18/22 天，低于最低在岗天数 20"
    assert "不在人员名单" in notes["不在册"] and "区域" in notes["郑九"]


def test_a_returned_list_does_not_count_as_paid(world, users, kind):
    Planted.proposals = [proposal(world["赵四"], "600")]
    first = actions.build(users["county_a"], kind, area(VILLAGE_A), "2026-03")
    actions.grant(None, users["county_a"], Right.APPROVE, True)
    actions.return_list(users["county_a"], first, "金额有误")
    second = actions.build(users["county_a"], kind, area(COUNTY_A), "2026-03")
    assert list(second.lines.values_list("result", flat=True)) == [Result.PASSED]


def test_approval_and_export_are_separate_audited_rights(world, users, kind):
    Planted.proposals = [proposal(world["张一"], "600"), proposal(world["吴八"], "300")]
    county = users["county_a"]
    payout_list = actions.build(county, kind, area(COUNTY_A), "2026-03")
    with pytest.raises(PermissionDenied):
        actions.approve(county, payout_list)
    actions.grant(None, county, Right.APPROVE, True)
    actions.approve(county, payout_list)
    payout_list.refresh_from_db()
    assert payout_list.status == Status.APPROVED
    with pytest.raises(PermissionDenied):
        actions.export_bank(county, payout_list)
    actions.grant(None, county, Right.EXPORT, True)
    actions.save_account(
        county, person=world["张一"], card="社会保障卡", bank="农商银行", number="6230901234567890"
    )
    rows, missing = actions.export_bank(county, payout_list)
    assert missing == 1 and len(rows) == 1 and rows[0][5] == "6230901234567890" and rows[0][6] == "600.00"
    payout_list.refresh_from_db()
    assert payout_list.status == Status.PAID
    messages = list(
        AuditEvent.objects.filter(object_id=str(payout_list.pk)).values_list("message", flat=True)
    )
    assert any("审核通过" in m for m in messages) and any("导出银行发放文件" in m for m in messages)
    account_events = AuditEvent.objects.filter(object_type="payouts.payeeaccount")
    assert "6230901234567890" not in str(list(account_events.values_list("after", flat=True)))


def test_a_death_recorded_later_stops_open_lines_and_blocks_a_stale_approval(world, users, kind):
    Planted.proposals = [proposal(world["张一"], "600"), proposal(world["吴八"], "300")]
    county = users["county_a"]
    payout_list = actions.build(county, kind, area(COUNTY_A), "2026-03")
    person = world["张一"]
    person.is_deceased, person.died_on = True, dt.date(2026, 3, 10)
    person.save()  # registered without the signal: the approval's fresh check finds it
    actions.grant(None, county, Right.APPROVE, True)
    with pytest.raises(ValidationError):
        actions.approve(county, payout_list)
    payout_list.refresh_from_db()
    assert payout_list.total == Decimal("300.00")
    actions.approve(county, payout_list)


def test_the_death_signal_stops_an_approved_line(world, users, kind, django_capture_on_commit_callbacks):
    Planted.proposals = [proposal(world["张一"], "600"), proposal(world["吴八"], "300")]
    county = users["county_a"]
    actions.grant(None, county, Right.APPROVE, True)
    payout_list = actions.build(county, kind, area(COUNTY_A), "2026-03")
    actions.approve(county, payout_list)
    with django_capture_on_commit_callbacks(execute=True):
        update_person_fields(
            county, world["吴八"], {"is_deceased": True, "died_on": dt.date(2026, 2, 1)}, source="手工"
        )
    line = Line.objects.get(payout_list=payout_list, person=world["吴八"])
    assert (line.result, line.amount) == (Result.DECEASED, None)
    assert PayoutList.objects.get(pk=payout_list.pk).total == Decimal("600.00")


def test_build_refuses_a_bad_period_and_an_approved_list(world, users, kind):
    county = users["county_a"]
    with pytest.raises(ValidationError):
        actions.build(county, kind, area(COUNTY_A), "2026-13")
    Planted.proposals = [proposal(world["张一"], "600")]
    payout_list = actions.build(county, kind, area(COUNTY_A), "2026-03")
    again = actions.build(county, kind, area(COUNTY_A), "2026-03")
    assert again.pk == payout_list.pk and again.lines.count() == 1
    actions.grant(None, county, Right.APPROVE, True)
    actions.approve(county, again)
    with pytest.raises(ValidationError):
        actions.build(county, kind, area(COUNTY_A), "2026-03")
    with pytest.raises(PermissionDenied):
        actions.build(users["county_b"], kind, area(COUNTY_A), "2026-03")
