"""职业培训补贴 through the payout core (kind `training-subsidy`, a year): one line per trainee's completion
(结业) in the year on a course, the trainee in the list's area. The amount is 每人补贴标准 of the 职业培训补贴
version in force for the trainee's village on the year's last day, when they attended at least 最低出勤率 of
the course's days and, where the version asks it, got a certificate; else 不符合条件 with the reason. A
second completion of a person in the same year is the core's 重复发放 (one subsidy a person a year)."""

from __future__ import annotations

from collections.abc import Iterator

from django.core.exceptions import ValidationError
from django.utils import timezone

from bangfu.areas.models import Area
from bangfu.payouts.periods import parse
from bangfu.training.models import Enrolment, SubsidyRule, completed_between

ITEM = "职业培训补贴"
NOT_MET = "不符合条件"
BASIS = "职业培训补贴规则（政策规则：每人补贴标准、最低出勤率、是否须取得证书）；按年度结业学员发放"


def _last(period: str):
    return parse(period, "year")[1]


def refusal(area: Area, period: str) -> str:
    try:
        last = _last(period)
    except ValidationError as exc:
        return exc.messages[0]
    if not len(SubsidyRule.objects.book(last, within=area)):
        return (
            f"{area.name}在 {period} 年没有生效的职业培训补贴规则（每人补贴标准、最低出勤率），"
            "不能生成发放名单。"
        )
    return ""


def propose(area: Area, period: str) -> Iterator:
    from bangfu.payouts.kinds import Proposal

    first, last = parse(period, "year")
    book = SubsidyRule.objects.book(last, within=area)
    upto = min(last, timezone.localdate())
    rows = (
        Enrolment.objects.for_area(area)
        .filter(completed_between(first, upto))
        .order_by("person_id", "completed_on", "id")
        .values_list(
            "person_id",
            "area_id",
            "days_attended",
            "course__days",
            "course__number",
            "certificate_kind",
            "completed_on",
        )
    )
    for person_id, code, attended, days, number, certificate, completed in rows.iterator(chunk_size=5000):
        rule = book.for_code(code)
        rate = attended * 100 / days if days else 0
        shown = f"{number} 结业 {completed:%Y-%m-%d}，出勤 {attended}/{days} 天"
        if rule is None:
            yield Proposal(
                person_id,
                None,
                NOT_MET,
                f"{shown}；所在地区没有生效的职业培训补贴规则",
                number,
                quantity=attended,
            )
        elif rate < rule.min_attendance:
            yield Proposal(
                person_id,
                None,
                NOT_MET,
                f"{shown}，低于最低出勤率 {rule.min_attendance}%",
                number,
                quantity=attended,
            )
        elif rule.certificate_required and not certificate:
            yield Proposal(person_id, None, NOT_MET, f"{shown}；未取得证书", number, quantity=attended)
        else:
            yield Proposal(
                person_id, rule.amount, "", f"{shown}；{certificate or '无需证书'}", number, quantity=attended
            )


def payout_kind():
    from bangfu.payouts.kinds import YEAR, PayoutKind

    return PayoutKind(
        key="training-subsidy",
        item=ITEM,
        period=YEAR,
        propose=propose,
        refusal=refusal,
        basis=BASIS,
        quantity_label="出勤天数",
    )
