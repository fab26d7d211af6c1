"""A job fair after it exists, in headless Chromium: staff invite the host township's laborers by matching
(text messages to them, a notice to the employer), sign them in, record the outcomes at the stands — an
interview and a hire (the employment record follows), a refusal — and book an online interview whose link
both sides see. The fair's page counts it all."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.conftest import TOWNSHIP_A, area
from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.employment.models import EmploymentRecord
from bangfu.fairs import actions
from bangfu.fairs.models import Interview, JobFair
from bangfu.referrals.models import Referral


@pytest.mark.browser
def test_fair_invite_sign_in_outcomes_and_online_interview(browser, page, live_server, users, world, sms_file,
                                                            settings):  # fmt: skip
    settings.BANGFU_MEETING_URL_PATTERN = "https://jitsi.rsj.example.cn/fair-{token}"
    start = timezone.now() - dt.timedelta(hours=1)
    fair = actions.save_fair(
        users["county_a"],
        JobFair(
            title="龙潭镇送岗下乡", kind="送岗下乡", area=area(TOWNSHIP_A), venue="龙潭镇政府广场",
            starts_at=start, ends_at=start + dt.timedelta(hours=8), status="进行中",
        ),
        jobs=[world["job"], world["local_job"]],
    )  # fmt: skip
    long, shi = world["long"], world["shi"]
    base = live_server.url
    log_in(page, base, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()

    # Invite by matching (the real engine): the township's two laborers, not 田大山 of county B.
    page.goto(f"{base}/fairs/{fair.pk}/")
    page.get_by_role("button", name="按匹配结果邀请劳动力").click()
    expect(page.locator(".alert-success")).to_contain_text("已按匹配结果邀请 2 名劳动力")
    table = page.locator("#invitations")
    expect(table).to_contain_text("龙春生")
    expect(table).to_contain_text("石秀英")
    expect(table).not_to_contain_text("田大山")
    page.get_by_label("龙春生 到场").check()
    page.get_by_role("button", name="保存签到").click()
    expect(page.locator(".alert-success")).to_contain_text("共到场 1 人")

    # Outcomes at the stands: 龙春生 interviewed, then hired, by the factory; the workshop refuses 石秀英.
    row = table.locator("tr", has_text="龙春生")
    row.get_by_label("龙春生 应聘岗位").select_option(label="广州海珠电子厂 · 电子装配工")
    row.get_by_role("button", name="龙春生 面试").click()
    expect(page.locator(".alert-success")).to_contain_text("已登记 龙春生 应聘“电子装配工”：面试")
    row = table.locator("tr", has_text="龙春生")
    expect(row.locator(".result")).to_contain_text("电子装配工 面试")
    row.get_by_label("龙春生 应聘岗位").select_option(label="广州海珠电子厂 · 电子装配工")
    row.get_by_role("button", name="龙春生 录用").click()
    expect(page.locator(".alert-success")).to_contain_text("：录用")
    row = table.locator("tr", has_text="石秀英")
    row.get_by_label("石秀英 应聘岗位").select_option(label="花垣苗绣扶贫车间 · 苗绣工")
    row.get_by_role("button", name="石秀英 未录用").click()
    expect(table.locator("tr", has_text="石秀英").locator(".result")).to_contain_text("苗绣工 未录用")
    expect(page.get_by_label("石秀英 到场")).to_be_checked()  # an outcome means she came
    shot(page, "fair-outcomes")

    # An online interview with the factory for 石秀英, after the fair.
    page.get_by_role("link", name="面试", exact=True).click()
    page.get_by_label("受邀劳动力").select_option(label=f"石秀英（{shi.masked_id}）")
    page.get_by_label("招聘会岗位").select_option(label="广州海珠电子厂 · 电子装配工")
    when = timezone.localdate() + dt.timedelta(days=3)
    page.get_by_label("面试时间").fill(f"{when:%Y-%m-%d}T15:00")
    expect(page.get_by_label("线上视频面试")).to_be_checked()
    page.get_by_role("button", name="安排面试并通知").click()
    expect(page.locator(".alert-success")).to_contain_text("会议链接：https://jitsi.rsj.example.cn/fair-")
    link = Interview.objects.get(person=shi, online=True).meeting_url
    expect(page.locator("#interviews")).to_contain_text(link)
    expect(page.locator("#interviews")).to_contain_text("现场面试 龙潭镇政府广场")

    page.get_by_role("link", name="概况").click()
    for key, value in {"invited": 2, "attended": 2, "referred": 3, "interviewed": 2, "hired": 1}.items():
        expect(page.locator(f"#outcome-{key}")).to_have_text(str(value))
    expect(page.locator("#fair-referrals")).to_contain_text("龙春生 → 电子装配工（广州海珠电子厂） 录用")
    shot(page, "fair-detail-outcomes")
    page.goto(f"{base}/registry/people/{long.pk}/")
    expect(page.locator("#person-employments")).to_contain_text("广州海珠电子厂")
    expect(page.locator("#person-employments")).to_contain_text("推荐录用")

    # The factory: the invitation notice, its referrals with their outcomes, the interview link.
    boss_context, portal = new_page(browser, page.device)
    log_in(portal, base, "boss_factory")
    portal.goto(f"{base}/notices/")
    expect(portal.locator("#notices")).to_contain_text("招聘会邀请：龙潭镇送岗下乡")
    expect(portal.locator("#inbox-badge")).to_have_text("6")  # invitation, 2 referrals, 2 interviews, hire
    portal.goto(f"{base}/referrals/portal/")
    portal.get_by_role("link", name="石秀英").click()
    expect(portal.locator("#interviews")).to_contain_text(link)
    boss_context.close()

    hired = Referral.objects.get(person=long, job=world["job"])
    assert hired.fair == fair and hired.employment == EmploymentRecord.objects.get(person=long)
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    invitations = [line for line in lines if "诚邀您参加龙潭镇送岗下乡" in line]
    assert {line.split("\t")[1] for line in invitations} == {"13900001111", "13900002222"}
    assert any("\t13900002222\t" in line and link in line for line in lines)
    assert any("\t13900001111\t" in line and "录用" in line for line in lines)
