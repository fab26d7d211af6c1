"""Staff manage the users of their own subtree, never above it; every change is audited."""

import json

from django.urls import reverse
from rest_framework.authtoken.models import Token

from bangfu.accounts.models import Role, User
from bangfu.audit.models import Action, AuditEvent
from bangfu.conftest import PASSWORD, TOWNSHIP_A, make_user


def new_user_data(**overrides):
    data = {
        "username": "li_si",
        "name": "李四",
        "phone": "13912345678",
        "area": TOWNSHIP_A,
        "password": "Init-pass-2026",
    }
    data.update(overrides)
    return data


def test_county_user_creates_township_user_with_role_from_area(users, client_for):
    response = client_for(users["county_a"]).post(reverse("accounts:user_create"), new_user_data())
    assert response.status_code == 302
    created = User.objects.get(username="li_si")
    assert created.area_id == TOWNSHIP_A.ljust(12, "0") and created.role == Role.TOWNSHIP
    assert created.must_change_password  # a manager-set password is temporary
    event = AuditEvent.objects.get(action=Action.CREATE, object_id=str(created.pk))
    assert event.username == "u_county_a" and event.after["area"] == created.area_id
    assert "password" not in event.after
    assert event.after["phone"] == "139****5678"  # the audit log shows phones masked


def test_cannot_create_user_outside_or_above_own_area(users, client_for):
    c = client_for(users["county_a"])
    for code in ("433123", "4331", "43", "999999"):
        response = c.post(reverse("accounts:user_create"), new_user_data(area=code))
        assert response.status_code == 200
        assert "不在您的管辖区域内" in response.content.decode()
    response = c.post(reverse("accounts:user_create"), new_user_data(area="12345"))
    assert "格式不正确" in response.content.decode()
    assert not User.objects.filter(username="li_si").exists()


def test_cannot_grant_sensitive_access_one_lacks(users, areas, client_for):
    manager = make_user("m_nosens", areas["county_a"], can_view_sensitive=False)
    client_for(manager).post(reverse("accounts:user_create"), new_user_data(can_view_sensitive="on"))
    assert User.objects.get(username="li_si").can_view_sensitive is False  # the field is disabled for them


def test_duplicate_username_is_refused(users, client_for):
    response = client_for(users["county_a"]).post(
        reverse("accounts:user_create"), new_user_data(username="u_city")
    )
    assert "该登录名已被使用" in response.content.decode()


def test_village_officer_has_no_user_management(users, client_for):
    c = client_for(users["village_a"])
    assert c.get(reverse("accounts:user_list")).status_code == 403
    assert c.post(reverse("accounts:user_create"), new_user_data(area="433124102201")).status_code == 403


def test_cannot_manage_self_or_superior(users, client_for):
    c = client_for(users["county_a"])
    response = c.post(
        reverse("accounts:user_set_active", kwargs={"pk": users["county_a"].pk}), {"active": "0"}
    )
    assert response.status_code == 403
    response = c.get(reverse("accounts:user_detail", kwargs={"pk": users["city"].pk}))
    assert response.status_code == 404
    users["county_a"].refresh_from_db()
    assert users["county_a"].is_active


