"""The 三线 table: a designed world where every figure of every sub-area is known, with decoys on each
boundary (a record ending on the day counted, one starting the day after, two records in force, a
record without a work place, the dead, the old, another county); the lists behind the numbers, the
export, and the query count."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import area
from bangfu.employment.models import EmploymentRecord
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.registry.models import Person
from bangfu.tracking import figures
from bangfu.tracking.models import Visit

T1, T2 = "433124102", "433124105"  # 龙潭镇 and another township of county A
V1, V2 = "433124102201", "433124105208"
ON, MONTH = dt.date(2026, 6, 15), dt.date(2026, 6, 1)


def _record(person, started, ended=None, place="县内", **fields):
    return EmploymentRecord.objects.create(
        person=person, area_id=person.area_id, employer_name=fields.pop("employer_name", "某单位"),
        started_on=started, ended_on=ended, place=place, **fields,
    )  # fmt: skip


@pytest.fixture
def designed(users):
    p = {}
    p["a1"] = make_person("县内甲", V1)
    _record(p["a1"], dt.date(2026, 6, 1))
    p["a2"] = make_person("两份乙", V1)
    _record(p["a2"], dt.date(2025, 1, 1), place="省外")
    _record(p["a2"], dt.date(2026, 2, 1), place="省内县外")
    p["a3"] = make_person("不详丙", V1)
    _record(p["a3"], dt.date(2025, 1, 1), place="省外")
    _record(p["a3"], dt.date(2026, 3, 1), place="")  # newer, but knows no place: the known one counts
    p["a4"] = make_person("无地丁", V1)
    _record(p["a4"], dt.date(2026, 3, 1), place="")
    p["a5"] = make_person("当日戊", V1)
    _record(p["a5"], dt.date(2026, 1, 1), ON, end_reason="返乡")  # its last day is the day counted
    p["a6"] = make_person("昨离己", V1)
    _record(p["a6"], dt.date(2026, 1, 1), ON - dt.timedelta(days=1), end_reason="合同到期")
    p["a7"] = make_person("明入庚", V2)
    _record(p["a7"], ON + dt.timedelta(days=1), place="省外")  # starts the day after
    p["a8"] = make_person("返乡辛", V2)
    Visit.objects.create(
        person=p["a8"], area_id=V2, visited_on=dt.date(2026, 6, 3), method="上门", result="返乡"
    )
    p["a9"] = make_person("五月壬", V2)
    Visit.objects.create(
        person=p["a9"], area_id=V2, visited_on=dt.date(2026, 5, 31), method="电话", result="返乡"
    )
    p["a10"] = make_person("有老癸", V2)
    old = Person.objects.create(
        **{f.attname: getattr(p["a10"], f.attname) for f in Person._meta.concrete_fields if f.attname != "id"}
        | {"id_number": "433124195001011235", "name": "老人", "birth_date": dt.date(1950, 1, 1),
           "relation": "父亲"},
    )  # fmt: skip
    _record(old, dt.date(2020, 1, 1))  # a member in work: not a 零就业户, though not a laborer
    dead = make_person("已故者", V1, is_deceased=True)
    _record(dead, dt.date(2026, 6, 2))
    make_person("无劳力", V1, labor_skill="无劳动能力")
    elsewhere = make_person("外县人", VILLAGE_B)
    _record(elsewhere, dt.date(2026, 6, 2))
    return p


EXPECTED = {
    T1: {"laborers": 6, "county": 2, "province": 1, "outside": 1, "unknown_place": 1, "not_working": 1,
         "zero_households": 1, "started": 1, "ended": 2, "returned": 1},
    T2: {"laborers": 4, "county": 0, "province": 0, "outside": 0, "unknown_place": 0, "not_working": 4,
         "zero_households": 3, "started": 1, "ended": 0, "returned": 1},
}  # fmt: skip


def test_every_figure_of_the_designed_world(designed, areas):
    rows, total = figures.table(areas["county_a"], ON, MONTH)
    by_code = {r.area.code[:9]: r.values for r in rows}
    assert by_code[T1] == EXPECTED[T1]
    assert by_code[T2] == EXPECTED[T2]
    assert all(not any(v.values()) for code, v in by_code.items() if code not in EXPECTED)
    assert total.values == {k: EXPECTED[T1][k] + EXPECTED[T2][k] for k in figures.FIGURES}


def test_each_number_is_its_list(designed, areas):
    """The table and the lists behind its numbers come from one definition: they never disagree."""
    county = areas["county_a"]
    rows, _ = figures.table(county, ON, MONTH)
    for row in rows:
        for key in figures.FIGURES:
            assert figures.subjects(key, row.area, ON, MONTH).count() == row[key], (row.area.code, key)
    names = {p.name for p in figures.subjects("returned", county, ON, MONTH)}
    assert names == {"当日戊", "返乡辛"}
    assert {p.name for p in figures.subjects("unknown_place", county, ON, MONTH)} == {"无地丁"}
    assert {r.person.name for r in figures.subjects("started", county, ON, MONTH)} == {"县内甲", "明入庚"}


def test_a_village_has_no_children_and_counts_itself(designed):
    rows, total = figures.table(area(V2), ON, MONTH)
    assert [r.area.code for r in rows] == [V2] and total.values == EXPECTED[T2]


def test_the_day_decides(designed, areas):
    """A day later the record ending on the 15th no longer counts and the one starting on the 16th does."""
    _, total = figures.table(areas["county_a"], ON + dt.timedelta(days=1), MONTH)
    assert total["county"] == 1 and total["outside"] == 2 and total["not_working"] == 5 - 1 + 1


def test_page_drill_down_lists_and_scope(designed, users, client_for):
    client = client_for(users["county_a"])
    query = {"on": "2026-06-15", "month": "2026-06"}
    page = client.get(reverse("tracking:lines"), query)
    assert page.status_code == 200
    text = page.content.decode()
    assert "龙潭镇" in text and f"area={T1.ljust(12, '0')}" in text
    township = client.get(reverse("tracking:lines"), {**query, "area": T1})
    assert "土地村" in township.content.decode()
    people = client.get(reverse("tracking:lines_people"), {**query, "area": T1, "figure": "county"})
    body = people.content.decode()
    assert "县内甲" in body and "当日戊" in body and "两份乙" not in body
    assert designed["a1"].id_number not in body and designed["a1"].masked_id in body
    households = client.get(
        reverse("tracking:lines_people"), {**query, "area": T2, "figure": "zero_households"}
    )
    assert households.context["page_obj"].paginator.count == 3
    # Outsiders: county B cannot ask for county A's areas; a figure that does not exist is a 404.
    outsider = client_for(users["county_b"])
    assert outsider.get(reverse("tracking:lines"), {"area": T1}).status_code == 404
    assert outsider.get(reverse("tracking:lines_people"), {"area": T1, "figure": "county"}).status_code == 404
    assert (
        "县内甲" not in outsider.get(reverse("tracking:lines_people"), {"figure": "county"}).content.decode()
    )
    assert client.get(reverse("tracking:lines_people"), {"figure": "nope"}).status_code == 404
    # Unreadable dates fall back to today rather than fail.
    assert client.get(reverse("tracking:lines"), {"on": "2026-13-45", "month": "x-99"}).status_code == 200


def test_export_table_and_list_audited(designed, users, client_for):
    client = client_for(users["county_a"])
    query = {"on": "2026-06-15", "month": "2026-06", "format": "csv"}
    table = client.get(reverse("tracking:lines_export"), query)
    rows = list(csv.reader(io.StringIO(table.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["区划代码", "区域", "劳动力", "县内"]
    total = rows[-1]
    assert total[1] == "合计" and total[2] == "10"
    listing = client.get(reverse("tracking:lines_export"), {**query, "figure": "returned"})
    text = listing.content.decode("utf-8-sig")
    assert "当日戊" in text and designed["a5"].id_number not in text and designed["a5"].masked_id in text
    events = AuditEvent.objects.filter(action=Action.EXPORT, actor=users["county_a"]).order_by("id")
    assert [e.message[:6] for e in events] == ["导出三线统计", "导出三线统计"]
    xlsx = client.get(reverse("tracking:lines_export"), {"on": "2026-06-15"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def _queries(client, url, params) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, params).status_code == 200
    return len(ctx.captured_queries)


def test_queries_do_not_grow_with_the_people(designed, users, client_for):
    client = client_for(users["county_a"])
    params = {"on": "2026-06-15", "month": "2026-06"}
    list_params = {**params, "area": T1, "figure": "laborers"}
    before = _queries(client, reverse("tracking:lines"), params)
    before_list = _queries(client, reverse("tracking:lines_people"), list_params)
    for i in range(30):
        person = make_person(f"加{i}", V1 if i % 2 else V2)
        _record(person, dt.date(2026, 6, 1 + i % 10), place=["县内", "省外", ""][i % 3])
    assert _queries(client, reverse("tracking:lines"), params) == before
    assert _queries(client, reverse("tracking:lines_people"), list_params) == before_list


def test_status_figures_agree_with_the_status_engine(designed, areas):
    """The table's 务工状态 of each laborer is the one `employment/status.py` derives (EXCHANGE §5)."""
    from bangfu.employment.status import STATUS_OF_PLACE, derived_rows

    for day in (ON - dt.timedelta(days=1), ON, ON + dt.timedelta(days=1)):
        people = figures.with_status(figures.laborers(areas["county_a"], day), day)
        ours = {p.pk: STATUS_OF_PLACE.get(p._status, p._status) for p in people}
        engine = {pk: status for pk, status, _ in derived_rows(day, person_ids=list(ours))}
        assert ours == engine and len(ours) == 10
