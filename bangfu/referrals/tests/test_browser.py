"""Referrals in headless Chromium. Refer, answer, hire: a county user refers a laborer from the matching
page, the enterprise logs in to its portal and answers 有意向 then 录用, the staff inbox shows the answers,
the person's page shows the employment record, and the SMS file backend holds the messages. Every step
from both sides: 已通知 (by text, and by hand), 面试 online with its link, 未录用, 放弃 with its reason, and
a stale page refused. The service norms: drill down to who is behind, serve them, export the list."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page, shot
from bangfu.fairs.models import Interview
from bangfu.referrals.actions import create_referral, record_services
from bangfu.referrals.models import Referral, Status


@pytest.mark.browser
@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_refer_answer_hire_end_to_end(browser, device, live_server, users, world, sms_file):
    person, job = world["long"], world["job"]
    _scenario(browser, device, live_server, person)
    referral = Referral.objects.get(person=person, job=job)
    assert referral.status == Status.HIRED and referral.employment is not None
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    to_laborer = [line for line in lines if "\t13900001111\t" in line]
    assert any("推荐了岗位“电子装配工”" in line for line in to_laborer)
    assert any("录用" in line for line in to_laborer)
    assert any("\t02088886666\t" in line and "龙春生" in line for line in lines)


def _scenario(browser, device, live_server, person):
    staff, page = new_page(browser, device)
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    page.goto(f"{live_server.url}/matching/person/{person.pk}/")
    row = page.locator("tr", has_text="电子装配工")
    row.get_by_role("button", name="推荐").click()
    expect(row.get_by_text("已推荐")).to_be_visible()
    shot(page, "referral-made")

    boss, portal = new_page(browser, device)
    log_in(portal, live_server.url, "boss_factory")
    portal.goto(f"{live_server.url}/referrals/portal/")
    expect(portal.get_by_role("heading", name="推荐回复")).to_be_visible()
    expect(portal.locator("body")).to_contain_text(person.masked_id)
    expect(portal.locator("body")).not_to_contain_text("石秀英")
    portal.get_by_role("link", name="龙春生").click()
    expect(portal.locator("#phone-cell")).to_contain_text("有意向”后可见")
    portal.get_by_label("说明").fill("请周一上午来面试")
    portal.get_by_role("button", name="有意向").click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：有意向")
    portal.get_by_role("button", name="显示电话").click()
    expect(portal.locator("#phone-cell")).to_contain_text("13900001111")
    portal.get_by_label("实际月工资（元，录用时必填）").fill("4800")
    portal.get_by_role("button", name="录用", exact=True).click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：录用")
    expect(portal.locator("#steps")).to_contain_text("录用")
    shot(portal, "portal-hired")
    boss.close()

    page.goto(f"{live_server.url}/notices/")
    expect(page.locator("#inbox-badge")).to_have_text("2")
    expect(page.locator("#notices")).to_contain_text("推荐进展：龙春生 → 电子装配工：有意向")
    expect(page.locator("#notices")).to_contain_text("推荐进展：龙春生 → 电子装配工：录用")
    page.goto(f"{live_server.url}/registry/people/{person.pk}/")
    expect(page.locator("#person-employments")).to_contain_text("广州海珠电子厂")
    expect(page.locator("#person-employments")).to_contain_text("推荐录用")
    expect(page.locator("#person-referrals")).to_contain_text("录用")
    shot(page, "person-hired")
    staff.close()


@pytest.mark.browser
def test_every_step_from_both_sides(browser, page, live_server, users, world, sms_file, settings):
    """Two referrals made from the matching page. 龙春生 (who has a phone): the text message marks him
    已通知; staff book an online interview (面试, the link on both sides and in his text message); the
    enterprise answers 未录用. 石秀英 (no phone, so no text): staff record 已通知 by hand; the enterprise
    answers 有意向; staff record 放弃 with its reason; the enterprise's older page is then refused in
    Chinese. Inbox badges count what each side was told; the SMS file holds what the laborer was sent."""
    settings.BANGFU_MEETING_URL_PATTERN = "https://jitsi.rsj.example.cn/hy-{token}"
    long, shi = world["long"], world["shi"]
    shi.phone = ""
    shi.save(update_fields=["phone"])
    base = live_server.url
    log_in(page, base, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    for person in (long, shi):
        page.goto(f"{base}/matching/person/{person.pk}/")
        row = page.locator("tr", has_text="电子装配工")
        row.get_by_role("button", name="推荐").click()
        expect(row.get_by_text("已推荐")).to_be_visible()
    first = Referral.objects.get(person=long)
    second = Referral.objects.get(person=shi)

    # 龙春生: told by text (system), then an online interview booked by staff.
    page.goto(f"{base}/referrals/{first.pk}/")
    expect(page.locator("h1")).to_contain_text("已通知")
    expect(page.locator("#steps")).to_contain_text("系统 · 短信通知已发送")
    when = timezone.localdate() + dt.timedelta(days=2)
    page.get_by_label("面试时间").fill(f"{when:%Y-%m-%d}T10:30")
    page.get_by_label("线上视频面试").check()
    page.get_by_label("说明", exact=True).fill("请提前 10 分钟进入会议")
    page.get_by_role("button", name="面试", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("推荐状态已改为“面试”")
    link = Interview.objects.get(referral=first).meeting_url
    assert link.startswith("https://jitsi.rsj.example.cn/hy-")
    expect(page.locator("#interviews")).to_contain_text(link)
    expect(page.locator("#steps")).to_contain_text(f"面试时间 {when:%Y-%m-%d} 10:30，线上视频面试")
    shot(page, "referral-interview-online")

    # 石秀英: no phone, still 推荐; 放弃 without a reason is refused, 已通知 is recorded by hand.
    page.goto(f"{base}/referrals/{second.pk}/")
    expect(page.locator("h1")).to_contain_text("推荐")
    page.get_by_role("button", name="放弃").click()
    expect(page.locator("#step-form")).to_contain_text("改为“放弃”时请选择放弃原因")
    page.get_by_label("说明", exact=True).fill("村协理员入户告知")
    page.get_by_role("button", name="已通知").click()
    expect(page.locator(".alert-success")).to_contain_text("推荐状态已改为“已通知”")
    expect(page.locator("#steps")).to_contain_text("u_county_a · 村协理员入户告知")

    # The enterprise: told of both referrals, the interview and the 已通知 step.
    boss_context, portal = new_page(browser, page.device)
    log_in(portal, base, "boss_factory")
    portal.goto(f"{base}/referrals/portal/")
    expect(portal.locator("#inbox-badge")).to_have_text("4")
    portal.get_by_role("link", name="龙春生").click()
    expect(portal.locator("#interviews")).to_contain_text(link)
    portal.get_by_label("说明").fill("经验不足")
    portal.get_by_role("button", name="未录用").click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：未录用")
    portal.goto(f"{base}/referrals/portal/{second.pk}/")
    portal.get_by_role("button", name="有意向").click()
    expect(portal.locator(".alert-success")).to_contain_text("已答复：有意向")
    expect(portal.locator("#inbox-badge")).to_have_text("4")  # its own answers tell it nothing

    # Staff: both answers in the inbox; 石秀英 gives up, with the reason.
    page.goto(f"{base}/notices/")
    expect(page.locator("#inbox-badge")).to_have_text("2")
    expect(page.locator("#notices")).to_contain_text("推荐进展：龙春生 → 电子装配工：未录用")
    expect(page.locator("#notices")).to_contain_text("推荐进展：石秀英 → 电子装配工：有意向")
    page.goto(f"{base}/referrals/{second.pk}/")
    page.get_by_label("放弃原因").select_option("已在其他单位就业")
    page.get_by_label("说明", exact=True).fill("已在县城超市上班")
    page.get_by_role("button", name="放弃").click()
    expect(page.locator(".alert-success")).to_contain_text("推荐状态已改为“放弃”")
    expect(page.locator("#steps")).to_contain_text("原因：已在其他单位就业 · 已在县城超市上班")
    expect(page.locator("#step-form")).to_have_count(0)
    shot(page, "referral-withdrawn")

    # The enterprise's page still shows 有意向's answers: 录用 is refused, and the 放弃 has reached it.
    portal.get_by_role("button", name="录用", exact=True).click()
    expect(portal.locator(".alert-danger")).to_contain_text("该推荐已经“放弃”，不能再改为“录用”。")
    expect(portal.locator("#inbox-badge")).to_have_text("5")
    expect(portal.locator("#steps")).to_contain_text("放弃")
    shot(portal, "portal-refused")
    boss_context.close()

    first.refresh_from_db()
    second.refresh_from_db()
    assert [(s.to_status, s.channel) for s in first.steps.all()] == [
        ("推荐", "staff"), ("已通知", "system"), ("面试", "staff"), ("未录用", "employer"),
    ]  # fmt: skip
    assert [(s.to_status, s.by.username) for s in second.steps.all()] == [
        ("推荐", "u_county_a"), ("已通知", "u_county_a"), ("有意向", "boss_factory"), ("放弃", "u_county_a"),
    ]  # fmt: skip
    assert second.steps.last().reason == "已在其他单位就业" and all(s.on for s in second.steps.all())
    lines = sms_file.read_text(encoding="utf-8").splitlines()
    to_long = [line.split("\t")[2] for line in lines if "\t13900001111\t" in line]
    assert len(to_long) == 3
    assert "推荐了岗位“电子装配工”" in to_long[0]
    assert f"时间{when:%m月%d日}10:30" in to_long[1] and link in to_long[1]
    assert "这次未录用您" in to_long[2] and "经验不足" not in to_long[2]
    to_employer = [line for line in lines if "\t02088886666\t" in line]
    assert len(to_employer) == 2 and "石秀英" in to_employer[1]
    assert not any("石秀英您好" in line for line in lines)


@pytest.mark.browser
def test_service_norms_drill_down_serve_and_export(page, live_server, users, world, sms_file):
    """服务达标 by area: the county's table leads to the township, the village and its list of who is
    behind; a service entered there for 石秀英 counts at once; the list exports."""
    actor = users["county_a"]
    for job in (world["job"], world["job2"], world["local_job"]):
        create_referral(actor, world["long"], job)
    create_referral(actor, world["shi"], world["local_job"])
    for kind in ("职业指导", "培训信息"):
        record_services(actor, [world["long"]], kind=kind, on=timezone.localdate())
    base = live_server.url
    log_in(page, base, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    page.goto(f"{base}/referrals/norms/")
    expect(page.get_by_role("heading", name="服务达标 · 花垣县")).to_be_visible()
    page.locator("#norm-table").get_by_role("link", name="龙潭镇").click()
    page.locator("#norm-table").get_by_role("link", name="土地村").click()
    row = page.locator("#norm-table tbody tr", has_text="土地村")
    expect(row).to_contain_text("2")  # two laborers want work; 龙春生 has the whole 311 service
    row.get_by_role("link", name="1", exact=True).click()
    expect(page.get_by_role("heading", name="311 服务未达标 · 土地村")).to_be_visible()
    expect(page.locator("tbody")).to_contain_text("石秀英")
    expect(page.locator("tbody")).not_to_contain_text("龙春生")
    page.get_by_label("选择 石秀英").check()
    page.get_by_label("为勾选的人员登记").select_option("培训信息")
    page.get_by_label("内容").fill("电工培训班招生")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.locator(".alert-success")).to_contain_text("已为 1 人登记培训信息")
    expect(page.locator("tbody tr", has_text="石秀英")).to_contain_text("1")
    with page.expect_download() as download:
        page.get_by_role("link", name="导出名单").click()
    file = download.value
    assert file.suggested_filename == f"311服务未达标名单-土地村-{timezone.localdate().year}.xlsx"
    assert Path(file.path()).read_bytes()[:2] == b"PK"
    shot(page, "norms-behind")
