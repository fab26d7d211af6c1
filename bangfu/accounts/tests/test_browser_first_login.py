"""The first login of a new account, in headless Chromium on a phone and a desktop.

A staff user created by a manager on the user-management page, and an enterprise account opened for an
employer, must change the password first. The navbar's message badge (htmx) loads on the password page
too: it must stay a badge, not become the page nested in itself (76 nested forms after 3 s, once).
"""

import re

import pytest
from playwright.sync_api import expect

from bangfu.accounts.models import User
from bangfu.core.tests.browser import go_by_menu, log_in, new_page, shot
from bangfu.employers import actions as employer_actions
from bangfu.employers.tests.conftest import employer_of
from bangfu.notices.models import Notification

FIRST_PASSWORD = "Chushi-mima-2026"
NEW_PASSWORD = "Xin-mima-2027x"


def settle(page):
    """The page and the fragments htmx loads after it (the badge) have all arrived."""
    page.wait_for_load_state("networkidle")


def assert_not_nested(page, forms: int):
    """One navbar, one main, the expected forms; the badge holds at most a badge."""
    expect(page.locator("nav[aria-label='主菜单']")).to_have_count(1)
    expect(page.locator("main")).to_have_count(1)
    expect(page.locator("form")).to_have_count(forms)
    expect(page.locator("#inbox-link *:not(span)")).to_have_count(0)


def change_first_password(page, name: str):
    expect(page.get_by_role("heading", name="修改密码")).to_be_visible()
    expect(page.locator(".alert-warning")).to_contain_text("首次登录")
    settle(page)
    page.wait_for_timeout(1500)  # what nested 76 forms in 3 s must stay one page
    assert_not_nested(page, forms=2)  # logout in the menu and the password form
    shot(page, f"{name}-first-login")
    page.get_by_label("原密码").fill(FIRST_PASSWORD)
    page.get_by_label(re.compile("^新密码")).fill(NEW_PASSWORD)
    page.get_by_label("再次输入新密码").fill(NEW_PASSWORD)
    page.get_by_role("button", name="修改密码").click()


def assert_home_with_badge(page):
    expect(page.locator(".alert-success")).to_contain_text("密码已修改")
    settle(page)
    expect(page.locator("#inbox-badge")).to_have_text("1")
    expect(page.locator("#inbox-link span span")).to_have_count(1)  # the badge, nothing else
    expect(page.locator("nav[aria-label='主菜单']")).to_have_count(1)


@pytest.mark.browser
def test_first_login_of_a_staff_user_created_on_the_user_management_page(browser, page, live_server, users):
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    go_by_menu(page, "管理", "用户管理")
    page.get_by_role("link", name="新增用户").click()
    page.get_by_label("登录名").fill("longtan_new")
    page.get_by_label("姓名").fill("龙新人")
    page.get_by_label("所属区域代码").fill("433124102")
    page.get_by_label("初始密码").fill(FIRST_PASSWORD)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已新增用户")
    created = User.objects.get(username="longtan_new")
    assert created.must_change_password
    Notification.objects.create(recipient=created, title="请核对龙潭镇名册")

    # The new user, on a device of their own (the manager's page keeps polling its badge).
    context, newcomer = new_page(browser, page.device)
    try:
        log_in(newcomer, live_server.url, "longtan_new", FIRST_PASSWORD)
        change_first_password(newcomer, "staff")
        expect(newcomer.get_by_role("heading", name="工作台 · 龙潭镇")).to_be_visible()
        assert_home_with_badge(newcomer)
        shot(newcomer, "staff-after-first-password")
    finally:
        context.close()
    created.refresh_from_db()
    assert not created.must_change_password and created.check_password(NEW_PASSWORD)


@pytest.mark.browser
def test_first_login_of_a_new_enterprise_account(page, live_server, users):
    actor = users["county_a"]
    employer = employer_of(actor, "花垣县苗绣扶贫车间")
    account = employer_actions.create_enterprise_account(
        actor, employer, username="qiye_new", password=FIRST_PASSWORD
    )
    assert account.must_change_password
    Notification.objects.create(recipient=account, title="有新的推荐待回复")

    log_in(page, live_server.url, "qiye_new", FIRST_PASSWORD)
    change_first_password(page, "enterprise")
    expect(page.get_by_role("heading", name="企业门户")).to_be_visible()
    assert_home_with_badge(page)
    shot(page, "enterprise-after-first-password")
    account.refresh_from_db()
    assert not account.must_change_password and account.check_password(NEW_PASSWORD)
