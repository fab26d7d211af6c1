"""Writes to policy rules: add a new version for an area, withdraw a version that has not taken effect, load
the versions of a rules file (EXCHANGE §9). A version in force is never changed (history stays); each write
is audited in the same transaction."""

from dataclasses import dataclass

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
    if kind.model.objects.filter(
        region_prefix=prefix, designation=rule.designation, effective_from=rule.effective_from
    ).exists():
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


@transaction.atomic
def load_versions(actor, versions, *, file_name: str = ""):
    """Save the versions a rules file gave (rules/load.py checked them): new ones created, stored ones not yet
    in effect replaced by the file's values. `actor` None is the command. Each version is audited, and the
    load as a whole once. Returns (created, updated)."""
    created = updated = 0
    for version in versions:
        kind = version.kind
        if actor is not None and not can_set_rules(actor, version.prefix):
            raise PermissionDenied("您不能为该区域设定规则。")
        rule = version.stored
        where = version.describe()
        if rule is None:
            rule = kind.model(
                region_prefix=version.prefix,
                designation=version.designation,
                effective_from=version.effective_from,
                note=version.note,
                created_by=actor,
                **version.values,
            )
            rule.full_clean()
            rule.save()  # dated in the past: a new row, allowed (RegionalRule refuses changes only)
            created += 1
            audit(
                Action.CREATE,
                actor=actor,
                obj=rule,
                area_code=rule.region_code,
                message=f"导入规则版本：{where}" + (f"（{file_name}）" if file_name else ""),
                after=snapshot(rule),
            )
        else:
            before = snapshot(rule)
            for name, value in version.values.items():
                setattr(rule, name, value)
            if version.note:
                rule.note = version.note
            rule.full_clean(validate_unique=False)
            rule.save()  # refused by RegionalRule if it has taken effect meanwhile: the whole load rolls back
            updated += 1
            audit(
                Action.UPDATE,
                actor=actor,
                obj=rule,
                area_code=rule.region_code,
                message=f"导入规则版本，修改尚未生效的版本：{where}"
                + (f"（{file_name}）" if file_name else ""),
                before=before,
                after=snapshot(rule),
            )
    return created, updated


def record_load(actor, *, file_name: str, message: str) -> None:
    """The one audit event of a rules file's load, whatever it changed (also when it changed nothing)."""
    audit(
        Action.IMPORT,
        actor=actor,
        area_code=actor.area_id if actor is not None else "000000000000",
        message=f"导入政策规则文件 {file_name}：{message}",
    )


@dataclass
class LoadResult:
    validation: object  # rules.load.Validation
    created: int = 0
    updated: int = 0

    @property
    def unchanged(self) -> int:
        return len(self.validation.unchanged)

    @property
    def message(self) -> str:
        v = self.validation
        text = (
            f"共 {v.total_rows} 行；新增规则版本 {self.created} 个，修改尚未生效的版本 {self.updated} 个，"
            f"与已有版本相同未变 {self.unchanged} 个"
        )
        return text + (f"；{v.error_rows} 行未导入" if v.error_rows else "") + "。"


def load_rules_file(actor, path, *, allow_past: bool, file_name: str = "") -> LoadResult:
    """A rules file (EXCHANGE §9) checked row by row, then its good versions saved and the load audited in
    one transaction. `actor` None is `bangfu rules load` (any region, any date); a user on the 政策规则
    page loads the regions they may set, from today on. SpreadsheetError when the file is unusable."""
    from bangfu.rules.load import validate_rules_file

    validation = validate_rules_file(path, actor=actor, allow_past=allow_past)
    result = LoadResult(validation)
    with transaction.atomic():
        result.created, result.updated = load_versions(actor, validation.versions, file_name=file_name)
        record_load(actor, file_name=file_name or str(path), message=result.message)
    return result
