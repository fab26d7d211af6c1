"""劳动者自助服务 in headless Chromium at phone size (390×844): from the staff login page to the laborer's
sign-in, the code read from the SMS gateway's outbox file, answering a referral 有意向 and updating the
wishes. Large touch targets and no script on the laborer's pages."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import new_page, shot
from bangfu.referrals.actions import create_referral
from bangfu.referrals.models import Referral
from bangfu.registry.models import Change, Person
from bangfu.selfservice.tests.helpers import codes_sent

MIN_TARGET = 44  # CSS pixels: the smallest comfortable touch target


def _targets_are_large(page):
    for box in page.locator("main .btn, .ss-tabs a, main input.form-control, main select").all():
        if box.is_visible():
            size = box.bounding_box()
            assert size["height"] >= MIN_TARGET, (box.inner_text() or box.get_attribute("name"), size)


@pytest.mark.browser
def test_a_laborer_signs_in_by_code_answers_a_referral_and_updates_wishes(
    browser, live_server, users, world, sms_file
):
    person = world["long"]
    create_referral(users["county_a"], person, world["job"], score=82, reasons=["意向工种相符"])
    context, page = new_page(browser, "phone")
    refused, scripts = [], []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("request", lambda r: scripts.append(r.url) if r.resource_type == "script" else None)

    page.goto(f"{live_server.url}/login/")
    page.get_by_role("link", name="劳动者用手机号登录").click()
    expect(page.get_by_role("heading", name="手机号登录")).to_be_visible()
    scripts.clear()  # the staff login page has its scripts; the laborer's pages have none
    _targets_are_large(page)
    page.get_by_label("手机号码").fill("139 0000 1111")
    page.get_by_role("button", name="获取验证码").click()
    expect(page.get_by_role("heading", name="输入短信验证码")).to_be_visible()
    [code] = codes_sent(sms_file, "13900001111")
    page.get_by_label("短信验证码").fill(code)
    page.get_by_role("button", name="登录").click()

    expect(page.get_by_role("heading", name="龙春生，您好")).to_be_visible()
    _targets_are_large(page)
    shot(page, "selfservice-home")
    page.get_by_role("link", name="有 1 个推荐岗位等您回复").click()
    page.get_by_role("link", name="电子装配工").click()
    expect(page.locator("#referral-status")).to_have_text("已通知")
    page.get_by_label("有意向").check()
    page.get_by_label("想对工作人员说的话（可不填）").fill("下个月可以去")
    _targets_are_large(page)
    page.get_by_role("button", name="提交回复").click()
    expect(page.locator(".alert-success")).to_contain_text("已回复：有意向")
    expect(page.locator("#my-answer")).to_have_text("有意向")
    shot(page, "selfservice-referral")

    page.get_by_role("navigation", name="自助服务菜单").get_by_role("link", name="意愿").click()
    page.get_by_label("就业意愿").select_option(label="想找工作")
    page.get_by_label("想做的工作（工种）").fill("电工")
    page.get_by_label("想去哪里务工").select_option("省外")
    page.get_by_label("期望月工资（元）").fill("5500")
    _targets_are_large(page)
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".alert-success")).to_contain_text("已保存")
    shot(page, "selfservice-wishes")
    context.close()

    assert Referral.objects.get(person=person).laborer_answer == "有意向"
    saved = Person.objects.get(pk=person.pk)
    assert (saved.wants_work, saved.job_wish, saved.desired_region, saved.expected_wage) == (
        True, "电工", "省外", 5500,
    )  # fmt: skip
    assert Change.objects.filter(person=person, source="本人填报", field="意向务工地").exists()
    assert scripts == [], scripts
    assert not refused, refused
