"""What every browser test shares: the Debian Chromium, page sizes, logging in, the menu, screenshots.

The session-wide `browser` and the per-device `page` fixtures live in `bangfu/conftest.py`, so every
module drives one Playwright instance in the main thread (a second sync Playwright cannot start beside
it)."""

import os
from pathlib import Path
from urllib.parse import urljoin

from playwright.sync_api import expect

from bangfu.conftest import PASSWORD
from bangfu.core.tests.chromium import CHROMIUM_ARGS, DESKTOP, PHONE, chromium_path  # noqa: F401

SCREENSHOTS = Path(os.environ.get("BANGFU_SCREENSHOTS", "test-results"))


def new_page(browser, device: str):
    """A fresh context (its own cookies) and page of the given device ("phone" or "desktop")."""
    context = browser.new_context(
        viewport=PHONE if device == "phone" else DESKTOP, is_mobile=device == "phone", locale="zh-CN"
    )
    page = context.new_page()
    page.set_default_timeout(15000)
    page.device = device
    return context, page


def shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}-{page.device}.png"), full_page=True)


def log_in(page, base_url, username, password=PASSWORD):
    page.goto(f"{base_url}/login/")
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(password)
    page.get_by_role("button", name="登录").click()


def go_by_menu(page, group, item, screenshot=None):
    """Goes to `item` of the main menu's `group`, as a person would: on a phone the menu is collapsed, so
    it is opened first, and the dropdown is used only once it is fully open; the click's page is waited
    for (a click while the menu was still opening once left a test on the page it started from)."""
    page.wait_for_load_state()  # Bootstrap's script (deferred) drives the menu
    if page.device == "phone":
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    menu = page.get_by_role("navigation", name="主菜单")
    menu.get_by_role("button", name=group, exact=True).click()
    link = menu.get_by_role("link", name=item, exact=True)
    expect(link).to_be_visible()
    if screenshot:
        shot(page, screenshot)
    target = urljoin(page.url, link.get_attribute("href"))
    link.click()
    page.wait_for_url(target)
