"""A value the registry has never held (pension, medical), given by one source row linked exactly by ID, is
filled by village: one 名册补录 finding per village, change and values proposed, its people listed
(judging.group_fills). Review leaves people out, accepts the rest, each through the registry's write
function; results.csv still says per row what differs."""

import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.compare import actions
from bangfu.compare.models import ChangeKind, FillPerson, Finding, Kind, Status
from bangfu.compare.tests.conftest import LONG, MA, SHI, TIAN, WU, compare, fresh, lines, write_source
from bangfu.conftest import make_user
from bangfu.registry.models import Change, Person

pytestmark = pytest.mark.django_db

PENSION = "城乡居民养老保险"


def pension_row(name, number, status="参保缴费", **extra):
    return {"姓名": name, "证件号码": number, "险种": PENSION, "参保状态": status, **extra}


@pytest.fixture
def fill_run(users, people, tmp_path):
    """County A's four people in one file; 麻老三's registry already holds a status (a change of his own)."""
    Person.objects.filter(pk=people["ma"].pk).update(pension_insurance=PENSION, pension_status="暂停缴费")
    rows = [pension_row("龙春生", LONG), pension_row("石秀英", SHI), pension_row("吴建国", WU)]
    rows.append(pension_row("麻老三", MA))
    return compare(users["county_a"], "social-insurance", write_source(tmp_path / "社保.xlsx", rows))


def test_people_whose_registry_holds_nothing_are_one_finding_of_their_village(fill_run, people):
    (fill,) = Finding.objects.filter(run=fill_run, kind=Kind.FILL)
    assert (fill.change, fill.status, fill.person_id) == (ChangeKind.PENSION, Status.OPEN, None)
    assert fill.area_id == people["long"].area_id
    assert fill.summary == "名册中没有养老保险参保信息、来源中有的 3 人"
    assert fill.proposal == {"person": {"pension_insurance": PENSION, "pension_status": "参保缴费"}}
    assert fill.difference == (
        "名册中没有养老保险参保信息、来源中有的 3 人。建议：养老保险险种：（空） → 城乡居民养老保险；"
        "养老保险参保状态：（空） → 参保缴费"
    )
    members = dict(fill.people.values_list("person_id", "row_no"))
    assert members == {people["long"].pk: 3, people["shi"].pk: 4, people["wu"].pk: 5}
    # A value held already is overwritten only by a finding of its own.
    (own,) = Finding.objects.filter(run=fill_run, kind=Kind.CONFLICT, change=ChangeKind.PENSION)
    assert own.person_id == people["ma"].pk and own.proposal == {"person": {"pension_status": "参保缴费"}}
    # results.csv still says, per row, what differs and what is advised.
    diffs = {line["源行号"]: line["差异"] for line in lines(fill_run)}
    assert diffs["3"] == (
        "来源：城乡居民养老保险参保缴费。建议：养老保险险种：（空） → 城乡居民养老保险；"
        "养老保险参保状态：（空） → 参保缴费"
    )
    assert fill_run.counts["fill_people"] == {"pension": 3} and fill_run.counts["kind"]["fill"] == 1
    assert "名册补录 1 组（按村，共 3 人）" in fill_run.message


