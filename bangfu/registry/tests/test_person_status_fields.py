"""社会保障与身份 on the person page, in the API and in the edit form: death, disability, pension and
medical enrolment (the fields data comparison keeps true). Health and disability are health data: hidden
unless the user may see sensitive data, every showing audited; edits keep history."""

import datetime as dt

import pytest
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import make_user
from bangfu.registry.actions import SOURCE_MANUAL, save_person, update_person_fields
from bangfu.registry.importer import area_lookup
from bangfu.registry.models import Change, Person
from bangfu.registry.rows import EXPORT_COLUMNS, clean_row
from bangfu.registry.tests.conftest import HEAD_ID, person

pytestmark = pytest.mark.django_db

STATUS = {
    "died_on": None,
    "disability_category": "肢体残疾",
    "disability_grade": "二级",
    "pension_insurance": "城乡居民养老保险",
    "pension_status": "领取待遇",
    "medical_insured_year": 2025,
    "medical_status": "参保",
}


@pytest.fixture
def long(users):
    """龙春生 of 土地村, 患有大病, with a disability and insurance as data comparison records them."""
    record, errors = clean_row(
        person("H1", "龙春生", HEAD_ID, birth="1975-03-04", 健康状况="患有大病"),
        area_lookup(users["county_a"].area),
    )
    assert not errors
    saved = save_person(users["county_a"], record)
    update_person_fields(users["county_a"], saved, STATUS, source="比对")
    return Person.objects.get(pk=saved.pk)


@pytest.fixture
def clerk(areas):
    return make_user("u_clerk", areas["county_a"], can_view_sensitive=False)


def reveals():
    return AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE)


def test_person_page_shows_the_card_and_hides_health_data(long, users, clerk, client_for):
    client = client_for(users["county_a"])
    page = client.get(reverse("registry:person_detail", args=[long.pk])).content.decode()
    assert "社会保障与身份" in page and "城乡居民养老保险（领取待遇）" in page and "2025 年度 参保" in page
    # The cards hide them (the change history shows them to this user, as it shows whole phone numbers).
    for cell in ("health-cell", "disability-cell"):
        shown = page.split(f'id="{cell}"')[1].split("</dd>")[0]
        assert "******" in shown and "显示" in shown and "肢体残疾" not in shown and "患有大病" not in shown
    assert reverse("registry:person_reveal", args=[long.pk, "disability"]) in page
    assert not reveals().exists()
    shown = client.post(reverse("registry:person_reveal", args=[long.pk, "disability"])).content.decode()
    assert "肢体残疾 二级" in shown
    assert (
        "患有大病"
        in client.post(reverse("registry:person_reveal", args=[long.pk, "health"])).content.decode()
    )
    assert [e.message for e in reveals().order_by("id")] == [
        "查看人员完整残疾类别和等级",
        "查看人员完整健康状况",
    ]

    clerk_client = client_for(clerk)
    page = clerk_client.get(reverse("registry:person_detail", args=[long.pk])).content.decode()
    assert "城乡居民养老保险" in page and "肢体残疾" not in page and "患有大病" not in page
    assert reverse("registry:person_reveal", args=[long.pk, "disability"]) not in page
    for field in ("disability", "health"):
        response = clerk_client.post(reverse("registry:person_reveal", args=[long.pk, field]))
        assert response.status_code == 403 and "肢体残疾" not in response.content.decode()
    assert reveals().count() == 2


def test_history_of_health_data_is_masked_for_users_without_the_right(long, users, clerk, client_for):
    url = reverse("registry:person_detail", args=[long.pk])
    assert Change.objects.filter(person=long, field="残疾类别", after="肢体残疾").exists()
    assert "肢体残疾" not in client_for(clerk).get(url).content.decode()
    history = client_for(users["county_a"]).get(url).context["history"]
    assert any(row["after"] == "肢体残疾" for row in history)


def test_api_shows_the_fields_and_health_data_only_to_allowed_users(long, users, clerk, client_for):
    url = reverse("person-detail", kwargs={"pk": long.pk})
    body = client_for(users["county_a"]).get(url).json()
    assert {k: body[k] for k in STATUS} == {**STATUS, "died_on": None}
    assert body["health"] == "患有大病" and body["is_deceased"] is False
    assert reveals().get().message == "接口查看完整证件号码、电话和健康、残疾信息"
    listed = client_for(users["county_a"]).get(reverse("person-list")).json()["results"][0]
    assert listed["pension_status"] == "领取待遇" and listed["medical_insured_year"] == 2025
    hidden = {"health": "******", "disability_category": "******", "disability_grade": "******"}
    assert {k: listed[k] for k in hidden} == hidden
    body = client_for(clerk).get(url).json()
    assert {k: body[k] for k in hidden} == hidden and body["pension_insurance"] == "城乡居民养老保险"
    assert "肢体残疾" not in str(body) and reveals().count() == 1


def form_values(response) -> dict:
    form = response.context["form"]
    return {name: form[name].value() if form[name].value() is not None else "" for name in form.fields}


