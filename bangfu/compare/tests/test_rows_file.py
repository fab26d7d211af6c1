"""A run keeps its checked source rows in one Parquet file; findings keep only their row numbers, and the
rows' cells are read back from the file for the detail page, the API and the export."""

from pathlib import Path

import pyarrow.parquet as pq
import pytest
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.compare.models import ChangeKind, Finding, Kind
from bangfu.compare.rowsfile import covered_rows, read_rows
from bangfu.compare.tests.conftest import LONG, SHI, compare, write_source
from bangfu.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def pension_run(users, people, tmp_path):
    """龙春生 twice with two statuses of one pension kind (a contradiction over two rows); 石秀英 once;
    a stranger nobody in the registry is. 石秀英's registry holds a status already: her change is a finding
    of its own (a value never held is filled by village)."""
    Person.objects.filter(pk=people["shi"].pk).update(
        pension_insurance="城乡居民养老保险", pension_status="暂停缴费"
    )
    path = write_source(
        tmp_path / "社保.xlsx",
        [
            {
                "姓名": "龙春生",
                "证件号码": LONG,
                "险种": "城乡居民养老保险",
                "参保状态": "参保缴费",
                "参保单位": "",
            },
            {
                "姓名": "石秀英",
                "证件号码": SHI,
                "险种": "城乡居民养老保险",
                "参保状态": "参保缴费",
                "参保单位": "",
            },
            {
                "姓名": "龙春生",
                "证件号码": LONG,
                "险种": "城乡居民养老保险",
                "参保状态": "暂停缴费",
                "参保单位": "",
            },
            {
                "姓名": "陌生人",
                "证件号码": "",
                "险种": "城乡居民养老保险",
                "参保状态": "参保缴费",
                "参保单位": "",
            },
        ],
    )
    return compare(users["county_a"], "social-insurance", path)


def test_the_run_keeps_every_checked_row(pension_run):
    table = pq.read_table(pension_run.rows.path)
    assert sorted(table.column("row_no").to_pylist()) == [3, 4, 5, 6]  # a title row, then the header
    rows = read_rows(pension_run.rows.path, [6, 4, 99])
    assert rows[4]["姓名"] == "石秀英" and rows[4]["参保状态"] == "参保缴费"
    assert rows[6] == {"姓名": "陌生人", "险种": "城乡居民养老保险", "参保状态": "参保缴费"}  # no empty cells
    assert 99 not in rows


def test_findings_keep_row_numbers_and_show_the_cells(pension_run, people):
    contradiction = Finding.objects.get(run=pension_run, change=ChangeKind.CONTRADICTION)
    assert contradiction.source == {"rows": [3, 5]}
    assert [(r["源行号"], r["参保状态"]) for r in contradiction.source_rows()] == [
        (3, "参保缴费"),
        (5, "暂停缴费"),
    ]
    change = Finding.objects.get(run=pension_run, person=people["shi"], change=ChangeKind.PENSION)
    assert change.source == {} and change.row_no == 4
    assert change.source_rows() == [read_rows(pension_run.rows.path, [4])[4]]
    stranger = Finding.objects.get(run=pension_run, kind=Kind.UNMATCHED)
    assert stranger.source_rows()[0]["姓名"] == "陌生人"
    missing = Finding.objects.filter(run=pension_run, kind=Kind.MISSING).first()
    assert missing.source_rows() == [{}]
    many = covered_rows([contradiction, change, stranger])  # one read per run
    assert many[change.pk][0]["姓名"] == "石秀英" and len(many[contradiction.pk]) == 2


def test_findings_of_earlier_runs_keep_showing_their_own_cells(pension_run, people):
    finding = Finding.objects.get(run=pension_run, person=people["shi"], change=ChangeKind.PENSION)
    finding.source = {"姓名": "石秀英", "险种": "旧值"}
    finding.save(update_fields=["source"])
    assert finding.source_rows() == [{"姓名": "石秀英", "险种": "旧值"}]
    finding.source = {"rows": [{"源行号": 4, "姓名": "石秀英"}, {"源行号": 9, "姓名": "石秀英"}]}
    assert finding.source_rows() == finding.source["rows"]


def test_detail_page_and_api_read_the_rows_file(pension_run, users, client_for):
    client = client_for(users["county_a"])
    contradiction = Finding.objects.get(run=pension_run, change=ChangeKind.CONTRADICTION)
    page = client.get(reverse("compare:finding_detail", kwargs={"pk": contradiction.pk})).content.decode()
    assert "来源（第3行）" in page and "来源（第5行）" in page and "暂停缴费" in page
    data = client.get(reverse("comparison-finding-detail", kwargs={"pk": contradiction.pk})).json()
    assert [r["参保状态"] for r in data["source"]["rows"]] == ["参保缴费", "暂停缴费"]
    listed = client.get(
        reverse("comparison-finding-list"), {"run": pension_run.pk, "kind": "unmatched"}
    ).json()
    (stranger,) = listed["results"]
    assert stranger["source"]["姓名"] == "陌生人"


