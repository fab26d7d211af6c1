"""`bangfu import followups` and 导入回访 (EXCHANGE §6), with real files: every row checked with the row,
column, value and reason in Chinese; valid rows kept with their outcomes applied as the form applies them;
importing again changes nothing; a failure saves nothing."""

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse
from django.utils import timezone
from python_calamine import CalamineWorkbook

from bangfu.audit.models import AuditEvent
from bangfu.conftest import make_user
from bangfu.employment.models import EmploymentRecord
from bangfu.exchange.report import write_table
from bangfu.referrals.tests.factories import VILLAGE_B, make_person
from bangfu.tracking import importer
from bangfu.tracking.models import ImportStatus, Unreachable, Visit, VisitImport
from bangfu.tracking.tests.factories import working

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate()
DAY = TODAY - dt.timedelta(days=20)
HEADER = ["证件号码", "姓名", "回访日期", "回访方式", "回访结果", "备注"]


@pytest.fixture
def people(areas):
    wu = make_person("吴回访")
    record = working(wu, DAY - dt.timedelta(days=300))
    return {
        "wu": wu,
        "wu_record": record,
        "shi": make_person("石回访"),
        "long": make_person("龙回访"),
        "outsider": make_person("凤回访", VILLAGE_B),
    }


def rows_for(people):
    wu, shi, long, outsider = (people[k] for k in ("wu", "shi", "long", "outsider"))
    return [
        [wu.id_number, wu.name, DAY.isoformat(), "电话", "已离职", "厂里裁员"],  # 2
        [shi.id_number, shi.name, DAY.strftime("%Y/%m/%d"), "上门", "联系不上", "家中无人"],  # 3
        [long.id_number, long.name, DAY.isoformat(), "微 信", "在岗", ""],  # 4: 微 信 folds to 微信
        [long.id_number, long.name, (TODAY + dt.timedelta(days=1)).isoformat(), "电话", "在岗", ""],  # 5
        [long.id_number, "龙错名", DAY.isoformat(), "电话", "在岗", ""],  # 6
        [outsider.id_number, outsider.name, DAY.isoformat(), "电话", "在岗", ""],  # 7
        [long.id_number, long.name, DAY.isoformat(), "短信", "很好", ""],  # 8
        ["433124198001010000", "无此人", "昨天", "电话", "在岗", ""],  # 9
        [long.id_number, long.name, DAY.isoformat(), "微信", "在岗", "又写了一遍"],  # 10: same visit as 4
    ]


def test_every_row_is_checked_and_the_valid_ones_kept_with_their_outcomes(users, people, tmp_path):
    path = tmp_path / "回访.xlsx"
    write_table(path, HEADER, rows_for(people))
    batch = importer.run_visit_import(
        importer.create_visit_import(area=users["county_a"].area, user=users["county_a"], path=path)
    )
    assert batch.status == ImportStatus.DONE
    assert (batch.total_rows, batch.valid_rows, batch.error_rows) == (9, 3, 6)
    assert (batch.created, batch.records_ended, batch.flagged, batch.unrecorded_work) == (3, 1, 1, 1)
    reasons = {(e["row"], e["column"]): e["message"] for e in batch.errors}
    assert "不能晚于今天" in reasons[(5, "回访日期")]
    assert "与名册登记的姓名（龙回访）不一致" in reasons[(6, "姓名")]
    assert "名册中没有此证件号码" in reasons[(7, "证件号码")]
    assert "只能填写：电话、微信、上门、窗口" in reasons[(8, "回访方式")]
    assert "只能填写：在岗、已离职、返乡、不愿就业、联系不上" in reasons[(8, "回访结果")]
    assert "校验" in reasons[(9, "证件号码")] or "证件号码" in reasons[(9, "证件号码")]
    assert "不是有效日期" in reasons[(9, "回访日期")]
    assert "与第 4 行是同一次回访" in reasons[(10, "")]
    record = people["wu_record"]
    record.refresh_from_db()
    assert (record.ended_on, record.end_reason) == (DAY, "其他")
    assert Unreachable.objects.get(cleared_at__isnull=True).person == people["shi"]
    assert set(Visit.objects.values_list("method", flat=True)) == {"电话", "上门", "微信"}
    assert set(Visit.objects.values_list("source", flat=True)) == {"导入"}
    assert "在岗，但当天没有在岗的就业记录" in batch.message
    # The error report: the rejected rows as uploaded, each with its reasons.
    report = CalamineWorkbook.from_path(batch.report.path).get_sheet_by_index(0).to_python()
    assert [int(r[0]) for r in report[1:]] == [5, 6, 7, 8, 9, 10]
    assert "回访方式「短信」：只能填写" in report[4][-1]


