"""Registry pages: scoped and masked lists with the shared filters, the person page with audited reveals,
create/edit through the import's own validation, export, and file uploads with progress and reports."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.urls import reverse
from python_calamine import CalamineWorkbook

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import make_user
from bangfu.core.idnumber import IdNumberError, parse_id_number
from bangfu.registry import views
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.forms import PersonForm
from bangfu.registry.models import Change, Household, ImportBatch, ImportStatus, Person
from bangfu.registry.rows import EXPORT_COLUMNS
from bangfu.registry.tests.conftest import (
    HEAD_ID,
    SPOUSE_ID,
    VILLAGE,
    VILLAGE_B,
    messy_rows,
    person,
    pid,
    write_csv,
    write_xlsx,
)

OUTSIDER_ID = pid("1980-01-01", 51, "433123")  # 田大山, registered in county B
PHONE = "13812345678"


@pytest.fixture
def registry(areas, tmp_path):
    """County A's valid messy rows (龙春生, 石秀英, 麻老三, 阿依古丽·买买提, 向前进); 田大山 in county B."""
    rows = [r for r, ok in messy_rows() if ok is True]
    rows.append(person("B1", "田大山", OUTSIDER_ID, code=VILLAGE_B))
    path = write_xlsx(tmp_path / "seed.xlsx", rows)
    batch = run_registry_import(create_import_batch(area=areas["city"], user=None, path=path))
    assert batch.created == len(rows)
    return Person.objects.get(id_number=HEAD_ID)


def names_in(response) -> set[str]:
    text = response.content.decode()
    return {n for n in ("龙春生", "石秀英", "麻老三", "阿依古丽·买买提", "向前进", "田大山") if n in text}


def form_data(**changes):
    data = {
        "village_code": VILLAGE,
        "household_number": "N1",
        "relation": "户主",
        "name": "彭大海",
        "id_number": pid("1970-10-11", 91),
        "ethnicity": "土家族",
        "education": "初中",
        "health": "健康",
        "phone": "13912345678",
        "labor_skill": "普通劳动力",
        "employment_status": "未务工",
        "job_wish": "电工",
        "desired_region": "省内",
        "expected_wage": "4000",
        "household_type": "监测户",
        "monitoring_type": "边缘易致贫户",
        "income_per_capita": "6500",
        "is_dibao": "是",
    }
    data.update(changes)
    return data


# Lists


def test_person_list_shows_own_subtree_masked(registry, users, client_for):
    response = client_for(users["county_a"]).get(reverse("registry:person_list"))
    assert response.status_code == 200
    assert names_in(response) == {"龙春生", "石秀英", "麻老三", "阿依古丽·买买提", "向前进"}
    text = response.content.decode()
    assert registry.masked_id in text and "table-responsive-stack" in text
    assert HEAD_ID not in text and SPOUSE_ID not in text and PHONE not in text
    assert "138****5678" in text
    assert names_in(client_for(users["county_b"]).get(reverse("registry:person_list"))) == {"田大山"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"q": "lcs"}, {"龙春生"}),  # pinyin initials
        ({"q": HEAD_ID[-6:]}, {"龙春生"}),  # the last digits of the ID number
        ({"q": SPOUSE_ID}, {"石秀英"}),  # a whole ID number
        ({"q": "石"}, {"石秀英"}),
        ({"q": OUTSIDER_ID}, set()),  # county B's person stays invisible, even by full ID
        ({"area": "433124102201"}, {"龙春生", "石秀英", "麻老三", "阿依古丽·买买提", "向前进"}),
        ({"area": "433123"}, set()),  # a code outside the subtree finds nothing
    ],
)
def test_person_list_filters(registry, users, client_for, query, expected):
    response = client_for(users["county_a"]).get(reverse("registry:person_list"), query)
    assert names_in(response) == expected


def test_person_list_age_range(registry, users, client_for):
    spouse = Person.objects.get(id_number=SPOUSE_ID)
    query = {"min_age": spouse.age, "max_age": registry.age}  # 石秀英 is two years younger than 龙春生
    response = client_for(users["county_a"]).get(reverse("registry:person_list"), query)
    assert names_in(response) == {"龙春生", "石秀英"}
    response = client_for(users["county_a"]).get(
        reverse("registry:person_list"), {"min_age": registry.age + 1}
    )
    assert "龙春生" not in names_in(response) and "麻老三" in names_in(response)


