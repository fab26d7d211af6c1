"""A village officer records follow-up visits on a phone (390 px): the due list from the menu, the most
overdue first, the visit form with big buttons and today's date, a 联系不上 that puts the laborer on the
list, and from the person page a visit that finds them at work with no record, which leads to the record
form. The page never scrolls sideways and every button is a finger's size."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.core.tests.browser import go_by_menu, log_in, new_page, shot
from bangfu.tracking.models import Unreachable, Visit
from bangfu.tracking.tests.factories import due_laborer

FINGER = 44  # px: the smallest comfortable touch target


@pytest.fixture
def phone(browser):
    context, page = new_page(browser, "phone")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


def button(page, value: str):
    """The big button of a result or a way: the label of the radio with that value."""
    radio_id = page.locator(f"input[type=radio][value='{value}']").get_attribute("id")
    return page.locator(f"label[for='{radio_id}']")


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_a_village_officer_records_visits_on_a_phone(phone, live_server, users):
    today = timezone.localdate()
    lost = due_laborer("麻小云", days_ago=120)
    due_laborer("石大妹", days_ago=45)
    page = phone
    log_in(page, live_server.url, "u_village_a")
    go_by_menu(page, "跟踪", "待回访")
    rows = page.locator("#due-table tbody tr")
    expect(rows.first).to_contain_text("麻小云")
    expect(rows.first).to_contain_text("逾期 90 天")
    expect(rows.nth(1)).to_contain_text("石大妹")
    fits(page)
    shot(page, "visits-due")

    rows.first.get_by_role("link", name="登记回访").click()
    expect(page.get_by_role("heading", name="回访 麻小云")).to_be_visible()
    expect(page.get_by_label("回访日期")).to_have_value(today.isoformat())
    assert page.get_by_label("回访日期").get_attribute("max") == today.isoformat()
    for name in ("在岗", "已离职", "返乡", "不愿就业", "联系不上", "电话", "微信", "上门", "窗口"):
        box = button(page, name).bounding_box()
        assert box["height"] >= FINGER, (name, box)
    result = button(page, "联系不上")
    assert result.bounding_box()["width"] >= page.viewport_size["width"] * 0.8  # a full-width button
    fits(page)
    result.click()
    button(page, "上门").click()
    page.get_by_label("备注").fill("家中无人，邻居说去了外地")
    shot(page, "visits-form")
    save = page.get_by_role("button", name="保存回访")
    assert save.bounding_box()["height"] >= FINGER
    save.click()

    expect(page.locator(".alert-success").first).to_contain_text("已登记 麻小云 的回访")
    expect(page.locator(".alert-success").nth(1)).to_contain_text("已将 麻小云 列入联系不上名单")
    expect(page.locator("#due-table tbody tr").first).to_contain_text("石大妹")  # back on the due list
    visit = Visit.objects.get(person=lost)
    assert (visit.visited_on, visit.method, visit.result, visit.by.username) == (
        today,
        "上门",
        "联系不上",
        "u_village_a",
    )
    assert Unreachable.objects.get(cleared_at__isnull=True).person == lost

    # A call later that day reaches her at work, from her own page.
    page.goto(f"{live_server.url}/registry/people/{lost.pk}/")
    expect(page.locator("#person-visits")).to_contain_text("联系不上")
    page.locator("#person-visits").get_by_role("link", name="登记回访").click()
    button(page, "在岗").click()
    button(page, "电话").click()
    page.get_by_role("button", name="保存回访").click()
    expect(page.locator(".alert-warning")).to_contain_text("没有在岗的就业记录")
    expect(page.locator(".alert-success").nth(1)).to_contain_text("移出联系不上名单")
    assert page.url.endswith(f"/employment/people/{lost.pk}/new/")
    fits(page)
    shot(page, "visits-at-work")
    assert not Unreachable.objects.filter(cleared_at__isnull=True).exists()
