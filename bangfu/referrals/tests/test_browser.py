"""Refer, answer, hire, in headless Chromium: a county user refers a laborer from the matching page, the
enterprise logs in to its portal and answers 有意向 then 录用, the staff inbox shows the answers, the
person's page shows the employment record, and the SMS file backend holds the messages."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.referrals.models import Referral, Status


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_refer_answer_hire_end_to_end(browser, device, live_server, users, world, sms_file):
    person, job = world["long"], world["job"]
    _scenario(browser, device, live_server, person)
    referral = Referral.objects.get(person=person, job=job)
    assert referral.status == Status.HIRED and referral.employment is not None
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    to_laborer = [line for line in lines if "\t13900001111\t" in line]
    assert any("推荐了岗位“电子装配工”" in line for line in to_laborer)
    assert any("录用" in line for line in to_laborer)
    assert any("\t02088886666\t" in line and "龙春生" in line for line in lines)


def _scenario(browser, device, live_server, person):
    staff, page = new_page(browser, device)
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    page.goto(f"{live_server.url}/matching/person/{person.pk}/")
    row = page.locator("tr", has_text="电子装配工")
    row.get_by_role("button", name="推荐").click()
    expect(row.get_by_text("已推荐")).to_be_visible()
    shot(page, "referral-made")

    boss, portal = new_page(browser, device)
    log_in(portal, live_server.url, "boss_factory")
    portal.goto(f"{live_server.url}/referrals/portal/")
    expect(portal.get_by_role("heading", name="推荐回复")).to_be_visible()
    expect(portal.locator("body")).to_contain_text(person.masked_id)
    expect(portal.locator("body")).not_to_contain_text("石秀英")
    portal.get_by_role("link", name="龙春生").click()
    expect(portal.locator("#phone-cell")).to_contain_text("有意向”后可见")
    portal.get_by_label("说明").fill("请周一上午来面试")
    portal.get_by_role("button", name="有意向").click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：有意向")
    portal.get_by_role("button", name="显示电话").click()
    expect(portal.locator("#phone-cell")).to_contain_text("13900001111")
    portal.get_by_role("button", name="录用", exact=True).click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：录用")
    expect(portal.locator("#steps")).to_contain_text("录用")
    shot(portal, "portal-hired")
    boss.close()

    page.goto(f"{live_server.url}/notices/")
    expect(page.locator("#inbox-badge")).to_have_text("2")
    expect(page.locator("#notices")).to_contain_text("推荐进展：龙春生 → 电子装配工：有意向")
    expect(page.locator("#notices")).to_contain_text("推荐进展：龙春生 → 电子装配工：录用")
    page.goto(f"{live_server.url}/registry/people/{person.pk}/")
    expect(page.locator("#person-employments")).to_contain_text("广州海珠电子厂")
    expect(page.locator("#person-employments")).to_contain_text("推荐录用")
    expect(page.locator("#person-referrals")).to_contain_text("录用")
    shot(page, "person-hired")
    staff.close()
