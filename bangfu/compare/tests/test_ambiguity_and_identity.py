"""Findings a person must check: a row that fits several registry people alike (待核实, never linked by
chance: the linkage's side is test_linkage.py, the judging's test_judging.py) and a row whose ID number is
the registry's but whose name, sex or birth date is not (杨天洁 under 杨天杰's number). In every finding
the fields that differ are named: highlighted on the pages, listed in the export (差异字段) and the API."""

import csv
import io

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from bangfu.compare import actions
from bangfu.compare.models import ChangeKind, Finding, Kind, Status
from bangfu.compare.tests.conftest import LONG, compare, lines, register, write_source
from bangfu.core.tests.browser import log_in
from bangfu.registry.models import Person
from bangfu.registry.tests.conftest import person, pid

pytestmark = pytest.mark.django_db

TWIN_A = pid("1991-04-09", 611)
TWIN_B = pid("1991-04-09", 633)


def death_row(name: str, sex: str, birth: str) -> dict:
    return {"姓名": name, "证件号码": LONG, "性别": sex, "出生日期": birth, "死亡日期": "2025-03-01"}


def _identity_run(users, tmp_path):
    """A death file whose row has 龙春生's number and another way of writing his name (same sound)."""
    rows = [
        {"姓名": "龙春升", "证件号码": LONG, "性别": "男", "出生日期": "1975-03-04", "死亡日期": "2025-03-01"}
    ]
    return compare(users["county_a"], "death", write_source(tmp_path / "死亡.xlsx", rows))


def test_another_name_under_the_same_id_is_a_finding(users, people, tmp_path):
    run = _identity_run(users, tmp_path)
    found = Finding.objects.get(run=run, change=ChangeKind.IDENTITY)
    assert found.person_id == people["long"].pk and found.status == Status.OPEN
    assert found.summary == "证件号码相同，姓名：来源「龙春升」，名册「龙春生」；请核实"
    assert found.differs == ["姓名"]
    # Still linked by ID (精确匹配), and its death still proposed; results.csv says what differs first.
    assert Finding.objects.get(run=run, change=ChangeKind.DEATH).person_id == people["long"].pk
    (line,) = lines(run)
    assert line["匹配结果"] == "精确匹配" and line["差异"].startswith("证件号码相同，姓名：来源「龙春升」")


def test_a_different_sex_and_birth_date_under_the_same_id_too(users, people, tmp_path):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "性别": "女", "出生日期": "1975-03-05", "死亡日期": "2025-03-01"}
    ]
    run = compare(users["county_a"], "death", write_source(tmp_path / "死亡.xlsx", rows))
    found = Finding.objects.get(run=run, change=ChangeKind.IDENTITY)
    assert found.differs == ["性别", "出生日期"]
    assert "性别：来源「女」，名册「男」" in found.summary and "出生日期：来源「1975-03-05」" in found.summary


def test_the_same_person_as_registered_is_no_identity_finding(users, people, tmp_path):
    rows = [
        {"姓名": "龙春生", "证件号码": LONG, "性别": "男", "出生日期": "1975-03-04", "死亡日期": "2025-03-01"}
    ]
    run = compare(users["county_a"], "death", write_source(tmp_path / "死亡.xlsx", rows))
    assert not Finding.objects.filter(run=run, change=ChangeKind.IDENTITY).exists()
    assert Finding.objects.get(run=run, change=ChangeKind.DEATH).differs == ["已故", "死亡日期"]


def test_an_identity_finding_is_checked_never_applied(users, people, tmp_path):
    run = _identity_run(users, tmp_path)
    found = Finding.objects.get(run=run, change=ChangeKind.IDENTITY)
    done = actions.accept(users["county_a"], found)
    assert done.outcome == "已核实，名册未修改"
    assert Person.objects.get(pk=people["long"].pk).name == "龙春生"
    with pytest.raises(Exception, match="不能自动应用"):
        actions.create_run(
            area=users["county_a"].area, user=users["county_a"], source_type="death",
            path=tmp_path / "死亡.xlsx", auto_apply=["identity"],
        )  # fmt: skip


def _ambiguous(users, run, twins) -> Finding:
    """An ambiguous finding as the run writes it (judging: linkage left the row to two people alike)."""
    return Finding.objects.create(
        run=run, kind=Kind.AMBIGUOUS, status=Status.OPEN, area_id=twins[0].area_id, row_no=2, name="龙光明",
        method="ambiguous", probability=0.5,
        registry={"candidates": [{"person": t.pk, "probability": 0.5} for t in twins]},
        summary="姓名、性别、出生日期等同样相符于名册中 2 人，无法确定是哪一位（最高概率 0.500），请核实",
    )  # fmt: skip


