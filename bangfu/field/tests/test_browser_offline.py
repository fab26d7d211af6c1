"""The village officer's phone (390 × 844, Debian Chromium) without a signal: the app opens from the
service worker's cache, entries wait in IndexedDB across a browser restart and are sent once when the
network returns; an entry for a person moved out comes back with its reason; logout leaves nothing."""

import datetime as dt

import pytest
from playwright.sync_api import expect

from bangfu.conftest import area
from bangfu.core.tests.browser import CHROMIUM_ARGS, PHONE, chromium_path, log_in, shot
from bangfu.field.models import Entry
from bangfu.referrals.tests.factories import make_person
from bangfu.registry.models import Person
from bangfu.tracking.models import Visit

PEOPLE = ["田春", "田夏", "田秋", "田冬", "田雨"]


def phone(browser, user_data_dir):
    """A phone's browser whose storage (IndexedDB, service worker, caches) outlives closing it."""
    context = browser.browser_type.launch_persistent_context(
        str(user_data_dir), executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS,
        viewport=PHONE, is_mobile=True, has_touch=True, locale="zh-CN", service_workers="allow",
    )  # fmt: skip
    page = context.pages[0] if context.pages else context.new_page()
    page.set_default_timeout(20000)
    page.device = "phone"
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    page.on("pageerror", lambda e: refused.append(f"script error: {e}"))
    context.refused = refused
    return context, page


def open_app(page, base_url):
    page.goto(f"{base_url}/field/")
    expect(page.locator("body[data-ready='1']")).to_have_count(1)


def installed(page):
    """The service worker controls the page and has kept the shell (so the next start needs no network)."""
    page.evaluate("navigator.serviceWorker.ready")
    page.wait_for_function("navigator.serviceWorker.controller !== null || location.reload()")
    page.wait_for_function("caches.keys().then(k => k.length > 0)")


def waiting(page) -> str:
    return page.locator("#count-waiting b").inner_text()


def record_visit(page, person_id, day, result="在岗"):
    page.evaluate(f"location.hash = '#p/{person_id}/visit'")
    form = page.locator("form.form")
    form.get_by_label("回访日期").fill(f"{day}")
    form.get_by_label("回访结果").select_option(result)
    before = int(waiting(page))
    form.get_by_role("button", name="保存").click()
    expect(page.locator("#count-waiting b")).to_have_text(str(before + 1))