def test_person_list_query_count_does_not_grow_with_rows(
    registry, areas, users, client_for, tmp_path, django_assert_max_num_queries
):
    rows = [person(f"M{i}", "龙春", pid("1990-01-01", 101 + 2 * i)) for i in range(40)]
    run_registry_import(
        create_import_batch(area=areas["county_a"], user=None, path=write_xlsx(tmp_path / "m.xlsx", rows))
    )
    client = client_for(users["county_a"])
    client.get(reverse("registry:person_list"))  # session warmed up
    with django_assert_max_num_queries(9):
        response = client.get(reverse("registry:person_list"))
    assert response.context["page_obj"].paginator.count == 45


def test_household_list_and_page(registry, users, client_for):
    client = client_for(users["county_a"])
    response = client.get(reverse("registry:household_list"), {"q": "H1"})
    numbers = [h.number for h in response.context["object_list"]]
    assert numbers == ["H1"] and "龙春生" in response.content.decode()  # the head's name, no other household
    household = registry.household
    household_page = client.get(reverse("registry:household_detail", args=[household.pk])).content.decode()
    assert "龙春生" in household_page and "石秀英" in household_page
    assert registry.masked_id in household_page and HEAD_ID not in household_page
    # County B sees its own household only (the page's CSRF token is random text, so look at the rows).
    outside = client_for(users["county_b"]).get(reverse("registry:household_list"))
    assert [h.number for h in outside.context["object_list"]] == ["B1"]
    assert "龙春生" not in outside.content.decode()


def test_household_page_shows_its_history(registry, users, client_for, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True][:2]
    for row in rows:
        row["是否低保"] = "是"
    path = write_xlsx(tmp_path / "again.xlsx", rows)
    run_registry_import(create_import_batch(area=users["county_a"].area, user=users["county_a"], path=path))
    page = client_for(users["county_a"]).get(
        reverse("registry:household_detail", args=[registry.household_id])
    )
    text = page.content.decode()
    assert "是否低保" in text and "u_county_a" in text and "导入" in text


# Person page and reveals


def test_person_page_masks_and_reveal_is_audited(registry, users, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("registry:person_detail", args=[registry.pk])).content.decode()
    assert registry.masked_id in page and HEAD_ID not in page and PHONE not in page
    assert "显示完整号码" in page and registry.household.number in page
    for field, value in (("id_number", HEAD_ID), ("phone", PHONE)):
        response = client.post(reverse("registry:person_reveal", args=[registry.pk, field]))
        assert response.status_code == 200 and value in response.content.decode()
    events = AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE, object_id=str(registry.pk))
    assert events.count() == 2 and {e.object_type for e in events} == {"registry.person"}
    assert client.get(reverse("registry:person_reveal", args=[registry.pk, "id_number"])).status_code == 405
    assert client.post(reverse("registry:person_reveal", args=[registry.pk, "name"])).status_code == 404


def test_reveal_refused_without_sensitive_permission(registry, areas, client_for):
    clerk = make_user("u_clerk", areas["county_a"], can_view_sensitive=False)
    client = client_for(clerk)
    page = client.get(reverse("registry:person_detail", args=[registry.pk])).content.decode()
    assert "显示完整号码" not in page and HEAD_ID not in page
    before = AuditEvent.objects.count()
    for field in ("id_number", "phone"):
        response = client.post(reverse("registry:person_reveal", args=[registry.pk, field]))
        assert response.status_code == 403 and HEAD_ID not in response.content.decode()
    assert AuditEvent.objects.count() == before


def test_outsider_cannot_open_or_reveal(registry, users, client_for):
    client = client_for(users["county_b"])
    assert client.get(reverse("registry:person_detail", args=[registry.pk])).status_code == 404
    assert client.post(reverse("registry:person_reveal", args=[registry.pk, "id_number"])).status_code == 404


# Create and edit


def test_create_with_invalid_data_shows_import_messages_and_creates_nothing(registry, users, client_for):
    good = pid("1970-10-11", 91)
    wrong_check = good[:17] + ("0" if good[17] != "0" else "1")
    with pytest.raises(IdNumberError) as info:
        parse_id_number(wrong_check)
    people, changes = Person.objects.count(), Change.objects.count()
    response = client_for(users["county_a"]).post(
        reverse("registry:person_create"),
        form_data(
            id_number=wrong_check,
            village_code=VILLAGE_B,
            education="大学",
            monitoring_type="边缘易致贫户",
            household_type="脱贫户",
            phone="12345",
        ),
    )
    assert response.status_code == 200
    text = response.content.decode()
    form = response.context["form"]
    assert info.value.message in form.errors["id_number"]  # the very message the import gives
    assert "校验码错误" in text
    assert "不在您的管辖区域内" in form.errors["village_code"][0]
    assert form.errors["education"] == ["只能填写：文盲或半文盲、小学、初中、高中、中专、大专、本科及以上"]
    assert "监测户" in form.errors["monitoring_type"][0]
    assert "手机号码" in form.errors["phone"][0]
    assert Person.objects.count() == people and Change.objects.count() == changes


