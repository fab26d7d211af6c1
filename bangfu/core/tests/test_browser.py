"""What a person clicks, in headless Chromium: login, 工作台, drill-down to a village, phone and desktop."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import go_by_menu, log_in, shot


@pytest.mark.browser
def test_login_dashboard_and_drill_down_to_village(page, live_server, users):
    log_in(page, live_server.url, "u_province")
    expect(page.get_by_role("heading", name="工作台 · 湖南省")).to_be_visible()
    shot(page, "dashboard")
    page.get_by_role("link", name="浏览辖区").click()
    page.locator("#children").get_by_role("link", name="湘西土家族苗族自治州").click()
    for name in ("花垣县", "龙潭镇", "土地村"):
        page.locator("#children").get_by_role("link", name=name, exact=True).click()
        expect(page.locator("h1")).to_contain_text(name)
    expect(page.get_by_role("navigation", name="区域层级")).to_contain_text("龙潭镇")
    expect(page.get_by_text("土地村没有下级区域")).to_be_visible()
    shot(page, "village")


@pytest.mark.browser
def test_wrong_password_shows_chinese_message(page, live_server, users):
    log_in(page, live_server.url, "u_county_a", "wrong-password-9")
    expect(page.locator("#login-error")).to_contain_text("用户名或密码错误")
    shot(page, "login-error")


@pytest.mark.browser
def test_menu_and_outsider_404(page, live_server, users):
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    go_by_menu(page, "管理", "审计日志")
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    response = page.goto(f"{live_server.url}/areas/433123/")
    assert response.status == 404
    expect(page.get_by_text("不在您的管辖区域内")).to_be_visible()