def test_edit_moves_user_and_records_before_and_after(users, client_for):
    target = users["village_a"]
    response = client_for(users["county_a"]).post(
        reverse("accounts:user_edit", kwargs={"pk": target.pk}),
        {
            "username": target.username,
            "name": "王五",
            "phone": "",
            "area": TOWNSHIP_A,
        },
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.role == Role.TOWNSHIP and target.name == "王五"
    event = AuditEvent.objects.filter(action=Action.UPDATE, object_id=str(target.pk)).latest("id")
    assert event.before["area"] == "433124102201" and event.after["area"] == "433124102000"
    assert ("name", "", "王五") in event.changed_fields()


def test_deactivating_revokes_api_token(users, client_for):
    target = users["village_a"]
    Token.objects.create(user=target)
    client_for(users["county_a"]).post(
        reverse("accounts:user_set_active", kwargs={"pk": target.pk}), {"active": "0"}
    )
    target.refresh_from_db()
    assert not target.is_active and not Token.objects.filter(user=target).exists()


def test_password_reset_forces_change_and_rejects_weak(users, client_for):
    target = users["village_a"]
    url = reverse("accounts:user_reset_password", kwargs={"pk": target.pk})
    c = client_for(users["county_a"])
    assert c.post(url, {"password": "123"}).status_code == 400
    target.refresh_from_db()
    assert target.check_password(PASSWORD)
    assert c.post(url, {"password": "Reset-pass-2026"}).status_code == 302
    target.refresh_from_db()
    assert target.must_change_password and target.check_password("Reset-pass-2026")


def test_phone_is_masked_in_list_and_revealed_with_audit(users, client_for):
    c = client_for(users["city"])
    text = c.get(reverse("accounts:user_list")).content.decode()
    assert "138****5678" in text and "13812345678" not in text
    response = c.post(reverse("accounts:user_reveal_phone", kwargs={"pk": users["county_a"].pk}))
    assert "13812345678" in response.content.decode()
    event = AuditEvent.objects.get(action=Action.VIEW_SENSITIVE)
    assert event.username == "u_city" and event.object_id == str(users["county_a"].pk)


def test_reveal_refused_without_sensitive_right(users, areas, client_for):
    viewer = make_user("m_nosens", areas["city"], can_view_sensitive=False)
    response = client_for(viewer).post(
        reverse("accounts:user_reveal_phone", kwargs={"pk": users["county_a"].pk})
    )
    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.VIEW_SENSITIVE).exists()


def test_profile_update_and_api_token(users, client_for):
    c = client_for(users["village_a"])
    response = c.post(reverse("accounts:profile"), {"name": "赵六", "phone": "0743-7221234"})
    assert response.status_code == 302
    assert c.post(reverse("accounts:profile"), {"name": "x", "phone": "abc"}).status_code == 200
    users["village_a"].refresh_from_db()
    assert users["village_a"].phone == "0743-7221234"
    page = c.post(reverse("accounts:token_issue")).content.decode()
    key = Token.objects.get(user=users["village_a"]).key
    assert key in page
    c.post(reverse("accounts:token_revoke"))
    assert not Token.objects.filter(user=users["village_a"]).exists()


def test_user_list_filters(users, client_for):
    c = client_for(users["province"])
    text = c.get(reverse("accounts:user_list"), {"area": "433124"}).content.decode()
    assert "u_county_a" in text and "u_county_b" not in text
    text = c.get(reverse("accounts:user_list"), {"role": "village"}).content.decode()
    assert "u_village_a" in text and "u_county_a" not in text
    text = c.get(reverse("accounts:user_list"), {"area": "440105"}).content.decode()
    assert "不在您的管辖区域内" in text


def test_user_list_query_count_does_not_grow_with_users(
    users, areas, client_for, django_assert_max_num_queries
):
    for i in range(30):
        make_user(f"bulk{i}", areas["village_a"])
    c = client_for(users["county_a"])
    with django_assert_max_num_queries(8):
        c.get(reverse("accounts:user_list"))


def test_api_user_management(users, client_for):
    c = client_for(users["county_a"])
    response = c.post(reverse("user-list"), new_user_data(), content_type="application/json")
    assert response.status_code == 201, response.content
    assert response.json()["phone"] == "139****5678"
    pk = response.json()["id"]
    response = c.patch(
        reverse("user-detail", kwargs={"pk": pk}),
        json.dumps({"area": "433123"}),
        content_type="application/json",
    )
    assert response.status_code == 400 and "不在您的管辖区域内" in response.content.decode()
    response = c.post(reverse("user-list"), "{not json", content_type="application/json")
    assert response.status_code == 400
    response = c.post(
        reverse("user-list"), new_user_data(username="w1", password="1"), content_type="application/json"
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="w1").exists()


def test_api_deactivate_with_string_false_and_true(users, client_for):
    target = users["village_a"]
    url = reverse("user-detail", kwargs={"pk": target.pk})
    c = client_for(users["county_a"])
    assert (
        c.patch(url, json.dumps({"is_active": "false"}), content_type="application/json").status_code == 200
    )
    target.refresh_from_db()
    assert target.is_active is False
    assert c.patch(url, json.dumps({"is_active": "true"}), content_type="application/json").status_code == 200
    target.refresh_from_db()
    assert target.is_active is True
    response = c.patch(url, json.dumps({"is_active": "maybe"}), content_type="application/json")
    assert response.status_code == 400
