"""Writing audit events. Call `record` inside the same transaction as the change it describes."""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable

from django.db import models

from bangfu.audit.context import current_origin
from bangfu.audit.models import Action, AuditEvent
from bangfu.core.idnumber import mask_id, mask_phone

# Field names never copied into the audit log, whatever the model.
SECRET_FIELDS = {"password", "key", "token"}
HIDDEN = "******"
# Health data are never written into the audit log in clear, whoever passes them (snapshots or the
# before/after of an edit): only roles allowed to see them may, on the person's page, audited.
HEALTH_FIELDS = {"health", "disability_category", "disability_grade"}
MASKED_FIELDS = {"phone": mask_phone, "id_number": mask_id, **dict.fromkeys(HEALTH_FIELDS, lambda _: HIDDEN)}


def _health_hidden(values):
    if not isinstance(values, dict):
        return values
    return {k: HIDDEN if k in HEALTH_FIELDS and v not in (None, "") else v for k, v in values.items()}


def _plain(value):
    if isinstance(value, (datetime.date, datetime.datetime, datetime.time)):
        return value.isoformat()
    if isinstance(value, (decimal.Decimal, uuid.UUID)):
        return str(value)
    if isinstance(value, models.Model):
        return str(value.pk)
    return value


def snapshot(instance: models.Model, fields: Iterable[str] | None = None) -> dict:
    """The concrete field values of a record, as JSON-safe data (foreign keys by id, secrets left out,
    phone and ID numbers masked: the audit log is read by all staff of the area)."""
    result = {}
    for field in instance._meta.concrete_fields:
        if field.name in SECRET_FIELDS or (fields is not None and field.name not in fields):
            continue
        value = _plain(getattr(instance, field.attname))
        if field.name in MASKED_FIELDS and value:
            value = MASKED_FIELDS[field.name](value)
        result[field.name] = value
    return result


def record(
    action: str | Action,
    *,
    actor=None,
    obj: models.Model | None = None,
    area_code: str | None = None,
    message: str = "",
    before: dict | None = None,
    after: dict | None = None,
    username: str | None = None,
) -> AuditEvent:
    origin = current_origin()
    if area_code is None and obj is not None:
        area_code = audit_area_code(obj)
    if area_code is None and actor is not None and getattr(actor, "area_id", None):
        area_code = actor.area_id
    return AuditEvent.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        username=username if username is not None else (actor.get_username() if actor is not None else ""),
        ip=origin.ip,
        channel=origin.channel,
        action=str(action),
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        object_repr=str(obj)[:200] if obj is not None else "",
        area_code=area_code or "",
        message=message,
        before=_health_hidden(before),
        after=_health_hidden(after),
    )


def audit_area_code(obj: models.Model) -> str | None:
    """The area an object's events belong to: follows the model's `scope_field` path."""
    path = getattr(type(obj), "scope_field", None)
    if not path:
        return None
    *relations, last = path.split("__")
    value = obj
    for part in relations:
        value = getattr(value, part, None)
        if value is None:
            return None
    field = value._meta.get_field(last)
    code = getattr(value, field.attname, None)
    return str(code) if code is not None else None