def fits(page):
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.browser
def test_fifty_entries_made_offline_across_a_restart_are_sent_exactly_once(
    browser, live_server, users, tmp_path
):
    people = {name: make_person(name) for name in PEOPLE}
    visits_before = Visit.objects.count()
    context, page = phone(browser, tmp_path / "phone")
    log_in(page, live_server.url, "u_village_a")
    open_app(page, live_server.url)
    expect(page.locator(".person")).to_have_count(len(PEOPLE))
    installed(page)
    fits(page)
    shot(page, "field-list")

    context.set_offline(True)
    page.reload()  # no signal: the shell comes from the service worker, the list from IndexedDB
    expect(page.locator("#net")).to_have_text("无网络")
    expect(page.locator(".person")).to_have_count(len(PEOPLE))
    # The officer taps a person and records a visit as on any day.
    page.get_by_role("link", name="田春").click()
    page.get_by_role("link", name="登记回访").click()
    page.get_by_label("回访日期").fill("2026-01-01")
    page.get_by_label("回访结果").select_option("不愿就业")
    fits(page)
    shot(page, "field-visit-form")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#count-waiting b")).to_have_text("1")
    expect(page.locator("#notice")).to_contain_text("已保存在本机")
    first_day = dt.date(2026, 1, 2)
    for i in range(24):
        person = people[PEOPLE[i % 5]]
        record_visit(page, person.pk, first_day + dt.timedelta(days=i // 5))
    assert waiting(page) == "25"
    context.close()  # the browser is closed (the phone restarted): its session cookie is gone

    context, page = phone(browser, tmp_path / "phone")
    context.set_offline(True)
    open_app(page, live_server.url)
    expect(page.locator("#count-waiting b")).to_have_text("25")
    for i in range(25):
        person = people[PEOPLE[i % 5]]
        record_visit(page, person.pk, dt.date(2026, 2, 1) + dt.timedelta(days=i // 5))
    assert waiting(page) == "50"
    assert Visit.objects.count() == visits_before  # nothing has left the phone

    context.set_offline(False)  # the signal returns: the session is gone, the entries stay
    expect(page.locator("#notice")).to_contain_text("登录已过期")
    assert waiting(page) == "50"
    page.locator("#notice").get_by_role("link", name="重新登录").click()
    page.get_by_label("用户名").fill("u_village_a")
    page.get_by_label("密码").fill("Test-pass-2026")
    page.get_by_role("button", name="登录").click()
    page.wait_for_url(f"{live_server.url}/field/")
    expect(page.locator("#count-waiting b")).to_have_text("0", timeout=30000)
    expect(page.locator("#count-sent b")).to_have_text("50")
    assert Visit.objects.count() == visits_before + 50
    assert Entry.objects.filter(user=users["village_a"], status="applied").count() == 50

    # An answer lost on the way: the phone still thinks its entries wait and sends them again.
    page.evaluate(
        """() => new Promise((done) => {
          const open = indexedDB.open("bangfu-field");
          open.onsuccess = () => {
            const t = open.result.transaction("entries", "readwrite");
            const store = t.objectStore("entries");
            store.getAll().onsuccess = (e) => {
              for (const x of e.target.result) { x.state = "waiting"; store.put(x); }
            };
            t.oncomplete = () => { open.result.close(); done(); };
          };
        })"""
    )
    page.reload()
    expect(page.locator("#count-waiting b")).to_have_text("0", timeout=30000)
    assert Visit.objects.count() == visits_before + 50
    assert Entry.objects.filter(user=users["village_a"]).count() == 50
    refused = context.refused
    context.close()
    assert not refused, refused


@pytest.mark.browser
def test_an_entry_for_a_person_moved_out_comes_back_and_logout_leaves_nothing(
    browser, live_server, users, tmp_path
):
    mover, stayer = make_person("石迁"), make_person("石留")
    context, page = phone(browser, tmp_path / "phone")
    log_in(page, live_server.url, "u_village_a")
    open_app(page, live_server.url)
    installed(page)
    context.set_offline(True)
    page.reload()
    record_visit(page, mover.pk, dt.date(2026, 1, 5))
    record_visit(page, stayer.pk, dt.date(2026, 1, 5))
    # Meanwhile the registry moves 石迁 to a village of county B.
    Person.objects.filter(pk=mover.pk).update(area=area("433123109225"))

    context.set_offline(False)
    expect(page.locator("#count-rejected b")).to_have_text("1", timeout=30000)
    expect(page.locator("#count-waiting b")).to_have_text("0")
    page.get_by_role("link", name="退回").click()
    rejected = page.locator(".entry.rejected")
    expect(rejected).to_contain_text("石迁")
    expect(rejected).to_contain_text("可能已迁出")
    fits(page)
    shot(page, "field-rejected")
    assert Visit.objects.filter(person=stayer).count() == 1
    assert not Visit.objects.filter(person=mover).exists()
    rejected.get_by_role("button", name="不再处理").click()
    expect(page.locator("#count-rejected b")).to_have_text("0")

    page.get_by_role("button", name="退出登录并清除本机数据").click()
    page.wait_for_url(f"{live_server.url}/**")
    expect(page.get_by_label("用户名")).to_be_visible()
    left = page.evaluate(
        """async () => ({
          databases: (await indexedDB.databases()).map((d) => d.name),
          caches: await caches.keys(),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
        })"""
    )
    assert left == {"databases": [], "caches": [], "workers": 0}
    refused = context.refused
    context.close()
    assert not refused, refused


@pytest.mark.browser
def test_a_duty_changed_meanwhile_comes_back_and_is_redone_on_the_new_version(
    browser, live_server, users, tmp_path
):
    from bangfu.posts.actions import save_duty
    from bangfu.posts.models import Duty
    from bangfu.posts.tests.factories import hold, post

    holder = make_person("麻岗")
    hold(holder, post("433124102201", title="护林员"), started=dt.date(2026, 1, 1))
    context, page = phone(browser, tmp_path / "phone")
    log_in(page, live_server.url, "u_village_a")
    open_app(page, live_server.url)
    installed(page)
    context.set_offline(True)
    page.reload()
    page.get_by_role("link", name="麻岗").click()
    page.get_by_role("link", name="填报出勤").click()
    month = page.get_by_label("年月").input_value()
    page.get_by_label("在岗天数").fill("18")
    page.get_by_label("应出勤天数").fill("22")
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#count-waiting b")).to_have_text("1")
    # Meanwhile the township fills the same month from the duty sheet.
    save_duty(users["township_a"], holder, month, 15, 22)

    context.set_offline(False)
    expect(page.locator("#count-rejected b")).to_have_text("1", timeout=30000)
    page.get_by_role("link", name="退回").click()
    rejected = page.locator(".entry.rejected")
    expect(rejected).to_contain_text("已由他人填报（在岗 15/22 天）")
    rejected.get_by_role("button", name="重新填写").click()
    expect(page.get_by_label("在岗天数")).to_have_value("18")  # the officer's own figures, to check
    page.get_by_role("button", name="保存").click()
    expect(page.locator("#count-sent b")).to_have_text("1", timeout=30000)
    expect(page.locator("#count-rejected b")).to_have_text("0")
    assert Duty.objects.get(person=holder, month=month).days_on_duty == 18
    refused = context.refused
    context.close()
    assert not refused, refused
