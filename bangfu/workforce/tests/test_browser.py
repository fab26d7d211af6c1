"""In headless Chromium, on a phone and a desktop: an employer's account opens 用工报送 from the portal's
menu, reports the hire of a laborer it recruited itself, then the laborer's departure; behind the portal the
worker turns them into the laborer's employment record of source 企业报送, ended with the reason given."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.employment.models import EmploymentRecord, Source
from bangfu.referrals.tests.factories import make_employer, make_enterprise_user, make_person
from bangfu.workforce.actions import apply_pending
from bangfu.workforce.models import Hire


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_an_employer_reports_a_hire_and_a_departure(browser, device, live_server, users):
    factory = make_employer("广州海珠电子厂", "440105", 501)
    make_enterprise_user("boss_factory", factory)
    long = make_person("龙春生")
    today = timezone.localdate()
    started, left = today - dt.timedelta(days=75), today - dt.timedelta(days=3)

    context, page = new_page(browser, device)
    page.on("dialog", lambda dialog: dialog.accept())  # 报送离职 asks to confirm
    log_in(page, live_server.url, "boss_factory")
    expect(page.get_by_role("heading", name="企业门户")).to_be_visible()
    page.wait_for_load_state()
    if device == "phone":
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    page.locator("#nav-main").get_by_role("link", name="用工报送").click()
    expect(page.get_by_role("heading", name="用工报送")).to_be_visible()
    page.get_by_role("link", name="报送入职").click()

    page.get_by_label("证件号码").fill(long.id_number)
    page.get_by_label("姓名").fill("龙春生")
    page.get_by_label("入职日期").fill(started.isoformat())
    page.get_by_label("岗位（工种）").fill("电子装配工")
    page.get_by_label("月工资（元）").fill("4300")
    shot(page, "workforce-hire")
    page.get_by_role("button", name="报送入职").click()
    expect(page.locator(".alert-success")).to_contain_text(f"已报送入职：龙春生（{long.masked_id}）")
    row = page.locator("#workforce-people tbody tr", has_text="龙春生")
    expect(row).to_contain_text(long.masked_id)
    expect(row).to_contain_text("在职")
    expect(page.locator("#workforce-people")).not_to_contain_text(long.id_number)
    shot(page, "workforce-list")

    row.get_by_role("link", name="龙春生").click()
    expect(page.get_by_role("heading", name="龙春生")).to_contain_text("在职")
    page.get_by_label("离职日期（最后工作日）").fill(left.isoformat())
    page.get_by_label("离职原因").select_option("返乡")
    page.get_by_role("button", name="报送离职").click()
    expect(page.locator(".alert-success")).to_contain_text("已报送离职：龙春生")
    expect(page.get_by_role("heading", name="龙春生")).to_contain_text("已离职")
    expect(page.locator("#hire-facts")).to_contain_text(f"{left.isoformat()}，返乡")
    shot(page, "workforce-left")
    context.close()

    assert apply_pending() == 1  # what the background worker does once the portal has answered
    hire = Hire.objects.get()
    record = EmploymentRecord.objects.get(person=long)
    assert hire.record == record and record.source == Source.EMPLOYER
    assert (record.started_on, record.ended_on, record.end_reason, record.monthly_wage) == (
        started,
        left,
        "返乡",
        4300,
    )
