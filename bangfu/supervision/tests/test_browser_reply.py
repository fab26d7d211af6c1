"""A village clerk answers a 督办 task on a phone (390 px): told in the inbox, opens it, reports 办结 with a
photo; the county returns it with a reason on a desktop; the clerk reports again and the county accepts."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.conftest import VILLAGE_A
from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.supervision.models import Assignment, Review
from bangfu.supervision.tests.factories import send, upload


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
def test_a_village_clerk_replies_on_a_phone(phone, browser, live_server, users, tmp_path):
    task = send(users["county_a"], VILLAGE_A, title="春风行动入户宣传", files=[upload("实施方案.pdf")])
    photo = tmp_path / "入户照片.jpg"
    photo.write_bytes(b"\xff\xd8\xff\xe0 photo")

    log_in(phone, live_server.url, "u_village_a")
    expect(phone.locator("#supervision-panel")).to_contain_text("春风行动入户宣传")
    fits(phone)
    phone.goto(f"{live_server.url}/notices/")
    phone.get_by_text("督办任务：春风行动入户宣传").click()
    expect(phone.locator("h1")).to_contain_text("未办理")
    expect(phone.locator("#task-summary")).to_contain_text("实施方案.pdf")
    fits(phone)
    phone.get_by_label("办理情况").fill("已入户宣传 36 户，发放资料 40 份。")
    phone.get_by_label("办结").check()
    phone.get_by_label("附件").set_input_files(str(photo))
    phone.get_by_role("button", name="报送").click()
    expect(phone.locator("#reply-list")).to_contain_text("已入户宣传 36 户")
    expect(phone.locator("#reply-list")).to_contain_text("入户照片.jpg")
    expect(phone.locator("#reply-list")).to_contain_text("待审核")
    expect(phone.locator("#reply-form")).to_have_count(0)
    fits(phone)
    shot(phone, "supervision-replied")

    # The county returns it from a desktop, with a reason.
    context, county = new_page(browser, "desktop")
    try:
        log_in(county, live_server.url, "u_county_a")
        county.goto(f"{live_server.url}/supervision/tasks/{task.pk}/")
        county.locator("#receiver-table a").first.click()
        county.get_by_label("退回原因（退回时填写）").fill("请补充入户登记表")
        county.get_by_role("button", name="退回").click()
        expect(county.locator("#reply-list")).to_contain_text("请补充入户登记表")

        # The clerk is told, reports again; the county accepts.
        phone.goto(f"{live_server.url}/notices/")
        phone.get_by_text("办理情况被退回：春风行动入户宣传").click()
        expect(phone.locator("#reply-list")).to_contain_text("请补充入户登记表")
        phone.get_by_label("办理情况").fill("已补充入户登记表。")
        phone.get_by_label("办结").check()
        phone.get_by_role("button", name="报送").click()
        expect(phone.locator("#reply-list")).to_contain_text("已补充入户登记表")
        fits(phone)
        county.reload()
        county.get_by_role("button", name="采纳").click()
        expect(county.locator("h1")).to_contain_text("已办结")
    finally:
        context.close()
    phone.reload()
    expect(phone.locator("h1")).to_contain_text("已办结")
    fits(phone)
    shot(phone, "supervision-done")
    assignment = Assignment.objects.get(task=task)
    assert assignment.done_on == timezone.localdate()
    assert [r.review for r in assignment.replies.order_by("id")] == [Review.RETURNED, Review.ACCEPTED]
