"""In headless Chromium: a province user manager opens 政策规则, adds a new 劳动年龄段 version from the
prefilled form, and sees it in force for the province."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.registry.models import LaborAgeRule


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_add_a_labor_age_version(browser, device, live_server, users):
    context, page = new_page(browser, device)
    log_in(page, live_server.url, "u_province")
    page.goto(f"{live_server.url}/rules/")
    expect(page.get_by_role("heading", name="政策规则 · 湖南省")).to_be_visible()
    section = page.locator("#kind-labor-age")
    expect(section).to_contain_text("最低年龄（周岁）：16")
    shot(page, "rules-index")
    section.get_by_role("link", name="新增规则版本").click()
    expect(page.get_by_label("最高年龄（周岁）")).to_have_value("64")  # prefilled from the rule in force
    page.get_by_label("最高年龄（周岁）").fill("59")
    page.get_by_label("依据或说明").fill("湖南省劳动年龄段调整")
    shot(page, "rules-new")
    page.get_by_role("button", name="保存为新版本").click()
    expect(page.locator(".alert-success")).to_contain_text("已新增劳动年龄段")
    expect(page.locator("#kind-labor-age")).to_contain_text("最高年龄（周岁）：59")
    expect(page.locator("#kind-labor-age")).to_contain_text("湖南省劳动年龄段调整")
    shot(page, "rules-added")
    context.close()
    rule = LaborAgeRule.objects.get(region_prefix="43")
    assert (rule.min_age, rule.max_age, rule.created_by.username) == (16, 59, "u_province")
