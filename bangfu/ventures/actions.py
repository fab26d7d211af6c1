"""Writes of entrepreneurship: ventures (registered, jobs reported, linked to the employer directory,
closed), guarantee loans (granted, repaid, status), incubators and their residents. Each write is one
transaction with its audit event."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.audit.log import record as audit
from bangfu.audit.log import snapshot
from bangfu.audit.models import Action
from bangfu.employers.models import Employer
from bangfu.registry.models import Person
from bangfu.ventures.models import (
    Incubator,
    IncubatorKind,
    Loan,
    LoanStatus,
    Repayment,
    Residency,
    Venture,
    VentureKind,
)


def _check(actor, code: str, what: str) -> None:
    if actor is not None and not Area.objects.for_user(actor).filter(pk=code).exists():
        raise PermissionDenied(f"{what}不在您的管辖区域内。")


def _not_future(day: dt.date, what: str) -> None:
    if day > timezone.localdate():
        raise ValidationError(f"{what}不能晚于今天。")


@transaction.atomic
def register_venture(
    actor,
    person: Person,
    *,
    name: str,
    kind: str,
    started_on: dt.date,
    industry: str = "",
    credit_code: str = "",
    jobs: int = 0,
    check_scope: bool = True,
) -> Venture:
    if check_scope:
        _check(actor, person.area_id, "该人员")
    if kind not in VentureKind.values:
        raise ValidationError(f"类型只能是：{'、'.join(VentureKind.values)}。")
    if not name.strip():
        raise ValidationError("请填写经营实体名称。")
    _not_future(started_on, "创业日期")
    if person.is_deceased:
        raise ValidationError(f"{person.name} 已故。")
    venture = Venture.objects.create(
        person=person,
        area_id=person.area_id,
        name=name.strip(),
        kind=kind,
        industry=industry.strip(),
        credit_code=credit_code.strip().upper(),
        started_on=started_on,
        jobs=jobs,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    if venture.credit_code:
        venture.employer = Employer.objects.filter(credit_code=venture.credit_code).first()
        venture.save(update_fields=["employer"])
    audit(
        Action.CREATE,
        actor=actor,
        obj=venture,
        message=f"登记创业：{person.name} {venture.name}",
        after=snapshot(venture),
    )
    return venture


@transaction.atomic
def report_jobs(actor, venture: Venture, jobs: int, credit_code: str = "") -> Venture:
    """带动就业人数 as now reported; a 统一社会信用代码 links the venture to that employer of the
    directory."""
    _check(actor, venture.area_id, "该创业实体")
    if jobs < 0:
        raise ValidationError("带动就业人数不能为负数。")
    before = snapshot(venture)
    venture.jobs = jobs
    code = credit_code.strip().upper()
    if code:
        employer = Employer.objects.filter(credit_code=code).first()
        if employer is None:
            raise ValidationError(f"单位名录中没有统一社会信用代码 {code}：请先在企业台账登记该单位。")
        venture.credit_code, venture.employer = code, employer
    venture.save()
    audit(
        Action.UPDATE,
        actor=actor,
        obj=venture,
        message=f"更新带动就业：{jobs} 人",
        before=before,
        after=snapshot(venture),
    )
    return venture


@transaction.atomic
def close_venture(actor, venture: Venture, on: dt.date) -> Venture:
    _check(actor, venture.area_id, "该创业实体")
    if venture.closed_on:
        raise ValidationError(f"已于 {venture.closed_on} 停业。")
    if on < venture.started_on:
        raise ValidationError("停业日期不能早于创业日期。")
    _not_future(on, "停业日期")
    venture.closed_on = on
    venture.save(update_fields=["closed_on", "updated_at"])
    audit(Action.UPDATE, actor=actor, obj=venture, message=f"停业：{on}")
    return venture


@transaction.atomic
def grant_loan(
    actor,
    venture: Venture,
    *,
    bank: str,
    contract: str,
    amount: Decimal,
    rate: Decimal,
    term_months: int,
    granted_on: dt.date,
    check_scope: bool = True,
) -> Loan:
    if check_scope:
        _check(actor, venture.area_id, "该创业实体")
    if not bank.strip() or not contract.strip():
        raise ValidationError("请填写贷款银行和合同编号。")
    if amount <= 0 or term_months < 1 or rate < 0:
        raise ValidationError("贷款金额、期限应大于 0，利率不能为负数。")
    _not_future(granted_on, "放款日期")
    if Loan.objects.filter(bank=bank.strip(), contract=contract.strip()).exists():
        raise ValidationError(f"{bank} 已有合同编号 {contract} 的贷款。")
    loan = Loan.objects.create(
        venture=venture,
        area_id=venture.area_id,
        bank=bank.strip(),
        contract=contract.strip(),
        amount=amount,
        rate=rate,
        term_months=term_months,
        granted_on=granted_on,
    )
    audit(
        Action.CREATE,
        actor=actor,
        obj=loan,
        message=f"登记创业担保贷款：{venture.name} {amount} 元",
        after=snapshot(loan),
    )
    return loan


@transaction.atomic
def repay(
    actor, loan: Loan, *, paid_on: dt.date, principal: Decimal, interest: Decimal, check_scope: bool = True
) -> Repayment:
    if check_scope:
        _check(actor, loan.area_id, "该贷款")
    if principal < 0 or interest < 0:
        raise ValidationError("还款金额不能为负数。")
    if paid_on < loan.granted_on:
        raise ValidationError("还款日期不能早于放款日期。")
    _not_future(paid_on, "还款日期")
    repaid = sum(loan.repayments.values_list("principal", flat=True), Decimal(0))
    if repaid + principal > loan.amount:
        raise ValidationError(f"归还本金合计不能超过贷款金额（已还 {repaid} 元）。")
    payment = Repayment.objects.create(
        loan=loan, area_id=loan.area_id, paid_on=paid_on, principal=principal, interest=interest
    )
    if repaid + principal == loan.amount and loan.status == LoanStatus.CURRENT:
        loan.status, loan.status_on = LoanStatus.SETTLED, paid_on
        loan.save(update_fields=["status", "status_on"])
    audit(
        Action.CREATE, actor=actor, obj=payment, message=f"登记还款：本金 {principal} 元，利息 {interest} 元"
    )
    return payment


@transaction.atomic
def set_loan_status(actor, loan: Loan, status: str, on: dt.date, check_scope: bool = True) -> Loan:
    if check_scope:
        _check(actor, loan.area_id, "该贷款")
    if status not in LoanStatus.values:
        raise ValidationError(f"状态只能是：{'、'.join(LoanStatus.values)}。")
    _not_future(on, "状态日期")
    before = snapshot(loan)
    loan.status, loan.status_on = status, on
    loan.save(update_fields=["status", "status_on"])
    audit(
        Action.UPDATE,
        actor=actor,
        obj=loan,
        message=f"贷款状态：{status}（{on}）",
        before=before,
        after=snapshot(loan),
    )
    return loan


@transaction.atomic
def create_incubator(actor, *, area: Area, name: str, kind: str, places: int = 0) -> Incubator:
    _check(actor, area.pk, "该区域")
    if kind not in IncubatorKind.values:
        raise ValidationError(f"类型只能是：{'、'.join(IncubatorKind.values)}。")
    if not name.strip():
        raise ValidationError("请填写名称。")
    if Incubator.objects.filter(area=area, name=name.strip()).exists():
        raise ValidationError(f"本地区已有“{name}”。")
    incubator = Incubator.objects.create(area=area, name=name.strip(), kind=kind, places=places)
    audit(Action.CREATE, actor=actor, obj=incubator, message=f"登记孵化载体：{incubator.name}")
    return incubator


@transaction.atomic
def move_in(
    actor,
    incubator: Incubator,
    venture: Venture,
    *,
    moved_in: dt.date,
    free_rent: Decimal = Decimal(0),
    free_until: dt.date | None = None,
) -> Residency:
    _check(actor, incubator.area_id, "该孵化载体")
    _check(actor, venture.area_id, "该创业实体")
    _not_future(moved_in, "入驻日期")
    if free_until is not None and free_until < moved_in:
        raise ValidationError("免租截止日期不能早于入驻日期。")
    if Residency.objects.filter(venture=venture, moved_out__isnull=True).exists():
        raise ValidationError(f"{venture.name} 已在孵化载体中，请先办理退出。")
    current = Residency.objects.filter(incubator=incubator, moved_out__isnull=True).count()
    if incubator.places and current >= incubator.places:
        raise ValidationError(f"{incubator.name} 已满（{incubator.places} 户）。")
    stay = Residency.objects.create(
        incubator=incubator,
        venture=venture,
        area_id=incubator.area_id,
        moved_in=moved_in,
        free_rent=free_rent,
        free_until=free_until,
    )
    audit(Action.CREATE, actor=actor, obj=stay, message=f"入驻：{venture.name} → {incubator.name}")
    return stay


@transaction.atomic
def move_out(actor, stay: Residency, on: dt.date) -> Residency:
    _check(actor, stay.area_id, "该入驻记录")
    if stay.moved_out:
        raise ValidationError(f"已于 {stay.moved_out} 退出。")
    if on < stay.moved_in:
        raise ValidationError("退出日期不能早于入驻日期。")
    stay.moved_out = on
    stay.save(update_fields=["moved_out"])
    audit(Action.UPDATE, actor=actor, obj=stay, message=f"退出孵化载体：{on}")
    return stay
