"""The Debian Chromium the browser tests and the browser benchmarks drive, and the page sizes they use —
without Django, so that a benchmark script can import it before it sets Django up."""

import os
import shutil

PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1366, "height": 800}
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def chromium_path() -> str:
    path = os.environ.get("BANGFU_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        raise RuntimeError("浏览器测试需要 Chromium：请安装 chromium 软件包或设置 BANGFU_CHROMIUM。")
    return path
