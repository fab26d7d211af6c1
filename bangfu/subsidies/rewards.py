"""车间基地奖补 through the payout core: once a year, per workshop (扶贫车间, 就业帮扶车间) or base
(就业帮扶基地, 劳务协作基地) of the list's area, the 脱贫户 and 监测户 laborers it employed for at least the
rule's 最短务工月数 of the year, against the rule's 最少吸纳人数; the reward is the rule's fixed amount plus
its amount per laborer, at most its cap. The payee is the employer. Few employers, a few records each: the
proposals are made in Python, one per employer, from one query of their records."""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.utils import timezone

from bangfu.employers.models import Employer, EmployerKind
from bangfu.employment.models import EmploymentRecord
from bangfu.employment.status import Spell, months_on
from bangfu.payouts.kinds import YEAR, PayoutKind, Proposal
from bangfu.payouts.periods import parse
from bangfu.subsidies.models import RewardRule

ITEM = "车间基地奖补"
HOUSEHOLDS = ("脱贫户", "监测户")
KINDS = (
    EmployerKind.POVERTY_WORKSHOP,
    EmployerKind.ASSISTANCE_WORKSHOP,
    EmployerKind.ASSISTANCE_BASE,
    EmployerKind.COOPERATION_BASE,
)
BASIS = "对吸纳脱贫人口和监测对象就业的就业帮扶车间、就业帮扶基地，按吸纳人数给予一次性奖补（就业帮扶政策）"


def refusal(area, period: str) -> str:
    last = parse(period, YEAR)[1]
    if not len(RewardRule.objects.book(last, within=area)):
        return f"{area.name}在 {period} 年没有生效的车间基地奖补规则，不能生成发放名单。"
    return ""


def propose(area, period: str):
    first, last = parse(period, YEAR)
    upto = min(last, timezone.localdate())
    if upto < first:
        return
    book = RewardRule.objects.book(last, within=area)
    employers = {e.pk: e for e in Employer.objects.for_area(area).filter(kind__in=KINDS).order_by("pk")}
    records = (
        EmploymentRecord.objects.filter(
            employer_id__in=list(employers),
            person__household__household_type__in=HOUSEHOLDS,
            started_on__lte=upto,
        )
        .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=first))
        .values_list("employer_id", "person_id", "started_on", "ended_on")
    )
    spells = defaultdict(list)
    for employer_id, person_id, started_on, ended_on in records:
        spells[employer_id, person_id].append(Spell(started_on, ended_on))
    per_employer = defaultdict(list)
    for (employer_id, _), held in spells.items():
        per_employer[employer_id].append(months_on(held, upto))
    for employer_id in sorted(per_employer):
        employer = employers[employer_id]
        rule = book.for_code(employer.area_id)
        if rule is None:
            yield Proposal(None, None, note="所在地区没有生效的车间基地奖补规则", employer_id=employer.pk,
                           ref=employer.kind)  # fmt: skip
            continue
        hired = sum(1 for months in per_employer[employer_id] if months >= rule.min_months)
        amount = rule.reward(hired)
        note = f"吸纳脱贫（监测）劳动力务工满 {rule.min_months} 个月的 {hired} 人"
        if amount is None:
            note += f"，少于最少吸纳人数 {rule.min_hired}"
        yield Proposal(None, amount, note=note, employer_id=employer.pk, ref=employer.kind, quantity=hired)


KIND = PayoutKind(
    key="workshop-reward",
    item=ITEM,
    period=YEAR,
    propose=propose,
    basis=BASIS,
    payee="employer",
    refusal=refusal,
    quantity_label="吸纳人数",
)
