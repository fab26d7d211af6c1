"""Every write of the payout core, each one transaction with its audit event: building a list (the
program's proposals, then the core's checks), checking it again, approving, returning, the bank file
(which pays the list), the payees' bank accounts, and the two rights (审核, 发放导出)."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.payouts import checks
from bangfu.payouts.kinds import kind as kind_of
from bangfu.payouts.models import OPEN, Card, PayeeAccount, PayoutList, PayoutRight, Right, Status
from bangfu.payouts.periods import parse

LIST_FIELDS = ["kind", "period", "area", "status", "lines_count", "passed_count", "failed_count", "total"]


def _staff_area(actor) -> Area | None:
    return actor.area if actor is not None and getattr(actor, "area_id", None) else None


def has_right(user, right: str) -> bool:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    return PayoutRight.objects.filter(user=user, right=right).exists()


@transaction.atomic
def build(actor, key: str, area: Area, period: str) -> PayoutList:
    """A new list of `key` for `area` and `period`, proposed by the program and checked (已校验). An open
    list of the same item, area and period that is not yet approved is rebuilt in place; one approved or
    paid stands (a ValidationError says so), as does one returned (a new one is built)."""
    try:
        kind = kind_of(key)
    except KeyError as error:
        raise ValidationError(str(error.args[0])) from None
    parse(period, kind.period)
    if actor is not None and not (actor.area_id and actor.area.contains(area)):
        raise PermissionDenied("只能为您管辖区域生成发放名单。")
    if kind.refusal is not None and (why := kind.refusal(area, period)):
        raise ValidationError(why)
    existing = (
        PayoutList.objects.select_for_update()
        .filter(kind=key, area=area, period=period, status__in=OPEN)
        .order_by("-id")
        .first()
    )
    if existing is not None and existing.status == Status.APPROVED:
        raise ValidationError(f"{existing} 已审核，不能重新生成；如需更正请先退回。")
    if existing is not None:
        payout_list = existing
        payout_list.lines.all().delete()
        payout_list.status = Status.DRAFT
        payout_list.save(update_fields=["status"])
        message = "重新生成发放名单"
    else:
        payout_list = PayoutList.objects.create(
            kind=key, item=kind.item, basis=kind.basis, period=period, area=area, built_by=actor
        )
        message = "生成发放名单"
    if kind.insert is not None:
        kind.insert(payout_list)
    else:
        checks.insert_proposals(payout_list, kind.propose(area, period))
    _check(payout_list)
    audit(
        Action.CREATE, actor=actor, obj=payout_list, after=snapshot(payout_list, LIST_FIELDS), message=message
    )
    return payout_list


def _check(payout_list: PayoutList) -> None:
    checks.run(payout_list)
    payout_list.status = Status.CHECKED
    payout_list.checked_at = timezone.now()
    payout_list.save(update_fields=["status", "checked_at"])


@transaction.atomic
def recheck(actor, payout_list: PayoutList) -> PayoutList:
    """Check a list that is not yet approved again (after the registry changed)."""
    payout_list = PayoutList.objects.select_for_update().get(pk=payout_list.pk)
    if payout_list.status not in (Status.DRAFT, Status.CHECKED):
        raise ValidationError(f"{payout_list.get_status_display()}的名单不能重新校验。")
    before = snapshot(payout_list, LIST_FIELDS)
    _check(payout_list)
    audit(
        Action.UPDATE,
        actor=actor,
        obj=payout_list,
        before=before,
        after=snapshot(payout_list, LIST_FIELDS),
        message="重新校验发放名单",
    )
    return payout_list


def _results(payout_list: PayoutList) -> tuple:
    return (
        payout_list.lines_count,
        payout_list.passed_count,
        payout_list.failed_count,
        Decimal(payout_list.total),
    )


def approve(actor, payout_list: PayoutList) -> PayoutList:
    """已校验 → 已审核, by a holder of the 审核 right. The checks run again first: when anything changed
    (a death recorded, a payment made on another list), the new results are kept, nothing is approved,
    and a ValidationError asks the user to look again."""
    with transaction.atomic():
        payout_list, approved = _approve(actor, payout_list)
    if not approved:
        raise ValidationError("审核前重新校验发现结果有变化（如新登记的死亡信息），请查看后再审核。")
    return payout_list


def _approve(actor, payout_list: PayoutList) -> tuple[PayoutList, bool]:
    if not has_right(actor, Right.APPROVE):
        raise PermissionDenied("您没有补贴发放审核权限。")
    payout_list = PayoutList.objects.select_for_update().get(pk=payout_list.pk)
    if payout_list.status != Status.CHECKED:
        raise ValidationError(f"只有已校验的名单可以审核，此名单{payout_list.get_status_display()}。")
    before, shown = snapshot(payout_list, LIST_FIELDS), _results(payout_list)
    results = dict(payout_list.lines.values_list("id", "result"))
    checks.run(payout_list)
    if _results(payout_list) != shown or dict(payout_list.lines.values_list("id", "result")) != results:
        payout_list.checked_at = timezone.now()
        payout_list.save(update_fields=["checked_at"])
        audit(
            Action.UPDATE,
            actor=actor,
            obj=payout_list,
            before=before,
            after=snapshot(payout_list, LIST_FIELDS),
            message="审核前重新校验，结果有变化，未审核",
        )
        return payout_list, False
    payout_list.status = Status.APPROVED
    payout_list.approved_by = actor
    payout_list.approved_at = timezone.now()
    payout_list.save(update_fields=["status", "approved_by", "approved_at"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=payout_list,
        before=before,
        after=snapshot(payout_list, LIST_FIELDS),
        message=f"审核通过发放名单：{payout_list.passed_count} 人，{payout_list.total} 元",
    )
    return payout_list, True


@transaction.atomic
def return_list(actor, payout_list: PayoutList, reason: str) -> PayoutList:
    """已校验 or 已审核 → 退回, by a holder of the 审核 right, with a reason. A returned list pays nothing."""
    if not has_right(actor, Right.APPROVE):
        raise PermissionDenied("您没有补贴发放审核权限。")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("请填写退回原因。")
    payout_list = PayoutList.objects.select_for_update().get(pk=payout_list.pk)
    if payout_list.status not in (Status.DRAFT, Status.CHECKED, Status.APPROVED):
        raise ValidationError(f"{payout_list.get_status_display()}的名单不能退回。")
    before = snapshot(payout_list, LIST_FIELDS)
    payout_list.status = Status.RETURNED
    payout_list.returned_by = actor
    payout_list.returned_at = timezone.now()
    payout_list.return_reason = reason[:200]
    payout_list.save(update_fields=["status", "returned_by", "returned_at", "return_reason"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=payout_list,
        before=before,
        after=snapshot(payout_list, LIST_FIELDS),
        message=f"退回发放名单：{reason[:100]}",
    )
    return payout_list


@transaction.atomic
def export_bank(actor, payout_list: PayoutList):
    """The bank file of an approved (or already paid) list, by a holder of the 发放导出 right: the lines
    that passed, with full accounts. The first export pays the list (已发放); every export is audited.
    Returns (rows, missing): the file's rows and the passed lines that have no account."""
    from bangfu.payouts.bank import rows_of

    if not has_right(actor, Right.EXPORT):
        raise PermissionDenied("您没有补贴发放导出权限。")
    payout_list = PayoutList.objects.select_for_update().get(pk=payout_list.pk)
    if payout_list.status not in (Status.APPROVED, Status.PAID):
        raise ValidationError("只有已审核的名单可以导出银行发放文件。")
    rows, missing = rows_of(payout_list)
    before = snapshot(payout_list, LIST_FIELDS)
    if payout_list.status == Status.APPROVED:
        payout_list.status = Status.PAID
        payout_list.paid_by = actor
        payout_list.paid_at = timezone.now()
        payout_list.save(update_fields=["status", "paid_by", "paid_at"])
    audit(
        Action.EXPORT,
        actor=actor,
        obj=payout_list,
        before=before,
        after=snapshot(payout_list, LIST_FIELDS),
        message=f"导出银行发放文件：{len(rows)} 笔（含完整账号），缺少账户 {missing} 人",
    )
    return rows, missing