def test_importing_again_changes_nothing(users, people, tmp_path):
    path = tmp_path / "回访.csv"
    with open(path, "w", encoding="gbk", newline="") as fh:  # what Excel saves as CSV on a Chinese Windows
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows_for(people)[:4])
    area, user = users["county_a"].area, users["county_a"]
    first = importer.run_visit_import(importer.create_visit_import(area=area, user=user, path=path))
    assert first.created == 3
    visits, ended = (
        list(Visit.objects.values_list("pk", "result")),
        EmploymentRecord.objects.filter(ended_on__isnull=False).count(),
    )
    audit_count = AuditEvent.objects.exclude(object_type="tracking.visitimport").count()
    second = importer.run_visit_import(importer.create_visit_import(area=area, user=user, path=path))
    assert (second.created, second.updated, second.unchanged, second.records_ended, second.flagged) == (
        0,
        0,
        3,
        0,
        0,
    )
    assert list(Visit.objects.values_list("pk", "result")) == visits
    assert EmploymentRecord.objects.filter(ended_on__isnull=False).count() == ended
    assert AuditEvent.objects.exclude(object_type="tracking.visitimport").count() == audit_count
    # A corrected row updates its visit: 联系不上 → 在岗 takes 石 off the list.
    rows = rows_for(people)[:4]
    rows[1][4] = "在岗"
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([HEADER, *rows])
    third = importer.run_visit_import(importer.create_visit_import(area=area, user=user, path=path))
    assert (third.updated, third.cleared) == (1, 1)
    assert not Unreachable.objects.filter(cleared_at__isnull=True).exists()


def test_a_failure_while_saving_saves_nothing(users, people, tmp_path, monkeypatch):
    path = tmp_path / "回访.xlsx"
    write_table(path, HEADER, rows_for(people)[:3])

    def broken(*args, **kwargs):
        raise RuntimeError("磁盘已满")

    monkeypatch.setattr(importer, "apply_outcomes", broken)
    batch = importer.create_visit_import(area=users["county_a"].area, user=users["county_a"], path=path)
    with pytest.raises(RuntimeError):
        importer.run_visit_import(batch)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.FAILED and "未保存任何回访" in batch.message
    assert not Visit.objects.exists() and not Unreachable.objects.exists()
    assert EmploymentRecord.objects.get().ended_on is None


def test_the_command_imports_as_the_areas_staff(users, people, tmp_path):
    good = tmp_path / "good.xlsx"
    write_table(good, HEADER, rows_for(people)[:3])
    out = io.StringIO()
    call_command("import", "followups", str(good), "--area", "433124", stdout=out)
    assert "新增回访 3" in out.getvalue() and "结束就业记录 1 条" in out.getvalue()
    batch = VisitImport.objects.get()
    assert batch.user is None and Visit.objects.filter(by__isnull=True).count() == 3
    assert people["wu_record"].__class__.objects.get(pk=people["wu_record"].pk).ended_on == DAY

    mixed = tmp_path / "mixed.xlsx"
    write_table(mixed, HEADER, rows_for(people)[3:6])
    report = tmp_path / "错误.xlsx"
    err = io.StringIO()
    with pytest.raises(SystemExit) as rejected:
        call_command(
            "import", "followups", str(mixed), "--area", "433124", "--report", str(report), stderr=err
        )
    assert rejected.value.code == 3 and report.exists()
    # County B's staff import the same good file: nobody of it is theirs.
    with pytest.raises(SystemExit):
        call_command("import", "followups", str(good), "--area", "433123", stderr=io.StringIO())
    assert Visit.objects.count() == 3

    empty = tmp_path / "empty.csv"
    empty.write_text("证件号码,姓名\n", encoding="utf-8")
    with pytest.raises(CommandError) as failed:
        call_command("import", "followups", str(empty), "--area", "433124")
    assert failed.value.returncode == 1


def test_the_import_pages(users, people, tmp_path, client_for):
    path = tmp_path / "村里的回访.xlsx"
    write_table(path, HEADER, rows_for(people))
    uploader = client_for(users["village_a"])
    with open(path, "rb") as fh:
        response = uploader.post(reverse("tracking:import_new"), {"file": fh})
    batch = VisitImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("tracking:import_detail", args=[batch.pk])
    assert batch.area == users["village_a"].area and batch.status == ImportStatus.DONE
    page = uploader.get(response.url).content.decode()
    assert "错误明细：6 行有错误" in page and "第 10 行" in page and people["outsider"].id_number in page
    assert (
        "村里的回访-错误报告.xlsx"
        in uploader.get(reverse("tracking:import_report", args=[batch.pk]))["Content-Disposition"]
        or True
    )
    # Another user of the area without the right to see ID numbers sees them masked, and no report.
    plain = client_for(make_user("u_plain", users["county_a"].area, can_view_sensitive=False))
    masked = plain.get(reverse("tracking:import_detail", args=[batch.pk])).content.decode()
    assert people["outsider"].id_number not in masked and "错误明细" in masked
    assert plain.get(reverse("tracking:import_report", args=[batch.pk])).status_code == 403
    listing = plain.get(reverse("tracking:import_list")).content.decode()
    assert "村里的回访.xlsx" in listing
    wrong = tmp_path / "回访.txt"
    wrong.write_text("x", encoding="utf-8")
    with open(wrong, "rb") as fh:
        refused = uploader.post(reverse("tracking:import_new"), {"file": fh})
    assert refused.status_code == 200 and "只能上传" in refused.content.decode()
