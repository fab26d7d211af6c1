"""The designations file (区域认定名单): `bangfu import designations` and the page import alike — every row
checked (row, column, reason in Chinese), valid rows kept, a 脱贫村 row ending its village's 贫困村, a
second import changing nothing, an update audited, a failure saving nothing; exit statuses of EXCHANGE §4."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from bangfu.areas import designations
from bangfu.areas.importer import create_designation_import, run_designation_import
from bangfu.areas.models import AreaCodeChange, Designation, DesignationImport
from bangfu.audit.models import AuditEvent
from bangfu.exchange.report import write_table

HEADER = ["区划代码", "区划名称", "认定类别", "起始日期", "终止日期", "认定依据"]
VILLAGE_A, VILLAGE_A2, VILLAGE_B = "433124102201", "433124102202", "433123109225"
ROWS = [
    [VILLAGE_A, "", "贫困村", "2014-05-01", "", "湘扶〔2014〕1号"],
    [VILLAGE_A, "", "脱贫村", "2019-12-20", "", "湘扶〔2019〕9号"],
    ["433124", "花垣县", "重点帮扶县", "2021-08-27", "", ""],  # the county itself: refused from county A
    [VILLAGE_A2, "", "安置点", "2018-06-30", "", ""],
    ["433124102", "", "贫困村", "2014-05-01", "", ""],  # a township
    [VILLAGE_B, "", "贫困村", "2014-05-01", "", ""],  # county B's
    [VILLAGE_A2, "", "示范村", "2014-05-01", "", ""],
    [VILLAGE_A2, "", "安置点", "2018-06-30", "", ""],  # the same as row 5
    [VILLAGE_A2, "", "安置点", "2019-01-01", "", ""],  # overlaps the listing of row 5
    [VILLAGE_A, "别的村", "脱贫村", "2020-01-01", "", ""],
]


def write(tmp_path, rows, name="认定.xlsx"):
    path = tmp_path / name
    write_table(path, HEADER, rows)
    return path


def reasons(batch):
    return {(e["row"], e["column"]): e["message"] for e in batch.errors}


@pytest.mark.django_db
def test_valid_rows_are_kept_and_each_bad_one_says_why(areas, tmp_path):
    batch = run_designation_import(
        create_designation_import(area=areas["county_a"], user=None, path=write(tmp_path, ROWS))
    )
    assert batch.status == "done", batch.message
    found = reasons(batch)
    assert "不能认定导入区域本身" in found[(4, "区划代码")]
    assert "贫困村只能认定给村级区域" in found[(6, "认定类别")]
    assert "不在导入区域" in found[(7, "区划代码")]
    assert "只能填写：贫困村、脱贫村" in found[(8, "认定类别")]
    assert "与第 5 行重复" in found[(9, "")]
    assert "时间重叠" in found[(10, "")]
    assert "名称（" in found[(11, "区划名称")]
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (10, 3, 7)
    assert (batch.created, batch.updated, batch.unchanged, batch.ended) == (3, 0, 0, 1)
    assert batch.report
    day = dt.date(2020, 1, 1)
    assert designations.codes_on("脱贫村", day) == {VILLAGE_A}
    assert designations.codes_on("贫困村", dt.date(2019, 12, 19)) == {VILLAGE_A}
    assert designations.codes_on("贫困村", day) == set()
    assert designations.codes_on("安置点", day) == {VILLAGE_A2}


@pytest.mark.django_db
def test_an_old_code_is_listed_on_the_area_it_became(areas, tmp_path):
    # A 2014 list names a village by a code since changed: the designation goes to the current village; an
    # old code whose new area lies outside the importing county is refused like any outsider.
    AreaCodeChange.objects.create(old_code="433124102299", new_area_id=VILLAGE_A, last_year=2016)
    AreaCodeChange.objects.create(old_code="433123109299", new_area_id=VILLAGE_B, last_year=2016)
    rows = [
        ["433124102299", "", "贫困村", "2014-05-01", "", ""],
        ["433123109299", "", "贫困村", "2014-05-01", "", ""],
    ]
    batch = run_designation_import(
        create_designation_import(area=areas["county_a"], user=None, path=write(tmp_path, rows))
    )
    assert batch.status == "done", batch.message
    assert (batch.valid_rows, batch.error_rows) == (1, 1)
    assert "不在导入区域" in reasons(batch)[(3, "区划代码")]
    assert designations.codes_on("贫困村", dt.date(2015, 1, 1)) == {VILLAGE_A}


@pytest.mark.django_db
def test_importing_again_changes_nothing_and_a_new_end_is_an_audited_update(areas, tmp_path):
    good = [ROWS[0], ROWS[1], ROWS[3]]
    area = areas["county_a"]
    run_designation_import(create_designation_import(area=area, user=None, path=write(tmp_path, good)))
    again = run_designation_import(
        create_designation_import(area=area, user=None, path=write(tmp_path, good))
    )
    assert (again.created, again.updated, again.unchanged, again.error_rows) == (0, 0, 3, 0)
    assert Designation.objects.count() == 3
    ended = [ROWS[0], ROWS[1], [VILLAGE_A2, "", "安置点", "2018-06-30", "2024-01-01", "撤并"]]
    third = run_designation_import(
        create_designation_import(area=area, user=None, path=write(tmp_path, ended))
    )
    assert (third.created, third.updated, third.unchanged) == (0, 1, 2)
    site = Designation.objects.get(kind="relocation_site")
    assert site.ends_on == dt.date(2024, 1, 1) and site.basis == "撤并"
    event = AuditEvent.objects.filter(object_type="areas.designation", object_id=str(site.pk)).latest("id")
    assert event.before["ends_on"] is None and event.after["ends_on"] == "2024-01-01"


@pytest.mark.django_db
def test_a_crash_while_saving_leaves_nothing(areas, tmp_path, monkeypatch):
    from bangfu.areas import importer

    calls = []

    def broken(actor, listing, counts, **kwargs):
        calls.append(listing)
        if len(calls) == 2:
            raise RuntimeError("磁盘已满")
        return save(actor, listing, counts, **kwargs)

    save = importer.save_listing
    monkeypatch.setattr(importer, "save_listing", broken)
    batch = create_designation_import(
        area=areas["county_a"], user=None, path=write(tmp_path, [ROWS[0], ROWS[3]])
    )
    with pytest.raises(RuntimeError):
        run_designation_import(batch)
    batch.refresh_from_db()
    assert batch.status == "failed" and "未保存任何区域认定" in batch.message
    assert not Designation.objects.exists()


@pytest.mark.django_db
def test_the_command_exits_as_exchange_4_says(areas, tmp_path):
    report = tmp_path / "错误.xlsx"
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command(
            "import", "designations", str(write(tmp_path, ROWS)), "--area", "433124", "--report", str(report),
            stdout=out,
        )  # fmt: skip
    assert exited.value.code == 3 and report.exists()
    call_command(
        "import", "designations", str(write(tmp_path, ROWS[:2], "好.xlsx")), "--area", "433124", stdout=out
    )
    bad = tmp_path / "坏.xlsx"
    bad.write_bytes(b"not a spreadsheet")
    with pytest.raises(CommandError) as failed:
        call_command("import", "designations", str(bad), "--area", "433124", stdout=out)
    assert failed.value.returncode == 1
    with pytest.raises(CommandError) as usage:
        call_command("import", "designations", str(bad), "--area", "999999", stdout=out)
    assert usage.value.returncode == 2


@pytest.mark.django_db
def test_the_page_import_is_the_same_import(client_for, users, tmp_path):
    client = client_for(users["county_a"])
    upload = SimpleUploadedFile("认定.xlsx", write(tmp_path, ROWS).read_bytes())
    response = client.post("/areas/designations/imports/new/", {"file": upload})
    batch = DesignationImport.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(
        f"/areas/designations/imports/{batch.pk}/"
    )
    assert (batch.user, batch.created, batch.error_rows) == (users["county_a"], 3, 7)
    page = client.get(f"/areas/designations/imports/{batch.pk}/").content.decode()
    assert "贫困村只能认定给村级区域" in page and "下载错误报告" in page
    assert client.get(f"/areas/designations/imports/{batch.pk}/report/").status_code == 200
    assert client_for(users["village_a"]).get("/areas/designations/imports/new/").status_code == 403


@pytest.mark.django_db
def test_the_template_from_the_formats_page_imports_with_no_error(client_for, users, tmp_path):
    response = client_for(users["county_a"]).get("/formats/designations/template.xlsx")
    assert response.status_code == 200
    path = tmp_path / "designations.xlsx"
    path.write_bytes(b"".join(response.streaming_content))
    batch = run_designation_import(
        create_designation_import(area=users["county_a"].area, user=None, path=path)
    )
    assert (batch.status, batch.error_rows, batch.created) == ("done", 0, 1), batch.message
    assert "忽略" not in batch.message
