"""Registry API: same validation as the import, masking unless allowed (audited), history on change."""

import json

from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import make_user
from bangfu.registry.models import Change, Household, Person
from bangfu.registry.tests.conftest import HEAD_ID, pid

NEW = {
    "village_code": "433124102201",
    "household_number": "API1",
    "name": "龙春生",
    "id_number": HEAD_ID,
    "relation": "户主",
    "labor_skill": "普通劳动力",
    "employment_status": "未务工",
    "phone": "13812345678",
    "household_type": "监测户",
    "monitoring_type": "边缘易致贫户",
    "is_dibao": True,
}


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def patch(client, url, data):
    return client.patch(url, json.dumps(data), content_type="application/json")


def test_create_validates_like_the_import(users, client_for):
    c = client_for(users["county_a"])
    bad = dict(NEW, id_number=HEAD_ID[:17] + ("0" if HEAD_ID[17] != "0" else "1"), education="大学")
    response = post(c, reverse("person-list"), bad)
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert "校验" in errors["id_number"] and "只能填写" in errors["education"]
    response = post(c, reverse("person-list"), dict(NEW, village_code="433123109225"))
    assert response.status_code == 400 and "不在您的管辖区域内" in response.json()["errors"]["village_code"]
    response = post(c, reverse("person-list"), dict(NEW, nickname="x"))
    assert response.status_code == 400 and "nickname" in response.json()["errors"]
    assert Person.objects.count() == 0


def test_create_retrieve_and_update(users, client_for):
    c = client_for(users["county_a"])
    response = post(c, reverse("person-list"), NEW)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["id_number"] == HEAD_ID[:6] + "********" + HEAD_ID[-4:] and body["phone"] == "138****5678"
    created = AuditEvent.objects.get(action=Action.CREATE, object_type="registry.person")
    assert created.after["id_number"] == body["id_number"] and created.after["phone"] == "138****5678"
    assert HEAD_ID not in str(created.after)  # staff without the sensitive right read the audit log too
    household = Household.objects.get(number="API1")
    assert household.is_dibao is True and household.monitoring_type == "边缘易致贫户"
    url = reverse("person-detail", kwargs={"pk": body["id"]})
    assert c.get(url).json()["id_number"] == HEAD_ID  # county A may see it, and the showing is audited
    assert AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE, object_id=str(body["id"])).count() == 1
    response = patch(c, url, {"employment_status": "省外务工", "work_months": 6})
    assert response.status_code == 200, response.content
    person = Person.objects.get(pk=body["id"])
    assert person.employment_status == "省外务工" and person.phone == "13812345678"  # unsent fields kept
    assert set(Change.objects.filter(person=person).values_list("field", flat=True)) == {
        "务工状态",
        "务工时间(月)",
    }
    response = patch(c, url, {"id_number": pid("1990-01-01", 11)})
    assert response.status_code == 400 and "不能修改" in response.json()["errors"]["id_number"]


def test_list_masks_and_filters(users, areas, client_for):
    c = client_for(users["county_a"])
    post(c, reverse("person-list"), NEW)
    post(
        c,
        reverse("person-list"),
        dict(
            NEW,
            household_number="API2",
            name="石秀英",
            id_number=pid("1977-08-09", 22),
            monitoring_type="",
            household_type="脱贫户",
        ),
    )
    results = c.get(reverse("person-list"), {"q": "lcs"}).json()["results"]
    assert [r["name"] for r in results] == ["龙春生"] and "*" in results[0]["id_number"]
    results = c.get(reverse("person-list"), {"household_type": "脱贫户"}).json()["results"]
    assert [r["name"] for r in results] == ["石秀英"]
    viewer = make_user("m_nosens", areas["county_a"], can_view_sensitive=False)
    detail = client_for(viewer).get(reverse("person-detail", kwargs={"pk": results[0]["id"]})).json()
    assert "*" in detail["id_number"]


def test_households_api(users, client_for):
    c = client_for(users["county_a"])
    response = post(
        c,
        reverse("household-list"),
        {"number": "HH9", "village_code": "433124102201", "household_type": "脱贫户"},
    )
    assert response.status_code == 201, response.content
    url = reverse("household-detail", kwargs={"pk": response.json()["id"]})
    response = patch(c, url, {"monitoring_type": "边缘易致贫户"})
    assert response.status_code == 400 and "监测户" in str(response.json()["errors"]["monitoring_type"])
    response = patch(c, url, {"household_type": "监测户", "monitoring_type": "边缘易致贫户"})
    assert response.status_code == 200
    assert Change.objects.filter(household__number="HH9", field="监测对象类型").exists()
    response = post(
        client_for(users["county_b"]),
        reverse("household-list"),
        {"number": "HH9", "village_code": "433123109225"},
    )
    assert response.status_code == 400
