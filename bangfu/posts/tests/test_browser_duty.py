"""A village officer fills the month's duty sheet on a phone (390 px): each holder's line saved on its own
with htmx, a wrong line refused in place while the others stay saved, and the sheet fits the screen."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.posts.models import Duty
from bangfu.posts.tests.factories import hold, post
from bangfu.referrals.tests.factories import VILLAGE_A, make_person

MONTH = "2026-10"


@pytest.fixture
def phone(browser):
    context, page = new_page(browser, "phone")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_a_village_officer_fills_the_duty_sheet_on_a_phone(phone, live_server, users):
    first, second = make_person("田大"), make_person("田二")
    hold(first, post(VILLAGE_A, title="保洁员"), started=dt.date(2026, 1, 1))
    hold(second, post(VILLAGE_A, title="护林员"), started=dt.date(2026, 1, 1))

    log_in(phone, live_server.url, "u_village_a")
    phone.goto(f"{live_server.url}/posts/duty/?month={MONTH}")
    expect(phone.locator("h1")).to_contain_text(f"{MONTH} 出勤")
    fits(phone)
    lines = phone.locator(".duty-line")
    expect(lines).to_have_count(2)

    one = lines.filter(has_text="田大")
    one.get_by_label("在岗天数").fill("21")
    one.get_by_label("应出勤天数").fill("22")
    one.get_by_role("button", name="保存").click()
    expect(phone.locator(".duty-line").filter(has_text="田大")).to_contain_text("已保存")

    two = phone.locator(".duty-line").filter(has_text="田二")
    two.get_by_label("在岗天数").fill("25")
    two.get_by_label("应出勤天数").fill("22")
    two.get_by_role("button", name="保存").click()
    expect(phone.locator(".duty-line").filter(has_text="田二")).to_contain_text("在岗天数应在 0 到应出勤天数")
    two = phone.locator(".duty-line").filter(has_text="田二")
    two.get_by_label("在岗天数").fill("18")
    two.get_by_role("button", name="保存").click()
    expect(phone.locator(".duty-line").filter(has_text="田二")).to_contain_text("已保存")
    fits(phone)
    shot(phone, "posts-duty-sheet")

    saved = dict(Duty.objects.filter(month=MONTH).values_list("person__name", "days_on_duty"))
    assert saved == {"田大": 21, "田二": 18}
    phone.reload()
    expect(phone.locator(".duty-line").filter(has_text="田大").get_by_label("在岗天数")).to_have_value("21")