def test_export_gives_unmatched_rows_the_source_id(users, people, tmp_path, client_for):
    other = "110101199001011237"
    path = write_source(
        tmp_path / "医保.xlsx",
        [{"姓名": "外省人", "证件号码": other, "参保年度": "2025", "参保状态": "参保"}],
    )
    run = compare(users["county_a"], "medical-insurance", path)
    response = client_for(users["county_a"]).get(
        reverse("compare:finding_export"), {"run": run.pk, "kind": "unmatched"}
    )
    target = tmp_path / "export.xlsx"
    target.write_bytes(b"".join(response.streaming_content))
    header, *rows = CalamineWorkbook.from_path(str(target)).get_sheet_by_index(0).to_python()
    assert [r[header.index("证件号码")] for r in rows] == [other]


def test_findings_are_listed_newest_run_first_then_village_by_village(users, people, tmp_path, client_for):
    """Within a run, a kind and a status, findings are written (and so listed) village by village: here
    county B's 田大山 (433123…) before county A's people (433124…), though his row comes last."""
    from bangfu.compare.tests.conftest import LONG, MA, TIAN, WU

    Person.objects.update(medical_insured_year=2024, medical_status="参保")  # changes, not fills
    rows = [
        {"姓名": name, "证件号码": number, "参保年度": "2025", "参保状态": "参保"}
        for name, number in (("吴建国", WU), ("龙春生", LONG), ("麻老三", MA), ("田大山", TIAN))
    ]
    first = compare(users["province"], "medical-insurance", write_source(tmp_path / "一.xlsx", rows))
    second = compare(users["province"], "medical-insurance", write_source(tmp_path / "二.xlsx", rows[-1:]))
    listed = list(Finding.objects.for_user(users["province"]).order_by(*Finding._meta.ordering))
    assert [f.run_id for f in listed][:1] == [second.pk] and {f.run_id for f in listed} == {
        first.pk,
        second.pk,
    }
    changes = [f for f in listed if f.run_id == first.pk and f.kind == Kind.CONFLICT]
    assert changes[0].name == "田大山" and len(changes) == 4
    assert [f.area_id for f in changes] == sorted(f.area_id for f in changes)
    page = client_for(users["province"]).get(reverse("compare:finding_list")).content.decode()
    newer, older = (reverse("compare:run_detail", kwargs={"pk": r.pk}) + '"' for r in (second, first))
    assert page.index(newer) < page.index(older)


def test_rows_are_found_across_groups_in_either_form(tmp_path, monkeypatch):
    """A lookup reads the groups that hold the wanted rows, in the file as the reader writes it (a column
    per source column) and as runs before 2026-12-04 wrote it (the row as JSON text)."""
    import duckdb

    from bangfu.compare import rowsfile

    monkeypatch.setattr(rowsfile, "ROW_GROUP_ROWS", 2048)
    numbers = list(range(3, 6000))
    writer = rowsfile.RowsWriter(tmp_path / "rows.parquet", ["姓名", "地址"])
    for start in range(0, len(numbers), 2500):
        chunk = numbers[start : start + 2500]
        writer.write(chunk, [{"姓名": str(n), **({"地址": "土地村"} if n % 2 else {})} for n in chunk])
    writer.close()
    assert pq.ParquetFile(tmp_path / "rows.parquet").metadata.num_row_groups >= 3
    found = rowsfile.read_rows(tmp_path / "rows.parquet", [5007, 3, 1006, 4000, 6001])
    assert found == {
        3: {"姓名": "3", "地址": "土地村"},
        1006: {"姓名": "1006"},  # no empty cells
        4000: {"姓名": "4000"},
        5007: {"姓名": "5007", "地址": "土地村"},
    }

    con = duckdb.connect()
    cells = "'{\"a\": \"' || i || '\"}' AS cells"
    con.execute(f"CREATE TABLE r AS SELECT i AS row_no, {cells} FROM range(3, 6000) t(i) WHERE i % 1000 <> 7")
    con.execute(f"INSERT INTO r SELECT i, {cells} FROM range(3, 6000) t(i) WHERE i % 1000 = 7")
    con.execute(f"COPY r TO '{tmp_path / 'old.parquet'}' (FORMAT parquet, ROW_GROUP_SIZE 2048)")
    found = rowsfile.read_rows(tmp_path / "old.parquet", [5007, 3, 1007, 4000, 6001])
    assert found == {n: {"a": str(n)} for n in (3, 1007, 4000, 5007)}


def test_a_lost_rows_file_leaves_the_findings_without_cells(pension_run, users, client_for):
    Path(pension_run.rows.path).unlink()
    contradiction = Finding.objects.get(run=pension_run, change=ChangeKind.CONTRADICTION)
    assert contradiction.source_rows() == [{"源行号": 3}, {"源行号": 5}]
    page = client_for(users["county_a"]).get(
        reverse("compare:finding_detail", kwargs={"pk": contradiction.pk})
    )
    assert page.status_code == 200 and "来源（第3行）" in page.content.decode()
