"""In headless Chromium: a county officer opens the 转移就业台账, asks for its Excel export, which is more
than a request should write, watches it finish on its page (the worker's part run here, as other background
tests do) and downloads the file from 我的导出."""

import io

import pytest
from django.test import override_settings
from playwright.sync_api import expect
from python_calamine import CalamineWorkbook

from bangfu.core.tests.browser import log_in, shot
from bangfu.exports.models import Export
from bangfu.exports.tasks import run_export_task
from bangfu.ledgers.tests.test_ledgers import world  # noqa: F401 (fixture)


@pytest.mark.browser
@override_settings(BANGFU_EXPORT_INLINE_ROWS=0)
def test_ask_for_a_ledger_export_and_download_it(page, live_server, users, world):  # noqa: F811
    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/ledgers/")
    page.get_by_role("main").get_by_role("link", name="转移就业台账").click()
    expect(page.locator("#ledger-counts")).to_contain_text("当前在岗")
    page.locator("#ledger-export-xlsx").click()
    expect(page.get_by_role("heading", name="导出转移就业台账")).to_be_visible()
    expect(page.locator("#export-progress")).to_contain_text("排队中")
    shot(page, "ledger-export-queued")
    job = Export.objects.get()
    run_export_task.call(job.pk)  # the worker's part
    expect(page.locator("#export-progress")).to_contain_text("已完成", timeout=10_000)
    with page.expect_download() as info:
        page.locator("#export-download").click()
    with open(info.value.path(), "rb") as handle:
        content = handle.read()
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[0][:3] == ["县(市、区)", "乡(镇、街道)", "行政村"] and len(rows) == job.total + 1
    page.goto(f"{live_server.url}/exports/")
    expect(page.get_by_role("link", name="下载")).to_be_visible()
    shot(page, "ledger-my-exports")