@pytest.fixture
def twins(users, people):
    return register(
        users["county_a"],
        [
            person("T1", "龙光明", TWIN_A, birth="1991-04-09"),
            person("T2", "龙光明", TWIN_B, birth="1991-04-09", 联系电话="13900001111"),
        ],
    )


def test_an_ambiguous_finding_lists_its_candidates_in_the_export_and_api(
    users, people, twins, tmp_path, client_for
):
    run = _identity_run(users, tmp_path)
    found = _ambiguous(users, run, twins)
    client = client_for(users["county_a"])
    export = client.get(reverse("compare:finding_export") + f"?run={run.pk}&format=csv")
    table = list(csv.DictReader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))
    by_kind = {row["类型"]: row for row in table}
    assert "差异字段" in table[0]
    assert by_kind["冲突"]["差异字段"] in ("姓名", "已故、死亡日期")
    assert {row["差异字段"] for row in table if row["变更类型"] == "证件号码相同、身份信息不一致"} == {"姓名"}
    ambiguous = by_kind["待核实（多人相符）"]
    assert "候选人：龙光明（" in ambiguous["差异"] and ambiguous["差异"].count("，概率 0.500）") == 2
    body = client.get(f"/api/v1/comparison-findings/{found.pk}/").json()
    assert [c["person"] for c in body["candidates"]] == [t.pk for t in twins]
    assert body["candidates"][0]["registry"]["姓名"] == "龙光明"
    assert "*" in body["candidates"][0]["registry"]["证件号码"]  # masked in the API
    identity = Finding.objects.get(run=run, change=ChangeKind.IDENTITY)
    assert client.get(f"/api/v1/comparison-findings/{identity.pk}/").json()["differs"] == ["姓名"]


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_candidates_side_by_side_and_differences_highlighted_on_a_phone(
    page, live_server, users, people, twins, tmp_path
):
    run = _identity_run(users, tmp_path)
    found = _ambiguous(users, run, twins)
    identity = Finding.objects.get(run=run, change=ChangeKind.IDENTITY)
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, live_server.url, "u_county_a")

    page.goto(f"{live_server.url}/compare/findings/{found.pk}/")
    table = page.locator("#side-by-side")
    expect(table.locator("thead")).to_contain_text("候选人 1（概率 0.500）")
    expect(table.locator("thead")).to_contain_text("候选人 2（概率 0.500）")
    name_row = table.locator("tr", has=page.locator("th", has_text="姓名"))
    expect(name_row.locator("td")).to_have_count(3)  # the row, then both candidates
    # Only the second candidate has a phone: the row has none, so nothing there differs; their ID numbers
    # differ from each other, not from the row (which has none).
    expect(page.get_by_role("button", name="已核实（名册不作修改）")).to_be_visible()

    page.goto(f"{live_server.url}/compare/findings/{identity.pk}/")
    name_row = page.locator("#side-by-side tr.differs")
    expect(name_row).to_have_count(1)
    expect(name_row.locator("th")).to_contain_text("姓名")
    expect(name_row.locator("th .badge")).to_contain_text("不一致")
    cell = name_row.locator("td.bf-differs")
    expect(cell).to_have_text("龙春生")
    cell.scroll_into_view_if_needed()
    expect(cell).to_be_in_viewport()
    background = cell.evaluate("e => getComputedStyle(e).backgroundColor")
    assert background == "rgb(255, 243, 205)"

    page.goto(f"{live_server.url}/compare/findings/?run={run.pk}&change=identity")
    expect(page.locator("table .badge.bf-differs").first).to_have_text("姓名")
    expect(page.locator("table .badge.bf-differs").first).to_be_visible()


def test_accepting_many_leaves_what_must_be_checked_one_by_one(users, twins, tmp_path):
    """全部接受 applies the death, but 已核实 means someone looked: 待核实 and identities stay open."""
    run = _identity_run(users, tmp_path)
    found = _ambiguous(users, run, twins)
    scoped = Finding.objects.for_user(users["county_a"]).filter(run=run)
    assert actions.decide_many(users["county_a"], scoped, accepting=True) == 1
    assert Finding.objects.get(run=run, change=ChangeKind.DEATH).status == Status.ACCEPTED
    assert Finding.objects.get(run=run, change=ChangeKind.IDENTITY).status == Status.OPEN
    assert Finding.objects.get(pk=found.pk).status == Status.OPEN
