"""An employer's files in the portal (用工人员 and 月工资参保): every row checked with its row, column and
reason in Chinese, good rows kept, loading a file again changes nothing, a departure given later completes the
spell, and a file whose columns are wrong changes nothing."""

import datetime as dt
import re

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.exchange.report import write_table
from bangfu.workforce.models import Hire, MonthlyWage, Via
from bangfu.workforce.rows import HIRE_COLUMNS, WAGE_COLUMNS
from bangfu.workforce.tests.conftest import outsider_id

TODAY = timezone.localdate()
START = TODAY - dt.timedelta(days=120)
MONTH = (TODAY.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
HIRES = [c.name for c in HIRE_COLUMNS]
WAGES = [c.name for c in WAGE_COLUMNS]


def problems(text: str) -> dict[int, str]:
    """The result page's rejected rows: row number → reasons."""
    found = re.findall(r'<td data-label="行号">第 (\d+) 行</td><td data-label="原因">([^<]*)</td>', text)
    return {int(number): reasons for number, reasons in found}


def upload(client, world, tmp_path, header, rows, kind="hires", name="用工.csv"):
    path = tmp_path / name
    write_table(path, header, rows)
    file = SimpleUploadedFile(name, path.read_bytes())
    return client.post(
        reverse("workforce:portal_import"), {"kind": kind, "employer": world["factory"].pk, "file": file}
    )


def test_a_hires_file_keeps_good_rows_and_names_each_bad_one(world, client_for, tmp_path):
    client = client_for(world["boss"])
    a, b, c = outsider_id(1), outsider_id(3), outsider_id(5)
    rows = [
        [a, "陈明", START.isoformat(), "普工", "3800", "", "", ""],
        [
            b,
            "王芳",
            START.isoformat(),
            "质检",
            "4000元",
            "440105",
            (TODAY - dt.timedelta(days=3)).isoformat(),
            "返乡",
        ],
        [c[:-1] + ("0" if c[-1] != "0" else "1"), "李四", START.isoformat(), "", "", "", "", ""],
        [c, "李四", (TODAY + dt.timedelta(days=2)).isoformat(), "", "", "", "", ""],
        [c, "李四", START.isoformat(), "", "", "", (TODAY - dt.timedelta(days=1)).isoformat(), ""],
        [c, "李四", START.isoformat(), "", "", "999", "", "转行"],
        [a, "陈明", START.isoformat(), "普工", "3800", "", "", ""],
    ]
    response = upload(client, world, tmp_path, HIRES, rows)
    text = response.content.decode()
    assert "共 7 行：新增入职报送 2 条，修改 0 条，未变 0 条；5 行未导入。" in text
    rejected = problems(text)
    assert sorted(rejected) == [4, 5, 6, 7, 8]
    assert rejected[4].startswith("证件号码「") and "校验" in rejected[4]
    assert rejected[5].startswith("入职日期「") and rejected[5].endswith("不能晚于今天")
    assert rejected[6] == "离职原因（空）：填写离职日期时必填：合同到期、解除劳动关系、返乡、转岗、其他"
    assert rejected[7].startswith(
        "工作地区划代码「999」：应为 6、9 或 12 位区划代码；离职原因「转行」：只能填写：合同到期"
    )
    assert rejected[8] == "与第 2 行的证件号码和入职日期重复"
    assert c not in text  # ID numbers in the result are masked
    hires = {h.name: h for h in Hire.objects.all()}
    assert set(hires) == {"陈明", "王芳"}
    assert (hires["王芳"].monthly_wage, hires["王芳"].work_area_id, hires["王芳"].end_reason) == (
        4000,
        "440105000000",
        "返乡",
    )
    assert hires["陈明"].via == Via.FILE
    event = AuditEvent.objects.get(action=Action.IMPORT, actor=world["boss"])
    assert "用工.csv" in event.message and "新增入职报送 2 条" in event.message


def test_loading_again_changes_nothing_and_a_later_file_adds_the_departure(world, client_for, tmp_path):
    client = client_for(world["boss"])
    a = outsider_id(1)
    rows = [[a, "陈明", START.isoformat(), "普工", "3800", "", "", ""]]
    upload(client, world, tmp_path, HIRES, rows)
    before = list(Hire.objects.values())
    assert (
        "新增入职报送 0 条，修改 0 条，未变 1 条"
        in upload(client, world, tmp_path, HIRES, rows).content.decode()
    )
    assert list(Hire.objects.values()) == before
    left = (TODAY - dt.timedelta(days=10)).isoformat()
    later = [
        [a, "陈明", START.isoformat(), "普工", "3800", "", left, "合同到期"],
        [a, "陈明", (TODAY - dt.timedelta(days=5)).isoformat(), "普工", "3900", "", "", ""],
    ]
    text = upload(client, world, tmp_path, HIRES, later).content.decode()
    assert "新增入职报送 1 条，修改 1 条" in text
    first, second = Hire.objects.order_by("started_on")
    assert (first.ended_on.isoformat(), first.end_reason, first.pending) == (left, "合同到期", True)
    assert second.ended_on is None
    # A reported departure is not changed or withdrawn by a file.
    undo = [[a, "陈明", START.isoformat(), "普工", "3800", "", "", ""]]
    text = upload(client, world, tmp_path, HIRES, undo).content.decode()
    assert "已报送离职" in problems(text)[2] and "不能更改或撤销" in problems(text)[2]
    first.refresh_from_db()
    assert first.ended_on.isoformat() == left


def test_a_new_spell_cannot_overlap_one_in_work(world, client_for, tmp_path):
    client = client_for(world["boss"])
    a = outsider_id(1)
    upload(client, world, tmp_path, HIRES, [[a, "陈明", START.isoformat(), "", "", "", "", ""]])
    text = upload(
        client, world, tmp_path, HIRES, [[a, "陈明", TODAY.isoformat(), "", "", "", "", ""]]
    ).content.decode()
    assert "此人在本单位已有在职的入职报送" in text
    assert Hire.objects.count() == 1


def test_a_wages_file_for_people_in_work_that_month(world, client_for, tmp_path):
    client = client_for(world["boss"])
    a, b = outsider_id(1), outsider_id(3)
    upload(client, world, tmp_path, HIRES, [[a, "陈明", START.isoformat(), "", "", "", "", ""]])
    month = MONTH.strftime("%Y-%m")
    rows = [
        [a, "陈明", month, "4100", "是"],
        [a, "陈明", MONTH.strftime("%Y年%m月"), "4100", "是"],
        [b, "王芳", month, "4000", "否"],
        [a, "陈名", (MONTH - dt.timedelta(days=1)).strftime("%Y-%m"), "4000", "否"],
        [a, "陈明", (TODAY + dt.timedelta(days=40)).strftime("%Y-%m"), "4000", "否"],
        [a, "陈明", "2020-01", "4000", "也许"],
    ]
    text = upload(client, world, tmp_path, WAGES, rows, kind="wages", name="工资.csv").content.decode()
    assert "共 6 行：新增月工资参保 1 条，修改 0 条，未变 0 条；5 行未导入。" in text
    rejected = problems(text)
    assert rejected[3] == "与第 2 行的证件号码和年月重复"
    assert rejected[4] == f"本单位没有此人 {month} 在职的入职报送，请先报送入职"
    assert rejected[5] == "姓名「陈名」：与入职报送的姓名（陈明）不同"
    assert rejected[6].startswith("年月「") and rejected[6].endswith("不能晚于本月")
    assert rejected[7] == "是否参保「也许」：只能填写：是、否"
    wage = MonthlyWage.objects.get()
    assert (wage.month, wage.wage, wage.insured, wage.via) == (MONTH, 4100, True, Via.FILE)
    again = upload(
        client, world, tmp_path, WAGES, [[a, "陈明", month, "4300", "否"]], kind="wages"
    ).content.decode()
    assert "修改 1 条" in again
    wage.refresh_from_db()
    assert (wage.wage, wage.insured) == (4300, False)


def test_an_unusable_file_changes_nothing(world, client_for, tmp_path):
    client = client_for(world["boss"])
    response = upload(client, world, tmp_path, ["姓名", "电话"], [["陈明", "1"]])
    assert response.status_code == 200 and response.context["form"].errors["file"]
    assert (
        not Hire.objects.exists()
        and not AuditEvent.objects.filter(actor=world["boss"], action=Action.IMPORT).exists()
    )


def test_the_portal_templates_import_as_they_stand(world, client_for):
    client = client_for(world["boss"])
    for kind, key in (("hires", "workforce-hires"), ("wages", "workforce-wages")):
        template = client.get(reverse("workforce:portal_template", args=[key]))
        assert template.status_code == 200
        body = b"".join(template.streaming_content)
        file = SimpleUploadedFile(f"{key}.xlsx", body)
        data = {"kind": kind, "employer": world["factory"].pk, "file": file}
        text = client.post(reverse("workforce:portal_import"), data).content.decode()
        assert "新增" in text and "未导入" not in text, text
    assert Hire.objects.count() == 1 and MonthlyWage.objects.count() == 1
    assert client.get(reverse("workforce:portal_template", args=["registry"])).status_code == 404
