"""A comparison finding's page on a phone (390 px): the page never scrolls sideways, and the source record
beside the registry fits the screen, long values wrapped."""

import pytest
from playwright.sync_api import expect

from bangfu.compare.tests.conftest import MA, write_source
from bangfu.compare.tests.test_browser import upload
from bangfu.core.tests.browser import log_in, shot


@pytest.mark.browser
def test_a_finding_fits_a_phone(page, live_server, users, people, tmp_path):
    jobs = write_source(
        tmp_path / "用工备案.xlsx",
        [
            {
                "姓名": "麻老三",
                "证件号码": MA,
                "单位名称": "广州市海珠区琶洲街道新港东路保利世贸中心电子科技有限公司第二生产基地",
                "工作地区划代码": "440105",
                "入职日期": "2025-01-05",
            }
        ],
    )
    log_in(page, live_server.url, "u_county_a")
    upload(page, live_server.url, "就业登记/用工备案", jobs)
    page.get_by_role("link", name="就业（新增就业记录、务工状态）").click()
    page.get_by_role("link", name="详情").first.click()
    expect(page.locator("#side-by-side")).to_contain_text("单位名称")
    shot(page, "compare-finding")
    width = page.viewport_size["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    table = page.locator("#side-by-side")
    assert table.evaluate("t => t.parentElement.scrollWidth <= t.parentElement.clientWidth")
    assert table.bounding_box()["x"] + table.bounding_box()["width"] <= width