def test_create_requires_the_import_required_columns(users, client_for):
    empty = dict.fromkeys(PersonForm.base_fields, "")
    response = client_for(users["county_a"]).post(reverse("registry:person_create"), empty)
    errors = response.context["form"].errors
    assert errors["name"] == ["姓名不能为空"] and errors["id_number"] == ["证件号码为空"]
    assert errors["household_number"] == ["户编号不能为空"] and errors["relation"] == ["与户主关系不能为空"]
    assert "未填写行政区划代码" in errors["village_code"][0]
    assert not Person.objects.exists()


def test_create_valid_person(users, client_for):
    client = client_for(users["county_a"])
    assert client.get(reverse("registry:person_create")).status_code == 200
    response = client.post(reverse("registry:person_create"), form_data())
    created = Person.objects.get(id_number=pid("1970-10-11", 91))
    assert response.status_code == 302 and response.url == reverse(
        "registry:person_detail", args=[created.pk]
    )
    assert created.name == "彭大海" and created.area_id == VILLAGE and created.sex == "男"
    assert created.birth_date == dt.date(1970, 10, 11) and created.name_initials == "pdh"
    household = Household.objects.get(number="N1")
    assert household.monitoring_type == "边缘易致贫户" and household.is_dibao is True
    event = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.person")
    assert event.object_id == str(created.pk) and event.actor == users["county_a"]
    assert "已登记 彭大海" in client.get(response.url).content.decode()


def test_create_with_a_registered_id_is_refused(registry, users, client_for):
    client = client_for(users["county_a"])
    response = client.post(reverse("registry:person_create"), form_data(id_number=HEAD_ID, name="龙春生"))
    assert "该证件号码已登记" in response.context["form"].errors["id_number"][0]
    # Registered in county B: refused with the window check's answer (test_registration_probe), nothing moves.
    response = client.post(reverse("registry:person_create"), form_data(id_number=OUTSIDER_ID, name="田大山"))
    assert "凤凰县登记" in response.context["form"].errors["id_number"][0]
    assert Person.objects.get(id_number=OUTSIDER_ID).area_id == VILLAGE_B


def test_edit_records_history_and_keeps_the_id_number(registry, users, client_for):
    client = client_for(users["county_a"])
    form = client.get(reverse("registry:person_edit", args=[registry.pk])).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    assert data["job_wish"] == "建筑工人" and data["village_code"] == VILLAGE
    assert "employment_status" not in data and "work_months" not in data  # derived from records, not typed
    data.update(job_wish="电工", phone="13700001111", id_number=SPOUSE_ID)
    response = client.post(reverse("registry:person_edit", args=[registry.pk]), data)
    assert response.status_code == 302
    registry.refresh_from_db()
    assert registry.job_wish == "电工" and registry.id_number == HEAD_ID
    change = Change.objects.get(person=registry, field="就业意向")
    assert (change.before, change.after, change.source, change.actor) == (
        "建筑工人",
        "电工",
        "手工",
        users["county_a"],
    )
    assert AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(registry.pk)).exists()
    page = client.get(reverse("registry:person_detail", args=[registry.pk])).content.decode()
    assert "电工" in page and "人员信息已保存" in page and "13700001111" in page  # may see sensitive
    clerk = make_user("u_clerk", registry.area.parent, can_view_sensitive=False)
    page = client_for(clerk).get(reverse("registry:person_detail", args=[registry.pk])).content.decode()
    assert "13700001111" not in page and "137****1111" in page and PHONE not in page


def test_edit_without_sensitive_permission_never_shows_id_or_phone(registry, areas, client_for):
    clerk = make_user("u_clerk", areas["county_a"], can_view_sensitive=False)
    client = client_for(clerk)
    page = client.get(reverse("registry:person_edit", args=[registry.pk]))
    text = page.content.decode()
    assert HEAD_ID not in text and PHONE not in text and registry.masked_id in text and "138****5678" in text
    form = page.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["expected_wage"] = "6100"
    assert client.post(reverse("registry:person_edit", args=[registry.pk]), data).status_code == 302
    registry.refresh_from_db()
    assert registry.expected_wage == 6100 and registry.phone == PHONE  # an empty phone box keeps the number
    data["phone"] = "13600002222"
    client.post(reverse("registry:person_edit", args=[registry.pk]), data)
    registry.refresh_from_db()
    assert registry.phone == "13600002222"


