"""A county officer works the year's 养老保险代缴 on a phone and a desktop: opens the roster,
sees who is paid for and each level's share, narrows to a group, drills into a township, confirms the
roster into a payout list (the core's checks shown: a student not eligible), and approves it."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, shot
from bangfu.payouts import actions
from bangfu.payouts.models import PayoutList, Right, Status
from bangfu.pension.models import PremiumShareRule
from bangfu.pension.tests.factories import person

YEAR = timezone.localdate().year


@pytest.mark.browser
def test_a_county_officer_confirms_the_years_roster(page, live_server, users):
    PremiumShareRule.objects.create(
        region_prefix="433124", effective_from=dt.date(2020, 1, 1), province_pct=80, city_pct=0, county_pct=20
    )
    person("龙脱贫")
    person("龙低保", household_type="一般农户", is_dibao=True)
    person("龙学生", student_status="本科及以上", birth="2005-03-01")
    actions.grant(None, users["county_a"], Right.APPROVE, True)

    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/pension/roster/")
    expect(page.locator("#roster-total")).to_contain_text("代缴 2 人，代缴金额 200.00 元")
    expect(page.locator("#roster-shares")).to_contain_text("省级 160.00 元，市级 0.00 元，县级 40.00 元")
    expect(page.locator("#roster-people")).to_contain_text("龙脱贫")
    expect(page.locator("#roster-people")).not_to_contain_text("龙学生")
    page.get_by_label("代缴类别").select_option("低保")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#roster-people")).to_contain_text("龙低保")
    expect(page.locator("#roster-people")).not_to_contain_text("龙脱贫")
    page.locator("#roster-children").get_by_role("link", name="龙潭镇").click()
    expect(page.locator("h1")).to_contain_text("龙潭镇")
    shot(page, "pension-roster")
    page.get_by_role("button", name="生成代缴发放名单并校验").click()
    expect(page.locator("#failed-checks")).to_contain_text("有 1 条未通过校验")
    expect(page.locator("#total")).to_have_text("200.00")
    page.get_by_role("button", name="审核通过（2 人，200.00 元）").click()
    expect(page.locator("h1")).to_contain_text("已审核")
    assert PayoutList.objects.get().status == Status.APPROVED
    page.goto(f"{live_server.url}/pension/roster/?area=433124102")
    expect(page.locator("body")).to_contain_text("已审核，通过 2 人")