def test_only_exact_one_row_changes_of_empty_values_are_grouped():
    """group_fills on judged findings as judging writes them: a fuzzy link, several rows, a value held,
    a finding that proposes nothing and a death stay findings of their own."""
    import duckdb

    from bangfu.compare.judging import FINDINGS_TABLE, group_fills

    con = duckdb.connect()
    con.execute(FINDINGS_TABLE)
    empty = '{"养老保险险种": "", "养老保险参保状态": ""}'
    held = '{"养老保险险种": "城乡居民养老保险", "养老保险参保状态": ""}'
    medical = '{"医保参保年度": "", "医保参保状态": ""}'
    paying = '{"person": {"pension_status": "参保缴费"}}'
    paused = '{"person": {"pension_status": "暂停缴费"}}'
    rows = [  # (change, status, area, person, method, registry, covers, proposal)
        ("pension", "open", "V1", 1, "exact", empty, [3], paying),  # grouped
        ("pension", "open", "V1", 2, "exact", empty, [4], paying),  # grouped
        ("pension", "open", "V2", 3, "exact", empty, [5], paying),  # grouped, another village
        ("medical", "open", "V1", 4, "exact", medical, [6], paying),  # grouped, another change
        ("pension", "open", "V1", 10, "exact", empty, [14], paused),  # grouped, other values
        ("pension", "open", "V1", 5, "fuzzy", empty, [7], paying),
        ("pension", "open", "V1", 6, "exact", empty, [8, 9], paying),
        ("pension", "open", "V1", 7, "exact", held, [10], paying),
        ("contradiction", "info", "V1", 8, "exact", empty, [11, 12], paying),
        ("death", "open", "V1", 9, "exact", '{"已故": "否", "死亡日期": ""}', [13], paying),
    ]
    for change, status, area, person, method, registry, covers, proposal in rows:
        con.execute(
            "INSERT INTO findings VALUES ('conflict', ?, ?, ?, ?, ?, '', ?, NULL, ?, ?, '来源：…', ?, 0)",
            [change, status, area, person, covers[0], method, registry, proposal, covers],
        )
    group_fills(con)
    people = con.execute(
        "SELECT area_id, change, person_id, row_no FROM fill_people ORDER BY person_id"
    ).fetchall()
    assert people == [
        ("V1", "pension", 1, 3),
        ("V1", "pension", 2, 4),
        ("V2", "pension", 3, 5),
        ("V1", "medical", 4, 6),
        ("V1", "pension", 10, 14),
    ]
    kept = con.execute("SELECT person_id FROM findings WHERE kind = 'conflict' ORDER BY 1").fetchall()
    assert [p for (p,) in kept] == [5, 6, 7, 8, 9]
    fills = con.execute(
        "SELECT area_id, change, status, person_id, json_extract_string(proposal, '$.person.pension_status'),"
        " summary FROM findings WHERE kind = 'fill' ORDER BY ALL"
    ).fetchall()
    assert fills == [
        ("V1", "medical", "open", None, "参保缴费", "名册中没有医保参保信息、来源中有的 1 人"),
        ("V1", "pension", "open", None, "参保缴费", "名册中没有养老保险参保信息、来源中有的 2 人"),
        ("V1", "pension", "open", None, "暂停缴费", "名册中没有养老保险参保信息、来源中有的 1 人"),
        ("V2", "pension", "open", None, "参保缴费", "名册中没有养老保险参保信息、来源中有的 1 人"),
    ]


def test_accept_fills_each_person_but_those_left_out_or_filled_meanwhile(fill_run, users, people):
    fill = Finding.objects.get(run=fill_run, kind=Kind.FILL)
    county = users["county_a"]
    assert actions.exclude_people(county, fill, [people["shi"].pk]) == 1
    Person.objects.filter(pk=people["wu"].pk).update(pension_insurance="企业职工养老保险")  # filled by hand
    fill = actions.accept(county, fill)
    assert fill.status == Status.ACCEPTED
    assert fill.outcome == "已补录 1 人；1 人名册已有值，未覆盖；排除 1 人"
    long = fresh(people["long"])
    assert (long.pension_insurance, long.pension_status) == (PENSION, "参保缴费")
    assert fresh(people["shi"]).pension_status == "" and fresh(people["wu"]).pension_status == ""
    history = Change.objects.filter(person=people["long"], source="比对")
    assert {(c.field, c.after) for c in history} == {
        ("养老保险险种", PENSION),
        ("养老保险参保状态", "参保缴费"),
    }
    assert not Change.objects.filter(person__in=[people["shi"], people["wu"]], source="比对").exists()
    outcomes = dict(fill.people.values_list("person_id", "outcome"))
    assert outcomes == {
        people["long"].pk: "已补录",
        people["shi"].pk: "未补录（审核时排除）",
        people["wu"].pk: "名册已有值，未覆盖",
    }
    assert AuditEvent.objects.filter(action=Action.UPDATE, message__startswith="接受比对结果").exists()
    # Decided: nobody can be left out or taken back in any more.
    assert actions.exclude_people(county, fill, [people["long"].pk]) == 0


