"""In headless Chromium, on a phone and a desktop: 花垣县's user manager lists a village as a 脱贫村 on its
exit day, sees its 贫困村 listing ended that day in the village's history, filters the list by kind and
day, and finds the listing on the village's page."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.areas.actions import Listing, add_designation
from bangfu.conftest import VILLAGE_A, area
from bangfu.core.tests.browser import log_in, new_page, shot


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_list_a_village_as_exited_and_find_it(browser, device, live_server, users):
    add_designation(users["county_a"], Listing(area(VILLAGE_A), "poor_village", dt.date(2014, 5, 1)))
    context, page = new_page(browser, device)
    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/areas/433124/designations/")
    expect(page.get_by_role("heading", name="区域认定")).to_be_visible()
    shot(page, "designations-list")
    page.get_by_role("link", name="登记认定").click()
    page.get_by_label("区划代码").fill(VILLAGE_A)
    page.get_by_label("认定类别").select_option(label="脱贫村")
    page.get_by_label("起始日期").fill("2019-12-20")
    page.get_by_label("认定依据（文号）").fill("湘扶〔2019〕9号")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记")
    expect(page.locator(".alert-info")).to_contain_text("终止了该区域原有的认定 1 条")
    page.get_by_role("link", name="贫困村").click()
    expect(page.locator("#designation-history")).to_contain_text("终止日期：（空） → 2019-12-20")
    shot(page, "designation-history")
    page.goto(f"{live_server.url}/areas/433124/designations/?kind=poor_village&on=2019-12-20")
    expect(page.locator("#designations")).to_contain_text("没有符合条件的区域认定")
    page.goto(f"{live_server.url}/areas/{VILLAGE_A}/")
    expect(page.locator("#area-designations")).to_contain_text("脱贫村（2019-12-20 起）")
    context.close()
