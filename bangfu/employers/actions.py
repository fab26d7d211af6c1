"""Writes to the employers ledger: employers, enterprise accounts linked to them, labor cooperation.

Each runs in one transaction with its audit event. Staff write the employers registered in their subtree
(`Employer.objects.for_user`) and the cooperations whose sending area is in it.
"""

import datetime as dt

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from bangfu.accounts.models import Kind, User
from bangfu.areas.models import Area
from bangfu.audit.log import record, snapshot
from bangfu.audit.models import Action
from bangfu.employers.creditcode import CreditCodeError, parse_credit_code
from bangfu.employers.models import Cooperation, Employer

EMPLOYER_FIELDS = [
    "credit_code",
    "name",
    "kind",
    "area",
    "address",
    "industry",
    "contact_name",
    "contact_phone",
    "is_active",
    "note",
]


def _check_staff(actor, area: Area, message: str) -> None:
    if actor is None or not actor.is_active or not actor.is_staff_account or actor.area is None:
        raise PermissionDenied("需要工作人员账号。")
    if not actor.area.contains(area):
        raise PermissionDenied(message)


def _snapshot(employer: Employer) -> dict:
    values = snapshot(employer, EMPLOYER_FIELDS)
    # contact_phone is not in audit.log's masked names: the audit log is read by all staff of the area.
    from bangfu.core.idnumber import mask_phone

    if values.get("contact_phone"):
        values["contact_phone"] = mask_phone(values["contact_phone"])
    return values


@transaction.atomic
def save_employer(actor, employer: Employer) -> Employer:
    """Create (pk None) or edit an employer registered in the actor's subtree."""
    creating = employer.pk is None
    before = None
    if not creating:
        old = Employer.objects.get(pk=employer.pk)
        _check_staff(actor, old.area, "该单位不在您的管辖区域内。")
        before = _snapshot(old)
    _check_staff(actor, employer.area, "单位所在地须在您的管辖区域内。")
    try:
        employer.credit_code = parse_credit_code(employer.credit_code)
    except CreditCodeError as exc:
        raise ValidationError({"credit_code": f"统一社会信用代码{exc}"}) from exc
    taken = Employer.objects.filter(credit_code=employer.credit_code).exclude(pk=employer.pk).first()
    if taken is not None:
        raise ValidationError(
            {"credit_code": f"该统一社会信用代码已登记（{taken.name}，{taken.area.name}）。"}
        )
    employer.save()
    after = _snapshot(employer)
    if creating:
        record(Action.CREATE, actor=actor, obj=employer, after=after, message="登记用人单位")
    elif after != before:
        record(Action.UPDATE, actor=actor, obj=employer, before=before, after=after, message="修改用人单位")
    return employer


@transaction.atomic
def create_enterprise_account(
    actor, employer: Employer, *, username: str, password: str, name: str = "", phone: str = ""
) -> User:
    """A new enterprise-kind account acting for `employer` in the enterprise portal.

    Its area is the employer's (for the audit log); it must change the password at first login.
    """
    _check_staff(actor, employer.area, "该单位不在您的管辖区域内。")
    if not actor.can_manage_users:
        raise PermissionDenied("您没有用户管理权限，不能开通企业账号。")
    if User.objects.filter(username=username).exists():
        raise ValidationError({"username": "该登录名已被使用。"})
    user = User(
        username=username,
        name=name or employer.name,
        phone=phone,
        kind=Kind.ENTERPRISE,
        role="",
        area=employer.area,
        must_change_password=True,
    )
    validate_password(password, user)
    user.set_password(password)
    user.save()
    employer.accounts.add(user)
    record(
        Action.CREATE,
        actor=actor,
        obj=user,
        after=snapshot(user, ["username", "name", "kind", "area", "must_change_password"]),
        message=f"开通企业账号（{employer.name}）",
    )
    return user


@transaction.atomic
def link_account(actor, employer: Employer, user: User) -> None:
    """Let an existing enterprise account act for one more employer."""
    _check_staff(actor, employer.area, "该单位不在您的管辖区域内。")
    if user.kind != Kind.ENTERPRISE:
        raise ValidationError({"username": "只能关联“用人单位”类型的账号。"})
    if user.area_id is None or not actor.area.contains(user.area_id):
        raise ValidationError({"username": "该账号不在您的管辖区域内。"})
    if employer.accounts.filter(pk=user.pk).exists():
        return
    employer.accounts.add(user)
    record(Action.UPDATE, actor=actor, obj=employer, message=f"关联企业账号 {user.username}")


@transaction.atomic
def unlink_account(actor, employer: Employer, user: User) -> None:
    _check_staff(actor, employer.area, "该单位不在您的管辖区域内。")
    if employer.accounts.filter(pk=user.pk).exists():
        employer.accounts.remove(user)
        record(Action.UPDATE, actor=actor, obj=employer, message=f"解除企业账号 {user.username}")


@transaction.atomic
def create_cooperation(
    actor, *, sending_area: Area, receiving_area: Area, started_on=None, note: str = ""
) -> Cooperation:
    """A labor cooperation from a sending area in the actor's subtree to any receiving area."""
    _check_staff(actor, sending_area, "输出地须在您的管辖区域内。")
    if sending_area.contains(receiving_area) or receiving_area.contains(sending_area):
        raise ValidationError({"receiving_area": "输入地不能与输出地相同或互相包含。"})
    existing = Cooperation.objects.filter(sending_area=sending_area, receiving_area=receiving_area).first()
    if existing is not None:
        if existing.ended_on is None:
            raise ValidationError({"receiving_area": "这两地之间已有生效中的劳务协作关系。"})
        before = snapshot(existing)
        existing.ended_on, existing.started_on, existing.note = None, started_on, note or existing.note
        existing.save()
        record(
            Action.UPDATE,
            actor=actor,
            obj=existing,
            before=before,
            after=snapshot(existing),
            message="恢复劳务协作关系",
        )
        return existing
    cooperation = Cooperation.objects.create(
        sending_area=sending_area, receiving_area=receiving_area, started_on=started_on, note=note
    )
    record(
        Action.CREATE, actor=actor, obj=cooperation, after=snapshot(cooperation), message="建立劳务协作关系"
    )
    return cooperation


@transaction.atomic
def end_cooperation(actor, cooperation: Cooperation, ended_on: dt.date) -> Cooperation:
    _check_staff(actor, cooperation.sending_area, "输出地不在您的管辖区域内。")
    if cooperation.ended_on is not None:
        return cooperation
    before = snapshot(cooperation)
    cooperation.ended_on = ended_on
    cooperation.save(update_fields=["ended_on"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=cooperation,
        before=before,
        after=snapshot(cooperation),
        message="结束劳务协作关系",
    )
    return cooperation
