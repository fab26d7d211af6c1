"""Registry import: a messy file as staff send it imports exactly the valid rows, reports every invalid
one with its reason, re-imports without change, and never half-writes a batch."""

import io

import polars as pl
import pytest
from django.core.management import call_command
from django.db import IntegrityError
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.employment.models import Mismatch
from bangfu.registry.actions import create_import_batch, run_registry_import, save_import
from bangfu.registry.importer import validate_file
from bangfu.registry.models import Change, Household, ImportBatch, ImportStatus, Person
from bangfu.registry.tests.conftest import HEAD_ID, SPOUSE_ID, messy_rows, person, pid, write_csv, write_xlsx


def run(path, area, user=None, **kwargs):
    batch = create_import_batch(area=area, user=user, path=path, **kwargs)
    return run_registry_import(batch)


def report_rows(batch):
    sheet = CalamineWorkbook.from_path(batch.report.path).get_sheet_by_index(0).to_python()
    return {int(row[0]): row[-1] for row in sheet[1:]}


def test_messy_file_imports_exactly_the_valid_rows(areas, users, messy_file):
    path, expected = messy_file
    batch = run(path, areas["county_a"], users["county_a"])
    assert batch.status == ImportStatus.DONE
    valid = [i for i, e in enumerate(expected) if e is True]
    assert batch.valid_rows == len(valid) == batch.created == Person.objects.count()
    assert batch.error_rows == len(expected) - len(valid)
    # Every rejected row is in the report with its Excel row number and a reason naming the problem.
    excel_rows = [4 + i + (1 if i >= 4 else 0) for i in range(len(expected))]
    reasons = report_rows(batch)
    for excel_row, outcome in zip(excel_rows, expected, strict=True):
        if outcome is True:
            assert excel_row not in reasons
        else:
            assert outcome in reasons[excel_row], (excel_row, reasons[excel_row])
    minority = Person.objects.get(name="阿依古丽·买买提")
    assert minority.name_initials == "ayglmmt" and minority.sex == "女"
    legacy = Person.objects.get(name="麻老三")
    assert len(legacy.id_number) == 18 and legacy.birth_date.isoformat() == "1962-05-06"
    assert Person.objects.get(name="向前进").area_id == "433124102201"  # names resolved inside county A
    head = Person.objects.get(id_number=HEAD_ID)
    assert head.household.members.count() == 2 and head.household.household_type == "脱贫户"
    assert AuditEvent.objects.filter(action=Action.IMPORT, object_id=str(batch.pk)).count() == 2


