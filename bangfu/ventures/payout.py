"""The money of entrepreneurship through the payout core, each a year:

- `startup-subsidy` (一次性创业补贴): one line per venture started in the year in the list's area; the
  一次性创业补贴 version in force for the founder's village on the year's last day gives the amount when the
  venture has stayed open its 最短经营月数 (counted to its 停业日期, or to the year's end or today), else
  不符合条件. A second venture of one founder in the year is the core's 重复发放.
- `jobs-subsidy` (带动就业补贴): one line per venture started in the year; 每人补贴标准 × 带动就业人数 when
  it created at least 最少带动就业人数 jobs, else 不符合条件.
- `loan-interest` (创业担保贷款贴息): one line per loan with interest falling due in the year; the subsidy
  of those months (ventures/interest.py) under the 创业担保贷款贴息 version in force for the borrower's
  village on the year's last day; nothing (不符合条件) when the loan is 逾期 or 代偿 for all of them.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.payouts.periods import parse
from bangfu.ventures import interest
from bangfu.ventures.models import InterestRule, JobsRule, Loan, Repayment, StartupRule, Venture

NOT_MET = "不符合条件"


def _refusal(model, label: str):
    def refusal(area, period: str) -> str:
        try:
            last = parse(period, "year")[1]
        except ValidationError as exc:
            return exc.messages[0]
        if not len(model.objects.book(last, within=area)):
            return f"{area.name}在 {period} 年没有生效的{label}规则，不能生成发放名单。"
        return ""

    return refusal


def _started(area, period: str):
    first, last = parse(period, "year")
    return (
        Venture.objects.for_area(area)
        .filter(started_on__gte=first, started_on__lte=last)
        .order_by("person_id", "started_on", "id")
    )


def propose_startup(area, period: str):
    from bangfu.payouts.kinds import Proposal

    last = parse(period, "year")[1]
    upto = min(last, timezone.localdate())
    book = StartupRule.objects.book(last, within=area)
    for v in _started(area, period).iterator(chunk_size=5000):
        rule = book.for_code(v.area_id)
        ref = f"{v.name}"
        if rule is None:
            yield Proposal(v.person_id, None, NOT_MET, "所在地区没有生效的一次性创业补贴规则", ref)
            continue
        due = interest.add_months(v.started_on, rule.min_months)
        open_until = min(v.closed_on, upto) if v.closed_on else upto
        if due > open_until:
            state = "已停业" if v.closed_on else "至今"
            why = f"{v.started_on:%Y-%m-%d} 创业，{state}经营不满 {rule.min_months} 个月"
            yield Proposal(v.person_id, None, NOT_MET, why, ref)
        else:
            yield Proposal(
                v.person_id,
                rule.amount,
                "",
                f"{v.started_on:%Y-%m-%d} 创业，经营满 {rule.min_months} 个月",
                ref,
            )


def propose_jobs(area, period: str):
    from bangfu.payouts.kinds import Proposal

    last = parse(period, "year")[1]
    book = JobsRule.objects.book(last, within=area)
    for v in _started(area, period).iterator(chunk_size=5000):
        rule = book.for_code(v.area_id)
        if rule is None:
            yield Proposal(
                v.person_id, None, NOT_MET, "所在地区没有生效的带动就业补贴规则", v.name, quantity=v.jobs
            )
        elif v.jobs < rule.min_jobs:
            why = f"带动就业 {v.jobs} 人，少于 {rule.min_jobs} 人"
            yield Proposal(v.person_id, None, NOT_MET, why, v.name, quantity=v.jobs)
        else:
            yield Proposal(
                v.person_id, rule.amount * v.jobs, "", f"带动就业 {v.jobs} 人", v.name, quantity=v.jobs
            )


def terms(loan: Loan) -> interest.Terms:
    return interest.Terms(
        loan.amount, loan.rate, loan.granted_on, loan.term_months, loan.status, loan.status_on
    )


def subsidy_of(rule: InterestRule | None) -> interest.Subsidy | None:
    return None if rule is None else interest.Subsidy(rule.share, rule.max_amount, rule.max_months)


def propose_interest(area, period: str):
    from bangfu.payouts.kinds import Proposal

    first, last = parse(period, "year")
    upto = min(last, timezone.localdate())
    book = InterestRule.objects.book(last, within=area)
    loans = list(
        Loan.objects.for_area(area)
        .filter(granted_on__lte=upto)
        .select_related("venture")
        .order_by("venture__person_id", "granted_on", "id")
    )
    paid = defaultdict(list)
    for loan_id, day, principal in Repayment.objects.filter(loan__in=[loan.pk for loan in loans]).values_list(
        "loan_id", "paid_on", "principal"
    ):
        paid[loan_id].append((day, principal))
    for loan in loans:
        months = interest.due_in(
            interest.schedule(terms(loan), subsidy_of(book.for_code(loan.area_id)), paid[loan.pk]),
            first,
            upto,
        )
        if not months:
            continue
        person, ref = loan.venture.person_id, loan.contract
        total = sum((m.subsidy for m in months), Decimal(0))
        if book.for_code(loan.area_id) is None:
            yield Proposal(
                person, None, NOT_MET, "所在地区没有生效的创业担保贷款贴息规则", ref, quantity=len(months)
            )
        elif not total:
            why = f"贷款{loan.status}（{loan.status_on or ''}），本年度不予贴息"
            yield Proposal(person, None, NOT_MET, why, ref, quantity=len(months))
        else:
            charged = sum(m.interest for m in months)
            note = f"{loan.bank} 本年 {len(months)} 个月利息 {charged} 元，贴息 {total} 元"
            yield Proposal(person, total, "", note, ref, quantity=len(months))


def payout_kinds():
    from bangfu.payouts.kinds import YEAR, PayoutKind

    return [
        PayoutKind(
            key="startup-subsidy",
            item="一次性创业补贴",
            period=YEAR,
            propose=propose_startup,
            refusal=_refusal(StartupRule, "一次性创业补贴"),
            basis="一次性创业补贴规则（政策规则：补贴标准、最短经营月数）",
        ),
        PayoutKind(
            key="jobs-subsidy",
            item="带动就业补贴",
            period=YEAR,
            propose=propose_jobs,
            refusal=_refusal(JobsRule, "带动就业补贴"),
            quantity_label="带动就业人数",
            basis="带动就业补贴规则（政策规则：每人补贴标准、最少带动就业人数）",
        ),
        PayoutKind(
            key="loan-interest",
            item="创业担保贷款贴息",
            period=YEAR,
            propose=propose_interest,
            refusal=_refusal(InterestRule, "创业担保贷款贴息"),
            quantity_label="贴息月数",
            basis="创业担保贷款贴息规则（政策规则：贴息比例、贴息本金上限、贴息期限）",
        ),
    ]
