"""Registering a person cannot probe the registry beyond what 窗口实名核验 tells: an ID number registered in
another area is refused with the window check's answer (home county and status, never the name), the
refusal is kept and audited as a check, and it counts against the same per-user limit, which applies
before the registry is looked up."""

import json

import pytest
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.registry.actions import create_import_batch, run_registry_import
from bangfu.registry.models import Person, WindowCheck
from bangfu.registry.tests.conftest import VILLAGE, VILLAGE_B, person, pid, write_xlsx
from bangfu.registry.tests.test_views import form_data

OUTSIDER_ID = pid("1980-01-01", 51, "433123")  # 田大山, a 脱贫户 of county B
UNKNOWN_ID = pid("1991-02-03", 61)
CREATE = reverse("registry:person_create")


@pytest.fixture
def outsider(areas, tmp_path):
    path = write_xlsx(tmp_path / "b.xlsx", [person("B1", "田大山", OUTSIDER_ID, code=VILLAGE_B)])
    run_registry_import(create_import_batch(area=areas["county_b"], user=None, path=path))
    return Person.objects.get(id_number=OUTSIDER_ID)


def api_create(client, **changes):
    data = {
        "village_code": VILLAGE,
        "household_number": "API9",
        "name": "田大山",
        "id_number": OUTSIDER_ID,
        "relation": "户主",
        "labor_skill": "普通劳动力",
        "employment_status": "未务工",
    }
    data.update(changes)
    return client.post(reverse("person-list"), json.dumps(data), content_type="application/json")


def assert_kept_as_a_check(user, outsider):
    check = WindowCheck.objects.get(user=user)
    assert check.found and check.person == outsider and check.area == user.area
    assert "凤凰县" in check.result and "登记人员时核验" in check.result and "田大山" not in check.result
    event = AuditEvent.objects.get(action=Action.VIEW_SENSITIVE, actor=user)
    assert "登记人员时核验" in event.message and outsider.masked_id in event.message
    assert OUTSIDER_ID not in event.message and "田大山" not in event.message


def test_the_page_answers_as_the_window_does_and_keeps_the_check(outsider, users, client_for):
    user = users["county_a"]
    window = client_for(users["county_b"])  # what any window learns about the number
    window.post(reverse("registry:window_check"), {"id_number": OUTSIDER_ID})
    answer = window.post(reverse("registry:window_check"), {"id_number": OUTSIDER_ID}).context["answer"]

    response = client_for(user).post(CREATE, form_data(id_number=OUTSIDER_ID, name="张三"))
    assert response.status_code == 200
    error = response.context["form"].errors["id_number"][0]
    assert answer.home in error and answer.status in error and "不在您的管辖区域内" in error
    assert "田大山" not in response.content.decode()
    assert_kept_as_a_check(user, outsider)
    assert Person.objects.get(id_number=OUTSIDER_ID).area_id == VILLAGE_B and Person.objects.count() == 1


def test_the_api_answers_as_the_window_does_and_keeps_the_check(outsider, users, client_for):
    user = users["county_a"]
    response = api_create(client_for(user))
    assert response.status_code == 403
    detail = response.json()["detail"]
    assert "凤凰县" in detail and "已登记：脱贫户" in detail and "田大山" not in detail
    assert_kept_as_a_check(user, outsider)
    assert Person.objects.count() == 1


def test_the_limit_refuses_before_looking_so_the_refusal_tells_nothing(outsider, users, client_for, settings):
    settings.BANGFU_WINDOW_CHECK_MAX = 2
    user = users["county_a"]
    c = client_for(user)
    # Registering new people, or finding one's own, is no check and counts nothing.
    for seq, household in ((71, "N1"), (72, "N2"), (73, "N3")):
        new = form_data(id_number=pid("1985-05-05", seq), household_number=household)
        assert c.post(CREATE, new).status_code == 302
    assert api_create(c, id_number=pid("1986-06-06", 74), household_number="N4").status_code == 201
    own = c.post(CREATE, form_data(id_number=pid("1985-05-05", 71), household_number="N1"))
    assert "请在其人员页面修改" in own.context["form"].errors["id_number"][0]
    assert not WindowCheck.objects.exists()

    for number in (OUTSIDER_ID, UNKNOWN_ID):
        c.post(reverse("registry:window_check"), {"id_number": number})
    assert WindowCheck.objects.filter(user=user).count() == 2

    elsewhere = c.post(CREATE, form_data(id_number=OUTSIDER_ID)).context["form"].errors["id_number"][0]
    unknown = c.post(CREATE, form_data(id_number=UNKNOWN_ID)).context["form"].errors["id_number"][0]
    assert elsewhere == unknown and "核验过于频繁" in elsewhere and "凤凰县" not in elsewhere
    response = api_create(c, id_number=UNKNOWN_ID)
    assert response.status_code == 429 and "核验过于频繁" in response.json()["detail"]
    assert response.json()["detail"] == api_create(c).json()["detail"]
    window = c.post(reverse("registry:window_check"), {"id_number": OUTSIDER_ID})
    assert window.context["answer"] is None
    assert "核验过于频繁" in window.context["form"].errors["id_number"][0]
    assert WindowCheck.objects.filter(user=user).count() == 2 and Person.objects.count() == 5
    # Another user's checks are their own.
    other = form_data(
        id_number=pid("1992-02-03", 62, "433123"), village_code=VILLAGE_B, household_number="B9"
    )
    assert client_for(users["county_b"]).post(CREATE, other).status_code == 302
