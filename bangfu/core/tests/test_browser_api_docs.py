"""The API documentation (Swagger UI and ReDoc, vendored) works under the Content-Security-Policy and asks
nothing from outside: the `page` fixture fails on any refusal, an external font or badge included."""

import pytest
from playwright.sync_api import expect

from bangfu.core.tests.browser import log_in, new_page

# ReDoc's sidebar shows its maker's logo from their CDN whatever it is told; the CSP refuses it (a missing
# image), and that is the one refusal the documentation may cause.
REDOC_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"


@pytest.mark.browser
def test_swagger_ui_renders_with_nothing_refused(page, live_server, users):
    log_in(page, live_server.url, "u_county_a")
    expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
    page.goto(f"{live_server.url}/api/v1/docs/")
    expect(page.locator("#swagger-ui").get_by_text("帮扶 bangfu API").first).to_be_visible()
    expect(page.locator("#swagger-ui").get_by_text("/api/v1/people/").first).to_be_visible()


@pytest.mark.browser
def test_redoc_renders_with_nothing_refused_but_its_logo(browser, live_server, users):
    context, page = new_page(browser, "desktop")
    refused = []
    page.on("console", lambda m: refused.append(m.text) if "Content Security Policy" in m.text else None)
    try:
        log_in(page, live_server.url, "u_county_a")
        expect(page.get_by_role("heading", name="工作台 · 花垣县")).to_be_visible()
        page.goto(f"{live_server.url}/api/v1/redoc/")
        expect(page.get_by_role("heading", name="帮扶 bangfu API").first).to_be_visible(timeout=30000)
    finally:
        context.close()
    assert [text for text in refused if REDOC_LOGO not in text] == []
