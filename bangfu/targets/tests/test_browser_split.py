"""A county officer sets the county's 务工人数 target with its months and splits it among the townships on a
phone and on a desktop: the form's live sum says how much is still missing, a short split is refused with
the shortfall named, a full one is saved and shown beside the county's target."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import go_by_menu, log_in, shot
from bangfu.targets.models import Target


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"] + 1


@pytest.mark.browser
def test_a_county_officer_sets_and_splits_a_target(page, live_server, users, townships, employed):
    log_in(page, live_server.url, "u_county_a")
    go_by_menu(page, "目标调度", "目标")
    page.get_by_role("link", name="设定目标").click()
    page.get_by_label("指标").select_option(label="务工人数")
    page.get_by_label("年度目标").fill("100")
    page.get_by_label("6月累计").fill("50")
    page.get_by_label("12月累计").fill("100")
    fits(page)
    shot(page, "target-set")
    page.get_by_role("button", name="保存目标").click()
    expect(page.locator("#own-targets")).to_contain_text("务工人数")
    county = Target.objects.get(area=users["county_a"].area)
    assert county.value == 100 and county.months[5] == 50

    page.get_by_role("link", name="分解到下级").click()
    t1, t2, t3 = townships[:3]
    state = page.locator("#split-state")
    page.get_by_label(t1.name).fill("60")
    expect(page.locator("#split-sum")).to_have_text("60")
    expect(state).to_have_text("还差 40，分解不能少于上级目标")
    page.get_by_label(t2.name).fill("30")
    expect(state).to_have_text("还差 10，分解不能少于上级目标")
    fits(page)
    shot(page, "target-split-short")
    page.get_by_role("button", name="保存分解").click()
    expect(page.locator("#split-error")).to_contain_text("还差 10")
    assert not Target.objects.filter(area__parent=county.area).exists()

    page.get_by_label(t3.name).fill("10")
    expect(state).to_have_text("与上级目标相等")
    page.get_by_role("button", name="保存分解").click()
    expect(page.locator(f"#figure-{employed}")).to_contain_text("下级合计 100")
    expect(page.locator(f"#figure-{employed}")).to_contain_text(t1.name)
    fits(page)
    shot(page, "target-split-done")
    assert dict(Target.objects.filter(area__parent=county.area).values_list("area_id", "value")) == {
        t1.code: 60, t2.code: 30, t3.code: 10,
    }  # fmt: skip