def test_edit_by_outsider_changes_nothing(registry, users, client_for):
    response = client_for(users["county_b"]).post(
        reverse("registry:person_edit", args=[registry.pk]), form_data(name="篡改")
    )
    assert response.status_code == 404
    registry.refresh_from_db()
    assert registry.name == "龙春生"


# Export


def export_rows(response, fmt="xlsx"):
    content = b"".join(response.streaming_content)
    if fmt == "csv":
        return [line.split(",") for line in content.decode("utf-8-sig").splitlines()]
    from io import BytesIO

    return CalamineWorkbook.from_filelike(BytesIO(content)).get_sheet_by_index(0).to_python()


def test_export_downloads_only_the_filtered_rows_of_the_subtree(registry, users, client_for):
    client = client_for(users["county_a"])
    response = client.get(reverse("registry:person_export"), {"q": "lcs"})
    assert response.status_code == 200
    disposition = response["Content-Disposition"]
    assert "attachment" in disposition and "433124" in disposition and ".xlsx" in disposition
    rows = export_rows(response)
    assert tuple(rows[0]) == EXPORT_COLUMNS
    assert [r[EXPORT_COLUMNS.index("证件号码")] for r in rows[1:]] == [HEAD_ID]
    everyone = export_rows(client.get(reverse("registry:person_export"), {"format": "csv"}), "csv")
    ids = {r[EXPORT_COLUMNS.index("证件号码")] for r in everyone[1:]}
    assert len(ids) == 5 and HEAD_ID in ids and OUTSIDER_ID not in ids
    events = AuditEvent.objects.filter(action=Action.EXPORT).order_by("id")
    assert [e.message.split("（")[0] for e in events] == ["导出名册 1 人", "导出名册 5 人"]


def test_export_refused_without_sensitive_permission(registry, areas, client_for):
    clerk = make_user("u_clerk", areas["county_a"], can_view_sensitive=False)
    client = client_for(clerk)
    response = client.get(reverse("registry:person_export"))
    assert response.status_code == 403 and "不能导出" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert "导出 Excel" not in client.get(reverse("registry:person_list")).content.decode()


def test_export_with_invalid_filter_is_refused(registry, users, client_for):
    response = client_for(users["county_a"]).get(reverse("registry:person_export"), {"min_age": "abc"})
    assert response.status_code == 302 and not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_export_beyond_an_excel_sheet_says_so_at_once_and_csv_still_works(
    registry, users, client_for, monkeypatch
):
    from bangfu.exchange import report

    monkeypatch.setattr(report, "EXCEL_MAX_ROWS", 5)  # a sheet of a header and 4 people; the county has 5
    client = client_for(users["county_a"])
    response = client.get(reverse("registry:person_export"), {"q": "", "format": "xlsx"}, follow=True)
    page = response.content.decode()
    assert "共 5 行，超过 Excel 工作表的行数上限（4 行）" in page and "请导出 CSV" in page
    assert response.redirect_chain[0][0] == reverse("registry:person_list") + "?q="
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()
    assert "format=csv" in client.get(reverse("registry:person_list")).content.decode()
    rows = export_rows(client.get(reverse("registry:person_export"), {"format": "csv"}), "csv")
    assert len(rows) == 6


# Imports


def test_upload_runs_the_import_and_shows_counts_and_report(users, client_for, messy_file):
    path, expected = messy_file
    client = client_for(users["county_a"])
    assert client.get(reverse("registry:import_new")).status_code == 200
    with open(path, "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert response.status_code == 302 and response.url == reverse("registry:import_detail", args=[batch.pk])
    assert batch.status == ImportStatus.DONE and batch.original_name == "名单.xlsx"
    valid = sum(1 for e in expected if e is True)
    assert batch.created == valid == Person.objects.count()
    page = client.get(response.url)
    text = page.content.decode()
    assert "已完成" in text and f">{valid}<" in text and f">{len(expected) - valid}<" in text
    assert 'hx-trigger="every 2s"' not in text  # finished: nothing left to poll
    report_url = reverse("registry:import_report", args=[batch.pk])
    assert report_url in text
    report = client.get(report_url)
    assert report.status_code == 200 and "attachment" in report["Content-Disposition"]
    assert b"".join(report.streaming_content)[:2] == b"PK"  # an .xlsx
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(batch.pk)).exists()
    listing = client.get(reverse("registry:import_list")).content.decode()
    assert "名单.xlsx" in listing
    assert (
        "名单.xlsx" not in client_for(users["county_b"]).get(reverse("registry:import_list")).content.decode()
    )
    assert client_for(users["county_b"]).get(report_url).status_code == 404


