"""Review and apply in headless Chromium: a county user uploads a death file and an employment file, waits
for the runs, accepts one finding and rejects another, and the person's page shows the change and its
history."""

import pytest
from playwright.sync_api import expect

from bangfu.compare import actions
from bangfu.compare.models import BulkDecision, RunStatus
from bangfu.compare.tasks import decide_bulk_task
from bangfu.compare.tests.conftest import LONG, MA, SHI, write_source
from bangfu.core.tests.browser import go_by_menu, log_in, shot
from bangfu.registry.models import Person


def upload(page, base_url, label, path):
    page.goto(f"{base_url}/compare/new/")
    page.get_by_label("比对数据类型").select_option(label=label)
    page.get_by_label("数据文件").set_input_files(str(path))
    page.get_by_role("button", name="上传并比对").click()
    expect(page.locator("#run-progress")).to_contain_text("已完成", timeout=120_000)


def _scenario(page, base_url, death, jobs, long_pk):
    log_in(page, base_url, "u_county_a")
    go_by_menu(page, "名册", "数据比对")
    expect(page.get_by_role("heading", name="数据比对")).to_be_visible()

    upload(page, base_url, "死亡", death)
    shot(page, "compare-run")
    page.get_by_role("link", name="死亡（标记已故）").click()
    page.get_by_role("link", name="详情").first.click()
    expect(page.locator("#side-by-side")).to_contain_text("死亡日期")
    page.get_by_role("button", name="接受并修改名册").click()
    expect(page.locator("#finding-status")).to_contain_text("已接受")
    shot(page, "compare-accepted")

    upload(page, base_url, "就业登记/用工备案", jobs)
    page.get_by_role("link", name="就业（新增就业记录、务工状态）").click()
    page.get_by_role("link", name="详情").first.click()
    page.get_by_label("驳回理由").fill("已回乡，未在该厂务工")
    page.get_by_role("button", name="驳回").click()
    expect(page.locator("#finding-status")).to_contain_text("已驳回")

    page.goto(f"{base_url}/registry/people/{long_pk}/")
    expect(page.locator("h1")).to_contain_text("已故")
    expect(page.get_by_role("cell", name="死亡日期")).to_be_visible()
    expect(page.get_by_role("cell", name="比对").first).to_be_visible()
    shot(page, "compare-person-history")


@pytest.mark.browser
def test_upload_review_accept_reject_and_see_history(page, live_server, users, people, tmp_path):
    death = write_source(
        tmp_path / "死亡名单.xlsx", [{"姓名": "龙春生", "证件号码": LONG, "死亡日期": "2025-03-01"}]
    )
    jobs = write_source(
        tmp_path / "用工备案.xlsx",
        [
            {
                "姓名": "麻老三",
                "证件号码": MA,
                "单位名称": "广州电子厂",
                "工作地区划代码": "440105",
                "入职日期": "2025-01-05",
            }
        ],
    )
    _scenario(page, live_server.url, death, jobs, people["long"].pk)
    assert Person.objects.get(pk=people["long"].pk).is_deceased
    assert Person.objects.get(pk=people["ma"].pk).employment_status == "未务工"


@pytest.mark.browser
def test_fill_a_village_leaving_one_person_out(page, live_server, users, people, tmp_path):
    """A first 社保 file: the registry held no pension values, so the village's people are one 名册补录;
    the officer leaves 石秀英 out and fills the others."""
    rows = [
        {"姓名": name, "证件号码": number, "险种": "城乡居民养老保险", "参保状态": "参保缴费"}
        for name, number in (("龙春生", LONG), ("石秀英", SHI), ("麻老三", MA))
    ]
    path = write_source(tmp_path / "社保参保.xlsx", rows)
    log_in(page, live_server.url, "u_county_a")
    upload(page, live_server.url, "社保参保", path)
    expect(page.locator("#fill-people-count")).to_contain_text("共 3 人")
    page.get_by_role("link", name="名册补录（按村）").click()
    page.get_by_role("link", name="详情").first.click()
    expect(page.locator("#fill-people")).to_contain_text("石秀英")
    expect(page.locator("#fill-proposal")).to_contain_text("养老保险参保状态：（空） → 参保缴费")
    page.get_by_label("选择 石秀英").check()
    page.get_by_role("button", name="排除所选").click()
    expect(page.locator("#fill-counts")).to_contain_text("补录 2 人，已排除 1 人")
    shot(page, "compare-fill")
    page.get_by_role("button", name="接受并补录（2 人）").click()
    expect(page.locator("#finding-status")).to_contain_text("已接受")
    expect(page.locator("#fill-people")).to_contain_text("未补录（审核时排除）")
    assert Person.objects.get(pk=people["long"].pk).pension_status == "参保缴费"
    assert Person.objects.get(pk=people["ma"].pk).pension_status == "参保缴费"
    assert Person.objects.get(pk=people["shi"].pk).pension_status == ""


@pytest.mark.browser
def test_accept_all_in_the_background_and_watch_it_finish(
    page, live_server, users, people, tmp_path, monkeypatch
):
    """More than a request should decide goes to the background: the page the officer lands on follows its
    progress by itself until it is done."""
    monkeypatch.setattr(actions, "BULK_IN_REQUEST", 1)
    rows = [
        {"姓名": name, "证件号码": number, "死亡日期": "2025-03-01"}
        for name, number in (("龙春生", LONG), ("石秀英", SHI), ("麻老三", MA))
    ]
    log_in(page, live_server.url, "u_county_a")
    upload(page, live_server.url, "死亡", write_source(tmp_path / "死亡名单.xlsx", rows))
    page.get_by_role("link", name="死亡（标记已故）").click()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="全部接受（符合筛选条件）").click()
    expect(page.get_by_role("heading", name="批量接受比对结果")).to_be_visible()
    expect(page.locator("#bulk-progress")).to_contain_text("排队中")
    expect(page.locator(".alert-info")).to_contain_text("共 3 条待处理结果，已交给后台逐条接受")
    shot(page, "compare-bulk-queued")
    assert decide_bulk_task.call(BulkDecision.objects.get().pk) == RunStatus.DONE  # the worker's part
    expect(page.locator("#bulk-message")).to_have_text("已接受 3 条。", timeout=10_000)
    expect(page.locator("#bulk-progress")).to_contain_text("已完成")
    shot(page, "compare-bulk-done")
    assert Person.objects.filter(pk__in=[p.pk for p in people.values()], is_deceased=True).count() == 3
