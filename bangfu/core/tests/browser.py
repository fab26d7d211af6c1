"""What every browser test shares: the Debian Chromium, page sizes, logging in, screenshots.

The session-wide `browser` and the per-device `page` fixtures live in `bangfu/conftest.py`, so every
module drives one Playwright instance in the main thread (a second sync Playwright cannot start beside
it)."""

import os
import shutil
from pathlib import Path

from bangfu.conftest import PASSWORD

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