def test_dry_run_upload_saves_nothing(users, client_for, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True]
    path = write_csv(tmp_path / "名单.csv", rows)
    with open(path, "rb") as fh:
        client_for(users["county_a"]).post(reverse("registry:import_new"), {"file": fh, "dry_run": "on"})
    batch = ImportBatch.objects.get()
    assert batch.dry_run and batch.status == ImportStatus.DONE and batch.valid_rows == len(rows)
    assert not Person.objects.exists() and not batch.report


def test_report_download_without_report_is_404(users, client_for, tmp_path):
    rows = [r for r, ok in messy_rows() if ok is True]
    with open(write_xlsx(tmp_path / "ok.xlsx", rows), "rb") as fh:
        client_for(users["county_a"]).post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.error_rows == 0
    response = client_for(users["county_a"]).get(reverse("registry:import_report", args=[batch.pk]))
    assert response.status_code == 404


def test_report_needs_uploader_or_sensitive_permission(users, areas, client_for, messy_file):
    path, _ = messy_file
    with open(path, "rb") as fh:
        client_for(users["village_a"]).post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    clerk = make_user("u_clerk", areas["county_a"], can_view_sensitive=False)
    assert client_for(clerk).get(reverse("registry:import_report", args=[batch.pk])).status_code == 403
    assert (
        client_for(users["county_a"]).get(reverse("registry:import_report", args=[batch.pk])).status_code
        == 200
    )


def test_upload_of_a_wrong_file_type_is_refused(users, client_for, tmp_path):
    path = tmp_path / "名单.pdf"
    path.write_bytes(b"%PDF-1.4")
    with open(path, "rb") as fh:
        response = client_for(users["county_a"]).post(reverse("registry:import_new"), {"file": fh})
    assert "只能导入 .xlsx、.xls 或 .csv 文件" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_failed_file_shows_the_reason(users, client_for, tmp_path):
    path = tmp_path / "坏.csv"
    path.write_text("姓名,证件号码\n张三,1\n", encoding="utf-8")
    with open(path, "rb") as fh:
        response = client_for(users["county_a"]).post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.FAILED
    text = client_for(users["county_a"]).get(response.url).content.decode()
    assert "失败" in text and batch.message in text


@pytest.mark.django_db(transaction=True)  # the worker closes and reopens connections between tasks
def test_large_upload_goes_to_the_worker_and_the_page_polls(users, client_for, messy_file, monkeypatch):
    monkeypatch.setattr(views, "INLINE_IMPORT_LIMIT", 0)
    path, expected = messy_file
    client = client_for(users["county_a"])
    with open(path, "rb") as fh:
        response = client.post(reverse("registry:import_new"), {"file": fh})
    batch = ImportBatch.objects.get()
    assert batch.status == ImportStatus.PENDING and not Person.objects.exists()
    page = client.get(response.url).content.decode()
    assert 'hx-trigger="every 2s"' in page and "已排队" in page
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="import-progress"') and "<html" not in partial
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    partial = client.get(response.url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and "已完成" in partial
    assert Person.objects.count() == sum(1 for e in expected if e is True)


def test_pages_need_a_staff_login(client):
    for name in (
        "registry:person_list",
        "registry:household_list",
        "registry:import_list",
        "registry:window_check",
    ):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "login" in response.url


def test_household_edit_keeps_history_and_checks_rules(registry, users, client_for):
    household = registry.household
    client = client_for(users["county_a"])
    url = reverse("registry:household_edit", args=[household.pk])
    assert client.get(url).status_code == 200
    bad = {"household_type": "脱贫户", "monitoring_type": "边缘易致贫户", "risk_eliminated_on": "2025-01-01"}
    response = client.post(url, bad)
    assert response.status_code == 200 and "只有户类型为“监测户”" in response.content.decode()
    good = {
        "household_type": "监测户",
        "monitoring_type": "突发严重困难户",
        "risk_identified_on": "2025-03-01",
        "poverty_causes": ["因病", "缺技术"],
        "is_dibao": "true",
    }
    assert client.post(url, good).status_code == 302
    household.refresh_from_db()
    assert household.monitoring_type == "突发严重困难户" and household.poverty_causes == "因病、缺技术"
    assert household.is_dibao is True
    fields = set(Change.objects.filter(household=household).values_list("field", flat=True))
    assert {"户类型", "监测对象类型", "风险识别日期", "致贫原因"} <= fields
