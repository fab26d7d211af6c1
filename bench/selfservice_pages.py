"""Benchmark: the laborer's pages (劳动者自助服务) on a phone — page weight, requests and load time on a slow
connection, first with an empty cache and then with the cache the first visit left.

Run against a running platform (e.g. `./dev demo --port 8012`, which prints the demo laborer's phone):
  .venv/bin/python bench/selfservice_pages.py --url http://127.0.0.1:8012 --phone 1xxxxxxxxxx \
      --sms-file data/demo/sms-outbox.txt [--kbps 400 --latency 400]
Headless Chromium at 390×844 signs in through the real pages (phone, then the code read from the SMS
gateway's file), then opens each page: bytes are what crossed the network (Chromium's encodedDataLength,
headers included), requests every request the page made, time from navigation to the load event under
Chromium's network throttling (default 400 kbit/s both ways, 400 ms latency). Cold: the browser cache
cleared before the page; warm: the same page again. Prints a Markdown table for docs/benchmarks.md.
"""

import argparse
import os
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bangfu.settings_test")  # the browser helpers import Django
import django

django.setup()

from playwright.sync_api import sync_playwright  # noqa: E402

from bangfu.core.tests.browser import CHROMIUM_ARGS, PHONE, chromium_path  # noqa: E402

PAGES = [
    ("首页", "/self/", True),
    ("适合我的岗位", "/self/jobs/", True),
    ("推荐给我的岗位", "/self/referrals/", True),
    ("推荐（回复）", None, True),  # the first referral of the list
    ("我的就业意愿", "/self/wishes/", True),
    ("我的就业记录", "/self/work/", True),
    ("我享受的政策", "/self/policies/", True),
]


def measure(page, cdp, url, *, cold: bool):
    if cold:
        cdp.send("Network.clearBrowserCache")
    sizes, urls, cached = {}, {}, set()

    def on_finished(event):
        sizes[event["requestId"]] = event["encodedDataLength"]

    def on_sent(event):
        urls[event["requestId"]] = event["request"]["url"]

    def on_cached(event):
        cached.add(event["requestId"])

    cdp.on("Network.loadingFinished", on_finished)
    cdp.on("Network.requestWillBeSent", on_sent)
    cdp.on("Network.requestServedFromCache", on_cached)
    started = time.perf_counter()
    page.goto(url, wait_until="load")
    seconds = time.perf_counter() - started
    page.wait_for_timeout(300)  # late loadingFinished events
    cdp.remove_listener("Network.loadingFinished", on_finished)
    cdp.remove_listener("Network.requestWillBeSent", on_sent)
    cdp.remove_listener("Network.requestServedFromCache", on_cached)
    fetched = sorted(u.split("/", 3)[-1] for r, u in urls.items() if r not in cached)
    return sum(sizes.values()), len(fetched), seconds, fetched


def row(name, cold, warm):
    print(f"| {name} | {cold[0]:,} | {cold[1]} | {cold[2]:.2f} | {warm[0]:,} | {warm[1]} | {warm[2]:.2f} |")
    print(f"<!-- cold: {', '.join(cold[3])}; warm: {', '.join(warm[3])} -->", file=sys.stderr)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://127.0.0.1:8012")
    parser.add_argument("--phone", required=True)
    parser.add_argument("--sms-file", required=True, type=Path)
    parser.add_argument("--kbps", type=int, default=400)
    parser.add_argument("--latency", type=int, default=400)
    args = parser.parse_args()
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport=PHONE, is_mobile=True, locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(60000)
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        rate = args.kbps * 1000 / 8
        conditions = {"latency": args.latency, "downloadThroughput": rate, "uploadThroughput": rate}
        cdp.send("Network.emulateNetworkConditions", {"offline": False, **conditions})
        print("| 页面 | 首次（空缓存）字节 | 请求 | 秒 | 再次（有缓存）字节 | 请求 | 秒 |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        sign_in_url = f"{args.url}/self/login/"
        row("登录（手机号） `/self/login/`", measure(page, cdp, sign_in_url, cold=True),
            measure(page, cdp, sign_in_url, cold=False))  # fmt: skip
        # Sign in (throttled too), then every page.
        page.goto(f"{args.url}/self/login/")
        page.get_by_label("手机号码").fill(args.phone)
        lines_before = args.sms_file.read_text(encoding="utf-8").count("\n") if args.sms_file.exists() else 0
        page.get_by_role("button", name="获取验证码").click()
        page.wait_for_url("**/self/login/code/")
        lines = args.sms_file.read_text(encoding="utf-8").splitlines()[lines_before:]
        code = next(re.search(r"验证码是(\d{6})", x).group(1) for x in reversed(lines) if args.phone in x)
        page.get_by_label("短信验证码").fill(code)
        page.get_by_role("button", name="登录").click()
        page.wait_for_url("**/self/")
        referral = page.goto(f"{args.url}/self/referrals/") and page.locator("a.ss-card").first.get_attribute(
            "href"
        )
        for name, path, _ in PAGES:
            url = args.url + (path or referral or "/self/referrals/")
            row(
                f"{name} `{path or referral}`",
                measure(page, cdp, url, cold=True),
                measure(page, cdp, url, cold=False),
            )
        browser.close()


if __name__ == "__main__":
    main()