def test_reject_changes_nobody(fill_run, users, people):
    fill = actions.reject(users["county_a"], Finding.objects.get(run=fill_run, kind=Kind.FILL), "数据待核")
    assert fill.status == Status.REJECTED and fill.outcome == "驳回：数据待核"
    assert Person.objects.filter(pension_status="参保缴费").count() == 0


def test_a_run_allowed_to_fill_does_it_itself(users, people, tmp_path):
    rows = [pension_row("龙春生", LONG), pension_row("石秀英", SHI)]
    path = write_source(tmp_path / "社保.xlsx", rows)
    run = compare(users["county_a"], "social-insurance", path, auto_apply=[ChangeKind.PENSION])
    fill = Finding.objects.get(run=run, kind=Kind.FILL)
    assert fill.status == Status.ACCEPTED and fill.automatic and fill.outcome == "已补录 2 人"
    assert fresh(people["shi"]).pension_status == "参保缴费"
    # Counted again from the database after applying: the fill's people too.
    assert run.counts["fill_people"] == {"pension": 2}


def test_a_village_gets_a_fill_per_values_proposed(users, people, tmp_path):
    rows = [pension_row("龙春生", LONG), pension_row("石秀英", SHI, "暂停缴费"), pension_row("吴建国", WU)]
    run = compare(users["county_a"], "social-insurance", write_source(tmp_path / "社保.xlsx", rows))
    fills = {
        f.proposal["person"]["pension_status"]: f for f in Finding.objects.filter(run=run, kind=Kind.FILL)
    }
    assert {status: f.area_id for status, f in fills.items()} == {
        "参保缴费": people["long"].area_id,
        "暂停缴费": people["long"].area_id,
    }
    assert set(fills["参保缴费"].people.values_list("person_id", flat=True)) == {
        people["long"].pk,
        people["wu"].pk,
    }
    assert fills["暂停缴费"].summary == "名册中没有养老保险参保信息、来源中有的 1 人"
    assert fills["暂停缴费"].difference.endswith("养老保险参保状态：（空） → 暂停缴费")
    assert run.counts["kind"]["fill"] == 2 and run.counts["fill_people"] == {"pension": 3}
    actions.accept(users["county_a"], fills["暂停缴费"])
    assert fresh(people["shi"]).pension_status == "暂停缴费" and fresh(people["long"]).pension_status == ""


def test_each_village_gets_its_own_fill(users, people, tmp_path):
    rows = [pension_row("龙春生", LONG), pension_row("田大山", TIAN)]
    run = compare(users["province"], "social-insurance", write_source(tmp_path / "社保.xlsx", rows))
    fills = Finding.objects.filter(run=run, kind=Kind.FILL)
    assert {f.area_id: f.people.get().person_id for f in fills} == {
        people["long"].area_id: people["long"].pk,
        people["tian"].area_id: people["tian"].pk,
    }
    # A county sees its own village's fill only.
    assert list(Finding.objects.for_user(users["county_b"]).filter(run=run)) == [
        f for f in fills if f.area_id == people["tian"].area_id
    ]


