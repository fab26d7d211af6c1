"""The job-fair form in headless Chromium: jobs are found by typing (employer or title) among thousands of
postings and ticked into the fair, never picked from one long list."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, shot
from bangfu.fairs.models import JobFair
from bangfu.jobs.models import Job


@pytest.mark.browser
def test_staff_add_jobs_to_a_fair_by_searching(page, live_server, users, world):
    Job.objects.bulk_create(
        Job(employer=world["other"], number=f"BULK-{i}", title=f"流水线普工{i}", openings=5, openings_left=5,
            area=world["other"].area, deadline=dt.date(2099, 1, 1))
        for i in range(2000)
    )  # fmt: skip
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    page.goto(f"{live_server.url}/fairs/new/")
    page.get_by_label("名称").fill("龙潭镇春风行动")
    page.get_by_label("举办地区划代码").fill("433124102")
    search = page.get_by_label("参会岗位")
    expect(page.locator("#fair-jobs-selected")).to_contain_text("还没有选择岗位")

    search.fill("苗绣")
    results = page.locator("#fair-jobs-results")
    expect(results).to_contain_text("花垣苗绣扶贫车间 · 苗绣工")
    results.get_by_role("checkbox").first.check()
    chosen = page.locator("#fair-jobs-selected")
    expect(chosen).to_contain_text("苗绣工")
    expect(chosen).not_to_contain_text("还没有选择岗位")

    search.fill("海珠电子")
    expect(results).to_contain_text("电子装配工")
    results.locator("label", has_text="电子装配工").get_by_role("checkbox").check()
    expect(chosen.get_by_role("checkbox", checked=True)).to_have_count(2)
    search.fill("流水线")
    expect(results).to_contain_text("共 2000 个岗位相符")
    search.press("Enter")  # Enter in the search box does not submit the form
    shot(page, "fair-job-picker")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", name="龙潭镇春风行动")).to_be_visible()
    fair = JobFair.objects.get(title="龙潭镇春风行动")
    assert set(fair.jobs.all()) == {world["local_job"], world["job"]}
    assert set(fair.employers.all()) == {world["workshop"], world["factory"]}
