"""The statistics page, its export and API, and the 工作台 at every level: the figures of the designed
world (stats/tests/world.py), sorting, drill-down, past days, the area scope (another area's code is a
404), the audit of exports, and query counts that do not grow with the people."""

import csv
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.dashboard import panels
from bangfu.stats import figures
from bangfu.stats.tests.world import ON, T1, T2, V1, build, expectations, household, member, record

ON_QUERY = {"on": ON.isoformat()}


@pytest.fixture
def world(areas):
    return build(ON)


def _cells(html: str, code: str) -> str:
    start = html.index(f'data-area="{code}"')
    return html[start : html.index("</tr>", start)]


def test_page_shows_each_township_and_sorts_by_any_figure(world, users, client_for):
    client = client_for(users["county_a"])
    html = client.get(reverse("stats:index"), ON_QUERY).content.decode()
    expected = expectations(ON)
    row = _cells(html, T1.ljust(12, "0"))
    assert "龙潭镇" in row
    for f in figures.FIGURES:
        assert f'data-label="{f.name}" class="text-end">{expected[T1][f.key]}<' in row, f.key
    by_laborers = client.get(reverse("stats:index"), {**ON_QUERY, "sort": "laborers", "dir": "desc"})
    text = by_laborers.content.decode()
    assert text.index(f'data-area="{T1.ljust(12, "0")}"') < text.index(f'data-area="{T2.ljust(12, "0")}"')
    ascending = client.get(reverse("stats:index"), {**ON_QUERY, "sort": "laborers", "dir": "asc"})
    rows = [line for line in ascending.content.decode().split("data-area=")[1:]]
    assert rows[-1].startswith(f'"{T1.ljust(12, "0")}"')  # the most laborers last


def test_drill_down_to_a_village_and_a_past_day(world, users, client_for):
    client = client_for(users["county_a"])
    township = client.get(reverse("stats:index"), {"area": T1, **ON_QUERY}).content.decode()
    assert "土地村" in township and f"area={V1}" in township
    village = client.get(reverse("stats:index"), {"area": V1, **ON_QUERY})
    assert village.status_code == 200 and "没有下级区域" in village.content.decode()
    assert 'data-figure="laborers">9<' in village.content.decode()


def test_outsiders_get_404_on_another_areas_code(world, users, client_for):
    outsider = client_for(users["county_b"])
    for name in ("stats:index", "stats:export", "stats-table"):
        for code in ("433124", T1, V1, "43"):
            assert outsider.get(reverse(name), {"area": code}).status_code == 404, (name, code)
    village_user = client_for(users["village_a"])
    assert village_user.get(reverse("stats:index"), {"area": "433124"}).status_code == 404
    assert village_user.get(reverse("stats:index"), {"area": "433124102201"}).status_code == 200


def test_export_is_the_command_table_and_audited(world, users, client_for):
    response = client_for(users["county_a"]).get(reverse("stats:export"), {**ON_QUERY, "format": "csv"})
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["区划代码", "区划名称", "人数"] and rows[-1][1] == "合计"
    assert rows[-1][2] == "12"
    event = AuditEvent.objects.get(action=Action.EXPORT, actor=users["county_a"])
    assert "统计-花垣县-20260615.csv" in event.message
    xlsx = client_for(users["county_a"]).get(reverse("stats:export"), ON_QUERY)
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_api_gives_the_table(world, users, client_for):
    data = client_for(users["county_a"]).get(reverse("stats-table"), {**ON_QUERY, "sort": "people"}).json()
    assert data["area_code"] == "433124000000" and data["on"] == "2026-06-15" and data["kept_at"] is None
    assert [f["key"] for f in data["figures"]] == list(figures.KEYS)
    by_code = {r["area_code"]: r["values"] for r in data["rows"]}
    assert by_code[T1.ljust(12, "0")] == expectations(ON)[T1]
    assert data["total"]["values"]["people"] == 12


def _queries(client, url, params=None) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url, params or {}).status_code == 200
    return len(context)


def test_queries_do_not_grow_with_the_people(world, users, client_for):
    client = client_for(users["county_a"])
    urls = [(reverse("stats:index"), ON_QUERY), (reverse("dashboard:home"), {}), (reverse("stats-table"), {})]
    before = [_queries(client, url, params) for url, params in urls]
    for i in range(20):
        home = household(V1 if i % 2 else "433124105208")
        record(member(f"加{i}", home), ON.replace(day=1), place=["县内", "省外"][i % 2])
    assert [_queries(client, url, params) for url, params in urls] == before


@pytest.mark.parametrize("who", ["village_a", "township_a", "county_a", "city", "province"])
def test_dashboard_at_every_level(world, users, client_for, who):
    response = client_for(users[who]).get(reverse("dashboard:home"))
    html = response.content.decode()
    assert response.status_code == 200 and "工作台 · " in html
    assert 'id="trend-chart"' in html and 'id="figure-cards"' in html and 'id="warnings-panel"' in html
    assert ('id="stats-table"' in html) == (who != "village_a")
    assert "{#" not in html and "#}" not in html  # no template comment shown


def test_dashboard_figures_are_todays(users, client_for, areas):
    from django.utils import timezone

    build(timezone.localdate())
    html = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    total = expectations(timezone.localdate())
    assert f'data-figure="people">{total[T1]["people"] + total[T2]["people"]}<' in html


def test_apps_add_panels(users, client_for, areas):
    def tasks_due(request, area, on):
        return f'<div class="card" id="tasks-due">待办督办任务 {area.name} {on}</div>'

    panels.register(tasks_due)
    try:
        html = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    finally:
        panels._panels.remove(tasks_due)
    assert "待办督办任务 花垣县" in html and "未处理预警" in html


def test_open_warnings_on_the_dashboard(users, client_for, areas):
    from django.utils import timezone

    from bangfu.tracking.warnings import scan

    build(timezone.localdate())
    scan(within=areas["county_a"], notify=False)
    html = client_for(users["county_a"]).get(reverse("dashboard:home")).content.decode()
    assert 'id="open-warnings">' in html and "零就业家庭" in html
    assert "零就业家庭" not in client_for(users["county_b"]).get(reverse("dashboard:home")).content.decode()
