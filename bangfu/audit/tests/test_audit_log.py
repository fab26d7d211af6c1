"""The audit log is append-only, scoped, and browsable with filters."""

import pytest
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from bangfu.audit.log import record
from bangfu.audit.models import Action, AppendOnlyError, AuditEvent


def test_orm_refuses_update_and_delete(users):
    event = record(Action.UPDATE, actor=users["county_a"], obj=users["village_a"], message="x")
    event.message = "changed"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(message="y")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.all().delete()


def test_database_refuses_update(users):
    event = record(Action.UPDATE, actor=users["county_a"], obj=users["village_a"], message="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET message = %s WHERE id = %s", ["forged", event.pk])
    assert AuditEvent.objects.get(pk=event.pk).message == "x"
    if connection.vendor == "postgresql":  # SQLite leaves DELETE to the ORM guard (see migration 0002)
        with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
        assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_event_belongs_to_the_objects_area(users):
    event = record(Action.UPDATE, actor=users["province"], obj=users["village_a"])
    assert event.area_code == "433124102201" and event.object_type == "accounts.user"


def test_list_filters_and_bad_input(users, client_for):
    record(Action.EXPORT, actor=users["county_a"], obj=users["village_a"], message="导出测试")
    c = client_for(users["county_a"])
    text = c.get(reverse("audit:list"), {"action": "export"}).content.decode()
    assert "导出测试" in text
    text = c.get(reverse("audit:list"), {"action": "login"}).content.decode()
    assert "导出测试" not in text
    text = c.get(reverse("audit:list"), {"since": "2026-13-45"}).content.decode()
    assert "格式不正确" in text and "导出测试" not in text
    text = c.get(reverse("audit:list"), {"area": "433123"}).content.decode()
    assert "不在您的管辖区域内" in text
    text = c.get(reverse("audit:list"), {"object": f"accounts.user:{users['village_a'].pk}"}).content.decode()
    assert "导出测试" in text


def test_detail_shows_before_and_after(users, client_for):
    event = record(
        Action.UPDATE,
        actor=users["county_a"],
        obj=users["village_a"],
        before={"name": "甲"},
        after={"name": "乙"},
    )
    text = (
        client_for(users["county_a"]).get(reverse("audit:detail", kwargs={"pk": event.pk})).content.decode()
    )
    assert "甲" in text and "乙" in text
