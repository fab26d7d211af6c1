"""The main flow in a browser: a county officer opens the 应训尽训 list, enrols the waiting people on a
course, completes one with a certificate, and sees the training figures move."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, shot
from bangfu.referrals.tests.factories import make_person
from bangfu.training.models import Enrolment
from bangfu.training.tests.factories import course, need


@pytest.mark.browser
def test_enrol_from_the_list_then_complete(page, live_server, users):
    today = dt.date.today()
    weld = course(starts=today.replace(month=1, day=2), ends=today + dt.timedelta(days=30), number="HG-BR-1")
    need(make_person("甲学员"), on=today.replace(month=1, day=1))
    need(make_person("乙学员"), on=today.replace(month=1, day=1))

    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/training/untrained/")
    expect(page.locator("h1")).to_contain_text("应训尽训名单")
    page.get_by_label("选择 甲学员").check()
    page.get_by_label("选择 乙学员").check()
    page.get_by_label("报名到培训班").select_option(
        label=f"HG-BR-1 焊工培训班（就业技能培训，{weld.starts_on:%Y-%m-%d}）"
    )
    page.get_by_role("button", name="勾选人员报名").click()
    expect(page.locator("body")).to_contain_text("已报名 2 人")
    assert Enrolment.objects.filter(course=weld).count() == 2

    row = page.locator("#enrolments tr", has_text="甲学员")
    row.get_by_label("证书类型").select_option("培训合格证书")
    row.get_by_label("证书编号").fill("PX-0001")
    row.get_by_role("button", name="结业").click()
    expect(page.locator("body")).to_contain_text("甲学员 已结业")
    done = Enrolment.objects.get(course=weld, person__name="甲学员")
    assert (done.status, done.certificate_number) == ("结业", "PX-0001")
    shot(page, "training-course")

    page.goto(f"{live_server.url}/training/")
    expect(page.locator('[data-figure="trained"]')).to_have_text("1")
    expect(page.locator('[data-figure="training_rate"]')).to_have_text("50.0%")
    page.goto(f"{live_server.url}/training/untrained/")
    expect(page.locator("tbody")).to_contain_text("乙学员")
    expect(page.locator("tbody")).not_to_contain_text("甲学员")
