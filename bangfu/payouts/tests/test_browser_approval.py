"""A county officer approves a 一次性交通补助 list on a desktop: builds it from the page, sees the failed
checks before the 审核 button, looks at the failed lines, approves; an officer with the export right
downloads the bank file, which pays the list."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.payouts import actions
from bangfu.payouts.models import PayoutList, Right, Status
from bangfu.subsidies.models import TransportRule
from bangfu.subsidies.tests.factories import VILLAGE_A, VILLAGE_A2, laborer, record


@pytest.fixture
def desktop(browser):
    context, page = new_page(browser, "desktop")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


@pytest.mark.browser
def test_a_county_officer_approves_a_list_on_a_desktop(desktop, live_server, users):
    TransportRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), amount=500, min_months=3
    )
    far = laborer("远行", VILLAGE_A)
    record(far, "2025-01-01", "2025-12-31")
    record(laborer("短工", VILLAGE_A2), "2025-11-01", "2025-12-31")
    actions.save_account(
        users["county_a"], person=far, card="社会保障卡", bank="农商银行", number="6230901234567890"
    )
    actions.grant(None, users["county_a"], Right.APPROVE, True)
    actions.grant(None, users["county_a"], Right.EXPORT, True)

    log_in(desktop, live_server.url, "u_county_a")
    desktop.goto(f"{live_server.url}/payouts/")
    desktop.locator("#build-card summary").click()
    form = desktop.locator("#build-form")
    form.get_by_label("补贴项目").select_option("transport")
    form.get_by_label("区划代码").fill("433124")
    form.get_by_label("期间").fill("2025")
    form.get_by_role("button", name="生成并校验").click()
    expect(desktop.locator("#failed-checks")).to_contain_text("有 1 条未通过校验")
    expect(desktop.locator("#total")).to_have_text("500.00")
    desktop.locator("#failed-checks").get_by_text("不符合条件 1").click()
    expect(desktop.locator("#line-table")).to_contain_text("短工")
    expect(desktop.locator("#line-table")).to_contain_text("少于最短务工月数 3")
    expect(desktop.locator("#line-table")).not_to_contain_text("远行")
    shot(desktop, "payouts-failed-checks")
    desktop.get_by_role("button", name="审核通过（1 人，500.00 元）").click()
    expect(desktop.locator("h1")).to_contain_text("已审核")
    assert PayoutList.objects.get().status == Status.APPROVED
    with desktop.expect_download() as download:
        desktop.get_by_role("button", name="导出银行发放文件并发放").click()
    assert download.value.suggested_filename.startswith("银行发放文件-一次性交通补助-2025")
    desktop.reload()
    expect(desktop.locator("h1")).to_contain_text("已发放")
    assert PayoutList.objects.get().status == Status.PAID
