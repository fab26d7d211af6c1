"""What a person clicks, in headless Chromium: login, 工作台, drill-down to a village, phone and desktop."""

import os
import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect, sync_playwright

from bangfu.conftest import PASSWORD

# Playwright's sync API runs an event loop in this thread; Django's ORM calls from fixtures are still
# synchronous and safe here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

SCREENSHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "test-results"))
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("BANGFU_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("浏览器测试需要 Chromium：请安装 chromium 软件包或设置 BANGFU_CHROMIUM。")
    return path


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(params=["phone", "desktop"])
def page(request, browser):
    size = PHONE if request.param == "phone" else DESKTOP
    context = browser.new_context(viewport=size, is_mobile=request.param == "phone", locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.device = request.param
    yield page
    context.close()


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.device}.png"), full_page=True)


def log_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


@pytest.mark.browser
def test_login_dashboard_and_drill_down_to_village(page, live_server, users):
    log_in(page, live_server.url, "u_province")
    expect(page.get_by_role("heading", name="工作台 · 湖南省")).to_be_visible()
    shot(page, "dashboard")
    page.locator("#sub-areas").get_by_role("link", name="湘西土家族苗族自治州").click()
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
    if page.device == "phone":
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    page.get_by_role("link", name="审计日志").click()
    expect(page.get_by_role("heading", name="审计日志")).to_be_visible()
    response = page.goto(f"{live_server.url}/areas/433123/")
    assert response.status == 404
    expect(page.get_by_text("不在您的管辖区域内")).to_be_visible()