def test_detail_page_lists_people_masked_and_leaves_them_out(fill_run, users, people, client_for):
    fill = Finding.objects.get(run=fill_run, kind=Kind.FILL)
    url = reverse("compare:finding_detail", kwargs={"pk": fill.pk})
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    page = client_for(plain).get(url).content.decode()
    assert "石秀英" in page and SHI not in page and SHI[:6] + "********" + SHI[-4:] in page
    assert "养老保险参保状态：（空） → 参保缴费" in page and "接受并补录（3 人）" in page
    assert page.count("（空） → 参保缴费") == 1  # the proposal once, not per person
    client = client_for(users["county_a"])
    before = AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE).count()
    assert SHI in client.get(url).content.decode()  # whole, for a user who may see it: audited
    assert AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE).count() == before + 1
    searched = client.get(url, {"q": "吴"}).content.decode()
    assert "吴建国" in searched and "石秀英" not in searched
    people_url = reverse("compare:finding_people", kwargs={"pk": fill.pk})
    client.post(people_url, {"do": "exclude", "people": [people["shi"].pk, people["wu"].pk]})
    assert set(fill.people.filter(excluded=True).values_list("person_id", flat=True)) == {
        people["shi"].pk,
        people["wu"].pk,
    }
    client.post(people_url, {"do": "include", "people": [people["wu"].pk]})
    page = client.get(url).content.decode()
    assert "补录 2 人，已排除 1 人" in page
    client.post(reverse("compare:finding_decide", kwargs={"pk": fill.pk}), {"decision": "accept"})
    assert fresh(people["wu"]).pension_status == "参保缴费" and fresh(people["shi"]).pension_status == ""
    # Decided, or not a fill: nobody is left out any more.
    own = Finding.objects.get(run=fill_run, kind=Kind.CONFLICT, change=ChangeKind.PENSION)
    for finding in (fill, own):
        target = reverse("compare:finding_people", kwargs={"pk": finding.pk})
        response = client.post(target, {"do": "exclude", "people": [people["long"].pk]}, follow=True)
        assert "只有待处理的名册补录结果可以排除或恢复人员" in response.content.decode()
    assert not fill.people.filter(person=people["long"], excluded=True).exists()
    # Another county's user reaches neither the page nor its people.
    other = client_for(users["county_b"])
    assert other.get(url).status_code == 404
    assert other.post(people_url, {"do": "include", "people": [people["shi"].pk]}).status_code == 404


def test_export_lists_each_person_of_a_fill(fill_run, users, people, client_for, tmp_path):
    plain = make_user("u_plain", users["county_a"].area, can_view_sensitive=False)
    response = client_for(plain).get(reverse("compare:finding_export"), {"run": fill_run.pk, "kind": "fill"})
    target = tmp_path / "fill.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    header, *rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    by_name = {r[header.index("姓名")]: r for r in rows}
    assert set(by_name) == {"龙春生", "石秀英", "吴建国"}
    wu = by_name["吴建国"]
    assert wu[header.index("证件号码")] == WU[:6] + "********" + WU[-4:]
    assert wu[header.index("差异")] == (
        "名册补录：养老保险险种：（空） → 城乡居民养老保险；养老保险参保状态：（空） → 参保缴费"
    )
    assert int(wu[header.index("源行号")]) == 5
    assert AuditEvent.objects.filter(action=Action.EXPORT, message__startswith="导出比对结果 3 条").exists()


