"""The payout pages: build from the page, the failed checks shown before the 审核 button, approval and the
bank file by their separate rights, accounts masked on pages and whole only in the bank file, the §11 file
masked for users who may not see full IDs, the totals per sub-area with each level's share."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.payouts import actions
from bangfu.payouts.models import PayoutList, Right, ShareRule, Status
from bangfu.subsidies.models import TransportRule
from bangfu.subsidies.tests.factories import VILLAGE_A2, laborer, record

ACCOUNT = "6230901234567890"


@pytest.fixture
def world(users):
    TransportRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), amount=500, min_months=3
    )
    ShareRule.objects.create(
        region_prefix="43", effective_from=dt.date(2020, 1, 1), province_pct=50, city_pct=30, county_pct=20
    )
    far = laborer("远行")
    record(far, "2025-01-01", "2025-12-31")
    near = laborer("近邻", VILLAGE_A2, "监测户")
    record(near, "2025-06-01", "2025-12-31", "省内县外")
    short = laborer("短工", VILLAGE_A2)
    record(short, "2025-11-01", "2025-12-31")
    actions.save_account(users["county_a"], person=far, card="社会保障卡", bank="农商银行", number=ACCOUNT)
    return {"far": far, "near": near, "short": short}


def _build(client):
    response = client.post(
        reverse("payouts:list_new"), {"kind": "transport", "area": "433124", "period": "2025"}
    )
    assert response.status_code == 302
    return PayoutList.objects.get()


def test_the_failed_checks_come_before_approval_and_the_rights_are_apart(world, users, client_for):
    county = client_for(users["county_a"])
    payout_list = _build(county)
    page = county.get(reverse("payouts:list_detail", args=[payout_list.pk])).content.decode()
    assert "有 1 条未通过校验" in page and "不符合条件 1" in page
    assert page.index("failed-checks") < page.index("actions")
    assert "您没有补贴发放审核权限" in page and 'id="approve"' not in page
    assert ACCOUNT not in page and "6230********7890" in page
    assert "省级 500.00 元，市级 300.00 元，县级 200.00 元" in page
    failed = county.get(
        reverse("payouts:list_detail", args=[payout_list.pk]) + "?result=failed"
    ).content.decode()
    assert "短工" in failed and "远行" not in failed

    actions.grant(None, users["county_a"], Right.APPROVE, True)
    county.post(reverse("payouts:list_approve", args=[payout_list.pk]))
    payout_list.refresh_from_db()
    assert payout_list.status == Status.APPROVED
    refused = county.post(reverse("payouts:list_bank", args=[payout_list.pk]))
    assert refused.status_code == 302 and PayoutList.objects.get().status == Status.APPROVED

    actions.grant(None, users["township_a"], Right.EXPORT, True)
    township = client_for(users["township_a"])
    assert (
        township.get(reverse("payouts:list_detail", args=[payout_list.pk])).status_code == 404
    )  # a county list
    actions.grant(None, users["city"], Right.EXPORT, True)
    city = client_for(users["city"])
    response = city.post(reverse("payouts:list_bank", args=[payout_list.pk]), {"format": "csv"})
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert ACCOUNT in text and "1000.00" not in text and "500.00" in text
    assert PayoutList.objects.get().status == Status.PAID
    assert AuditEvent.objects.filter(
        action=Action.EXPORT, object_id=str(payout_list.pk), actor=users["city"]
    ).exists()


def test_the_exchange_file_is_masked_for_users_without_the_sensitive_right(world, users, client_for):
    county = client_for(users["county_a"])
    payout_list = _build(county)
    users["county_a"].can_view_sensitive = False
    users["county_a"].save(update_fields=["can_view_sensitive"])
    response = county.get(reverse("payouts:list_file", args=[payout_list.pk]) + "?format=csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert world["far"].id_number not in text and world["far"].id_number[:6] in text
    assert text.splitlines()[0] == "证件号码,姓名,补贴项目,期间,金额,校验结果,说明"


def test_totals_roll_up_by_sub_area(world, users, client_for):
    county = client_for(users["county_a"])
    payout_list = _build(county)
    actions.grant(None, users["county_a"], Right.APPROVE, True)
    actions.approve(users["county_a"], payout_list)
    page = client_for(users["city"]).get(
        reverse("payouts:summary") + "?kind=transport&period=2025&area=433124"
    )
    text = page.content.decode()
    assert "龙潭镇" in text and "民乐镇" in text
    assert "<strong>2</strong> 人，<strong>1000.00</strong> 元" in text


def test_an_account_is_entered_on_the_person_page_and_audited_masked(world, users, client_for):
    county = client_for(users["county_a"])
    url = reverse("payouts:person_account", args=[world["near"].pk])
    bad = county.post(url, {"card": "惠民惠农一卡通", "bank": "农商银行", "number": "12ab"})
    assert bad.status_code == 200 and "账号应为" in bad.content.decode()
    county.post(url, {"card": "惠民惠农一卡通", "bank": "农商银行", "number": "6217 0012 3456 7890 123"})
    person_page = county.get(reverse("registry:person_detail", args=[world["near"].pk])).content.decode()
    assert "6217***********0123" in person_page and "62170012345678901230" not in person_page
    event = AuditEvent.objects.filter(object_type="payouts.payeeaccount").latest("id")
    assert "6217001234567890123" not in str(event.after)


def test_rights_are_passed_on_only_by_a_holder(world, users, client_for):
    county = client_for(users["county_a"])
    url = reverse("payouts:right_toggle", args=[users["township_a"].pk])
    county.post(url, {"right": "approve", "on": "1"})
    assert not actions.has_right(users["township_a"], Right.APPROVE)
    actions.grant(None, users["county_a"], Right.APPROVE, True)
    county.post(url, {"right": "approve", "on": "1"})
    assert actions.has_right(users["township_a"], Right.APPROVE)
    assert "补贴发放审核" in county.get(reverse("payouts:rights")).content.decode()


def test_build_refusal_is_shown(users, client_for):
    county = client_for(users["county_a"])
    response = county.post(
        reverse("payouts:list_new"), {"kind": "transport", "area": "433124", "period": "2025"}, follow=True
    )
    assert "没有生效的一次性交通补助规则" in response.content.decode()
    assert not PayoutList.objects.exists() and Decimal("0") == 0