ACCOUNT_FIELDS = ["card", "bank", "number", "holder"]


@transaction.atomic
def save_account(actor, *, person=None, employer=None, card: str, bank: str, number: str) -> PayeeAccount:
    """Enter or change a payee's account (audited; the account number in the audit is masked)."""
    payee = person if person is not None else employer
    if payee is None or (person is not None and employer is not None):
        raise ValidationError("收款账户须属于一名人员或一个单位。")
    if actor is not None and not (actor.area_id and actor.area.contains(payee.area_id)):
        raise PermissionDenied("只能登记您管辖区域的收款账户。")
    number = "".join((number or "").split())
    if not (number.isascii() and number.isdigit() and 12 <= len(number) <= 32):
        raise ValidationError({"number": "账号应为 12 至 32 位数字。"})
    if card not in Card.values:
        raise ValidationError({"card": "账户类型不正确。"})
    if not (bank or "").strip():
        raise ValidationError({"bank": "请填写开户银行。"})
    account = (
        PayeeAccount.objects.filter(person=person)
        if person
        else PayeeAccount.objects.filter(employer=employer)
    )
    account = account.first() or PayeeAccount(person=person, employer=employer)
    before = _account_snapshot(account) if account.pk else None
    account.area_id = payee.area_id
    account.card, account.bank, account.number = card, bank.strip()[:60], number
    account.holder = payee.name
    account.updated_by = actor
    account.save()
    audit(
        Action.UPDATE if before else Action.CREATE,
        actor=actor,
        obj=account,
        before=before,
        after=_account_snapshot(account),
        message=f"登记收款账户：{payee.name}",
    )
    return account


def _account_snapshot(account: PayeeAccount) -> dict:
    return {"card": account.card, "bank": account.bank, "number": account.masked, "holder": account.holder}


@transaction.atomic
def grant(actor, user, right: str, on: bool) -> None:
    """Give or take a payout right. The actor manages the user (accounts) and holds the right themselves;
    `actor` None is the system (the `bangfu payouts grant` command)."""
    if right not in Right.values:
        raise ValidationError("未知的权限。")
    if actor is not None:
        if not actor.can_manage(user):
            raise PermissionDenied("您不能修改该用户的权限。")
        if not has_right(actor, right):
            raise PermissionDenied("您自己没有该权限，不能授予他人。")
    held = PayoutRight.objects.filter(user=user, right=right)
    if on and not held.exists():
        PayoutRight.objects.create(user=user, right=right, granted_by=actor)
    elif not on and held.exists():
        held.delete()
    else:
        return
    label = Right(right).label
    audit(Action.UPDATE, actor=actor, obj=user, message=f"{'授予' if on else '收回'}{label}权限")


def rights_in(users):
    """(user id, right) for every payout right the given users hold."""
    return PayoutRight.objects.filter(user__in=users).values_list("user_id", "right")