def test_edit_form_saves_status_changes_as_manual_history(long, users, client_for):
    client = client_for(users["county_a"])
    edit = reverse("registry:person_edit", args=[long.pk])
    data = form_values(client.get(edit))
    data.update(is_deceased="是", died_on="2025-03-01", disability_grade="一级", pension_status="终止参保")
    assert client.post(edit, data).status_code == 302
    long.refresh_from_db()
    assert long.is_deceased and long.died_on == dt.date(2025, 3, 1) and long.disability_grade == "一级"
    assert long.pension_status == "终止参保" and long.medical_status == "参保" and long.health == "患有大病"
    changes = Change.objects.filter(person=long, source=SOURCE_MANUAL)
    assert {c.field: (c.before, c.after) for c in changes} == {
        "已故": ("否", "是"),
        "死亡日期": ("", "2025-03-01"),
        "残疾等级": ("二级", "一级"),
        "养老保险参保状态": ("领取待遇", "终止参保"),
    }
    assert AuditEvent.objects.filter(
        action=Action.UPDATE, object_id=str(long.pk), actor=users["county_a"]
    ).exists()
    page = client.get(reverse("registry:person_detail", args=[long.pk])).content.decode()
    assert "2025-03-01" in page and "已故" in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"died_on": "2025-03-01"}, "died_on", "请同时把“是否已故”选为“是”"),
        ({"is_deceased": "是", "died_on": "1960-01-01"}, "died_on", "不能早于出生日期"),
        ({"is_deceased": "是", "died_on": "2999-01-01"}, "died_on", "不能晚于今天"),
        ({"disability_grade": ""}, "disability_grade", "残疾类别和等级应同时填写"),
        ({"medical_insured_year": ""}, "medical_insured_year", "请同时填写参保年度"),
        ({"medical_insured_year": "1800"}, "medical_insured_year", "应在 1990–"),
        ({"pension_insurance": ""}, "pension_insurance", "请同时选择险种"),
        ({"disability_category": "残疾"}, "disability_category", "选择一个有效的选项"),
    ],
)
def test_edit_form_checks_the_fields(long, users, client_for, changes, field, message):
    client = client_for(users["county_a"])
    edit = reverse("registry:person_edit", args=[long.pk])
    data = form_values(client.get(edit))
    data.update(changes)
    response = client.post(edit, data)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    long.refresh_from_db()
    assert not long.is_deceased and long.disability_grade == "二级" and long.medical_insured_year == 2025


def test_edit_form_without_the_right_never_shows_health_data_and_keeps_it(long, clerk, client_for):
    client = client_for(clerk)
    edit = reverse("registry:person_edit", args=[long.pk])
    response = client.get(edit)
    text = response.content.decode()
    assert "不修改（当前值不显示）" in text and 'value="肢体残疾" selected' not in text
    assert 'value="患有大病" selected' not in text and 'value="二级" selected' not in text
    data = form_values(response)
    assert data["health"] == data["disability_category"] == data["disability_grade"] == ""
    data.update(pension_status="暂停缴费", expected_wage="6100")
    assert client.post(edit, data).status_code == 302
    long.refresh_from_db()
    assert (long.health, long.disability_category, long.disability_grade) == ("患有大病", "肢体残疾", "二级")
    assert long.pension_status == "暂停缴费" and long.expected_wage == 6100
    data.update(disability_category="视力残疾", disability_grade="三级", health="残疾")
    assert client.post(edit, data).status_code == 302
    long.refresh_from_db()
    assert (long.health, long.disability_category, long.disability_grade) == ("残疾", "视力残疾", "三级")


def test_create_with_status_fields(users, client_for):
    from bangfu.registry.tests.test_views import form_data

    data = form_data(pension_insurance="城乡居民养老保险", pension_status="参保缴费")
    response = client_for(users["county_a"]).post(reverse("registry:person_create"), data)
    assert response.status_code == 302
    created = Person.objects.get(id_number=data["id_number"])
    assert (
        created.pension_status == "参保缴费" and not created.is_deceased and created.disability_category == ""
    )


def test_export_columns_stay_the_public_contract(long, users, client_for):
    """EXCHANGE.md §1 defines the export's columns: the comparison fields are not among them."""
    response = client_for(users["county_a"]).get(reverse("registry:person_export"), {"format": "csv"})
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0].split(",")
    assert header == list(EXPORT_COLUMNS)
    assert not {"死亡日期", "残疾类别", "残疾等级", "养老保险险种", "医保参保状态"} & set(header)


def test_audit_log_never_holds_health_data_in_clear(long, users):
    """The audit log is read by every member of staff of the area: saving a person and a comparison's
    change both leave health and disability values out, as they do ID numbers and phones."""
    update_person_fields(users["county_a"], long, {"disability_grade": "三级"}, source="比对")
    events = AuditEvent.objects.filter(object_id=str(long.pk))
    text = " ".join(str(e.before) + str(e.after) for e in events)
    assert events.count() >= 3  # created, the comparison's fields, this change
    for secret in ("患有大病", "肢体残疾", "二级", "三级"):
        assert secret not in text
    assert "******" in text
