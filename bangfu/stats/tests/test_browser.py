"""工作台 and 统计 in headless Chromium, on a 360 px phone and a desktop, for a village, a county and a
province user: the figures, the trend chart drawn, the sub-area table sorted by a click, a drill-down and
a past day picked; nothing wider than the phone's screen."""

import re

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.stats.tests.world import ON, build


@pytest.fixture(params=["phone", "desktop"])
def screen(request, browser):
    context, page = new_page(browser, request.param)
    if request.param == "phone":
        page.set_viewport_size({"width": 360, "height": 740})
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    yield page
    context.close()
    assert not refused, refused


def _fits(page):
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"] + 1, width


def _chart_drawn(page):
    expect(page.locator("#trend-chart canvas")).to_have_count(1)


def _sort(page, key, name):
    """Sort as the person would: the column's header on a desktop, the 排序 form on a phone."""
    if page.device == "phone":
        current = page.locator("#stats-sort").input_value()
        descending = page.locator("#stats-dir").input_value() == "desc"
        page.locator("#stats-sort").select_option(key)
        page.locator("#stats-dir").select_option("asc" if current == key and descending else "desc")
        page.get_by_role("button", name="排序").click()
    else:
        header = page.locator(f'#stats-table thead a[data-sort="{key}"]')
        expect(header).to_contain_text(name)
        header.click()
    expect(page.locator("#stats-table")).to_be_visible()


@pytest.mark.browser
def test_county_user_dashboard_sorts_and_drills_into_statistics(screen, live_server, users, areas):
    build(ON)
    page = screen
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    expect(page.locator("#figure-cards")).to_contain_text("零就业户数")
    _chart_drawn(page)
    expect(page.locator("#open-warnings")).to_be_visible()
    _fits(page)
    shot(page, "stats-dashboard-county")
    page.goto(f"{live_server.url}/stats/?on={ON.isoformat()}")
    _sort(page, "laborers", "劳动力人数")  # largest first: 龙潭镇 has the most laborers
    expect(page.locator("#stats-table tbody tr").first).to_contain_text("龙潭镇")
    _sort(page, "laborers", "劳动力人数")  # again: smallest first
    expect(page.locator("#stats-table tbody tr").last).to_contain_text("龙潭镇")
    page.locator("#stats-table tbody").get_by_role("link", name="龙潭镇").click()
    expect(page.get_by_role("heading", name="统计 · 龙潭镇")).to_be_visible()
    expect(page.locator("#stats-table tbody")).to_contain_text("土地村")
    _chart_drawn(page)
    _fits(page)
    shot(page, "stats-township")
    page.locator("#stats-on").fill("2026-06-14")
    page.get_by_role("button", name="查看").click()
    expect(page.locator("#stats-on")).to_have_value("2026-06-14")
    # A day earlier 县内有组织 has not started and 昨日离职 is in work (the 14th is the last day).
    expect(page.locator('[data-figure="working"]')).to_have_text(re.compile(r"^\s*3\s*人\s*$"))
    with page.expect_download() as download:
        page.locator("#export-xlsx").click()
    assert download.value.suggested_filename.endswith(".xlsx")


@pytest.mark.browser
@pytest.mark.parametrize(
    "who, heading", [("u_village_a", "工作台 · 土地村"), ("u_province", "工作台 · 湖南省")]
)
def test_village_and_province_dashboards(screen, live_server, users, areas, who, heading):
    build(ON)
    page = screen
    log_in(page, live_server.url, who)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    _chart_drawn(page)
    if who == "u_province":
        expect(page.locator("#stats-table tbody")).to_contain_text("湘西土家族苗族自治州")
    else:
        expect(page.locator("#stats-table")).to_have_count(0)
    _fits(page)
    shot(page, f"stats-dashboard-{who}")
    page.get_by_role("link", name="统计", exact=True).first.click()
    expect(page.get_by_role("heading", name=heading.replace("工作台", "统计"))).to_be_visible()
    _fits(page)
