"""The fair's check-in on a phone (390 px), with a page of 100 invited laborers: the save button stays in
reach in a sticky action bar (it used to be 24,000 px down), the boxes look like boxes, and the list has a
compact mode that the browser remembers."""

import datetime as dt

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from bangfu.conftest import TOWNSHIP_A, area
from bangfu.core.tests.browser import log_in, shot
from bangfu.fairs import actions
from bangfu.fairs.models import Invitation, JobFair
from bangfu.referrals.tests.factories import make_person


@pytest.fixture
def crowded_fair(users, world):
    start = timezone.now() - dt.timedelta(hours=1)
    fair = actions.save_fair(
        users["county_a"],
        JobFair(
            title="龙潭镇送岗下乡", kind="送岗下乡", area=area(TOWNSHIP_A), venue="龙潭镇政府广场",
            starts_at=start, ends_at=start + dt.timedelta(hours=8), status="进行中",
        ),
        jobs=[world["job"], world["local_job"]],
    )  # fmt: skip
    people = [make_person(f"签到{i:03d}", phone=f"139000{i:05d}") for i in range(100)]
    Invitation.objects.bulk_create(
        Invitation(fair=fair, person=p, job=world["local_job"], score=90 - i / 10, reasons=["职业相符"])
        for i, p in enumerate(people)
    )
    return fair


def in_view(page, locator) -> bool:
    box = locator.bounding_box()
    viewport = page.viewport_size
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= viewport["height"]


@pytest.mark.browser
def test_check_in_saves_from_the_sticky_bar_on_a_phone(page, live_server, users, crowded_fair):
    """Tick someone half way down a page of 100 and save without scrolling to the end."""
    log_in(page, live_server.url, "u_county_a")
    page.goto(f"{live_server.url}/fairs/{crowded_fair.pk}/attendance/")
    save = page.get_by_role("button", name="保存签到")
    assert in_view(page, save)  # at the top of the list
    box = page.get_by_label("签到050 到场")
    box.scroll_into_view_if_needed()
    rect = box.bounding_box()
    assert rect["width"] == rect["height"] >= 16  # a square box, not squeezed or stretched by its row
    border = box.evaluate("el => getComputedStyle(el).borderTopColor")
    assert border not in ("rgb(222, 226, 230)", "rgba(0, 0, 0, 0)")  # Bootstrap's faint edge, or none
    box.check()
    page.get_by_label("签到051 到场").check()
    expect(page.locator("#attendance-actions output")).to_have_text("2")
    assert in_view(page, save)  # half way down, still in reach
    shot(page, "fair-check-in")
    save.click()
    expect(page.locator(".alert-success")).to_contain_text("共到场 2 人")
    assert set(crowded_fair.invitations.filter(attended=True).values_list("person__name", flat=True)) == {
        "签到050",
        "签到051",
    }


@pytest.mark.browser
def test_long_lists_have_a_compact_mode_the_browser_remembers(page, live_server, users, crowded_fair):
    log_in(page, live_server.url, "u_county_a")
    url = f"{live_server.url}/fairs/{crowded_fair.pk}/attendance/"
    page.goto(url)
    full = page.evaluate("document.documentElement.scrollHeight")
    toggle = page.get_by_role("button", name="紧凑显示")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    compact = page.evaluate("document.documentElement.scrollHeight")
    assert compact < full / 2, (compact, full)
    shot(page, "fair-check-in-compact")
    page.goto(f"{live_server.url}/registry/people/")  # another long list: compact too, as chosen
    expect(page.get_by_role("button", name="紧凑显示")).to_have_attribute("aria-pressed", "true")
    page.goto(url)
    assert page.evaluate("document.documentElement.scrollHeight") == compact
    page.get_by_role("button", name="紧凑显示").click()
    assert page.evaluate("document.documentElement.scrollHeight") == full