def test_reimport_changes_nothing_and_changes_are_history(areas, users, messy_file, tmp_path):
    path, _ = messy_file
    first = run(path, areas["county_a"], users["county_a"])
    again = run(path, areas["county_a"], users["county_a"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, first.created)
    assert Person.objects.count() == first.created and Household.objects.count() == first.households_created
    rows = [r for r, ok in messy_rows() if ok is True]
    rows[1]["文化程度"] = "高中"
    # 务工状态 is derived from the employment records (EXCHANGE §5): the file's 未务工 against the record
    # its first import made is listed for staff (employment/roster.py), not written.
    rows[1]["务工状态"] = "未务工"
    rows[1]["务工时间\n(月)"] = "0"
    changed = run(write_xlsx(tmp_path / "changed.xlsx", rows), areas["county_a"], users["county_a"])
    assert (changed.created, changed.updated, changed.error_rows) == (0, 1, 0)
    history = {c.field: (c.before, c.after) for c in Change.objects.filter(person__id_number=SPOUSE_ID)}
    assert history == {"文化程度": ("初中", "高中")}
    assert Change.objects.filter(batch=changed).count() == 1
    assert Person.objects.get(id_number=SPOUSE_ID).employment_status == "省外务工"
    assert Mismatch.objects.get(batch=changed).person.id_number == SPOUSE_ID


def test_gbk_csv_imports_like_the_spreadsheet(areas, users, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True]
    batch = run(write_csv(tmp_path / "名单.csv", rows, "gbk"), areas["county_a"], users["county_a"])
    assert batch.status == ImportStatus.DONE and batch.created == len(rows) and batch.error_rows == 0


def test_person_registered_elsewhere_is_reported_not_moved(areas, users, tmp_path):
    elsewhere = person("B1", "田大山", pid("1980-01-01", 51, "433123"), code="433123109225")
    run(write_xlsx(tmp_path / "b.xlsx", [elsewhere]), areas["county_b"], users["county_b"])
    moved = dict(elsewhere, 行政区划代码="433124102201", 户编号="A1")
    batch = run(write_xlsx(tmp_path / "a.xlsx", [moved]), areas["county_a"], users["county_a"])
    assert batch.error_rows == 1 and batch.created == 0
    assert "凤凰县登记" in next(iter(report_rows(batch).values()))
    assert Person.objects.get(id_number=elsewhere["证件号码"]).area_id == "433123109225"


def test_moving_household_inside_own_area_keeps_history(areas, users, tmp_path):
    rows = [r for r, ok in messy_rows()[:2]]
    run(write_xlsx(tmp_path / "a.xlsx", rows), areas["county_a"], users["county_a"])
    moved = [dict(r, 行政区划代码="433124102202") for r in rows]
    batch = run(write_xlsx(tmp_path / "b.xlsx", moved), areas["county_a"], users["county_a"])
    assert batch.households_updated == 1
    assert set(Person.objects.filter(household__number="H1").values_list("area_id", flat=True)) == {
        "433124102202"
    }
    assert Change.objects.filter(household__number="H1", field="所在村").exists()


def test_dry_run_saves_nothing_but_counts(areas, users, messy_file):
    path, expected = messy_file
    batch = run(path, areas["county_a"], users["county_a"], dry_run=True)
    assert batch.created == sum(1 for e in expected if e is True) and Person.objects.count() == 0


def test_wrong_file_fails_cleanly(areas, users, tmp_path):
    bad = tmp_path / "jobs.xlsx"
    write_xlsx(bad, [])
    other = tmp_path / "other.csv"
    other.write_text("岗位编号,单位名称\n1,某公司\n", encoding="utf-8")
    batch = run(other, areas["county_a"], users["county_a"])
    assert (
        batch.status == ImportStatus.FAILED and "找不到表头" in batch.message and Person.objects.count() == 0
    )
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    assert run(empty, areas["county_a"]).status == ImportStatus.FAILED


@pytest.mark.django_db(transaction=True)  # real commits per chunk, as in production
def test_failure_mid_way_leaves_no_half_written_chunk_and_rerun_completes(areas, users, messy_file):
    path, _ = messy_file
    validation = validate_file(path, areas["county_a"])
    assert validation.records.height == 5
    good = validation.records
    broken = validation.record_list()[-1]
    last = pl.col("row_number") == broken.row_number
    validation.records = good.with_columns(  # no such village: the database refuses the chunk
        pl.when(last).then(pl.lit("433124102999")).otherwise(pl.col("village_code")).alias("village_code")
    )
    batch = create_import_batch(area=areas["county_a"], user=None, path=path)
    with pytest.raises(IntegrityError):
        save_import(batch, validation, actor=None, chunk_size=1)
    saved = set(Person.objects.values_list("id_number", flat=True))
    assert broken.id_number not in saved and len(saved) == 4  # earlier chunks committed, the failing one not
    assert not Household.objects.filter(number=broken.household_number).exists()
    validation.records = good
    counts = save_import(batch, validation, actor=None, chunk_size=1)
    # The same batch goes on after its last committed chunk, counting on from what that chunk saved.
    assert (counts.created, counts.unchanged) == (5, 0) and Person.objects.count() == 5


def test_command_exit_codes_and_report(areas, tmp_path, messy_file):
    path, _ = messy_file
    report = tmp_path / "errors.xlsx"
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command(
            "import",
            "registry",
            str(path),
            "--area",
            "433124",
            "--report",
            str(report),
            stdout=out,
            stderr=err,
        )
    assert exit_info.value.code == 3 and report.exists() and "错误报告" in err.getvalue()
    clean = write_xlsx(tmp_path / "clean.xlsx", [r for r, ok in messy_rows() if ok is True])
    call_command("import", "registry", str(clean), "--area", "433124", stdout=io.StringIO())
    assert ImportBatch.objects.filter(status=ImportStatus.DONE).count() == 2


def test_willingness_to_work_is_read_written_back_and_checked(areas, users, tmp_path):
    """就业意愿 (EXCHANGE §1): 是 / 否 / empty (not asked yet) stored as such, exported as it came, and any
    other value refused with the column named; the figure 有就业意愿未务工人数 counts from it."""
    rows = [
        person("W1", "龙愿意", pid("1980-01-01", 61), 就业意愿="是"),
        person("W2", "龙不愿", pid("1981-01-01", 71), 就业意愿="否"),
        person("W3", "龙未问", pid("1982-01-01", 81), 就业意愿=""),
        person("W4", "龙乱填", pid("1983-01-01", 91), 就业意愿="想"),
    ]
    batch = run(write_xlsx(tmp_path / "w.xlsx", rows), areas["county_a"], users["county_a"])
    assert batch.created == 3 and batch.error_rows == 1
    assert "就业意愿" in next(iter(report_rows(batch).values()))
    assert dict(Person.objects.values_list("name", "wants_work")) == {
        "龙愿意": True,
        "龙不愿": False,
        "龙未问": None,
    }

    out = tmp_path / "back.csv"
    call_command("export", "registry", "--area", "433124", "--out", str(out), stdout=io.StringIO())
    exported = pl.read_csv(out, infer_schema=False)
    assert dict(zip(exported["姓名"], exported["就业意愿"].fill_null(""), strict=True)) == {
        "龙愿意": "是", "龙不愿": "否", "龙未问": ""
    }  # fmt: skip
