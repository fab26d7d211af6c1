"""Writes to policy rules: add a new version for an area, withdraw a version that has not taken effect.
A version in force is never changed (history stays); each write is audited in the same transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.core.rules import region_prefix_of


def can_set_rules(user, region_prefix: str) -> bool:
    """Staff who may manage users may set the rules of their own area and of the areas inside it."""
    return bool(
        user is not None
        and user.is_active
        and user.is_staff_account
        and user.can_manage_users
        and user.area_id
        and region_prefix.startswith(region_prefix_of(user.area))
    )


@transaction.atomic
def add_rule(actor, kind, area, values: dict):
    """A new version of `kind` for `area`, effective today or later."""
    prefix = region_prefix_of(area)
    if not can_set_rules(actor, prefix):
        raise PermissionDenied("您不能为该区域设定规则。")
    rule = kind.model(region_prefix=prefix, created_by=actor, **values)
    if rule.effective_from is None or rule.effective_from < timezone.localdate():
        raise ValidationError(
            {"effective_from": "生效日期不能早于今天：已生效的规则不能更改，只能新增今后生效的版本。"}
        )
    if kind.model.objects.filter(region_prefix=prefix, effective_from=rule.effective_from).exists():
        raise ValidationError(
            {
                "effective_from": f"{area.name}已有 {rule.effective_from:%Y-%m-%d} 生效的{kind.label}版本；"
                "请换一个生效日期，或先撤销那个版本。"
            }
        )
    rule.full_clean()
    rule.save()
    audit(
        Action.CREATE,
        actor=actor,
        obj=rule,
        area_code=area.code,
        message=f"新增{kind.label}规则版本：{area.name}，{rule.effective_from:%Y-%m-%d} 起",
        after=snapshot(rule),
    )
    return rule


@transaction.atomic
def withdraw_rule(actor, kind, rule) -> None:
    """Delete a version that has not taken effect yet (a mistake, or a plan dropped)."""
    if not can_set_rules(actor, rule.region_prefix):
        raise PermissionDenied("您不能撤销该区域的规则。")
    if rule.has_taken_effect():
        raise ValidationError("该规则版本已生效，不能撤销；请新增一个规则版本。")
    before = snapshot(rule)
    region = rule.region
    audit(
        Action.DELETE,
        actor=actor,
        obj=rule,
        area_code=rule.region_code,
        message=f"撤销{kind.label}规则版本：{region.name if region else '全国'}，"
        f"{rule.effective_from:%Y-%m-%d} 起",
        before=before,
    )
    rule.delete()
