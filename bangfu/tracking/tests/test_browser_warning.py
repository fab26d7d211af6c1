"""A warning's life on a phone (390 px): raised by the scan, assigned by the township, helped by the
village's clerk from the notice in their inbox, cleared by the scan when the laborer works again."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.employment import actions as employment
from bangfu.employment.models import EmploymentRecord
from bangfu.tracking.models import Warning, WarningStatus
from bangfu.tracking.tests.warning_factories import household, member, record, visit

TODAY = timezone.localdate()


@pytest.fixture
def phone(browser):
    """A phone-sized page; whatever the Content-Security-Policy refuses fails the test."""
    context, page = new_page(browser, "phone")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_a_warnings_life_on_a_phone(phone, browser, live_server, users):
    home = household()
    father = member(home, "石老汉", "1970-03-01")
    record(father, "2020-01-01")
    visit(father, (TODAY - dt.timedelta(days=2)).isoformat())
    son = member(home, "石小龙", "1995-08-08", relation="之子")
    record(
        son,
        "2022-03-01",
        (TODAY - dt.timedelta(days=6)).isoformat(),
        "合同到期",
        employer_name="东莞某电子厂",
    )
    visit(son, (TODAY - dt.timedelta(days=5)).isoformat(), "已离职")

    # Raised by the nightly scan (run by hand here).
    call_command("warnings", "scan")
    warning = Warning.objects.get(person=son)
    assert warning.kind == "就业转失业" and warning.assignee is None

    # The township's officer finds it on the list and gives it to the village's clerk.
    log_in(phone, live_server.url, "u_township_a")
    phone.goto(f"{live_server.url}/tracking/warnings/")
    expect(phone.locator("#warning-table")).to_contain_text("石小龙")
    fits(phone)
    phone.get_by_role("link", name="就业转失业").click()
    expect(phone.locator("#warning-summary")).to_contain_text("东莞某电子厂")
    phone.get_by_label("责任人").select_option(
        label=f"{users['village_a'].display_name}（{users['village_a'].area.name}）"
    )
    phone.get_by_role("button", name="保存责任人").click()
    expect(phone.locator("#warning-assignee")).to_contain_text(users["village_a"].display_name)
    fits(phone)

    # The clerk is told in the inbox, opens the warning, takes it in hand and records the guidance given.
    context, clerk = new_page(browser, "phone")
    try:
        log_in(clerk, live_server.url, "u_village_a")
        clerk.goto(f"{live_server.url}/notices/")
        clerk.get_by_text("请处理预警：就业转失业（石小龙）").click()
        expect(clerk.locator("h1")).to_contain_text("就业转失业")
        clerk.get_by_role("button", name="开始处理").click()
        expect(clerk.locator("h1")).to_contain_text("处理中")
        clerk.get_by_label("帮扶措施").select_option("职业指导")
        clerk.get_by_label("说明").first.fill("电话联系，介绍县内扶贫车间岗位")
        clerk.get_by_role("button", name="保存帮扶措施").click()
        expect(clerk.locator("#help-list")).to_contain_text("电话联系，介绍县内扶贫车间岗位")
        fits(clerk)
        shot(clerk, "warning-helped")

        # He starts work again: the record (as any path records it) clears the warning at once.
        employment.create_record(users["village_a"], son, EmploymentRecord(started_on=TODAY, place="县内"))
        clerk.reload()
        expect(clerk.locator("h1")).to_contain_text("已解除")
        expect(clerk.locator("#warning-summary")).to_contain_text("已重新就业")
        fits(clerk)
        shot(clerk, "warning-cleared")
    finally:
        context.close()
    warning.refresh_from_db()
    assert warning.status == WarningStatus.CLEARED
    assert warning.helps.get().kind == "职业指导"
