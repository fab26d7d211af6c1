"""The employers ledger and the enterprise portal in headless Chromium, on a phone and a desktop.

(a) A county clerk registers an enterprise (a wrong check character of the credit code is refused in
Chinese first), posts a job for it with the occupation inferred from the title, and finds it in the jobs
list filtered by occupation. (b) The enterprise's own account logs in, has only 企业门户 and 推荐回复 in
its menu, posts a job with the suggested occupation code, and closes another one.
"""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.conftest import PASSWORD
from bangfu.core.tests.browser import go_by_menu, log_in, shot
from bangfu.employers import actions
from bangfu.employers.creditcode import ALPHABET, make_credit_code
from bangfu.employers.models import Employer
from bangfu.employers.tests.conftest import employer_of
from bangfu.jobs import actions as job_actions
from bangfu.jobs.models import Job


@pytest.mark.browser
def test_county_clerk_registers_an_enterprise_and_posts_a_coded_job(page, live_server, users, areas):
    actor = users["county_a"]
    other = employer_of(actor, "花垣县锰业有限公司")
    job_actions.save_job(
        actor,
        Job(employer=other, number="MN-1", title="缝纫工", openings=2, area=areas["county_a"]),
        infer=True,
    )
    code = make_credit_code("433124", 4242)
    wrong = code[:17] + next(ch for ch in ALPHABET if ch != code[17])

    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    go_by_menu(page, "对接", "企业台帐", screenshot="staff-menu")
    expect(page.get_by_role("heading", name="企业台帐")).to_be_visible()
    page.get_by_role("link", name="登记单位").click()
    page.get_by_label("统一社会信用代码").fill(wrong)
    page.get_by_label("单位名称").fill("花垣县苗乡电子厂")
    page.get_by_label("类型").select_option("企业")
    page.get_by_role("button", name="保存").click()
    expect(page.locator(".invalid-feedback")).to_contain_text("统一社会信用代码校验位不正确")
    assert not Employer.objects.filter(name="花垣县苗乡电子厂").exists()
    shot(page, "employer-credit-code-error")
    page.get_by_label("统一社会信用代码").fill(code.lower())
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="花垣县苗乡电子厂")).to_be_visible()
    expect(page.locator(".alert-success")).to_contain_text("已登记 花垣县苗乡电子厂")
    expect(page.get_by_text(code, exact=True)).to_be_visible()

    page.get_by_role("link", name="发布岗位").click()
    expect(page.get_by_label("用人单位")).to_have_value(str(Employer.objects.get(credit_code=code).pk))
    page.get_by_label("岗位名称").fill("电焊工")
    expect(page.locator("#occupation-suggest")).to_contain_text("6-18-02-04")
    page.get_by_label("招聘人数").fill("3")
    page.get_by_label("月薪下限").fill("5000")
    shot(page, "job-form-suggested")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布岗位“电焊工”")
    expect(page.locator("dl")).to_contain_text("6-18-02-04")
    expect(page.locator("dl")).to_contain_text("由岗位名称推断")
    job = Job.objects.get(title="电焊工")
    assert job.occupation_id == "6-18-02-04" and job.occupation_inferred and job.number

    go_by_menu(page, "对接", "岗位")
    page.get_by_label("职业代码").fill("6-18")
    page.get_by_role("button", name="查询").click()
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("电焊工")
    expect(rows.first).to_contain_text("花垣县苗乡电子厂")
    expect(page.locator("table")).not_to_contain_text("缝纫工")
    shot(page, "jobs-filtered")


@pytest.mark.browser
def test_enterprise_sees_its_menu_posts_a_job_and_closes_another(page, live_server, users, areas):
    actor = users["county_a"]
    employer = employer_of(actor, "花垣县苗绣扶贫车间")
    account = actions.create_enterprise_account(actor, employer, username="qiye_miaoxiu", password=PASSWORD)
    account.must_change_password = False
    account.save()
    for number, title in (("MX-1", "苗绣工"), ("MX-2", "包装工")):
        job_actions.save_job(
            actor,
            Job(employer=employer, number=number, title=title, openings=4, area=areas["village_a"],
                deadline=dt.date(2099, 1, 1)),
            infer=True,
        )  # fmt: skip

    log_in(page, live_server.url, "qiye_miaoxiu")
    expect(page.get_by_role("heading", name="企业门户")).to_be_visible()
    page.wait_for_load_state()
    if page.device == "phone":
        page.get_by_role("button", name="菜单").click()
        expect(page.locator("#mainnav")).to_have_class("navbar-collapse collapse show")
    menu = page.locator("#nav-main")
    expect(menu.get_by_role("link")).to_have_text(["企业门户", "推荐回复", "用工报送"])
    expect(menu.get_by_role("button")).to_have_count(0)
    for staff_item in ("工作台", "名册", "窗口核验", "数据比对", "区域", "审计日志", "接口文档"):
        expect(page.get_by_role("navigation", name="主菜单")).not_to_contain_text(staff_item)
    shot(page, "portal-menu")
    if page.device == "phone":
        page.get_by_role("button", name="菜单").click()

    page.get_by_role("link", name="发布岗位").click()
    page.get_by_label("岗位名称").fill("保洁员")
    suggestion = page.locator("#occupation-suggest")
    expect(suggestion).to_contain_text("4-09-08-01")
    suggestion.get_by_role("button", name="填入").click()
    expect(page.get_by_label("职业代码")).to_have_value("4-09-08-01")
    page.get_by_label("招聘人数").fill("2")
    page.get_by_label("工作地点区划代码").fill("433124102")
    page.get_by_role("button", name="发布").click()
    expect(page.locator(".alert-success")).to_contain_text("已发布岗位“保洁员”")
    table = page.locator("#portal-jobs")
    expect(table.locator("tr", has_text="保洁员")).to_contain_text("4-09-08-01")
    posted = Job.objects.get(title="保洁员")
    assert posted.employer == employer and posted.posted_by == account and not posted.occupation_inferred

    row = table.locator("tr", has_text="包装工")
    row.get_by_role("button", name="结束招聘").click()
    expect(page.locator(".alert-success")).to_contain_text("已结束招聘：“包装工”")
    expect(table.locator("tr", has_text="包装工")).to_contain_text("已结束")
    expect(table.locator("tr", has_text="苗绣工")).to_contain_text("招聘中")
    shot(page, "portal-jobs")
    assert Job.objects.get(number="MX-2").status == Job.Status.CLOSED
    assert Job.objects.get(number="MX-1").status == Job.Status.OPEN

    table.get_by_role("link", name="苗绣工").click()
    expect(page.get_by_role("heading", name="苗绣工")).to_be_visible()
    expect(page.locator("#job-referrals")).to_contain_text("还没有推荐到本岗位的求职者")
    mx1 = Job.objects.get(number="MX-1")
    expect(page.get_by_label("职业代码")).to_have_value(mx1.occupation_id)
    expect(page.get_by_label("工作地点区划代码")).to_have_value(mx1.area_id)
    shot(page, "portal-job")
