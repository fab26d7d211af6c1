"""Recording a hire in headless Chromium (phone and desktop): the page asks for the actual wage and refuses
the hire without it, keeping what was typed; once hired, the laborer's other referral shows as given up
(已在其他单位就业) by the system."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, shot
from bangfu.referrals.actions import advance, create_referral
from bangfu.referrals.models import Status


@pytest.mark.browser
def test_staff_record_a_hire_with_its_wage_and_the_other_referral_closes(page, live_server, users, world):
    county = users["county_a"]
    hired = create_referral(county, world["long"], world["local_job"])
    advance(county, hired, Status.INTERESTED)
    other = create_referral(county, world["long"], world["other_job"])
    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/referrals/{hired.pk}/")
    page.get_by_role("button", name="录用", exact=True).click()
    expect(page.locator("#step-form")).to_contain_text("录用时请填写实际月工资（元）。")
    wage = page.get_by_label("实际月工资（元，录用时必填）")
    wage.fill("3600")
    page.get_by_role("button", name="录用", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("推荐状态已改为“录用”")
    expect(page.locator("body")).to_contain_text("月工资 3600 元")
    shot(page, "referral-hired-with-wage")

    page.goto(f"{live_server.url}/referrals/{other.pk}/")
    expect(page.locator("#steps")).to_contain_text("原因：已在其他单位就业")
    expect(page.locator("#steps")).to_contain_text("花垣苗绣扶贫车间“苗绣工”录用")
    expect(page.locator("#step-form")).to_have_count(0)
    shot(page, "referral-closed-by-hire")
