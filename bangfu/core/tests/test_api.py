"""The REST API: token auth with Chinese errors, area limits, schema and offline docs."""

import json

from django.test import Client
from django.urls import reverse

from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import PASSWORD


def token_for(username, password=PASSWORD, **extra):
    return Client().post(reverse("api-token"), {"username": username, "password": password}, **extra)


def test_token_obtain_and_use(users):
    response = token_for("u_county_a")
    assert response.status_code == 200
    key = response.json()["token"]
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    me = api.get(reverse("api-me")).json()
    assert me["username"] == "u_county_a" and me["area"] == "433124000000"
    assert AuditEvent.objects.filter(action=Action.TOKEN, username="u_county_a").exists()
    assert AuditEvent.objects.get(action=Action.LOGIN, username="u_county_a").channel == "接口"


def test_wrong_credentials_give_chinese_400(users):
    response = token_for("u_county_a", "nope-12345")
    assert response.status_code == 400 and response.json()["detail"] == "用户名或密码错误。"
    response = Client().post(reverse("api-token"), {})
    assert response.status_code == 400 and "请提供用户名和密码" in response.json()["detail"]


def test_token_obtain_is_throttled(users, settings):
    settings.BANGFU_LOGIN_MAX_FAILURES = 2
    token_for("u_county_a", "nope-12345")
    token_for("u_county_a", "nope-12345")
    response = token_for("u_county_a")
    assert response.status_code == 429 and "登录失败次数过多" in response.json()["detail"]


def test_unauthenticated_and_bad_token_are_refused_in_chinese(users):
    response = Client().get(reverse("area-list"))
    assert response.status_code in (401, 403)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])
    response = Client(HTTP_AUTHORIZATION="Token 0000").get(reverse("area-list"))
    assert response.status_code == 401


def test_area_api_limits_and_bad_codes(users, client_for):
    c = client_for(users["county_a"])
    assert c.get(reverse("area-detail", kwargs={"code": "433124"})).status_code == 200
    assert c.get(reverse("area-detail", kwargs={"code": "433123"})).status_code == 404
    assert c.get(reverse("area-detail", kwargs={"code": "4331241"})).status_code == 404  # malformed code
    response = c.get(reverse("area-list"), {"level": "9"})
    assert response.status_code == 400 and "级别应为" in response.content.decode()
    response = c.get(reverse("area-list"), {"parent": "433124"})
    names = [a["name"] for a in response.json()["results"]]
    assert "龙潭镇" in names and response.json()["count"] == len(names)
    children = c.get(reverse("area-children", kwargs={"code": "433124102"})).json()
    assert all(a["code"].startswith("433124102") for a in children["results"])


def test_patch_outsider_changes_nothing(users, client_for):
    target = users["county_a"]
    response = client_for(users["county_b"]).patch(
        reverse("user-detail", kwargs={"pk": target.pk}),
        json.dumps({"name": "x"}),
        content_type="application/json",
    )
    assert response.status_code == 404 and "未找到" in response.json()["detail"]
    target.refresh_from_db()
    assert target.name == ""


def test_schema_and_docs_are_served_offline(users, client_for):
    c = client_for(users["county_a"])
    schema = c.get(reverse("api-schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert schema["openapi"].startswith("3.") and "/api/v1/areas/" in schema["paths"]
    docs = c.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_demo_token_stops_working_outside_demo_mode(areas, settings):
    from rest_framework.authtoken.models import Token

    from bangfu.conftest import make_user

    demo = make_user("demo433124", areas["county_a"], is_demo=True)
    key = Token.objects.create(user=demo).key
    api = Client(HTTP_AUTHORIZATION=f"Token {key}")
    settings.BANGFU_DEMO = True
    assert api.get(reverse("api-me")).status_code == 200
    settings.BANGFU_DEMO = False
    response = api.get(reverse("api-me"))
    assert response.status_code == 401 and "演示模式" in response.json()["detail"]
