"""政策规则 → 从文件导入: a user manager loads rule versions of their own subtree from a file, from today on
(versions dated in the past are the operator's, by `bangfu rules load`); other regions' rows are refused row
by row, and the load is audited as 网页."""

import datetime as dt

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import COUNTY_A, COUNTY_B, TOWNSHIP_A
from bangfu.exchange.report import write_table
from bangfu.rules.kinds import HEADER
from bangfu.tracking.models import FollowUpRule, WarningRule

LATER = (timezone.localdate() + dt.timedelta(days=10)).isoformat()


def upload(client, tmp_path, rows, name="规则.csv"):
    path = tmp_path / name
    write_table(path, HEADER[:5], rows)
    file = SimpleUploadedFile(name, path.read_bytes())
    return client.post(reverse("rules:load"), {"file": file})


def test_a_county_admin_loads_its_own_versions_from_today_on(users, client_for, tmp_path):
    client = client_for(users["county_a"])
    rows = [
        ["跟踪回访", TOWNSHIP_A, LATER, "未就业间隔天数", "15"],
        ["跟踪回访", TOWNSHIP_A, LATER, "就业间隔天数", "45"],
        ["就业预警", COUNTY_A, "2020-01-01", "离职预警天数", "40"],
        ["就业预警", COUNTY_B, LATER, "离职预警天数", "40"],
        ["就业预警", "", LATER, "离职预警天数", "40"],
    ]
    response = upload(client, tmp_path, rows)
    assert response.status_code == 200
    text = response.content.decode()
    assert "新增规则版本 1 个" in text and "3 行未导入" in text
    assert "第 4 行" in text and "网页上导入的版本只能今天或以后生效" in text and "bangfu rules load" in text
    assert "第 5 行" in text and "第 6 行" in text and "您不能为该区域设定规则" in text
    rule = FollowUpRule.objects.get(region_prefix=TOWNSHIP_A)
    assert (rule.unemployed_interval_days, rule.employed_interval_days, rule.created_by) == (
        15,
        45,
        users["county_a"],
    )
    assert not WarningRule.objects.exclude(region_prefix="").exists()
    events = AuditEvent.objects.filter(object_type="tracking.followuprule", action=Action.CREATE)
    assert events.count() == 1 and events.get().channel == "网页" and events.get().actor == users["county_a"]
    assert (
        AuditEvent.objects.get(action=Action.IMPORT, message__contains="政策规则").actor == users["county_a"]
    )
    # Loading the same file again changes nothing.
    text = upload(client, tmp_path, rows).content.decode()
    assert "新增规则版本 0 个" in text and "相同未变 1 个" in text
    assert FollowUpRule.objects.filter(region_prefix=TOWNSHIP_A).count() == 1


def test_only_user_managers_load_and_the_index_links_them(users, client_for):
    village = client_for(users["village_a"])
    assert village.get(reverse("rules:load")).status_code == 403
    assert 'href="/rules/load/"' not in village.get(reverse("rules:index")).content.decode()
    county = client_for(users["county_a"])
    assert 'href="/rules/load/"' in county.get(reverse("rules:index")).content.decode()
    assert county.get(reverse("rules:load")).status_code == 200


def test_an_unreadable_file_is_told_on_the_form(users, client_for, tmp_path):
    client = client_for(users["county_a"])
    bad = SimpleUploadedFile("规则.xlsx", b"not a workbook")
    response = client.post(reverse("rules:load"), {"file": bad})
    assert response.status_code == 200 and response.context["result"] is None
    assert response.context["form"].errors["file"]
    wrong = SimpleUploadedFile("规则.txt", b"x")
    assert "只能上传" in client.post(reverse("rules:load"), {"file": wrong}).content.decode()


def test_the_downloaded_template_loads_as_it_stands(users, client_for):
    client = client_for(users["county_a"])
    template = client.get("/formats/rules/template.xlsx")
    assert template.status_code == 200
    file = SimpleUploadedFile(
        "模板.xlsx", b"".join(template.streaming_content) if template.streaming else template.content
    )
    text = client.post(reverse("rules:load"), {"file": file}).content.decode()
    assert "新增规则版本 1 个" in text, text
    assert WarningRule.objects.get(region_prefix=COUNTY_A).leave_window_days == 45