def test_api_lists_the_people_masked_and_leaves_them_out(fill_run, users, people, client_for):
    fill = Finding.objects.get(run=fill_run, kind=Kind.FILL)
    client = client_for(users["county_a"])
    listed = client.get(reverse("comparison-finding-people", kwargs={"pk": fill.pk})).json()
    assert [p["name"] for p in listed["results"]] == ["龙春生", "石秀英", "吴建国"]
    assert listed["results"][0]["id_number"] == LONG[:6] + "********" + LONG[-4:]
    assert listed["results"][0]["values"] == {"pension_insurance": PENSION, "pension_status": "参保缴费"}
    response = client.post(
        reverse("comparison-finding-exclude", kwargs={"pk": fill.pk}),
        {"people": [people["long"].pk]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert FillPerson.objects.get(finding=fill, person=people["long"]).excluded
    page = client.get(reverse("comparison-finding-list"), {"run": fill_run.pk}).json()["results"]
    assert {f["kind"]: f["people"] for f in page} == {"fill": {"total": 3, "excluded": 1}, "conflict": None}
    detail = client.get(reverse("comparison-finding-detail", kwargs={"pk": fill.pk})).json()
    assert detail["people"] == {"total": 3, "excluded": 1}
    body = client.post(reverse("comparison-finding-accept", kwargs={"pk": fill.pk})).json()
    assert body["status"] == "accepted" and body["outcome"] == "已补录 2 人；排除 1 人"
    assert fresh(people["long"]).pension_status == "" and fresh(people["shi"]).pension_status == "参保缴费"


def test_the_run_page_counts_the_people_of_fills(fill_run, users, client_for):
    page = client_for(users["county_a"]).get(reverse("compare:run_detail", kwargs={"pk": fill_run.pk}))
    assert "（按村成组，共 3 人）" in page.content.decode()


@pytest.mark.django_db(transaction=True)  # the fills are committed before their people, as in a run
def test_a_run_failing_while_writing_people_leaves_no_finding(users, people, tmp_path, monkeypatch):
    from bangfu.compare.models import ComparisonRun, RunStatus

    rows = [
        pension_row("龙春生", LONG),
        pension_row("石秀英", SHI),
        {"姓名": "陌生人", "证件号码": "", "险种": PENSION},
    ]
    from bangfu.compare import judging
    from bangfu.compare import run as running

    monkeypatch.setattr(running, "WRITE_PIECE", 1)  # PostgreSQL: several connections, a piece each
    group_fills = judging.group_fills

    def broken(con):  # people the database refuses (源行号 ≥ 0), written after the fills and findings
        group_fills(con)
        con.execute("UPDATE fill_people SET row_no = -row_no")

    monkeypatch.setattr(judging, "group_fills", broken)
    with pytest.raises(Exception, match=r"(?i)check|constraint|row_no"):
        compare(users["county_a"], "social-insurance", write_source(tmp_path / "社保.xlsx", rows))
    run = ComparisonRun.objects.get()
    assert run.status == RunStatus.FAILED
    assert not Finding.objects.filter(run=run).exists() and not FillPerson.objects.exists()
    assert Person.objects.filter(pension_status="参保缴费").count() == 0


@pytest.mark.django_db(transaction=True)  # migrates the app back and forth
def test_the_migration_splits_a_fill_by_its_peoples_values(users, people):
    """Fills written before each proposed one set of values for all its people kept each person's own:
    the migration gives each set of values a fill of its own, with the people it was proposed for."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    before, after = [("compare", "0005_fill_people")], [("compare", "0006_fill_by_proposal")]
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    Run, Old, OldPerson = (apps.get_model("compare", m) for m in ("ComparisonRun", "Finding", "FillPerson"))
    village = people["long"].area_id
    run = Run.objects.create(source_type="social-insurance", area_id=village, file="x.csv", original_name="x")
    summary = "名册中没有养老保险参保信息、来源中有的 3 人：建议按来源补录"
    fill = Old.objects.create(
        run=run, kind="fill", change="pension", status="open", area_id=village, name="", method="exact",
        summary=summary, source={}, registry={}, proposal={},
    )  # fmt: skip
    paying = {"pension_insurance": PENSION, "pension_status": "参保缴费"}
    paused = {"pension_status": "暂停缴费", "pension_insurance": PENSION}
    for key, row_no, values in (
        ("long", 3, paying),
        ("shi", 4, paused),
        ("wu", 5, dict(reversed(paying.items()))),
    ):
        OldPerson.objects.create(finding=fill, person_id=people[key].pk, row_no=row_no, values=values)

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(after)
    fills = {f.proposal["person"]["pension_status"]: f for f in Finding.objects.filter(run_id=run.pk)}
    # Every app's latest schema again for the tests that follow: going back unapplied what depends on
    # compare (tracking's migrations after the 联系不上 move among them), not only compare's own.
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert fills["参保缴费"].pk == fill.pk and fills["参保缴费"].summary == (
        "名册中没有养老保险参保信息、来源中有的 2 人"
    )
    assert set(fills["参保缴费"].people.values_list("person_id", flat=True)) == {
        people["long"].pk,
        people["wu"].pk,
    }
    assert list(fills["暂停缴费"].people.values_list("person_id", "row_no")) == [(people["shi"].pk, 4)]
    assert fills["暂停缴费"].summary == "名册中没有养老保险参保信息、来源中有的 1 人"
    assert fills["暂停缴费"].proposal == {"person": paused}
